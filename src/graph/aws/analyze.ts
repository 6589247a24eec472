/**
 * `analyzeAws`: every principal's shortest escalation to administrator-equivalent access, plus
 * the edges the access graph needs (member-of, can-assume, escalates-to, has-permission).
 */
import { createAwsEvaluator, type AwsEvaluator } from './evaluator.js';
import { buildEdges, type EdgeSet } from './edge-builder.js';
import { buildPermissionEdges, type ResourceExposure } from './permission-edges.js';
import { searchEscalations } from './escalation-search.js';
import { AWS_TECHNIQUES } from './techniques.js';
import type { AwsEnvironment } from './types.js';

export interface AwsEscalationRow {
  /** Native id: the user's or role's ARN. */
  principal: string;
  /** True only when the path holds whatever the request context (no conditional step). */
  escalates: boolean;
  /**
   * `already-admin` for an administrator-equivalent principal; the technique name for one hop;
   * techniques joined with ` -> ` for a chain. Absent when there is no path at all.
   */
  technique?: string;
  /** One technique name per hop. */
  techniques: string[];
  /** Number of technique steps (0 for an administrator). */
  hops: number;
  /** ARNs from the principal to the administrator-equivalent principal (empty when none). */
  path: string[];
  /** A path exists only if request conditions hold (or facts are unknown): then `escalates` is false. */
  conditional: boolean;
  /** Why the result is uncertain: conditional steps, missing policies, unknown operators. */
  uncertain: string[];
}

/**
 * `owns` is only the marker from a service scope node to a resource it does not cover (see
 * `permission-edges.ts`); traversal never follows it.
 */
export type AwsEdgeKind = 'can-assume' | 'escalates-to' | 'has-permission' | 'member-of' | 'owns';

export interface AwsEdge {
  kind: AwsEdgeKind;
  from: string;
  /**
   * A principal or resource ARN, `*` (administrator-equivalent), or a per-account service scope
   * node `aws:ACCOUNT:SERVICE:*` (every resource of that service in that account).
   */
  to: string;
  technique?: string;
  level?: 'list' | 'read' | 'write' | 'admin';
  /** has-permission to a resource: its sensitivity when known (listing, or the service's default). */
  sensitivity?: 'low' | 'medium' | 'high' | 'critical';
  conditional: boolean;
  reason: string;
}

export interface AwsAnalysis {
  principals: AwsEscalationRow[];
  edges: AwsEdge[];
  /** Problems met while compiling policies (also attached to the principals they affect). */
  issues: string[];
  /** Resources with a resource-based policy: public / conditional / cross-account exposure. */
  exposures: ResourceExposure[];
  stats: {
    principals: number;
    escalating: number;
    conditional: number;
    admins: number;
    edges: number;
    classEdges: number;
    /** has-permission edges to service scope nodes, and to single resources. */
    scopeEdges: number;
    resourceEdges: number;
    ms: number;
  };
}

export interface AnalyzeAwsOptions {
  /** Emit graph edges (default true). */
  edges?: boolean;
  /**
   * A class edge ("X can create an access key for every user") is expanded to at most this many
   * targets besides those on an escalation path (default 50).
   */
  maxTargetsPerClassEdge?: number;
  /** Re-use an evaluator already built for the same environment. */
  evaluator?: AwsEvaluator;
}

