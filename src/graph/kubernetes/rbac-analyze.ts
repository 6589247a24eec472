import type { RbacObjects } from './k8s-objects.js';
import { principalId, RbacModel, type K8sPrincipal } from './rbac-model.js';
import { isClusterAdmin, type ScopedRule } from './rbac-rules.js';
import { K8S_TECHNIQUES, type K8sTarget } from './rbac-techniques.js';

export interface K8sChainStep {
  from: string;
  to: string;
  technique: string;
  reason: string;
  conditional: boolean;
}

/** One row of `warden escalations` for a Kubernetes principal. */
export interface K8sEscalation {
  principal: string;
  cluster: string;
  escalates: boolean;
  technique: string | null;
  hops: number;
  path: string[];
  chain: K8sChainStep[];
  conditional: boolean;
  uncertain: boolean;
  /** Already administrator-equivalent without any technique. */
  admin: boolean;
}

/** A one-hop edge for the access graph: `from` can become `to` with `technique`. */
export interface K8sEdge {
  from: string;
  to: string;
  technique: string;
  reason: string;
  conditional: boolean;
  /** `to` is the cluster's administrator-equivalent target. */
  admin: boolean;
}

export interface K8sAnalysis {
  cluster: string;
  rows: K8sEscalation[];
  edges: K8sEdge[];
  notes: string[];
}

interface State {
  label: string;
  principal?: K8sPrincipal;
  rules: ScopedRule[];
  prev?: State;
  step?: K8sChainStep;
  depth: number;
}

const MAX_STATES = 5000;

function targetLabel(t: K8sTarget): string {
  if (t.type === 'principal') return principalId(t.principal);
  return t.label;
}

/**
 * Breadth-first search over what a principal can become: each state holds the rules of everything
 * gained so far (an attacker keeps the credentials it already had), each technique's targets are
 * the next states, and the first state that is administrator-equivalent ends the search (fewest
 * hops).
 */
function search(model: RbacModel, start: K8sPrincipal, firstHops?: K8sEdge[]): State | undefined {
  const startRules = model.rulesOf(start);
  const root: State = { label: principalId(start), principal: start, rules: startRules, depth: 0 };
  if (isClusterAdmin(startRules)) return root;
  if (firstHops) {
    for (const tech of K8S_TECHNIQUES) {
      for (const step of tech.targets({ model, rules: startRules, self: start })) {
        const label = targetLabel(step.target);
        if (label !== root.label)
          firstHops.push({
            from: root.label,
            to: label,
            technique: tech.name,
            reason: step.reason,
            conditional: !!step.conditional,
            admin: step.target.type === 'admin',
          });
      }
    }
  }
  const seen = new Set([root.label]);
  const queue: State[] = [root];
  for (let head = 0; head < queue.length && seen.size < MAX_STATES; head++) {
    const cur = queue[head]!;
    for (const tech of K8S_TECHNIQUES) {
      const ctx = cur.principal
        ? { model, rules: cur.rules, self: cur.principal }
        : { model, rules: cur.rules };
      for (const step of tech.targets(ctx)) {
        const label = targetLabel(step.target);
        if (seen.has(label)) continue;
        seen.add(label);
        const gained =
          step.target.type === 'principal'
            ? model.rulesOf(step.target.principal)
            : step.target.type === 'grant'
              ? step.target.rules
              : [];
        const next: State = {
          label,
          rules: [...cur.rules, ...gained],
          prev: cur,
          step: {
            from: cur.label,
            to: label,
            technique: tech.name,
            reason: step.reason,
            conditional: !!step.conditional,
          },
          depth: cur.depth + 1,
        };
        if (step.target.type === 'principal') next.principal = step.target.principal;
        if (step.target.type === 'admin' || isClusterAdmin(gained)) return next;
        queue.push(next);
      }
    }
  }
  return undefined;
}

/**
 * Kubernetes RBAC escalation analysis: for every service account (and every user named in a
 * binding), whether it alone can reach cluster-admin-equivalent access, by which techniques and
 * through which principals. Administrator-equivalent is defined in {@link isClusterAdmin}.
 *
 * @example
 * const objs = parseK8sText(yamlText, 'rbac.yaml');
 * const { rows } = analyzeKubernetes(objs);
 * rows.find((r) => r.principal === 'system:serviceaccount:ci:deployer')?.escalates
 */
export function analyzeKubernetes(objs: RbacObjects | RbacModel): K8sAnalysis {
  const model = objs instanceof RbacModel ? objs : new RbacModel(objs);
  const principals: K8sPrincipal[] = [
    ...[...model.serviceAccounts.values()]
      .sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1))
      .map((s): K8sPrincipal => ({ kind: 'ServiceAccount', namespace: s.namespace, name: s.name })),
    ...model.users().map((u): K8sPrincipal => ({ kind: 'User', name: u, groups: ['system:authenticated'] })),
  ];
  const rows: K8sEscalation[] = [];
  const edges: K8sEdge[] = [];
  const uncertain = model.notes.length > 0;
  for (const p of principals) {
    const id = principalId(p);
    const first: K8sEdge[] = [];
    const found = search(model, p, first);
    const seen = new Set<string>();
    for (const e of first) {
      const k = `${e.to}\u0000${e.technique}`;
      if (!seen.has(k)) {
        seen.add(k);
        edges.push(e);
      }
    }
    if (!found) {
      rows.push({
        principal: id,
        cluster: model.cluster,
        escalates: false,
        technique: null,
        hops: 0,
        path: [],
        chain: [],
        conditional: false,
        uncertain,
        admin: false,
      });
      continue;
    }
    const chain: K8sChainStep[] = [];
    const path: string[] = [];
    for (let s: State | undefined = found; s; s = s.prev) {
      path.push(s.label);
      if (s.step) chain.push(s.step);
    }
    path.reverse();
    chain.reverse();
    const isAdmin = chain.length === 0;
    rows.push({
      principal: id,
      cluster: model.cluster,
      escalates: true,
      // Same conventions as the AWS analysis: `already-admin`, one technique, or a chain joined by ' -> '.
      technique: isAdmin ? 'already-admin' : chain.map((c) => c.technique).join(' -> '),
      hops: chain.length,
      path,
      chain,
      conditional: chain.some((c) => c.conditional),
      uncertain,
      admin: isAdmin,
    });
    if (!isAdmin && chain.length > 1) {
      // The graph also gets the whole chain as one edge, so blast radius sees the admin target.
      edges.push({
        from: id,
        to: 'cluster-admin',
        technique: chain.map((c) => c.technique).join(' -> '),
        reason: chain.map((c) => c.reason).join('; '),
        conditional: chain.some((c) => c.conditional),
        admin: true,
      });
    }
  }
  return { cluster: model.cluster, rows, edges, notes: model.notes };
}

export { K8S_TECHNIQUES };
