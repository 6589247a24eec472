import type { Identity, Resource } from '../../model/index.js';
import {
  emptyRbacObjects,
  toRule,
  type K8sBinding,
  type K8sSubject,
  type LabelSelector,
  type RbacObjects,
} from './k8s-objects.js';
import { parseSaUser } from './rbac-model.js';

/*
 * Rebuilds the RBAC objects of each cluster from what the Kubernetes connector stores
 * (src/connectors/kubernetes): service-account identities `system:serviceaccount:NS:NAME`, token
 * Secrets as identities `secret:NS/NAME` (attributes.serviceAccount), roles as resources
 * `role/NS/NAME` | `clusterrole/NAME` (attributes.rules, labels, aggregationRule), bindings as
 * resources `rolebinding/NS/NAME` | `clusterrolebinding/NAME` (attributes.roleRef, subjects,
 * namespace) and workloads `workload/NS/KIND/NAME` (attributes.kind, serviceAccount, tokenMounted).
 * Clusters are told apart by `account`.
 */
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function s(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function rbacObjectsFromStore(
  identities: readonly Identity[],
  resources: readonly Resource[],
): Map<string, RbacObjects> {
  const clusters = new Map<string, RbacObjects>();
  const of = (account: string | undefined): RbacObjects => {
    const key = account ?? 'cluster';
    let o = clusters.get(key);
    if (!o) {
      o = emptyRbacObjects();
      o.cluster = key;
      clusters.set(key, o);
    }
    return o;
  };
  for (const i of identities) {
    if (i.provider !== 'kubernetes') continue;
    const sa = parseSaUser(i.nativeId);
    if (sa && i.kind === 'service-account') {
      of(i.account).serviceAccounts.push({
        ...sa,
        ...(typeof i.attributes?.automountServiceAccountToken === 'boolean'
          ? { automount: i.attributes.automountServiceAccountToken }
          : {}),
      });
      continue;
    }
    const secret = /^secret:([^/]+)\/(.+)$/.exec(i.nativeId);
    const owner = s(i.attributes?.serviceAccount);
    if (secret && owner)
      of(i.account).tokenSecrets.push({ namespace: secret[1]!, name: secret[2]!, serviceAccount: owner });
  }
  for (const r of resources) {
    if (r.provider !== 'kubernetes') continue;
    const a = r.attributes ?? {};
    const o = of(r.account);
    const where = `resource ${r.nativeId}`;
    switch (r.type) {
      case 'k8s-role':
      case 'k8s-clusterrole': {
        const m = /^(?:clusterrole\/(.+)|role\/([^/]+)\/(.+))$/.exec(r.nativeId);
        if (!m) {
          o.issues.push({
            pointer: where,
            reason: 'role id not of the form role/NS/NAME or clusterrole/NAME',
          });
          break;
        }
        const rules = arr(a.rules)
          .map(toRule)
          .filter((x) => x !== undefined);
        const labels = Object.fromEntries(
          Object.entries((a.labels as Record<string, unknown>) ?? {}).filter(
            (e): e is [string, string] => typeof e[1] === 'string',
          ),
        );
        const sel = arr(
          (a.aggregationRule as { clusterRoleSelectors?: unknown } | undefined)?.clusterRoleSelectors,
        ) as LabelSelector[];
        if (m[1])
          o.roles.push({
            kind: 'ClusterRole',
            name: m[1],
            rules,
            labels,
            ...(sel.length ? { aggregation: sel } : {}),
          });
        else o.roles.push({ kind: 'Role', name: m[3]!, namespace: m[2]!, rules, labels });
        break;
      }
      case 'k8s-rolebinding':
      case 'k8s-clusterrolebinding': {
        const ref = a.roleRef as { kind?: unknown; name?: unknown } | undefined;
        const refKind = ref?.kind === 'Role' || ref?.kind === 'ClusterRole' ? ref.kind : undefined;
        const refName = s(ref?.name);
        const name = r.name ?? r.nativeId.split('/').pop()!;
        if (!refKind || !refName) {
          o.issues.push({ pointer: where, reason: 'binding without roleRef' });
          break;
        }
        const subjects: K8sSubject[] = [];
        for (const x of arr(a.subjects)) {
          const sx = x as { kind?: unknown; name?: unknown; namespace?: unknown };
          const kind =
            sx.kind === 'User' || sx.kind === 'Group' || sx.kind === 'ServiceAccount' ? sx.kind : undefined;
          const sn = s(sx.name);
          if (!kind || !sn) continue;
          subjects.push({ kind, name: sn, ...(s(sx.namespace) ? { namespace: s(sx.namespace)! } : {}) });
        }
        const b: K8sBinding = {
          kind: r.type === 'k8s-rolebinding' ? 'RoleBinding' : 'ClusterRoleBinding',
          name,
          roleRef: { kind: refKind, name: refName },
          subjects,
        };
        if (b.kind === 'RoleBinding')
          b.namespace = s(a.namespace) ?? /^rolebinding\/([^/]+)\//.exec(r.nativeId)?.[1] ?? 'default';
        o.bindings.push(b);
        break;
      }
      case 'k8s-workload': {
        const sa = parseSaUser(s(a.serviceAccount) ?? '');
        const ns = s(a.namespace) ?? sa?.namespace;
        if (!sa || !ns) break;
        o.workloads.push({
          kind: s(a.kind) ?? 'Pod',
          name: r.name ?? r.nativeId.split('/').pop()!,
          namespace: ns,
          serviceAccount: sa.name,
          tokenMounted: a.tokenMounted !== false,
          ...(s(a.nodeName) ? { nodeName: s(a.nodeName)! } : {}),
        });
        break;
      }
      default:
        if (r.type === 'k8s-namespace' && r.name) o.namespaces.push(r.name);
    }
  }
  return clusters;
}
