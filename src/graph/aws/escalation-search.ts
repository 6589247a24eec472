/**
 * Shortest escalation path from every principal to administrator-equivalent access, computed
 * once for all principals with a multi-source breadth-first search run backwards from the
 * administrators (Dial's buckets: every technique counts one hop).
 *
 * Seeds: administrator-equivalent principals (0 hops); principals that can empower themselves
 * (1 hop: PutUserPolicy on self ...); principals that can empower a principal they can become
 * (found with a bounded forward search; hops = path + 1). Then "can become" edges are followed
 * backwards; class edges ("can act on every user") fire once, at their nearest member.
 *
 * The search runs twice: strict (only edges and facts that hold whatever the request context)
 * and relaxed (conditional edges too). Only the strict result is an escalation; the relaxed one is
 * reported as conditional.
 */
import type { AwsEvaluator } from './evaluator.js';
import { empowerOutcome, type EdgeSet } from './edge-builder.js';
import { AWS_TECHNIQUES } from './techniques.js';

export interface SearchResult {
  /** Hops to administrator per principal, -1 when none. */
  readonly dist: Int32Array;
  /** Path (principal indexes, from the principal to the administrator-equivalent one). */
  path(i: number): number[];
  /** Technique names, one per hop. */
  techniques(i: number): string[];
  /** Reasons of conditional hops (relaxed search only). */
  reasons(i: number): string[];
}

interface Tail {
  path: number[];
  techs: string[];
  reasons: string[];
}

const FORWARD_DEPTH = 4;
const FORWARD_BUDGET = 20_000;

