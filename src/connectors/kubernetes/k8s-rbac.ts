import type { AccessLevel, Sensitivity } from '../../model/index.js';
import { isRecord, str, type Json } from './k8s-documents.js';

/*
 * RBAC objects: https://kubernetes.io/docs/reference/access-authn-authz/rbac/ (Role, ClusterRole with
 * aggregationRule.clusterRoleSelectors, RoleBinding, ClusterRoleBinding, subjects User|Group|
 * ServiceAccount). Label selectors: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * Verbs that escalate (bind, escalate, impersonate), pods/exec, nodes/proxy, serviceaccounts/token:
 * https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** A rule as Kubernetes stores it, or a reason it is unusable. */
export function parseRule(r: unknown): Rule | string {
  if (!isRecord(r)) return 'a rule must be an object';
  const verbs = strings(r.verbs);
  if (verbs.length === 0) return 'a rule needs verbs';
  const rule: Rule = { apiGroups: strings(r.apiGroups), resources: strings(r.resources), verbs };
  const names = strings(r.resourceNames);
  if (names.length > 0) rule.resourceNames = names;
  const urls = strings(r.nonResourceURLs);
  if (urls.length > 0) rule.nonResourceURLs = urls;
  if (rule.resources.length === 0 && !rule.nonResourceURLs)
    return 'a rule needs resources or nonResourceURLs';
  return rule;
}

const WRITE = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);
const ESCALATE = new Set(['bind', 'escalate', 'impersonate']);
const RBAC = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', '*']);
const ADMIN_WRITE = new Set([
  'nodes/proxy',
  'serviceaccounts/token',
  'certificatesigningrequests/approval',
  'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations',
  'pods/exec',
  'pods/attach',
  'pods/ephemeralcontainers',
]);
const SENSITIVE = new Set([
  'secrets',
  'pods',
  'pods/exec',
  'pods/attach',
  'serviceaccounts/token',
  'nodes/proxy',
  'deployments',
  'daemonsets',
  'statefulsets',
  'jobs',
  'cronjobs',
]);

/**
 * Level and sensitivity of one rule: `admin` for wildcards on everything, escalate/bind/impersonate,
 * writing RBAC, and the pivots (pods/exec, nodes/proxy, serviceaccounts/token, webhooks, CSR
 * approval); `write` for other mutations; `read` for get; `list` for list/watch only.
 */
export function ruleLevel(rule: Rule): { level: AccessLevel; sensitivity?: Sensitivity } {
  const verbs = new Set(rule.verbs.map((v) => v.toLowerCase()));
  const res = rule.resources.map((r) => r.toLowerCase());
  const writes = [...verbs].some((v) => WRITE.has(v));
  const everything = res.includes('*') && (rule.apiGroups.includes('*') || rule.apiGroups.length === 0);
  if ((verbs.has('*') && everything) || [...verbs].some((v) => ESCALATE.has(v)))
    return { level: 'admin', sensitivity: 'critical' };
  if (writes && res.some((r) => RBAC.has(r) || ADMIN_WRITE.has(r)))
    return { level: 'admin', sensitivity: 'critical' };
  if (verbs.has('get') && res.some((r) => r === 'nodes/proxy'))
    return { level: 'admin', sensitivity: 'critical' };
  const sensitive = res.some((r) => SENSITIVE.has(r) || r === '*');
  const readsSecrets =
    res.some((r) => r === 'secrets' || r === '*') &&
    (verbs.has('get') || verbs.has('list') || verbs.has('watch') || verbs.has('*'));
  if (writes) return { level: 'write', sensitivity: sensitive ? 'high' : 'medium' };
  if (verbs.has('get')) return readsSecrets ? { level: 'read', sensitivity: 'high' } : { level: 'read' };
  if (verbs.has('list') || verbs.has('watch'))
    return readsSecrets ? { level: 'read', sensitivity: 'high' } : { level: 'list' };
  return { level: 'read' };
}

/**
 * The resources a rule covers, as `NAMESPACE/GROUP/RESOURCE[/NAME]` (`*` namespace = cluster-wide,
 * `core` for the "" API group) or `url:/path` for non-resource URLs. The graph and least-privilege
 * code parse these back.
 */
export function ruleResources(rule: Rule, namespace: string | undefined): string[] {
  const ns = namespace ?? '*';
  const out: string[] = [];
  const groups = rule.apiGroups.length > 0 ? rule.apiGroups : [''];
  for (const g of groups) {
    for (const r of rule.resources) {
      const base = `${ns}/${g === '' ? 'core' : g}/${r}`;
      if (rule.resourceNames) for (const n of rule.resourceNames) out.push(`${base}/${n}`);
      else out.push(base);
    }
  }
  for (const u of rule.nonResourceURLs ?? []) out.push(`url:${u}`);
  return out;
}

/** matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) of a label selector. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isRecord(selector)) return false;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isRecord(e)) return false;
    const key = str(e.key) ?? '';
    const values = strings(e.values);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
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
  return Object.keys(ml).length > 0 || exprs.length > 0;
}

export interface RoleInfo {
  kind: 'Role' | 'ClusterRole';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  rules: Rule[];
  selectors: unknown[];
  /** Names of the ClusterRoles whose rules were aggregated in (within this file). */
  aggregatedFrom?: string[];
}

/**
 * Resolves aggregated ClusterRoles inside one file: an aggregated role gets the rules of every
 * ClusterRole matching one of its selectors (the controller's behaviour), recursively (admin
 * aggregates edit, which aggregates others), cycles cut.
 */
export function resolveAggregation(clusterRoles: Map<string, RoleInfo>): void {
  const done = new Set<string>();
  const visit = (role: RoleInfo, stack: Set<string>): Rule[] => {
    if (role.selectors.length === 0 || done.has(role.name)) return role.rules;
    stack.add(role.name);
    const from: string[] = [];
    const rules = [...role.rules];
    for (const other of clusterRoles.values()) {
      if (other.name === role.name || stack.has(other.name)) continue;
      if (!role.selectors.some((s) => selectorMatches(s, other.labels))) continue;
      from.push(other.name);
      rules.push(...visit(other, stack));
    }
    stack.delete(role.name);
    // Exported aggregated roles already carry the controller's rules: keep each rule once.
    role.rules = [...new Map(rules.map((r) => [JSON.stringify(r), r])).values()];
    role.aggregatedFrom = from;
    done.add(role.name);
    return role.rules;
  };
  for (const r of clusterRoles.values()) visit(r, new Set());
}

export const roleNativeId = (
  kind: 'Role' | 'ClusterRole',
  name: string,
  namespace: string | undefined,
): string => (kind === 'ClusterRole' ? `clusterrole/${name}` : `role/${namespace ?? 'default'}/${name}`);

export function rulesOf(obj: Json): { rules: Rule[]; problems: { index: number; reason: string }[] } {
  const rules: Rule[] = [];
  const problems: { index: number; reason: string }[] = [];
  const raw = Array.isArray(obj.rules) ? obj.rules : [];
  raw.forEach((r, index) => {
    const p = parseRule(r);
    if (typeof p === 'string') problems.push({ index, reason: p });
    else rules.push(p);
  });
  return { rules, problems };
}
