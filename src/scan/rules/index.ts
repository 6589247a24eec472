import { AI_RULES } from './ai-rules.js';
import { CLOUD_RULES } from './cloud-rules.js';
import { GENERIC_RULES } from './generic-rules.js';
import { KEY_RULES } from './key-rules.js';
import { SAAS_RULES } from './saas-rules.js';
import { SOURCE_RULES } from './source-rules.js';
import type { RuleSpec } from './rule-types.js';

export type { RuleSpec, RuleAllowlist } from './rule-types.js';
export { unsafeRegexReason } from './regex-safety.js';
export { userRule, translateGoRegex, type UserRuleInput } from './user-rules.js';
export { loadGitleaksConfig, parseGitleaksConfig, type GitleaksConfig } from './gitleaks-config.js';

/** Every built-in rule, each with its provenance URL (`docs`). */
export const BUILTIN_RULES: readonly RuleSpec[] = Object.freeze(
  [...CLOUD_RULES, ...SOURCE_RULES, ...SAAS_RULES, ...AI_RULES, ...KEY_RULES, ...GENERIC_RULES].map((r) =>
    Object.freeze({ ...r, origin: 'builtin' as const }),
  ),
);

/** Documented example values from vendor docs that show up in real repositories; never leaks. */
export const KNOWN_EXAMPLES: readonly string[] = Object.freeze(
  BUILTIN_RULES.flatMap((r) => r.examples ?? []),
);
