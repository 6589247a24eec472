/**
 * Context filters that turn pattern matches into leaks: entropy, placeholders and templating,
 * documented example values, and, for generic rules, the shapes of non-secrets that sit in
 * secret-looking places (hashes, UUIDs, integrity strings, references to other variables).
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = COUNTS;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[s.charCodeAt(i) & 0xff]!++;
  let h = 0;
  for (let c = 0; c < 256; c++) {
    const k = counts[c]!;
    if (k === 0) continue;
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}
const COUNTS = new Int32Array(256);

/** The entropy a value must reach: the rule's minimum, eased for short values (max is log2(len)). */
export function entropyThreshold(min: number, length: number): number {
  return Math.min(min, Math.log2(Math.max(2, length)) * 0.82);
}

const PLACEHOLDER_WORDS =
  /example|xxxx|changeme|change_me|change-me|placeholder|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|insert[_-]?(?:your|key|token)|replace[_-]?me|redacted|dummy|notreal|not[_-]real|fake[_-]?(?:key|token|secret)|sample[_-]?(?:key|token)|\*\*\*\*|\.\.\.\.|<[a-z_ -]+>|\{\{|\}\}|\$\{|\$\(|%\(|%[sd]\b|#\{|__[A-Z_]+__|abcdefgh|12345678|qwerty|lorem|ipsum/i;

/** Placeholders, templating and obviously synthetic values; applies to every rule. */
export function isPlaceholder(value: string, allowRuns = false): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (!allowRuns && /(.)\1{5,}/.test(value)) return true;
  return false;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
const INTEGRITY = /^(?:sha(?:1|256|384|512)|md5)[-:]/i;
const REFERENCE =
  /^(?:\$|%|@|&|env[.:]|process\.env|os\.environ|secrets\.|vars\.|inputs\.|ENV\[|self\.|this\.|config\.|settings\.|props\.|args\.|params\.|options\.)/i;
const DOTTED_IDENTIFIER = /^[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)+(?:\(\))?$/;
const PATHLIKE = /^(?:\.{0,2}\/|~\/|[a-z]:\\)|^[\w.-]+\/[\w./-]+$/i;
const WORDY = /^[a-z]+(?:[_-][a-z0-9]+)*$|^[A-Z]+(?:_[A-Z0-9]+)*$|^[A-Z]?[a-z]+(?:[A-Z][a-z]+)+$/;
/** PascalCase / camelCase identifiers with digits (`K8sTokenSecret`, `Oauth2ClientSecret`): type and variable names. */
const IDENTIFIER_WORDS = /^(?:[A-Z][a-z]{2,}|[A-Z]?\d+[a-z]*|[a-z]{3,})(?:[A-Z][a-z]{2,}|\d+)+$/;

/** Lock files hold integrity hashes in secret-looking places; generic rules skip them. */
export const LOCKFILE_RE =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.ya?ml|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|packages\.lock\.json|gradle\.lockfile|uv\.lock|flake\.lock|mix\.lock|pubspec\.lock|Podfile\.lock|.*\.lock)$/;

/** Reasons a generic rule's value is not a secret; undefined when it may be one. */
export function genericRejection(value: string): string | undefined {
  // An ALL_CAPS name (`BROWSERBASE_PROJECT_ID`) is the next variable in a list, not a value.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+:?$/.test(value)) return 'a constant or variable name';
  if (UUID_RE.test(value)) return 'uuid';
  if (HEX_DIGEST.test(value)) return 'hex digest';
  if (INTEGRITY.test(value)) return 'integrity hash';
  if (REFERENCE.test(value)) return 'reference';
  if (DOTTED_IDENTIFIER.test(value)) return 'identifier';
  if (PATHLIKE.test(value) && !/[+=]/.test(value)) return 'path';
  if (WORDY.test(value)) return 'words';
  if (IDENTIFIER_WORDS.test(value)) return 'identifier';
  if (value.includes('://') || /^arn:/.test(value)) return 'url or arn';
  if (/^(?:true|false|null|none|nil|undefined|required|optional|string|bearer|basic)$/i.test(value))
    return 'keyword';
  if (/^\d+$/.test(value)) return 'number';
  if (/^[a-z]+(?:[-_.][a-z]+)*[-_.]?\d{1,6}$/i.test(value)) return 'name with a number';
  if (/^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value)) return 'version';
  if (/^[\d:.-]+$/.test(value)) return 'date or address';
  if (/^(?:https?|file|s3|gs):/i.test(value)) return 'url';
  if (/^[a-z0-9-]+\.(?:com|org|net|io|dev|ai|co|app)(?:[./:]|$)/i.test(value)) return 'host';
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  if (classes < 2) return 'one character class';
  if (!/[0-9]/.test(value) && value.length < 20) return 'no digits';
  return undefined;
}

/** Passwords in URIs and connection strings are often words; only templating is rejected. */
export function isPasswordPlaceholder(value: string): boolean {
  return (
    /^(?:password|passwd|pass|pwd|secret|changeme|admin|root|user|guest|test|example|xxx+|\*+|<.*>|\[.*\]|\{.*\}|\$.*|%.*|:.*)$/i.test(
      value,
    ) || isPlaceholder(value)
  );
}

/**
 * Names that hold metadata about a secret, not the secret (`secretName`, `TOKEN_URL`,
 * `api_key_id`, `password_file`): the generic rule skips values assigned to them.
 */
const METADATA_NAME =
  /(?:name|kind|id|ids|ref|url|uri|path|file|dir|version|type|ttl|count|len|length|size|expiry|expires|expiration|header|endpoint|arn|field|prefix|suffix|hash|sha|format|policy|scope|scopes|mode|label|env|region|timeout|hint)['"`\]]*\s*(?:=|:=|:|=>|\?=|,)?\s*$/i;

export function isMetadataName(nameAndAssignment: string): boolean {
  return METADATA_NAME.test(nameAndAssignment.replace(/(?:["'`]|!!str\s|!secret\s)\s*$/, ''));
}
