import type { IdentityKind, Severity } from '../../model/index.js';
import type { RuleSpec } from './rule-types.js';

/** Options shared by the builders; everything not given takes the family default. */
export interface RuleOptions {
  keywords?: string[];
  severity?: Severity;
  entropy?: number;
  examples?: string[];
  allowRuns?: boolean;
  secretIsNativeId?: boolean;
  priority?: number;
  flags?: string;
  /** The keyword is the value's own prefix, not the name (no assignment follows it). */
  valueKeyword?: boolean;
}

/** Characters that may sit right before or after a token without being part of it. */
const BEFORE = '(?<![A-Za-z0-9_])';
const AFTER = '(?![A-Za-z0-9_])';

/** The literal lower-case prefix of a pattern (up to its first metacharacter), for the prefilter. */
export function literalPrefix(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const next = body[i + 1];
      if (next !== undefined && /[.\-_/+$:]/.test(next)) {
        out += next;
        i++;
        continue;
      }
      break;
    }
    if ('[](){}?*+|^$.'.includes(ch)) break;
    out += ch;
  }
  // A quantifier right after the prefix makes its last character optional.
  const after = body[out.length] ?? '';
  if (after !== '' && '?*{'.includes(after) && out.length > 0) out = out.slice(0, -1);
  return out.toLowerCase();
}

/**
 * A token that carries its own prefix (`ghp_…`, `xoxb-…`): the whole token is the secret and its
 * literal prefix is the keyword.
 */
export function prefixed(
  id: string,
  title: string,
  provider: string,
  kind: IdentityKind,
  docs: string,
  body: string,
  o: RuleOptions = {},
): RuleSpec {
  const keywords = o.keywords ?? [literalPrefix(body)];
  if (keywords.some((k) => k.length < 2)) throw new Error(`rule ${id}: needs explicit keywords`);
  return {
    id,
    title,
    provider,
    kind,
    severity: o.severity ?? 'high',
    docs,
    keywords,
    regex: `${BEFORE}(${body})${AFTER}`,
    ...(o.flags ? { flags: o.flags } : {}),
    secretGroup: 1,
    entropy: o.entropy ?? 3,
    ...(o.examples ? { examples: o.examples } : {}),
    priority: o.priority ?? 2,
    // The keyword is the token's prefix or sits a few characters in (`…-us12`, `…:AA…`).
    window: { before: 64, after: 2100 },
    ...(o.allowRuns ? { allowRuns: true } : {}),
    ...(o.secretIsNativeId ? { secretIsNativeId: true } : {}),
  };
}

/**
 * A value with no prefix of its own, recognised by the name it is assigned to
 * (`TWILIO_AUTH_TOKEN=…`, `"datadog_api_key": "…"`). `names` is a regex alternation of
 * lower-case name fragments; the keywords default to those fragments.
 */
export function contextual(
  id: string,
  title: string,
  provider: string,
  kind: IdentityKind,
  docs: string,
  names: string[],
  value: string,
  o: RuleOptions = {},
): RuleSpec {
  return {
    id,
    title,
    provider,
    kind,
    severity: o.severity ?? 'high',
    docs,
    keywords: o.keywords ?? [...new Set(names.map(literalPrefix))],
    regex: `(?:${names.join('|')})[\\w.-]{0,25}['"\`]?\\]?\\s{0,5}(?:=|:=|:|=>|,)\\s{0,5}['"\`]?(${value})(?![A-Za-z0-9_+/])`,
    flags: 'i',
    secretGroup: 1,
    entropy: o.entropy ?? 3,
    ...(o.examples ? { examples: o.examples } : {}),
    priority: o.priority ?? 3,
    // The keyword is (in) the name the value is assigned to, or the value's own prefix.
    window: { before: 80, after: 1300 },
    ...(o.valueKeyword ? {} : { assignWithin: 48 }),
    ...(o.allowRuns ? { allowRuns: true } : {}),
  };
}

/** A rule written out in full (multi-part formats, connection strings, private keys). */
export function custom(
  spec: Omit<RuleSpec, 'priority' | 'secretGroup'> & { priority?: number; secretGroup?: number },
): RuleSpec {
  return { priority: 2, secretGroup: 1, ...spec };
}

/** Hex, base62 and UUID value shapes used by contextual rules. */
export const HEX = (n: number | string) => `[a-f0-9]{${n}}`;
export const ALNUM = (n: number | string) => `[A-Za-z0-9]{${n}}`;
export const UUID = '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';
