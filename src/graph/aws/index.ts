/**
 * AWS access analysis: policy evaluation and privilege-escalation paths, computed purely from the
 * raw AWS CLI JSON (no store), so the graph core, the CLI and benchmarks can call it directly.
 *
 * Public API:
 * - `parseAwsEnvironment(jsons, labels?)` -> `AwsEnvironment` (authorization details, credential
 *   report, list-access-keys, SCPs, organization, resource listings; `env.issues` lists skipped
 *   records with source and JSON pointer).
 * - `createAwsEvaluator(env)` -> `AwsEvaluator` with `canDo(principalArn, action, resourceArn, ctx?)`
 *   -> `{ decision: 'allow'|'deny'|'implicit-deny', conditional, reasons }` and the bulk
 *   `evaluateAll(action, resourceArn, ctx?)` -> `Uint8Array` (0 implicit deny, 1 allow,
 *   2 conditional allow, 3 explicit deny) in `evaluator.principals` order.
 * - `analyzeAws(env, options?)` -> `{ principals: AwsEscalationRow[], edges: AwsEdge[], issues, stats }`.
 * - `AWS_TECHNIQUES`: the declarative technique catalogue.
 * - Resource-based policies (bucket, key, function, secret, queue, topic; see
 *   `parse-resource-policies.ts` for file naming) are evaluated by `canDo` / `decide` with AWS's
 *   cross-policy rules (`resource-policy.ts`); `analyzeAws` reports each one's exposure
 *   (`exposures`: public / conditional / cross-account).
 * - Escalation steps on a resource (a function's code, a secret's value, its KMS key) are decided
 *   with the resource's own policy too: a Deny there blocks the technique, an Allow there enables
 *   it (see `resource-techniques.ts`). `setSecretHolders(env, [{secret, holder}])` says which
 *   secrets hold which principal's credential (AWS does not): reading one is the
 *   `ReadSecretHoldingCredential` technique.
 * - `has-permission` edges carry a level (`actionLevel`, `LEVEL_PROBES`) and the resource's
 *   sensitivity; a grant on every resource of a service in the principal's account is ONE edge to
 *   the scope node `aws:ACCOUNT:SERVICE:*`, expanded by `expandServiceScopes(graph, blastRadius)`
 *   at query time (`analyseAgent` does it). See `permission-edges.ts`.
 *
 * Output choices (for `warden escalations`): a row per user and role, `{principal, escalates,
 * technique, hops, path}` plus `techniques`, `conditional`, `uncertain`. An administrator is
 * `escalates: true, hops: 0, technique: 'already-admin', path: [itself]`. A self-escalation is one
 * hop with `path: [itself]`. A path that needs a request condition (MFA, source IP, tags ...) or
 * an unknown fact (no credential report for a login-profile step, an unknown boundary policy) is
 * never an escalation: `escalates: false, conditional: true`, with the path and the reasons in
 * `uncertain`. See docs in `admin.ts` for what administrator-equivalent means.
 *
 * @example
 * import { parseAwsEnvironment, analyzeAws, createAwsEvaluator } from './graph/aws/index.js';
 * const env = parseAwsEnvironment([authDetails, credentialReport]);
 * const rows = analyzeAws(env).principals.map(({ principal, escalates, technique, hops, path }) =>
 *   ({ principal, escalates, technique, hops, path }));
 * const ev = createAwsEvaluator(env);
 * ev.canDo('arn:aws:iam::111122223333:user/alice', 'iam:PassRole', 'arn:aws:iam::111122223333:role/x',
 *   { 'iam:PassedToService': 'lambda.amazonaws.com' });
 */
export { parseAwsEnvironment, emptyAwsEnvironment, accountOfArn } from './parse-environment.js';
export type * from './types.js';
export {
  createAwsEvaluator,
  AwsEvaluator,
  ANY_RESOURCE,
  type CanDoResult,
  type PrincipalModel,
} from './evaluator.js';
export type { RequestContext } from './conditions.js';
export {
  analyzeAws,
  type AwsAnalysis,
  type AwsEscalationRow,
  type AwsEdge,
  type AwsEdgeKind,
  type AnalyzeAwsOptions,
} from './analyze.js';
export {
  AWS_TECHNIQUES,
  findTechnique,
  type Technique,
  type TechniqueCategory,
  type Mechanism,
} from './techniques.js';
export { ADMIN_SENTINELS } from './admin.js';
export {
  actionLevel,
  LEVEL_PROBES,
  scopeNodeId,
  parseScopeNodeId,
  type GrantLevel,
  type LevelProbe,
} from './access-levels.js';
export { expandServiceScopes, isServiceScope, scopedBlastRadius } from './scope-expansion.js';
export { compileResourcePolicy, type CompiledResourcePolicy, type Exposure } from './resource-policy.js';
export type { PermissionEdge, ResourceExposure } from './permission-edges.js';
export { compileWildcard, wildcardMatch } from './wildcard.js';
export { setSecretHolders, secretHoldersFromRecords, type SecretHolder } from './secret-holders.js';
