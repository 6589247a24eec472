/**
 * Kubernetes RBAC analysis: effective rules per subject (RoleBinding scoping, group subjects,
 * aggregated ClusterRoles, resourceNames, wildcards) and escalation techniques as declarative
 * entries, searched breadth-first for multi-hop chains to cluster-admin-equivalent access.
 *
 * Administrator-equivalent means a cluster-wide rule `*` verbs on `*` resources in `*` API groups
 * (what `cluster-admin` bound by a ClusterRoleBinding gives), or membership of `system:masters`.
 *
 * @example
 * const objs = parseK8sText(readFileSync('rbac.yaml', 'utf8'), 'rbac.yaml');
 * for (const row of analyzeKubernetes(objs).rows) console.log(row.principal, row.escalates, row.path);
 */
export {
  analyzeKubernetes,
  type K8sAnalysis,
  type K8sEscalation,
  type K8sEdge,
  type K8sChainStep,
} from './rbac-analyze.js';
export { K8S_TECHNIQUES, type K8sTechnique, type K8sTarget, type K8sStep } from './rbac-techniques.js';
export { RbacModel, principalId, saUser, parseSaUser, type K8sPrincipal } from './rbac-model.js';
export { allows, ruleMatches, isClusterAdmin, namesAllowed, type ScopedRule } from './rbac-rules.js';
export {
  parseK8sText,
  addK8sObject,
  emptyRbacObjects,
  looksLikeKubernetes,
  toRule,
  type RbacObjects,
  type K8sRole,
  type K8sRule,
  type K8sBinding,
  type K8sSubject,
  type K8sWorkload,
  type K8sTokenSecret,
  type K8sServiceAccount,
} from './k8s-objects.js';