export function searchEscalations(ev: AwsEvaluator, g: EdgeSet, relaxed: boolean): SearchResult {
  const n = ev.principals.length;
  const dist = new Int32Array(n).fill(-1);
  const how = new Uint8Array(n); // 0 admin, 1 seed tail, 2 edge
  const next = new Int32Array(n).fill(-1);
  const nextTech = new Int32Array(n).fill(-1);
  const nextReason: (string | null)[] = new Array<string | null>(n).fill(null);
  const tails = new Map<number, Tail>();
  const okEdge = (i: number): boolean => relaxed || !g.cond[i];

  // Forward adjacency (for the empower search) and reverse adjacency (for the main search).
  const m = g.from.length;
  const outStart = new Int32Array(n + 1);
  const inStart = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    if (!okEdge(i)) continue;
    outStart[g.from[i]! + 1]!++;
    inStart[g.to[i]! + 1]!++;
  }
  for (let i = 0; i < n; i++) {
    outStart[i + 1]! += outStart[i]!;
    inStart[i + 1]! += inStart[i]!;
  }
  const outEdges = new Int32Array(outStart[n]!);
  const inEdges = new Int32Array(inStart[n]!);
  const oFill = outStart.slice(0, n);
  const iFill = inStart.slice(0, n);
  for (let i = 0; i < m; i++) {
    if (!okEdge(i)) continue;
    outEdges[oFill[g.from[i]!]!++] = i;
    inEdges[iFill[g.to[i]!]!++] = i;
  }
  // Class membership per node, and class sources per node (forward).
  const memberOf = new Map<number, number[]>();
  const sourceOf = new Map<number, number[]>();
  g.classes.forEach((c, ci) => {
    for (const mbr of c.members.list) {
      if (!relaxed && c.memberCond?.has(mbr)) continue;
      (memberOf.get(mbr) ?? memberOf.set(mbr, []).get(mbr)!).push(ci);
    }
    c.sources.forEach((s, k) => {
      if (!relaxed && c.sourceCond[k]) return;
      (sourceOf.get(s) ?? sourceOf.set(s, []).get(s)!).push(ci);
    });
  });

  const buckets: number[][] = [[]];
  const put = (v: number, d: number): void => {
    while (buckets.length <= d) buckets.push([]);
    buckets[d]!.push(v);
  };
  for (let i = 0; i < n; i++) {
    const a = g.adminState[i]!;
    if (a === 1 || (relaxed && a === 2)) {
      dist[i] = 0;
      how[i] = 0;
      put(i, 0);
    }
  }

  // Empower seeds.
  const cache = new Map<string, 0 | 1 | 2>();
  const outcomeOk = (v: 0 | 1 | 2): boolean => v === 1 || (relaxed && v === 2);
  for (const e of g.empower) {
    if (e.cond && !relaxed) continue;
    const x = e.from;
    if (dist[x] === 0) continue;
    const tech = AWS_TECHNIQUES[e.tech]!.name;
    // A second step the target takes itself (e.g. AddUserToGroup, then PutUserPolicy).
    const then = e.then ? [e.then] : [];
    const reasonOf = (t: number, v: 0 | 1 | 2): string[] => [
      ...(e.cond || v === 2 ? [e.reason] : []),
      ...(v === 2 ? [`outcome for ${ev.principals[t]!.arn} depends on conditions or missing policies`] : []),
    ];
    if (e.targets.set.has(x)) {
      const v = empowerOutcome(ev, e, ev.principals[x]!, x, cache);
      if (outcomeOk(v)) {
        const d = 1 + then.length;
        if (dist[x] === -1 || dist[x]! > d) {
          dist[x] = d;
          how[x] = 1;
          tails.set(x, { path: [x], techs: [tech, ...then], reasons: reasonOf(x, v) });
          put(x, d);
        }
        continue;
      }
    }
    // Bounded forward search from x for a target x can become.
    const seen = new Map<number, number>([[x, -1]]);
    const seenTech = new Map<number, string>();
    let frontier = [x];
    let budget = FORWARD_BUDGET;
    let found = -1;
    let foundV: 0 | 1 | 2 = 0;
    for (let depth = 1; depth <= FORWARD_DEPTH && frontier.length && found < 0 && budget > 0; depth++) {
      const nextF: number[] = [];
      for (const u of frontier) {
        const visit = (v: number, techName: string): boolean => {
          if (seen.has(v) || --budget < 0) return false;
          seen.set(v, u);
          seenTech.set(v, techName);
          nextF.push(v);
          if (e.targets.set.has(v)) {
            const o = empowerOutcome(ev, e, ev.principals[v]!, x, cache);
            if (outcomeOk(o)) {
              found = v;
              foundV = o;
              return true;
            }
          }
          return false;
        };
        let stop = false;
        for (let k = outStart[u]!; k < outStart[u + 1]! && !stop; k++)
          stop = visit(g.to[outEdges[k]!]!, AWS_TECHNIQUES[g.tech[outEdges[k]!]!]!.name);
        for (const ci of sourceOf.get(u) ?? []) {
          if (stop) break;
          const c = g.classes[ci]!;
          for (const v of c.members.list) {
            if (!relaxed && c.memberCond?.has(v)) continue;
            if ((stop = visit(v, AWS_TECHNIQUES[c.tech]!.name)) || budget < 0) break;
          }
        }
        if (stop) break;
      }
      frontier = nextF;
    }
    if (found >= 0) {
      const path: number[] = [];
      const techs: string[] = [];
      for (let v = found; v !== -1; v = seen.get(v)!) {
        path.unshift(v);
        if (v !== x) techs.unshift(seenTech.get(v)!);
      }
      techs.push(tech, ...then);
      const d = path.length + then.length; // hops: the become edges plus the empowering step(s)
      if (dist[x] === -1 || dist[x]! > d) {
        dist[x] = d;
        how[x] = 1;
        tails.set(x, { path, techs, reasons: reasonOf(found, foundV) });
        put(x, d);
      }
    }
  }

  // Backward search.
  const fired = new Uint8Array(g.classes.length);
  for (let d = 0; d < buckets.length; d++) {
    for (const v of buckets[d]!) {
      if (dist[v] !== d) continue; // stale
      const relax = (s: number, tech: number, reason: string | null): void => {
        if (dist[s] !== -1 && dist[s]! <= d + 1) return;
        dist[s] = d + 1;
        how[s] = 2;
        next[s] = v;
        nextTech[s] = tech;
        nextReason[s] = reason;
        put(s, d + 1);
      };
      for (let k = inStart[v]!; k < inStart[v + 1]!; k++) {
        const e = inEdges[k]!;
        relax(g.from[e]!, g.tech[e]!, g.cond[e] ? g.reason[e]! : null);
      }
      for (const ci of memberOf.get(v) ?? []) {
        if (fired[ci]) continue;
        fired[ci] = 1;
        const c = g.classes[ci]!;
        const mc = c.memberCond?.get(v) ?? null;
        c.sources.forEach((s, k) => {
          if (!relaxed && c.sourceCond[k]) return;
          relax(s, c.tech, mc ?? (c.sourceCond[k] ? c.reason : null));
        });
      }
    }
  }

  const walk = (i: number): Tail => {
    const path: number[] = [];
    const techs: string[] = [];
    const reasons: string[] = [];
    let cur = i;
    for (let guard = 0; guard <= n; guard++) {
      if (dist[cur] === -1) return { path: [], techs: [], reasons: [] };
      if (how[cur] === 0) {
        path.push(cur);
        break;
      }
      if (how[cur] === 1) {
        const t = tails.get(cur)!;
        path.push(...t.path);
        techs.push(...t.techs);
        reasons.push(...t.reasons);
        break;
      }
      path.push(cur);
      techs.push(AWS_TECHNIQUES[nextTech[cur]!]!.name);
      const r = nextReason[cur];
      if (r) reasons.push(r);
      cur = next[cur]!;
    }
    return { path, techs, reasons };
  };
  return {
    dist,
    path: (i) => walk(i).path,
    techniques: (i) => walk(i).techs,
    reasons: (i) => walk(i).reasons,
  };
}
