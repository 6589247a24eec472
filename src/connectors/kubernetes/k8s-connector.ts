import type { GrantInput, IdentityInput, ImportItem, ResourceInput } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import { isRecord, readObjects, str, type Json, type K8sObject } from './k8s-documents.js';
import {
  resolveAggregation,
  roleNativeId,
  ruleLevel,
  ruleResources,
  rulesOf,
  type RoleInfo,
} from './k8s-rbac.js';
import {
  labelsOf,
  resourceWithAccount,
  saNativeId,
  withAccount as identityIn,
  serviceAccountItems,
  tokenSecretItems,
  WORKLOAD_KINDS,
  workloadItems,
  type SaInfo,
  type Scope,
} from './k8s-workloads.js';

/** Annotation naming the cluster an object was exported from (Kubernetes has no such field). */
export const CLUSTER_ANNOTATION = 'warden.io/cluster';

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'Namespace',
  'Node',
  'PersistentVolume',
  'CustomResourceDefinition',
]);
/** Groups whose members are service accounts: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects */
const SA_GROUPS = (ns: string): string[] => [
  'system:serviceaccounts',
  `system:serviceaccounts:${ns}`,
  'system:authenticated',
];

interface Obj extends K8sObject {
  kind: string;
  meta: Json;
  name: string;
  ns: string | undefined;
}

function clusterOf(objects: Obj[]): string | undefined {
  for (const o of objects) {
    const c = labelsOf(o.meta, 'annotations')[CLUSTER_ANNOTATION];
    if (c) return c;
  }
  return undefined;
}

