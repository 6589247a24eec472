import type { RbacModel, K8sPrincipal } from './rbac-model.js';
import type { ScopedRule } from './rbac-rules.js';

/** Where a technique leads: another principal, extra rules, or administrator-equivalence. */
export type K8sTarget =
  | { type: 'principal'; principal: K8sPrincipal }
  | { type: 'grant'; label: string; rules: ScopedRule[] }
  | { type: 'admin'; label: string };

export interface K8sStep {
  target: K8sTarget;
  /** Which rule (binding -> role) allowed it and on what. */
  reason: string;
  /** Works only under circumstances the export cannot show. */
  conditional?: boolean;
}

export interface K8sTechniqueContext {
  model: RbacModel;
  rules: readonly ScopedRule[];
  /** The principal whose bindings the state holds (for techniques that change one's own roles). */
  self?: K8sPrincipal;
}

/**
 * One escalation technique as data: its name, category, the permissions it needs (documentation and
 * reports) and the targets it reaches given a rule set. Adding a technique is adding an entry.
 */
export interface K8sTechnique {
  name: string;
  category: 'workload' | 'credentials' | 'impersonation' | 'rbac' | 'node' | 'certificates' | 'admission';
  summary: string;
  requires: string[];
  reference: string;
  targets(ctx: K8sTechniqueContext): K8sStep[];
}

export const sa = (namespace: string, name: string): K8sTarget => ({
  type: 'principal',
  principal: { kind: 'ServiceAccount', namespace, name },
});
export const because = (r: ScopedRule, what: string): string => `${what} (${r.via})`;
