import { parseAllDocuments } from 'yaml';

/**
 * The Kubernetes objects RBAC analysis needs, read from manifests (multi-document YAML) or
 * `kubectl get ... -o json` output (`{kind: "List", items}` and typed lists such as `RoleList`).
 * Shapes: https://kubernetes.io/docs/reference/access-authn-authz/rbac/ and the API reference
 * https://kubernetes.io/docs/reference/kubernetes-api/ (Pod, workload controllers, Secret).
 */
export interface K8sRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface K8sRole {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  rules: K8sRule[];
  labels: Record<string, string>;
  aggregation?: LabelSelector[];
  /** A bootstrap role assumed from Kubernetes defaults because the export did not contain it. */
  builtin?: boolean;
}

export interface K8sSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface K8sBinding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
  subjects: K8sSubject[];
}

export interface K8sWorkload {
  kind: string;
  name: string;
  namespace: string;
  serviceAccount: string;
  /** Whether the service account token is mounted into its pods. */
  tokenMounted: boolean;
  nodeName?: string;
}

export interface K8sTokenSecret {
  name: string;
  namespace: string;
  serviceAccount: string;
}

export interface K8sServiceAccount {
  namespace: string;
  name: string;
  automount?: boolean;
}

export interface K8sIssue {
  pointer: string;
  reason: string;
}

export interface RbacObjects {
  cluster?: string;
  serviceAccounts: K8sServiceAccount[];
  roles: K8sRole[];
  bindings: K8sBinding[];
  workloads: K8sWorkload[];
  tokenSecrets: K8sTokenSecret[];
  namespaces: string[];
  issues: K8sIssue[];
}

export function emptyRbacObjects(): RbacObjects {
  return {
    serviceAccounts: [],
    roles: [],
    bindings: [],
    workloads: [],
    tokenSecrets: [],
    namespaces: [],
    issues: [],
  };
}

