import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { WardenError } from '../../errors/index.js';
import type { RuleAllowlist, RuleSpec } from './rule-types.js';
import { userRule } from './user-rules.js';

/**
 * A gitleaks v8 configuration read as is: `[[rules]]` (id, description, regex, secretGroup,
 * entropy, keywords, path, per-rule `[[rules.allowlists]]` or the older `[rules.allowlist]`), and
 * the global `[allowlist]` / `[[allowlists]]` (regexes, regexTarget, paths, stopwords).
 * Format: https://github.com/gitleaks/gitleaks#configuration
 */
export interface GitleaksConfig {
  rules: RuleSpec[];
  /** Global allowlists; `targetRules` narrows one to some rule ids. */
  allowlists: (RuleAllowlist & { targetRules?: string[] })[];
  /** `[extend] useDefault = true`: keep the built-in rules beside these. */
  useDefault: boolean;
  /** Rules that could not be used, with the reason; the others still load. */
  rejected: { id: string; reason: string }[];
}

type Toml = Record<string, unknown>;

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

function allowlistOf(t: Toml): RuleAllowlist & { targetRules?: string[] } {
  const target = t.regexTarget;
  const regexes = strings(t.regexes);
  const paths = strings(t.paths);
  const stopwords = strings(t.stopwords);
  const targetRules = strings(t.targetRules);
  return {
    ...(target === 'secret' || target === 'match' || target === 'line' ? { regexTarget: target } : {}),
    ...(regexes ? { regexes: regexes.map((r) => r) } : {}),
    ...(paths ? { paths } : {}),
    ...(stopwords ? { stopwords: stopwords.map((s) => s.toLowerCase()) } : {}),
    ...(t.condition === 'AND' ? { condition: 'AND' as const } : {}),
    ...(targetRules ? { targetRules } : {}),
  };
}

export function parseGitleaksConfig(text: string, where: string): GitleaksConfig {
  let doc: Toml;
  try {
    doc = parseToml(text) as Toml;
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${where}${err.line ? `:${err.line}:${err.column ?? 1}` : ''}: invalid TOML: ${err.message.split('\n')[0]}`,
      { cause: e },
    );
  }
  const out: GitleaksConfig = { rules: [], allowlists: [], useDefault: false, rejected: [] };
  const extend = doc.extend as Toml | undefined;
  out.useDefault = extend?.useDefault === true || (!doc.rules && !!extend);
  const rules = Array.isArray(doc.rules) ? (doc.rules as Toml[]) : [];
  rules.forEach((r, i) => {
    const id = typeof r.id === 'string' ? r.id : `rules[${i}]`;
    if (typeof r.regex !== 'string') {
      // Path-only rules flag files by name; Warden reports secrets, so these are noted and skipped.
      out.rejected.push({ id, reason: 'no regex (path-only rules are not supported)' });
      return;
    }
    const allow: RuleAllowlist[] = [];
    if (Array.isArray(r.allowlists)) for (const a of r.allowlists as Toml[]) allow.push(allowlistOf(a));
    if (r.allowlist && typeof r.allowlist === 'object') allow.push(allowlistOf(r.allowlist as Toml));
    try {
      out.rules.push(
        userRule(
          {
            id,
            description: typeof r.description === 'string' ? r.description : undefined,
            regex: r.regex,
            keywords: strings(r.keywords),
            secretGroup: typeof r.secretGroup === 'number' ? r.secretGroup : undefined,
            entropy: typeof r.entropy === 'number' ? r.entropy : undefined,
            path: typeof r.path === 'string' ? r.path : undefined,
            allow,
          },
          'gitleaks',
          where,
        ),
      );
    } catch (e) {
      out.rejected.push({ id, reason: (e as Error).message });
    }
  });
  if (doc.allowlist && typeof doc.allowlist === 'object')
    out.allowlists.push(allowlistOf(doc.allowlist as Toml));
  if (Array.isArray(doc.allowlists))
    for (const a of doc.allowlists as Toml[]) out.allowlists.push(allowlistOf(a));
  return out;
}

export function loadGitleaksConfig(file: string): GitleaksConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WardenError('WARDEN_CONFIG_UNREADABLE', `cannot read ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  return parseGitleaksConfig(text, file);
}
