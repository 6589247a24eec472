import type { PostureInput, RawFinding, Rule, RuleMeta } from '../posture-types.js';

/** A rule is its metadata and a pure function over the read model. */
export function defineRule(meta: RuleMeta, evaluate: (input: PostureInput) => RawFinding[]): Rule {
  return { meta: Object.freeze(meta), evaluate };
}
