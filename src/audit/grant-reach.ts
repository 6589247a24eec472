import type { AccessLevel } from '../model/index.js';
import { postureIndex, type BlastRadius, type PostureInput } from '../posture/index.js';

const RANK: Record<AccessLevel, number> = { none: 0, list: 1, read: 2, write: 3, admin: 4 };
/** Edges along which holding one identity yields another. */
const PIVOTS = new Set([
  'can-assume',
  'escalates-to',
  'reads-secret-of',
  'member-of',
  'exposes',
  'delegates-to',
  'uses',
]);
const MAX_PIVOT_DEPTH = 6;

interface Reach {
  /** resource key -> highest level. */
  levels: Map<string, number>;
  sensitive: Set<string>;
  systems: Set<string>;
}

/** 0..1: saturating in how much is reachable, weighted by write, admin and sensitivity. */
export function radiusScore(r: {
  resources: number;
  write: number;
  admin: number;
  sensitive: number;
  systems: string[];
}): number {
  const weight =
    r.resources + 3 * r.write + 10 * r.admin + 5 * r.sensitive + 5 * Math.max(0, r.systems.length - 1);
  return 1 - Math.exp(-weight / 60);
}

/**
 * Blast radius from the stored grants and edges: what each identity's allow grants and
 * has-permission edges reach, plus what the identities it can pivot to (assume, escalate, read a
 * secret of, belong to) reach; an agent's is the union over its identities. It reads the graph
 * relations connectors stored, without evaluating policy documents (the access graph does that).
 */
export function grantReach(input: PostureInput): Map<string, BlastRadius> {
  const direct = new Map<string, Reach>();
  const get = (id: string) =>
    direct.get(id) ??
    direct.set(id, { levels: new Map(), sensitive: new Set(), systems: new Set() }).get(id)!;
  // The posture index's identity map (built once per input, shared with the rules).
  const identity = postureIndex(input).identity;
  const provider = { get: (id: string) => identity.get(id)?.provider, has: (id: string) => identity.has(id) };
  for (const g of input.grants) {
    if (g.effect !== 'allow' || g.level === 'none') continue;
    const r = get(g.identityId);
    const p = provider.get(g.identityId) ?? 'unknown';
    r.systems.add(p);
    for (const res of g.resources.length ? g.resources : ['*']) {
      const key = `${p}|${res}`;
      if ((r.levels.get(key) ?? 0) < RANK[g.level]) r.levels.set(key, RANK[g.level]);
      if (g.sensitivity === 'high' || g.sensitivity === 'critical') r.sensitive.add(key);
    }
  }
  const pivotsOf = new Map<string, string[]>();
  for (const e of input.edges) {
    if (e.kind === 'has-permission') {
      const r = get(e.fromId);
      const lvl = RANK[e.level ?? 'read'];
      if ((r.levels.get(e.toId) ?? 0) < lvl) r.levels.set(e.toId, lvl);
      const sens = e.attributes?.sensitivity;
      if (sens === 'high' || sens === 'critical') r.sensitive.add(e.toId);
      const p = provider.get(e.fromId);
      if (p) r.systems.add(p);
    } else if (PIVOTS.has(e.kind))
      (pivotsOf.get(e.fromId) ?? pivotsOf.set(e.fromId, []).get(e.fromId)!).push(e.toId);
  }
  const out = new Map<string, BlastRadius>();
  const finish = (
    levels: ReadonlyMap<string, number>,
    sensitive: number,
    systems: Iterable<string>,
    pivots: number,
  ): BlastRadius => {
    let write = 0;
    let admin = 0;
    for (const l of levels.values()) {
      if (l === RANK.write) write++;
      else if (l === RANK.admin) admin++;
    }
    const b = {
      resources: levels.size,
      write,
      admin,
      sensitive,
      systems: [...systems].sort(),
      pivots,
      score: 0,
    };
    b.score = radiusScore(b);
    return b;
  };
  const summarise = (starts: string[]): BlastRadius => {
    // An identity that leads nowhere else reaches what it holds: no copies (most of a big inventory).
    if (starts.length === 1 && !pivotsOf.has(starts[0]!)) {
      const r = direct.get(starts[0]!);
      return r ? finish(r.levels, r.sensitive.size, r.systems, 0) : finish(new Map(), 0, [], 0);
    }
    const levels = new Map<string, number>();
    const sensitive = new Set<string>();
    const systems = new Set<string>();
    const seen = new Set<string>(starts);
    let frontier = [...starts];
    for (let depth = 0; frontier.length && depth <= MAX_PIVOT_DEPTH; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        const r = direct.get(id);
        if (r) {
          for (const [k, l] of r.levels) if ((levels.get(k) ?? 0) < l) levels.set(k, l);
          for (const s of r.sensitive) sensitive.add(s);
          for (const s of r.systems) systems.add(s);
        }
        for (const t of pivotsOf.get(id) ?? []) {
          if (seen.has(t)) continue;
          seen.add(t);
          next.push(t);
        }
      }
      frontier = next;
    }
    return finish(levels, sensitive.size, systems, seen.size - starts.length);
  };
  const interesting = new Set<string>([...direct.keys(), ...pivotsOf.keys()]);
  for (const id of interesting) if (provider.has(id)) out.set(id, summarise([id]));
  const byAgent = new Map<string, string[]>();
  for (const l of input.links)
    (byAgent.get(l.agentId) ?? byAgent.set(l.agentId, []).get(l.agentId)!).push(l.identityId);
  for (const a of input.agents) {
    const ids = [...new Set(byAgent.get(a.id) ?? [])];
    const b = summarise(ids);
    // An agent reaches at least the systems of the identities it holds.
    for (const id of ids) {
      const p = provider.get(id);
      if (p && !b.systems.includes(p)) b.systems.push(p);
    }
    b.systems.sort();
    b.score = radiusScore(b);
    out.set(a.id, b);
  }
  return out;
}
