import type { AccessLevel, Agent, Severity } from '../model/index.js';
import { SEVERITY_RANK } from '../model/index.js';
import { postureIndex, type PostureInput } from '../posture/index.js';
import type { GraphEdge, GraphNode, ReportFinding } from '../report/index.js';

const LEVEL_RANK: Record<AccessLevel, number> = { none: 0, list: 1, read: 2, write: 3, admin: 4 };
const MAX_IDENTITIES = 24;
const MAX_PIVOTS = 12;
const MAX_SYSTEMS = 16;
const PIVOT_KINDS = new Set(['can-assume', 'escalates-to', 'reads-secret-of', 'member-of', 'delegates-to']);

export interface GraphIndex {
  identity: ReadonlyMap<string, PostureInput['identities'][number]>;
  linksOfAgent: ReadonlyMap<string, PostureInput['links']>;
  grantsOf: ReadonlyMap<string, PostureInput['grants']>;
  /** All edges from a node; agentGraph keeps the pivot kinds. */
  edgesFrom: ReadonlyMap<string, PostureInput['edges']>;
  worst: Map<string, Severity>;
}

/**
 * The lookups the agent graphs need: the posture index's (built once per input, shared with the
 * rules, so a million identities are not mapped twice) plus the worst open severity per subject.
 */
export function graphIndex(input: PostureInput, findings: readonly ReportFinding[]): GraphIndex {
  const ix = postureIndex(input);
  const gi: GraphIndex = {
    identity: ix.identity,
    linksOfAgent: ix.linksOfAgent,
    grantsOf: ix.grantsOf,
    edgesFrom: ix.edgesFrom,
    worst: new Map(),
  };
  // Only nodes an agent graph can draw (agents, their identities, pivots from those) need a colour.
  const drawn = new Set<string>(input.agents.map((a) => a.id));
  for (const l of input.links) {
    drawn.add(l.identityId);
    for (const e of ix.edgesFrom.get(l.identityId) ?? []) drawn.add(e.toId);
  }
  for (const f of findings) {
    if (f.status !== 'open' || !drawn.has(f.subjectId)) continue;
    const prev = gi.worst.get(f.subjectId);
    if (!prev || SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev]) gi.worst.set(f.subjectId, f.severity);
  }
  return gi;
}

/** The system a grant reaches: the AWS service of its actions, else provider and resource type. */
function systemOf(provider: string, actions: string[], resource: string): string {
  if (provider === 'aws') {
    const svc = actions.map((a) => a.split(':')[0]!.toLowerCase()).find((s) => s && s !== '*');
    return `aws ${svc ?? '*'}`;
  }
  const type = resource.includes('/') ? resource.split('/')[0]! : resource;
  return `${provider} ${type || '*'}`.slice(0, 40);
}

/**
 * A small, readable access graph of one agent: who can invoke it, the identities it holds, the
 * identities those lead to (assume, escalate, read secrets), and the systems their grants reach,
 * aggregated per system with the highest level. Bounded so the page stays legible.
 */
export function agentGraph(
  agent: Agent,
  gi: GraphIndex,
): { nodes: GraphNode[]; edges: GraphEdge[]; truncated: number } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  let truncated = 0;
  const add = (n: GraphNode) => {
    if (seen.has(n.id)) return false;
    seen.add(n.id);
    const sev = gi.worst.get(n.id);
    nodes.push(sev ? { ...n, severity: sev } : n);
    return true;
  };
  add({
    id: agent.id,
    label: agent.name,
    type: 'agent',
    detail: `${agent.kind ?? 'agent'} · ${agent.environment}`,
  });
  for (const v of agent.invokers.slice(0, 8)) {
    const id = `inv:${v.kind}:${v.ref}`;
    add({ id, label: v.ref, type: 'invoker', detail: v.kind });
    edges.push({ from: id, to: agent.id, kind: 'can-invoke' });
  }
  truncated += Math.max(0, agent.invokers.length - 8);
  const ids = [...new Set((gi.linksOfAgent.get(agent.id) ?? []).map((l) => l.identityId))];
  truncated += Math.max(0, ids.length - MAX_IDENTITIES);
  const systems = new Map<string, { level: AccessLevel; count: number }>();
  const sysEdges = new Map<string, AccessLevel>();
  const visitGrants = (fromId: string, provider: string) => {
    for (const g of gi.grantsOf.get(fromId) ?? []) {
      if (g.effect !== 'allow') continue;
      const sys = systemOf(provider, g.actions, g.resources[0] ?? '*');
      const s = systems.get(sys) ?? systems.set(sys, { level: 'none', count: 0 }).get(sys)!;
      s.count += g.resources.length || 1;
      if (LEVEL_RANK[g.level] > LEVEL_RANK[s.level]) s.level = g.level;
      const key = `${fromId}\u0000${sys}`;
      const prev = sysEdges.get(key);
      if (!prev || LEVEL_RANK[g.level] > LEVEL_RANK[prev]) sysEdges.set(key, g.level);
    }
  };
  let pivots = 0;
  for (const id of ids.slice(0, MAX_IDENTITIES)) {
    const i = gi.identity.get(id);
    if (!i) continue;
    add({
      id,
      label: i.name ?? i.nativeId.split(/[/:]/).pop() ?? i.nativeId,
      type: 'identity',
      detail: `${i.provider} ${i.kind}: ${i.nativeId}`,
    });
    edges.push({ from: agent.id, to: id, kind: 'uses' });
    visitGrants(id, i.provider);
    for (const e of gi.edgesFrom.get(id) ?? []) {
      if (!PIVOT_KINDS.has(e.kind)) continue;
      const t = gi.identity.get(e.toId);
      if (!t) continue;
      if (pivots >= MAX_PIVOTS && !seen.has(t.id)) {
        truncated++;
        continue;
      }
      if (
        add({
          id: t.id,
          label: t.name ?? t.nativeId.split(/[/:]/).pop() ?? t.nativeId,
          type: 'pivot',
          detail: `${t.provider} ${t.kind}: ${t.nativeId}`,
        })
      ) {
        pivots++;
        visitGrants(t.id, t.provider);
      }
      edges.push({ from: id, to: t.id, kind: e.kind, ...(e.technique ? { label: e.technique } : {}) });
    }
  }
  const top = [...systems.entries()].sort(
    (a, b) => LEVEL_RANK[b[1].level] - LEVEL_RANK[a[1].level] || b[1].count - a[1].count,
  );
  truncated += Math.max(0, top.length - MAX_SYSTEMS);
  const kept = new Set(top.slice(0, MAX_SYSTEMS).map(([k]) => k));
  for (const [sys, s] of top.slice(0, MAX_SYSTEMS))
    add({
      id: `sys:${sys}`,
      label: sys,
      type: 'system',
      detail: `${s.level} on ${s.count} resource pattern${s.count === 1 ? '' : 's'}`,
    });
  for (const [key, level] of sysEdges) {
    const [from, sys] = key.split('\u0000') as [string, string];
    if (kept.has(sys) && seen.has(from))
      edges.push({ from, to: `sys:${sys}`, kind: 'has-permission', level });
  }
  return { nodes, edges, truncated };
}
