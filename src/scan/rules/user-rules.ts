import { WardenError } from '../../errors/index.js';
import { unsafeRegexReason } from './regex-safety.js';
import type { RuleSpec } from './rule-types.js';

const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
  word: '\\w',
};

/**
 * Translates a Go RE2 pattern (gitleaks) into a JavaScript one: leading or inline `(?i)` becomes
 * the `i` flag, `(?s)` the `s` flag, `\z`/`\A` anchors and POSIX classes are rewritten.
 * RE2 syntax reference: https://github.com/google/re2/wiki/Syntax
 */
export function translateGoRegex(source: string): { source: string; flags: string } {
  let flags = '';
  let s = source.replace(/\(\?([imsU]+)\)/g, (_m, f: string) => {
    if (f.includes('i') && !flags.includes('i')) flags += 'i';
    if (f.includes('s') && !flags.includes('s')) flags += 's';
    if (f.includes('m') && !flags.includes('m')) flags += 'm';
    return '';
  });
  s = s.replace(/\(\?[imsU-]+:/g, (m) => {
    if (/i/.test(m.split('-')[0] ?? '') && !flags.includes('i')) flags += 'i';
    return '(?:';
  });
  s = s.replace(/\[:(\w+):\]/g, (m, name: string) => POSIX[name] ?? m);
  s = s.replace(/\\z/g, '$').replace(/\\A/g, '^');
  s = s.replace(/\(\?P</g, '(?<');
  return { source: s, flags };
}

/** The shape of a rule in warden.yaml `scan.rules` (see src/config/schema.ts). */
export interface UserRuleInput {
  id: string;
  description?: string | undefined;
  regex: string;
  keywords?: string[] | undefined;
  secretGroup?: number | undefined;
  entropy?: number | undefined;
  severity?: RuleSpec['severity'] | undefined;
  path?: string | undefined;
  allow?: RuleSpec['allow'];
}

/**
 * Vets and converts a user rule: the pattern must compile and must not be able to backtrack
 * catastrophically; otherwise a WARDEN_RULE_INVALID error names the rule and the reason.
 */
export function userRule(input: UserRuleInput, origin: 'config' | 'gitleaks', where: string): RuleSpec {
  const { source, flags } =
    origin === 'gitleaks' ? translateGoRegex(input.regex) : { source: input.regex, flags: '' };
  const reason = unsafeRegexReason(source);
  if (reason) {
    throw new WardenError(
      'WARDEN_RULE_INVALID',
      `rule '${input.id}' in ${where}: pattern rejected, ${reason}`,
      {
        details: { rule: input.id, where, reason },
      },
    );
  }
  let groups = 0;
  try {
    groups = new RegExp(`${source}|`, flags).exec('')!.length - 1;
  } catch (e) {
    throw new WardenError(
      'WARDEN_RULE_INVALID',
      `rule '${input.id}' in ${where}: pattern does not compile: ${(e as Error).message}`,
      {
        details: { rule: input.id, where },
        cause: e,
      },
    );
  }
  const secretGroup = input.secretGroup ?? (groups > 0 ? 1 : 0);
  if (secretGroup > groups) {
    throw new WardenError(
      'WARDEN_RULE_INVALID',
      `rule '${input.id}' in ${where}: secretGroup ${secretGroup} but the pattern has ${groups} groups`,
    );
  }
  if (input.path) {
    const r = unsafeRegexReason(input.path);
    if (r)
      throw new WardenError(
        'WARDEN_RULE_INVALID',
        `rule '${input.id}' in ${where}: path pattern rejected, ${r}`,
      );
  }
  return {
    id: input.id,
    title: input.description ?? input.id,
    provider: 'custom',
    kind: 'unknown',
    severity: input.severity ?? 'high',
    docs: where,
    keywords: (input.keywords ?? []).map((k) => k.toLowerCase()).filter((k) => k.length > 0),
    regex: source,
    ...(flags ? { flags } : {}),
    secretGroup,
    ...(input.entropy !== undefined ? { entropy: input.entropy } : {}),
    priority: 5,
    ...(input.path ? { path: translateGoRegex(input.path).source } : {}),
    ...(input.allow && input.allow.length ? { allow: input.allow } : {}),
    origin,
  };
}
