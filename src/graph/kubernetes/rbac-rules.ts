import type { K8sRole, K8sRule, LabelSelector } from './k8s-objects.js';

/**
 * RBAC rule matching as the Kubernetes authorizer does it (pkg/apis/rbac/v1/evaluation_helpers.go;
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources):
 * `*` matches every verb, group or resource (subresources included); `*\/sub` matches that
 * subresource of any resource; a rule with resourceNames matches only requests that name one of
 * them, so it never matches `create` of a new object or `list`/`watch` of a collection.
 */
export interface ScopedRule {
  rule: K8sRule;
  /** Namespace the rule applies in, or `*` for a ClusterRoleBinding (all namespaces and cluster-scoped resources). */
  namespace: string;
  /** The binding and role that grant it, for explanations. */
  via: string;
}

/** Cluster-scoped resources: a RoleBinding can never grant them. */
export const CLUSTER_SCOPED = new Set([
  'nodes',
  'nodes/proxy',
  'namespaces',
  'persistentvolumes',
  'clusterroles',
  'clusterrolebindings',
  'certificatesigningrequests',
  'certificatesigningrequests/approval',
  'signers',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'users',
  'groups',
  'uids',
  'userextras',
  'customresourcedefinitions',
  'storageclasses',
  'priorityclasses',
]);

export function ruleMatches(
  rule: K8sRule,
  verb: string,
  group: string,
  resource: string,
  name: string | undefined,
): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(verb)) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) return false;
  const slash = resource.indexOf('/');
  const sub = slash >= 0 ? resource.slice(slash + 1) : '';
  let resOk = false;
  for (const r of rule.resources) {
    if (r === '*' || r === resource || (sub !== '' && r === `*/${sub}`)) {
      resOk = true;
      break;
    }
  }
  if (!resOk) return false;
  if (rule.resourceNames.length === 0) return true;
  return name !== undefined && rule.resourceNames.includes(name);
}

function isClusterScoped(resource: string): boolean {
  return CLUSTER_SCOPED.has(resource) || CLUSTER_SCOPED.has(resource.split('/')[0]!);
}

/**
 * Whether the rules allow `verb` on `group/resource` named `name` (undefined = any name, e.g. a
 * create or a list) in `namespace` (ignored for cluster-scoped resources, which only
 * cluster-wide rules grant).
 */
export function allows(
  rules: readonly ScopedRule[],
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): ScopedRule | undefined {
  const cluster = isClusterScoped(resource) || namespace === undefined;
  return allowsScoped(rules, verb, group, resource, cluster ? undefined : namespace, name);
}

/**
 * Like {@link allows} but checked in `namespace` whatever the resource: the API server checks
 * `bind` on a ClusterRole in the namespace of the RoleBinding being created, so a RoleBinding may
 * grant it (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update).
 * `namespace` undefined = only cluster-wide rules.
 */
export function allowsScoped(
  rules: readonly ScopedRule[],
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): ScopedRule | undefined {
  const cluster = namespace === undefined;
  for (const r of rules) {
    if (r.namespace !== '*' && (cluster || r.namespace !== namespace)) continue;
    if (ruleMatches(r.rule, verb, group, resource, name)) return r;
  }
  return undefined;
}

/** First rule allowing any of the verbs. */
export function allowsAny(
  rules: readonly ScopedRule[],
  verbs: readonly string[],
  group: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): ScopedRule | undefined {
  for (const v of verbs) {
    const r = allows(rules, v, group, resource, namespace, name);
    if (r) return r;
  }
  return undefined;
}

/** Names the rules allow the verb on: `'*'` for any name, else the listed resourceNames. */
export function namesAllowed(
  rules: readonly ScopedRule[],
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
): '*' | Set<string> {
  const cluster = isClusterScoped(resource);
  const names = new Set<string>();
  for (const r of rules) {
    if (r.namespace !== '*' && (cluster || r.namespace !== namespace)) continue;
    const rule = r.rule;
    if (!ruleMatches({ ...rule, resourceNames: [] }, verb, group, resource, undefined)) continue;
    if (rule.resourceNames.length === 0) return '*';
    for (const n of rule.resourceNames) names.add(n);
  }
  return names;
}

