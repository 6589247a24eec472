import type { AccessLevel } from '../model/index.js';
import type { AccessGraph } from './access-graph.js';
import { EK, LEVELS } from './graph-codes.js';
import { scopedBlastRadius } from './aws/scope-expansion.js';
import type { BlastRadius, BlastRadiusOptions } from './traverse.js';

export interface Invoker {
  id: string;
  nativeId: string;
  kind: string;
  /** Directly, or through another agent that can invoke this one. */
  via: string[];
}

export interface GainedAccess {
  nativeId: string;
  level: AccessLevel;
  /** What the invoker holds on it alone (`none` when it cannot reach it at all). */
  ownLevel: AccessLevel;
  sensitivity?: string;
  path: string[];
}

/** An invoker that gains, through the agent, access it does not hold itself. */
export interface ConfusedDeputy {
  invoker: Invoker;
  gained: GainedAccess[];
  /** How many resources are gained in total (`gained` may be capped). */
  count: number;
  admin: string[];
}

export interface AgentAnalysis {
  blastRadius: BlastRadius;
  invokers: Invoker[];
  confusedDeputies: ConfusedDeputy[];
}

/**
 * Who can make the agent act: every node with a can-invoke edge to it, and, transitively, those who
 * can invoke an agent that can invoke it.
 */
export function invokersOf(g: AccessGraph, agent: number): Invoker[] {
  const out: Invoker[] = [];
  const seen = new Set<number>([agent]);
  const queue: { node: number; via: string[] }[] = [{ node: agent, via: [] }];
  const { inOffsets, inEdges, sources, kind } = g.a;
  while (queue.length) {
    const { node, via } = queue.shift()!;
    for (let c = inOffsets[node]!; c < inOffsets[node + 1]!; c++) {
      if (kind[inEdges[c]!] !== EK['can-invoke']) continue;
      const u = sources[c]!;
      if (seen.has(u)) continue;
      seen.add(u);
      const inv: Invoker = { id: g.key(u), nativeId: g.nativeId(u), kind: g.kind(u), via };
      out.push(inv);
      if (g.kind(u) === 'agent') queue.push({ node: u, via: [...via, g.nativeId(u)] });
    }
  }
  return out;
}

/**
 * The agent's blast radius (the union over its identities, following every pivot), who can invoke
 * it, and the confused deputies: invokers who, through the agent, reach resources they cannot
 * reach alone or only at a lower level. A public invoker gains everything.
 *
 * @example
 * const { confusedDeputies } = analyseAgent(graph, graph.find(recordId.agent('support-bot')));
 */
export function analyseAgent(
  g: AccessGraph,
  agent: number,
  options: BlastRadiusOptions & { maxGained?: number } = {},
): AgentAnalysis {
  // AWS service scope nodes (`aws:ACCOUNT:s3:*`) stand for every resource of the service in the
  // account: expanded here, at query time, so the graph keeps one edge per principal and service.
  const br = scopedBlastRadius(g, agent, options);
  const invokers = invokersOf(g, agent);
  const maxGained = options.maxGained ?? 50;
  const confusedDeputies: ConfusedDeputy[] = [];
  for (const inv of invokers) {
    const node = g.find(inv.id);
    // What the invoker holds without making any agent act.
    const own = scopedBlastRadius(g, node, { ...options, followInvoke: false });
    const ownLevel = new Map(own.resources.map((r) => [r.id, LEVELS.indexOf(r.level)]));
    const gained: GainedAccess[] = [];
    let count = 0;
    const admin: string[] = [];
    for (const r of br.resources) {
      const mine = ownLevel.get(r.id) ?? 0;
      if (LEVELS.indexOf(r.level) <= mine) continue;
      count++;
      if (r.admin) admin.push(r.nativeId);
      if (gained.length < maxGained) {
        const ga: GainedAccess = {
          nativeId: r.nativeId,
          level: r.level,
          ownLevel: LEVELS[mine]!,
          path: [inv.nativeId, ...inv.via, ...r.path],
        };
        if (r.sensitivity) ga.sensitivity = r.sensitivity;
        gained.push(ga);
      }
    }
    if (count > 0) confusedDeputies.push({ invoker: inv, gained, count, admin });
  }
  return { blastRadius: br, invokers, confusedDeputies };
}
