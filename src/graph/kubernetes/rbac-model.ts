import type { K8sBinding, K8sRole, K8sTokenSecret, K8sWorkload, RbacObjects } from './k8s-objects.js';
import { resolveTokenMounts } from './k8s-objects.js';
import { aggregateClusterRoles, builtinClusterRoles, type ScopedRule } from './rbac-rules.js';

/** Who is asking: a service account, a user (with its groups) or a group alone. */
export type K8sPrincipal =
  | { kind: 'ServiceAccount'; namespace: string; name: string }
  | { kind: 'User'; name: string; groups: string[] }
  | { kind: 'Group'; name: string };

export function saUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Native id of a principal as rows and paths show it. */
export function principalId(p: K8sPrincipal): string {
  if (p.kind === 'ServiceAccount') return saUser(p.namespace, p.name);
  if (p.kind === 'Group') return `group:${p.name}`;
  return p.name;
}

/** Parses `system:serviceaccount:NS:NAME`. */
export function parseSaUser(user: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/**
 * The RBAC objects of one cluster, indexed: roles by namespace and name, cluster roles (aggregated,
 * bootstrap roles filled in when missing), bindings resolved to their rules, service accounts,
 * workloads and token secrets by namespace.
 */
export class RbacModel {
  readonly cluster: string;
  readonly roles = new Map<string, K8sRole>();
  readonly clusterRoles = new Map<string, K8sRole>();
  readonly bindings: K8sBinding[];
  readonly serviceAccounts = new Map<string, { namespace: string; name: string }>();
  readonly namespaces = new Set<string>();
  readonly workloads: K8sWorkload[];
  readonly tokenSecrets: K8sTokenSecret[];
  /** Why some grants are uncertain (a binding to a role not in the export). */
  readonly notes: string[] = [];
  private readonly bindingRules = new Map<K8sBinding, ScopedRule[]>();
  private readonly cache = new Map<string, ScopedRule[]>();

  constructor(objs: RbacObjects) {
    resolveTokenMounts(objs);
    this.cluster = objs.cluster ?? 'cluster';
    for (const r of objs.roles) {
      if (r.kind === 'ClusterRole') this.clusterRoles.set(r.name, { ...r, rules: [...r.rules] });
      else this.roles.set(`${r.namespace}/${r.name}`, r);
    }
    for (const b of builtinClusterRoles())
      if (!this.clusterRoles.has(b.name)) this.clusterRoles.set(b.name, b);
    aggregateClusterRoles(this.clusterRoles);
    this.bindings = objs.bindings;
    this.workloads = objs.workloads;
    this.tokenSecrets = objs.tokenSecrets;
    for (const n of objs.namespaces) this.namespaces.add(n);
    const addSa = (namespace: string, name: string) => {
      this.serviceAccounts.set(saUser(namespace, name), { namespace, name });
      this.namespaces.add(namespace);
    };
    for (const s of objs.serviceAccounts) addSa(s.namespace, s.name);
    for (const w of objs.workloads) addSa(w.namespace, w.serviceAccount);
    for (const s of objs.tokenSecrets) addSa(s.namespace, s.serviceAccount);
    for (const b of objs.bindings) {
      if (b.namespace) this.namespaces.add(b.namespace);
      for (const s of b.subjects) {
        if (s.kind === 'ServiceAccount') addSa(s.namespace ?? b.namespace ?? 'default', s.name);
        if (s.kind === 'User') {
          const sa = parseSaUser(s.name);
          if (sa) addSa(sa.namespace, sa.name);
        }
      }
    }
    for (const r of objs.roles) if (r.namespace) this.namespaces.add(r.namespace);
    // Every namespace has its `default` service account.
    for (const ns of this.namespaces)
      if (!this.serviceAccounts.has(saUser(ns, 'default')))
        this.serviceAccounts.set(saUser(ns, 'default'), { namespace: ns, name: 'default' });
    for (const b of this.bindings) this.bindingRules.set(b, this.resolve(b));
  }

  /** The role a binding refers to, or undefined when the export does not contain it. */
  roleOf(b: K8sBinding): K8sRole | undefined {
    if (b.roleRef.kind === 'ClusterRole') return this.clusterRoles.get(b.roleRef.name);
    return this.roles.get(`${b.namespace}/${b.roleRef.name}`);
  }

  private resolve(b: K8sBinding): ScopedRule[] {
    const role = this.roleOf(b);
    const where = b.kind === 'ClusterRoleBinding' ? b.name : `${b.namespace}/${b.name}`;
    if (!role) {
      this.notes.push(
        `${b.kind} ${where} refers to ${b.roleRef.kind} ${b.roleRef.name}, which is not in the export: its grants are ignored`,
      );
      return [];
    }
    // A RoleBinding scopes even a ClusterRole to its own namespace.
    const namespace = b.kind === 'ClusterRoleBinding' ? '*' : b.namespace!;
    const via = `${b.kind} ${where} -> ${b.roleRef.kind} ${b.roleRef.name}${role.builtin ? ' (bootstrap default)' : ''}`;
    return role.rules.map((rule) => ({ rule, namespace, via }));
  }

  /** Rules a role grants when bound at `namespace` (`*` = cluster-wide). */
  rulesOfRole(role: K8sRole, namespace: string, via: string): ScopedRule[] {
    return role.rules.map((rule) => ({ rule, namespace, via }));
  }

  /** Bindings whose subjects include the principal (directly, by user name, or by group). */
  bindingsOf(p: K8sPrincipal): K8sBinding[] {
    let user: string | undefined;
    let groups: string[];
    let sa: { namespace: string; name: string } | undefined;
    if (p.kind === 'ServiceAccount') {
      sa = { namespace: p.namespace, name: p.name };
      user = saUser(p.namespace, p.name);
      // Groups every service account token carries (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects).
      groups = ['system:serviceaccounts', `system:serviceaccounts:${p.namespace}`, 'system:authenticated'];
    } else if (p.kind === 'User') {
      user = p.name;
      groups = p.groups;
      const parsed = parseSaUser(p.name);
      if (parsed) {
        sa = parsed;
        groups = [...groups, 'system:serviceaccounts', `system:serviceaccounts:${parsed.namespace}`];
      }
    } else groups = [p.name];
    return this.bindings.filter((b) =>
      b.subjects.some((s) => {
        if (s.kind === 'Group') return groups.includes(s.name);
        if (s.kind === 'User') return s.name === user;
        // A ServiceAccount subject without a namespace means the binding's own namespace.
        return sa !== undefined && s.name === sa.name && (s.namespace ?? b.namespace) === sa.namespace;
      }),
    );
  }

  /** Effective rules of a principal: the union over every binding that names it. */
  rulesOf(p: K8sPrincipal): ScopedRule[] {
    const key = `${p.kind}:${principalId(p)}:${p.kind === 'User' ? p.groups.join(',') : ''}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.bindingsOf(p).flatMap((b) => this.bindingRules.get(b) ?? []);
      this.cache.set(key, r);
    }
    return r;
  }

  serviceAccountsIn(namespace: string): { namespace: string; name: string }[] {
    return [...this.serviceAccounts.values()].filter((s) => s.namespace === namespace);
  }

  /** User subjects named in bindings (not service accounts). */
  users(): string[] {
    const out = new Set<string>();
    for (const b of this.bindings)
      for (const s of b.subjects) if (s.kind === 'User' && !parseSaUser(s.name)) out.add(s.name);
    return [...out].sort();
  }

  groups(): string[] {
    const out = new Set<string>();
    for (const b of this.bindings) for (const s of b.subjects) if (s.kind === 'Group') out.add(s.name);
    return [...out].sort();
  }
}
