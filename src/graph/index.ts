/**
 * The access graph: agents, identities, people, groups, roles, resources and admin targets in
 * compact typed arrays (CSR adjacency both ways), built from the store or with {@link GraphBuilder};
 * blast radius and attack paths over it; per-provider escalation analyses (AWS in `./aws`,
 * Kubernetes RBAC in `./kubernetes`, GCP, Entra, GitHub and secret stores in `./providers`);
 * agents' invokers and confused deputies.
 *
 * @example
 * const { graph } = buildGraphFromSnapshot(await loadSnapshot(store));
 * const agent = graph.find(recordId.agent('support-bot'));
 * const { blastRadius, confusedDeputies } = analyseAgent(graph, agent);
 * const paths = findPaths(graph, graph.findByNativeId('arn:aws:iam::1:user/ci')[0]!, 'admin');
 */
export { GraphBuilder, type NodeSpec, type EdgeSpec } from './graph-builder.js';
export { AccessGraph, type GraphArrays } from './access-graph.js';
export { NODE_KINDS, type NodeKind } from './graph-codes.js';
export { StringTable } from './string-table.js';
export {
  blastRadius,
  explore,
  type BlastRadius,
  type BlastRadiusOptions,
  type ReachedResource,
  type ReachedIdentity,
  type ChainStep,
  type TraverseOptions,
} from './traverse.js';
export { plainReached } from './resource-rows.js';
export { reachedJson, writeReachedJson } from './reached-json.js';
export { findPaths, type GraphPath, type PathOptions } from './paths.js';
export {
  analyseAgent,
  invokersOf,
  type AgentAnalysis,
  type ConfusedDeputy,
  type Invoker,
  type GainedAccess,
} from './agents.js';
export { buildGraphFromSnapshot, type BuildGraphOptions, type BuiltGraph } from './graph-from-snapshot.js';
export { loadSnapshot, emptySnapshot, adminKey, adminNativeId, type Snapshot } from './snapshot.js';
export {
  awsRows,
  kubernetesRows,
  graphRows,
  toRow,
  type EscalationRow,
  type EscalationDetail,
} from './escalations.js';
export * as kubernetes from './kubernetes/index.js';
export {
  analyzeKubernetes,
  parseK8sText,
  looksLikeKubernetes,
  emptyRbacObjects,
  K8S_TECHNIQUES,
  type K8sAnalysis,
  type RbacObjects,
} from './kubernetes/index.js';
export { rbacObjectsFromStore } from './kubernetes/store-adapter.js';
export {
  parseAwsEnvironment,
  analyzeAws,
  expandServiceScopes,
  scopedBlastRadius,
  setSecretHolders,
  secretHoldersFromRecords,
  type AwsAnalysis,
  type SecretHolder,
} from './aws/index.js';