async function* read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const { objects, bad } = await readObjects(file);
  for (const b of bad)
    yield {
      type: 'skip',
      value: {
        pointer: b.where,
        reason: 'not a Kubernetes object (expected a mapping with apiVersion and kind)',
      },
    };
  const objs: Obj[] = [];
  const unknownKinds = new Map<string, { count: number; where: string }>();
  for (const o of objects) {
    const kind = str(o.obj.kind);
    const meta = isRecord(o.obj.metadata) ? o.obj.metadata : undefined;
    if (!kind || !str(o.obj.apiVersion)) {
      yield {
        type: 'skip',
        value: { pointer: o.where, reason: 'a Kubernetes object needs apiVersion and kind' },
      };
      continue;
    }
    if (!meta || !str(meta.name)) {
      yield { type: 'skip', value: { pointer: o.where, reason: `${kind} without metadata.name` } };
      continue;
    }
    if (
      kind !== 'ServiceAccount' &&
      kind !== 'Secret' &&
      !RBAC_KINDS.has(kind) &&
      !WORKLOAD_KINDS.has(kind)
    ) {
      const u = unknownKinds.get(kind) ?? { count: 0, where: o.where };
      u.count++;
      unknownKinds.set(kind, u);
      continue;
    }
    const ns = CLUSTER_SCOPED.has(kind) ? undefined : (str(meta.namespace) ?? 'default');
    objs.push({ ...o, kind, meta, name: String(meta.name), ns });
  }
  for (const [kind, u] of unknownKinds) {
    yield {
      type: 'note',
      value: {
        pointer: u.where,
        reason: `kind ${kind} (${u.count} object${u.count > 1 ? 's' : ''}) is not an identity, RBAC object or workload: ignored`,
      },
    };
  }
  const scope: Scope = {
    cluster: clusterOf(objs),
    tagKeys: ctx.config.links.tagKeys.map((k) => k.toLowerCase()),
  };
  const withAccount = (v: IdentityInput): IdentityInput => identityIn(v, scope.cluster);
  const resourceAccount = (v: ResourceInput): ResourceInput => resourceWithAccount(v, scope.cluster);

  // Service accounts first: workloads need their automount setting, group bindings their members.
  const sas = new Map<string, SaInfo & { ns: string }>();
  let otherSecrets = 0;
  for (const o of objs) {
    if (o.kind === 'ServiceAccount') {
      const automount =
        typeof o.obj.automountServiceAccountToken === 'boolean'
          ? o.obj.automountServiceAccountToken
          : undefined;
      sas.set(saNativeId(o.ns!, o.name), automount === undefined ? { ns: o.ns! } : { ns: o.ns!, automount });
      yield* serviceAccountItems(o.obj, o.meta, o.ns!, o.name, scope);
    } else if (o.kind === 'Secret') {
      if (o.obj.type === 'kubernetes.io/service-account-token')
        yield* tokenSecretItems(o.meta, o.ns!, o.name, scope, o.where);
      else otherSecrets++;
    }
  }
  if (otherSecrets > 0) {
    yield {
      type: 'note',
      value: {
        pointer: '',
        reason: `${otherSecrets} Secret(s) of other types ignored (only service-account-token Secrets are identities; values are never read)`,
      },
    };
  }

  // Roles, with ClusterRole aggregation resolved within this file.
  const roles = new Map<string, RoleInfo & { where: string }>();
  const clusterRoles = new Map<string, RoleInfo>();
  for (const o of objs) {
    if (o.kind !== 'Role' && o.kind !== 'ClusterRole') continue;
    const { rules, problems } = rulesOf(o.obj);
    for (const p of problems)
      yield {
        type: 'skip',
        value: { pointer: `${o.where} (${o.kind} ${o.name} rules/${p.index})`, reason: p.reason },
      };
    const agg =
      isRecord(o.obj.aggregationRule) && Array.isArray(o.obj.aggregationRule.clusterRoleSelectors)
        ? o.obj.aggregationRule.clusterRoleSelectors
        : [];
    const info: RoleInfo & { where: string } = {
      kind: o.kind,
      name: o.name,
      labels: labelsOf(o.meta),
      rules,
      selectors: o.kind === 'ClusterRole' ? agg : [],
      where: o.where,
    };
    if (o.ns) info.namespace = o.ns;
    roles.set(roleNativeId(o.kind, o.name, o.ns), info);
    if (o.kind === 'ClusterRole') clusterRoles.set(o.name, info);
  }
  resolveAggregation(clusterRoles);
  for (const [nativeId, r] of roles) {
    const levels = r.rules.map(ruleLevel);
    const attributes: Json = { rules: r.rules, labels: r.labels };
    if (r.namespace) attributes.namespace = r.namespace;
    if (r.selectors.length > 0) attributes.aggregationRule = { clusterRoleSelectors: r.selectors };
    if (r.aggregatedFrom) attributes.aggregatedFrom = r.aggregatedFrom;
    attributes.level = levels.reduce((a, l) => (rank(l.level) > rank(a) ? l.level : a), 'none');
    const res: ResourceInput = resourceAccount({
      provider: 'kubernetes',
      nativeId,
      type: r.kind === 'ClusterRole' ? 'k8s-clusterrole' : 'k8s-role',
      name: r.name,
      attributes,
    });
    const sens =
      levels.map((l) => l.sensitivity).find((s) => s === 'critical') ??
      levels.map((l) => l.sensitivity).find((s) => s === 'high');
    if (sens) res.sensitivity = sens;
    yield { type: 'resource', value: res };
  }

  // Bindings: an edge per subject always (the graph resolves roles across files), grants when the
  // role is in this file.
  for (const o of objs) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const ref = isRecord(o.obj.roleRef) ? o.obj.roleRef : undefined;
    const refKind = ref?.kind === 'Role' || ref?.kind === 'ClusterRole' ? ref.kind : undefined;
    if (!ref || !refKind || !str(ref.name)) {
      yield {
        type: 'skip',
        value: {
          pointer: o.where,
          reason: `${o.kind} ${o.name}: roleRef needs kind Role|ClusterRole and name`,
        },
      };
      continue;
    }
    if (o.kind === 'ClusterRoleBinding' && refKind === 'Role') {
      yield {
        type: 'skip',
        value: { pointer: o.where, reason: `ClusterRoleBinding ${o.name} cannot reference a Role` },
      };
      continue;
    }
    const roleId = roleNativeId(refKind, String(ref.name), o.ns);
    const bindingId =
      o.kind === 'RoleBinding' ? `rolebinding/${o.ns}/${o.name}` : `clusterrolebinding/${o.name}`;
    const via = `${o.kind} ${o.ns ? `${o.ns}/` : ''}${o.name} -> ${refKind} ${String(ref.name)}`;
    const subjects = Array.isArray(o.obj.subjects) ? o.obj.subjects : [];
    const roleRef = { kind: refKind, name: ref.name, apiGroup: ref.apiGroup ?? 'rbac.authorization.k8s.io' };
    const bindingAttrs: Json = { roleRef, subjects, role: roleId };
    if (o.ns) bindingAttrs.namespace = o.ns;
    yield {
      type: 'resource',
      value: resourceAccount({
        provider: 'kubernetes',
        nativeId: bindingId,
        type: o.kind === 'RoleBinding' ? 'k8s-rolebinding' : 'k8s-clusterrolebinding',
        name: o.name,
        attributes: bindingAttrs,
      }),
    };
    const role = roles.get(roleId);
    const edgeAttrs: Json = { binding: bindingId, bindingKind: o.kind, roleRef, scope: o.ns ?? '*' };
    for (const [si, s] of subjects.entries()) {
      if (!isRecord(s) || !str(s.name) || !str(s.kind)) {
        yield {
          type: 'skip',
          value: {
            pointer: `${o.where} (${o.kind} ${o.name} subjects/${si})`,
            reason: 'a subject needs kind and name',
          },
        };
        continue;
      }
      const name = String(s.name);
      let members: string[] = [];
      let from:
        | { type: 'identity'; provider: string; nativeId: string }
        | { type: 'resource'; provider: string; nativeId: string };
      if (s.kind === 'ServiceAccount' || (s.kind === 'User' && name.startsWith('system:serviceaccount:'))) {
        const sa = s.kind === 'User' ? name : saNativeId(str(s.namespace) ?? o.ns ?? 'default', name);
        if (s.kind === 'ServiceAccount' && !str(s.namespace) && o.kind === 'ClusterRoleBinding') {
          yield {
            type: 'skip',
            value: {
              pointer: `${o.where} (${o.kind} ${o.name} subjects/${si})`,
              reason: 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace',
            },
          };
          continue;
        }
        members = [sa];
        from = { type: 'identity', provider: 'kubernetes', nativeId: sa };
        yield {
          type: 'identity',
          value: withAccount({ provider: 'kubernetes', nativeId: sa, kind: 'service-account' as const }),
        };
      } else if (s.kind === 'Group') {
        from = { type: 'resource', provider: 'kubernetes', nativeId: `group/${name}` };
        yield {
          type: 'resource',
          value: resourceAccount({
            provider: 'kubernetes',
            nativeId: `group/${name}`,
            type: 'k8s-group',
            name,
          }),
        };
        members = [...sas.entries()]
          .filter(([, info]) => SA_GROUPS(info.ns).includes(name))
          .map(([id]) => id);
      } else continue; // Users are people: kept in the binding's subjects.
      yield {
        type: 'edge',
        value: {
          kind: 'member-of',
          from,
          to: { type: 'resource', provider: 'kubernetes', nativeId: roleId },
          key: bindingId,
          attributes: edgeAttrs,
        },
      };
      if (!role) continue;
      for (const sa of members) {
        for (const [ri, rule] of role.rules.entries()) {
          const { level, sensitivity } = ruleLevel(rule);
          const grant: GrantInput = {
            identity: { provider: 'kubernetes', nativeId: sa },
            key: `${bindingId}#${ri}`,
            effect: 'allow',
            actions: rule.verbs,
            resources: ruleResources(rule, o.ns),
            level,
            via: s.kind === 'Group' ? `${via} (group ${name})` : via,
          };
          if (sensitivity) grant.sensitivity = sensitivity;
          yield { type: 'grant', value: grant };
        }
      }
    }
  }

  for (const o of objs) {
    if (WORKLOAD_KINDS.has(o.kind))
      yield* workloadItems(o.kind, o.obj, o.meta, o.ns!, o.name, scope, sas, o.where);
  }
  // Group membership of the file's service accounts, for bindings to groups in other files.
  for (const [sa, info] of sas) {
    for (const g of SA_GROUPS(info.ns)) {
      yield {
        type: 'edge',
        value: {
          kind: 'member-of',
          from: { type: 'identity', provider: 'kubernetes', nativeId: sa },
          to: { type: 'resource', provider: 'kubernetes', nativeId: `group/${g}` },
          attributes: { implicit: true },
        },
      };
    }
  }
}

function rank(l: string): number {
  return ['none', 'list', 'read', 'write', 'admin'].indexOf(l);
}

export const kubernetesConnector: Connector = {
  id: 'kubernetes',
  title: 'Kubernetes manifests and kubectl get -o json|yaml',
  detect(file) {
    const head = file.head();
    const c = file.firstChar();
    if (c === '{' || c === '[') {
      return /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head) ? 0.9 : 0;
    }
    if (!/\.(ya?ml)(\.gz)?$/i.test(file.name) && !/^\s*apiVersion:/m.test(head)) return 0;
    return /^\s*-?\s*apiVersion:\s*\S+/m.test(head) && /^\s*-?\s*kind:\s*[A-Z]\w*/m.test(head) ? 0.9 : 0;
  },
  read,
};