function emitEdges(ev: AwsEvaluator, g: EdgeSet, reachable: Int32Array, limit: number): AwsEdge[] {
  const P = ev.principals;
  const edges: AwsEdge[] = [];
  for (const p of P) {
    for (const gArn of p.groupArns)
      edges.push({
        kind: 'member-of',
        from: p.arn,
        to: gArn,
        conditional: false,
        reason: `${p.name} is in group ${gArn}`,
      });
    if (g.adminState[p.idx])
      edges.push({
        kind: 'has-permission',
        from: p.arn,
        to: '*',
        level: 'admin',
        conditional: g.adminState[p.idx] === 2,
        reason: 'administrator-equivalent: *:* on *',
      });
    const t = g.trust[p.idx];
    if (t) {
      for (const [svc, code] of t.services)
        edges.push({
          kind: 'can-assume',
          from: svc,
          to: p.arn,
          conditional: code === 2,
          reason: `trust policy of ${p.arn} trusts the service ${svc}`,
        });
      for (const f of t.federated)
        edges.push({
          kind: 'can-assume',
          from: f.provider,
          to: p.arn,
          conditional: f.conditional,
          reason: `trust policy of ${p.arn} trusts ${f.provider} (conditions: ${f.conditions})`,
        });
    }
  }
  for (let i = 0; i < g.from.length; i++) {
    const tech = AWS_TECHNIQUES[g.tech[i]!]!.name;
    edges.push({
      kind: tech === 'AssumeRole' ? 'can-assume' : 'escalates-to',
      from: P[g.from[i]!]!.arn,
      to: P[g.to[i]!]!.arn,
      technique: tech,
      conditional: g.cond[i]!,
      reason: g.reason[i]!,
    });
  }
  for (const c of g.classes) {
    const tech = AWS_TECHNIQUES[c.tech]!.name;
    const picked: number[] = [];
    let others = 0;
    for (const m of c.members.list) {
      if (reachable[m]! >= 0) picked.push(m);
      else if (others++ < limit) picked.push(m);
    }
    c.sources.forEach((s, k) => {
      for (const m of picked) {
        if (m === s) continue;
        const mc = c.memberCond?.get(m);
        edges.push({
          kind: tech === 'AssumeRole' ? 'can-assume' : 'escalates-to',
          from: P[s]!.arn,
          to: P[m]!.arn,
          technique: tech,
          conditional: c.sourceCond[k]! || mc !== undefined,
          reason: mc ? `${c.reason}; ${mc}` : c.reason,
        });
      }
    });
  }
  for (const e of g.empower) {
    const tech = AWS_TECHNIQUES[e.tech]!.name;
    const list = e.targets.set.has(e.from) ? [e.from] : [];
    for (const t of e.targets.list)
      if (t !== e.from && (reachable[t]! >= 0 || list.length < limit)) list.push(t);
    for (const t of list)
      edges.push({
        kind: 'escalates-to',
        from: P[e.from]!.arn,
        to: P[t]!.arn,
        technique: tech,
        conditional: e.cond,
        reason: `${e.reason}: can make ${P[t]!.arn} administrator-equivalent`,
      });
  }
  return edges;
}

/**
 * Analyses every user and role of the environment.
 *
 * @example
 * import { parseAwsEnvironment, analyzeAws } from '../graph/aws/index.js';
 * const env = parseAwsEnvironment([JSON.parse(authDetailsText)]);
 * const { principals } = analyzeAws(env);
 * for (const r of principals) if (r.escalates) console.log(r.principal, r.technique, r.hops, r.path);
 */
export function analyzeAws(env: AwsEnvironment, options: AnalyzeAwsOptions = {}): AwsAnalysis {
  const t0 = performance.now();
  const ev = options.evaluator ?? createAwsEvaluator(env);
  const g = buildEdges(ev);
  const strict = searchEscalations(ev, g, false);
  const relaxed = searchEscalations(ev, g, true);
  const P = ev.principals;
  const rows: AwsEscalationRow[] = [];
  let escalating = 0;
  let conditional = 0;
  let admins = 0;
  for (const p of P) {
    const uncertain = [...p.uncertain];
    let row: AwsEscalationRow;
    if (strict.dist[p.idx]! >= 0) {
      const techs = strict.techniques(p.idx);
      const hops = strict.dist[p.idx]!;
      if (hops === 0) admins++;
      escalating++;
      row = {
        principal: p.arn,
        escalates: true,
        technique: hops === 0 ? 'already-admin' : techs.join(' -> '),
        techniques: techs,
        hops,
        path: strict.path(p.idx).map((i) => P[i]!.arn),
        conditional: false,
        uncertain,
      };
    } else if (relaxed.dist[p.idx]! >= 0) {
      const techs = relaxed.techniques(p.idx);
      const hops = relaxed.dist[p.idx]!;
      conditional++;
      const reasons = relaxed.reasons(p.idx);
      if (reasons.length === 0) reasons.push('a step depends on request context');
      row = {
        principal: p.arn,
        escalates: false,
        technique: hops === 0 ? 'already-admin' : techs.join(' -> '),
        techniques: techs,
        hops,
        path: relaxed.path(p.idx).map((i) => P[i]!.arn),
        conditional: true,
        uncertain: [...reasons, ...uncertain],
      };
    } else {
      row = {
        principal: p.arn,
        escalates: false,
        techniques: [],
        hops: 0,
        path: [],
        conditional: false,
        uncertain,
      };
    }
    rows.push(row);
  }
  const edges =
    options.edges === false ? [] : emitEdges(ev, g, relaxed.dist, options.maxTargetsPerClassEdge ?? 50);
  const perm = options.edges === false ? null : buildPermissionEdges(ev, g.adminState);
  if (perm) for (const e of perm.edges) edges.push(e);
  return {
    principals: rows,
    edges,
    issues: [...env.issues.map((i) => `${i.source}${i.pointer}: ${i.message}`), ...ev.issues],
    exposures: perm?.exposures ?? [],
    stats: {
      principals: P.length,
      escalating,
      conditional,
      admins,
      edges: edges.length,
      classEdges: g.classes.length,
      scopeEdges: perm?.stats.scope ?? 0,
      resourceEdges: perm?.stats.explicit ?? 0,
      ms: Math.round(performance.now() - t0),
    },
  };
}