/**
 * Administrator-equivalent ("cluster-admin-like"): a cluster-wide rule granting every verb on every
 * resource of every API group. That is what the bootstrap `cluster-admin` ClusterRole grants through
 * a ClusterRoleBinding; membership of the `system:masters` group is the other way to it (the API
 * server short-circuits authorization for that group). The same rules bound by a RoleBinding only
 * give one namespace, and are not admin-equivalent.
 */
export function isClusterAdmin(rules: readonly ScopedRule[]): boolean {
  return rules.some(
    (r) =>
      r.namespace === '*' &&
      r.rule.verbs.includes('*') &&
      r.rule.apiGroups.includes('*') &&
      r.rule.resources.includes('*'),
  );
}

export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  // An empty selector selects nothing in aggregation (the controller skips it).
  return Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0;
}

/**
 * Fills aggregated ClusterRoles with the rules of the ClusterRoles their selectors match, as the
 * aggregation controller does (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles).
 * Rules already present in the export (the controller's result) are kept.
 */
export function aggregateClusterRoles(clusterRoles: Map<string, K8sRole>): void {
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const role of clusterRoles.values()) {
      if (!role.aggregation?.length) continue;
      const seen = new Set(role.rules.map((r) => JSON.stringify(r)));
      for (const other of clusterRoles.values()) {
        if (other === role || !role.aggregation.some((s) => selectorMatches(s, other.labels))) continue;
        for (const r of other.rules) {
          const k = JSON.stringify(r);
          if (!seen.has(k)) {
            seen.add(k);
            role.rules.push(r);
            changed = true;
          }
        }
      }
    }
    if (!changed) return;
  }
}

const R = (apiGroups: string[], resources: string[], verbs: string[]): K8sRule => ({
  apiGroups,
  resources,
  verbs,
  resourceNames: [],
  nonResourceURLs: [],
});
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RO = ['get', 'list', 'watch'];
const WORKLOADS = [
  'deployments',
  'daemonsets',
  'statefulsets',
  'replicasets',
  'deployments/scale',
  'statefulsets/scale',
  'replicasets/scale',
];
const POD_ACCESS = ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'];

/**
 * Bootstrap ClusterRoles every cluster has, used only when the export does not contain them
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles). `admin`,
 * `edit` and `view` are the parts of their default rules that bear on escalation.
 */
export function builtinClusterRoles(): K8sRole[] {
  const edit: K8sRule[] = [
    R(
      [''],
      [
        'pods',
        'pods/ephemeralcontainers',
        ...POD_ACCESS,
        'configmaps',
        'endpoints',
        'persistentvolumeclaims',
        'replicationcontrollers',
        'replicationcontrollers/scale',
        'secrets',
        'serviceaccounts',
        'services',
        'services/proxy',
      ],
      RW,
    ),
    R([''], ['serviceaccounts'], ['impersonate']),
    R([''], ['serviceaccounts/token'], ['create']),
    R(['apps'], WORKLOADS, RW),
    R(['batch'], ['jobs', 'cronjobs'], RW),
    R(['autoscaling'], ['horizontalpodautoscalers'], RW),
    R(['networking.k8s.io'], ['ingresses', 'networkpolicies'], RW),
  ];
  const admin = [
    ...edit,
    R(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], RW),
    R(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  ];
  const view = [
    R(
      [''],
      [
        'pods',
        'configmaps',
        'endpoints',
        'persistentvolumeclaims',
        'replicationcontrollers',
        'serviceaccounts',
        'services',
        'namespaces',
      ],
      RO,
    ),
    R(['apps'], WORKLOADS, RO),
    R(['batch'], ['jobs', 'cronjobs'], RO),
  ];
  const role = (name: string, rules: K8sRule[]): K8sRole => ({
    kind: 'ClusterRole',
    name,
    rules,
    labels: {},
    builtin: true,
  });
  return [
    role('cluster-admin', [
      R(['*'], ['*'], ['*']),
      { apiGroups: [], resources: [], verbs: ['*'], resourceNames: [], nonResourceURLs: ['*'] },
    ]),
    role('admin', admin),
    role('edit', edit),
    role('view', view),
  ];
}
