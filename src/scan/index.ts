/**
 * The secret scanner: finds leaked credentials in files, folders, standard input, staged changes
 * and whole git histories, and ties each leak to the inventory identity (and agents) it belongs to.
 *
 * Pipeline: a byte-level keyword prefilter (one pass) -> each rule's pattern only on bounded
 * windows around its keywords -> entropy, placeholder, example-key and context filters ->
 * decoders for notebooks, base64 Kubernetes Secrets and URL-encoded values. Rules are plain data
 * (`BUILTIN_RULES`, each with the provider's documentation of the format); users add rules in
 * warden.yaml `scan.rules` or bring a `.gitleaks.toml`.
 *
 * Fingerprints are always salted (`fingerprintSecret(value, salt)` from src/model), never a bare
 * hash of a secret. The CLI picks the salt: `fingerprintSalt` from config / WARDEN_FINGERPRINT_SALT,
 * else the inventory store's salt when a database exists (so leaks match `identities.fingerprint`),
 * else a random per-repository salt kept in `<git dir>/warden/scan-salt` (outside the worktree, never
 * committed), else a per-user one in `~/.warden/scan-salt`. Baselines shared by a team need a shared
 * salt: set `fingerprintSalt` in warden.yaml or the environment.
 *
 * @example
 * import { runScan, linkLeaks, compileRuleset } from '../scan/index.js';
 * const result = await runScan({ kind: 'path', path: 'repo' }, { salt, ruleset: compileRuleset() });
 * const linked = await linkLeaks(store, result.leaks, salt); // identity + agents per leak
 */
export type { Leak, NativeIdHint, ScanNote, ScanResult } from './leak-types.js';
export {
  BUILTIN_RULES,
  KNOWN_EXAMPLES,
  unsafeRegexReason,
  userRule,
  translateGoRegex,
  parseGitleaksConfig,
  loadGitleaksConfig,
} from './rules/index.js';
export type { RuleSpec, RuleAllowlist, GitleaksConfig, UserRuleInput } from './rules/index.js';
export { compileRuleset, type Ruleset, type RulesetInput } from './engine/compile-rules.js';
export { scanText, type Hit } from './engine/scan-text.js';
export { scanBuffer, looksBinary } from './engine/scan-buffer.js';
export { shannonEntropy } from './engine/filters.js';
export { walkFiles, parseGitignore, type WalkOptions, type WalkedFile } from './files/walk-files.js';
export { globToRegExp } from './files/glob.js';
export { scanHistory, scanStaged } from './git/git-history.js';
export {
  runScan,
  rulesetInputFrom,
  findGitleaksConfig,
  type ScanTarget,
  type ScanOptions,
  type ScanConfig,
} from './scan-service.js';
export { toBaseline, readBaseline, writeBaseline, filterBaseline, type Baseline } from './baseline.js';
export { linkLeaks, type InventoryReader, type LinkedLeak, type LinkedIdentity } from './link-leaks.js';
export { renderJson, renderSarif, toJsonFinding, type JsonFinding } from './scan-report.js';
export { resolveScanSalt } from './scan-salt.js';
