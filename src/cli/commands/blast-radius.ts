import type { Command } from 'commander';
import { WardenError } from '../../errors/index.js';
import {
  analyseAgent,
  scopedBlastRadius,
  type AccessGraph,
  type AgentAnalysis,
  type BlastRadius,
  writeReachedJson,
} from '../../graph/index.js';
import { recordId } from '../../model/index.js';
import { parseFormat, type CommandContext } from '../context.js';
import { plural, table } from '../format.js';
import { prepareAnalysis } from './escalations.js';

/**
 * The node a person names on the command line: an agent by name, else an identity (or any node) by
 * native id, else a record id.
 */
export function resolveNode(g: AccessGraph, ref: string): number {
  const agent = g.find(recordId.agent(ref));
  if (agent >= 0) return agent;
  const found = g.findByNativeId(ref);
  const rank = (n: number) =>
    ['agent', 'identity', 'person', 'group', 'role', 'resource', 'admin', 'policy', 'unknown'].indexOf(
      g.kind(n),
    );
  found.sort((a, b) => rank(a) - rank(b));
  if (found.length > 0) return found[0]!;
  throw new WardenError('WARDEN_NOT_FOUND', `no agent, identity or resource named '${ref}' in the graph`);
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Graphviz DOT of the shortest chains to every resource reached. */
export function toDot(br: BlastRadius): string {
  const edges = new Set<string>();
  const nodes = new Map<string, string>();
  for (const s of br.start) nodes.set(s.nativeId, 'doubleoctagon');
  for (const r of br.resources) {
    nodes.set(r.nativeId, r.admin ? 'octagon' : 'box');
    for (const c of r.chain)
      edges.add(`  ${quote(c.from)} -> ${quote(c.to)} [label=${quote(c.technique ?? c.level ?? c.kind)}];`);
  }
  for (const i of br.identities)
    for (const c of i.chain)
      edges.add(`  ${quote(c.from)} -> ${quote(c.to)} [label=${quote(c.technique ?? c.kind)}];`);
  let out = 'digraph blast_radius {\n  rankdir=LR;\n  node [shape=ellipse];\n';
  for (const [n, shape] of nodes) out += `  ${quote(n)} [shape=${shape}];\n`;
  return out + [...edges].join('\n') + '\n}\n';
}

function render(br: BlastRadius, agent: AgentAnalysis | undefined): string {
  let out = `Blast radius of ${br.start.map((s) => `${s.nativeId} (${s.kind})`).join(', ')}: ${plural(br.summary.resources, 'resource')}, ${plural(br.summary.identities, 'identity')} reachable`;
  out += br.summary.admin.length ? `; ADMINISTRATOR of ${br.summary.admin.join(', ')}\n\n` : '\n\n';
  const rows = br.resources.map((r) => [
    r.level,
    r.sensitivity ?? '-',
    r.provider ?? '-',
    r.nativeId,
    String(r.hops),
    r.chain.map((c) => c.technique ?? c.kind).join(' > '),
    r.path.join(' -> '),
  ]);
  if (rows.length)
    out += table([['LEVEL', 'SENSITIVITY', 'PROVIDER', 'RESOURCE', 'HOPS', 'VIA', 'CHAIN'], ...rows], {
      max: [6, 11, 10, 70, 4, 50, 200],
    });
  if (br.identities.length) {
    out += `\nIdentities reachable:\n`;
    out += table(
      [
        ['IDENTITY', 'KIND', 'HOPS', 'CHAIN'],
        ...br.identities.map((i) => [i.nativeId, i.type ?? i.kind, String(i.hops), i.path.join(' -> ')]),
      ],
      { indent: '  ', max: [70, 20, 4, 200] },
    );
  }
  if (agent) {
    out += `\nWho can make it act: ${agent.invokers.length ? agent.invokers.map((i) => i.nativeId + (i.via.length ? ` (via ${i.via.join(', ')})` : '')).join(', ') : 'no invoker declared'}\n`;
    for (const d of agent.confusedDeputies) {
      out += `  CONFUSED DEPUTY: ${d.invoker.nativeId} gains ${plural(d.count, 'resource')} it cannot reach alone${d.admin.length ? `, including admin of ${d.admin.join(', ')}` : ''}\n`;
    }
  }
  return out;
}

export function registerBlastRadius(program: Command, ctx: CommandContext): void {
  program
    .command('blast-radius')
    .description('every resource an agent or identity can reach, with its level and the shortest chain')
    .argument('<target>', 'agent name, or identity native id (ARN, system:serviceaccount:NS:NAME, ...)')
    .argument(
      '[inputs...]',
      'files or folders to import into a temporary store first (default: the configured store)',
    )
    .option('--format <format>', 'output: table, json or dot', 'table')
    .option('--limit <n>', 'list at most this many resources (the summary counts all)', '10000')
    .action(async (target: string, inputs: string[], opts: { format?: string; limit: string }) => {
      const format = parseFormat(opts.format, ['table', 'json', 'dot'] as const, 'table');
      const prepared = await prepareAnalysis(ctx, inputs);
      try {
        const g = prepared.built.graph;
        const node = resolveNode(g, target);
        const limit = Math.max(1, Number(opts.limit) || 10000);
        const agent = g.kind(node) === 'agent' ? analyseAgent(g, node, { limit }) : undefined;
        const br = agent?.blastRadius ?? scopedBlastRadius(g, node, { limit });
        if (format === 'json') {
          const out = agent
            ? { ...br, invokers: agent.invokers, confusedDeputies: agent.confusedDeputies }
            : br;
          // The text of JSON.stringify(out, null, 2), in chunks, each chain's text made once.
          writeReachedJson(out, (chunk) => ctx.io.stdout.write(chunk));
          ctx.io.stdout.write('\n');
        } else if (format === 'dot') ctx.io.stdout.write(toDot(br));
        else ctx.io.stdout.write(render(br, agent));
      } finally {
        await prepared.close();
      }
    });
}