const CONTROLLERS = new Set([
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function strs(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
function labels(v: unknown): Record<string, string> {
  const o = obj(v);
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function toRule(v: unknown): K8sRule | undefined {
  const r = obj(v);
  if (!r) return undefined;
  return {
    apiGroups: strs(r.apiGroups),
    resources: strs(r.resources),
    verbs: strs(r.verbs),
    resourceNames: strs(r.resourceNames),
    nonResourceURLs: strs(r.nonResourceURLs),
  };
}

/** Pod spec of a pod or a controller's template (CronJob: spec.jobTemplate.spec.template.spec). */
function podSpecOf(kind: string, o: Record<string, unknown>): Record<string, unknown> | undefined {
  const spec = obj(o.spec);
  if (kind === 'Pod') return spec;
  if (kind === 'CronJob') return obj(obj(obj(obj(spec?.jobTemplate)?.spec)?.template)?.spec);
  return obj(obj(spec?.template)?.spec);
}

/**
 * Adds one Kubernetes object (or every item of a List) to `into`, with issues for what cannot be
 * read. Unknown kinds are ignored: they do not bear on RBAC.
 */
export function addK8sObject(into: RbacObjects, value: unknown, pointer: string, listKind?: string): void {
  const o = obj(value);
  if (!o) {
    into.issues.push({ pointer, reason: 'not an object' });
    return;
  }
  const kind = str(o.kind) ?? (listKind?.endsWith('List') ? listKind.slice(0, -4) : undefined);
  if (kind === 'List' || (kind?.endsWith('List') && Array.isArray(o.items))) {
    const items = o.items as unknown[];
    items.forEach((it, i) => addK8sObject(into, it, `${pointer}/items/${i}`, kind));
    return;
  }
  if (!kind) return;
  const meta = obj(o.metadata) ?? {};
  const name = str(meta.name);
  const namespace = str(meta.namespace);
  const need = (what: string): void => {
    into.issues.push({ pointer, reason: `${kind} without ${what}` });
  };
  switch (kind) {
    case 'Namespace':
      if (name) into.namespaces.push(name);
      return;
    case 'ServiceAccount': {
      if (!name) return need('metadata.name');
      const sa: K8sServiceAccount = { namespace: namespace ?? 'default', name };
      if (typeof o.automountServiceAccountToken === 'boolean') sa.automount = o.automountServiceAccountToken;
      into.serviceAccounts.push(sa);
      return;
    }
    case 'Secret': {
      // Only which account a token secret belongs to; `data` is never read.
      if (o.type !== 'kubernetes.io/service-account-token') return;
      const sa = str(obj(meta.annotations)?.['kubernetes.io/service-account.name']);
      if (!name || !sa) return need('a name or the kubernetes.io/service-account.name annotation');
      into.tokenSecrets.push({ name, namespace: namespace ?? 'default', serviceAccount: sa });
      return;
    }
    case 'Role':
    case 'ClusterRole': {
      if (!name) return need('metadata.name');
      const rules: K8sRule[] = [];
      (Array.isArray(o.rules) ? o.rules : []).forEach((r, i) => {
        const rule = toRule(r);
        if (rule) rules.push(rule);
        else into.issues.push({ pointer: `${pointer}/rules/${i}`, reason: 'rule is not an object' });
      });
      const role: K8sRole = { kind, name, rules, labels: labels(meta.labels) };
      if (kind === 'Role') role.namespace = namespace ?? 'default';
      const agg = obj(o.aggregationRule);
      if (agg && Array.isArray(agg.clusterRoleSelectors))
        role.aggregation = agg.clusterRoleSelectors.map((s) => (obj(s) ?? {}) as LabelSelector);
      into.roles.push(role);
      return;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const ref = obj(o.roleRef);
      const refKind = str(ref?.kind);
      const refName = str(ref?.name);
      if (!name) return need('metadata.name');
      if (!refName || (refKind !== 'Role' && refKind !== 'ClusterRole'))
        return need('a roleRef of kind Role or ClusterRole');
      const subjects: K8sSubject[] = [];
      (Array.isArray(o.subjects) ? o.subjects : []).forEach((s, i) => {
        const so = obj(s);
        const sk = str(so?.kind);
        const sn = str(so?.name);
        if (!sn || (sk !== 'User' && sk !== 'Group' && sk !== 'ServiceAccount')) {
          into.issues.push({
            pointer: `${pointer}/subjects/${i}`,
            reason: 'subject needs kind User, Group or ServiceAccount and a name',
          });
          return;
        }
        const subj: K8sSubject = { kind: sk, name: sn };
        const sns = str(so?.namespace);
        if (sns) subj.namespace = sns;
        subjects.push(subj);
      });
      const b: K8sBinding = { kind, name, roleRef: { kind: refKind, name: refName }, subjects };
      if (kind === 'RoleBinding') b.namespace = namespace ?? 'default';
      into.bindings.push(b);
      return;
    }
    default: {
      if (kind !== 'Pod' && kind !== 'CronJob' && !CONTROLLERS.has(kind)) return;
      if (!name) return need('metadata.name');
      const spec = podSpecOf(kind, o);
      if (!spec) return need('a pod spec');
      const sa = str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
      const w: K8sWorkload = {
        kind,
        name,
        namespace: namespace ?? 'default',
        serviceAccount: sa,
        tokenMounted: true,
      };
      if (typeof spec.automountServiceAccountToken === 'boolean')
        w.tokenMounted = spec.automountServiceAccountToken;
      else (w as { automountUnset?: boolean }).automountUnset = true;
      const node = str(spec.nodeName);
      if (node) w.nodeName = node;
      into.workloads.push(w);
    }
  }
}

/** Reads manifests or kubectl JSON text; `file` names the input in issues. */
export function parseK8sText(
  text: string,
  file: string,
  into: RbacObjects = emptyRbacObjects(),
): RbacObjects {
  const t = text.replace(/^\uFEFF/, '');
  const first = /\S/.exec(t)?.[0];
  if (first === '{' || first === '[') {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v)) v.forEach((x, i) => addK8sObject(into, x, `${file}#/${i}`));
      else addK8sObject(into, v, `${file}#`);
      return into;
    } catch {
      // YAML is a superset of JSON; fall through for a precise position.
    }
  }
  const docs = parseAllDocuments(t);
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d, i) => {
    if (d.errors.length) {
      const e = d.errors[0]!;
      into.issues.push({
        pointer: `${file} line ${e.linePos?.[0]?.line ?? '?'}`,
        reason: e.message.split('\n')[0] ?? 'invalid YAML',
      });
      return;
    }
    const v = d.toJS() as unknown;
    if (v === null || v === undefined) return;
    addK8sObject(into, v, `${file} document ${i + 1}`);
  });
  return into;
}

/** Whether a parsed file looks like Kubernetes objects (for picking raw files to analyse). */
export function looksLikeKubernetes(text: string): boolean {
  const head = text.slice(0, 4096);
  return /["']?apiVersion["']?\s*:/.test(head) && /["']?kind["']?\s*:/.test(head);
}

/** Service accounts' token mounting: a pod's own setting wins over its account's. */
export function resolveTokenMounts(objs: RbacObjects): void {
  const saAuto = new Map(objs.serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, s.automount]));
  for (const w of objs.workloads) {
    const unset = (w as { automountUnset?: boolean }).automountUnset;
    if (unset) {
      w.tokenMounted = saAuto.get(`${w.namespace}/${w.serviceAccount}`) !== false;
      delete (w as { automountUnset?: boolean }).automountUnset;
    }
  }
}
