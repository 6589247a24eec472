import type { Command } from 'commander';
import { buildInventory, type AgentView, type Inventory, type OwnerView } from '../../inventory/index.js';
import { parseFormat, type CommandContext } from '../context.js';
import { day, plural, table } from '../format.js';

export function registerInventory(program: Command, ctx: CommandContext): void {
  program
    .command('inventory')
    .description('agents with their identities, owners, status, expiry and last use')
    .option('--agent <name>', 'only this agent, with its whole access chain')
    .option('--format <format>', 'output: table or json (documented in docs/cli.md)', 'table')
    .option('--summary', 'counts and one line per agent')
    .option('--unlinked-limit <n>', 'how many identities with no known agent to list', '1000')
    .action(async (opts: { agent?: string; format?: string; summary?: boolean; unlinkedLimit: string }) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const store = await ctx.openStore();
      try {
        const inv = await buildInventory(store, {
          ...(opts.agent !== undefined ? { agent: opts.agent } : {}),
          unlinkedLimit: Math.max(0, Number(opts.unlinkedLimit) || 0),
        });
        if (format === 'json') ctx.io.stdout.write(JSON.stringify(inv, null, 2) + '\n');
        else ctx.io.stdout.write(opts.summary ? renderSummary(inv) : renderInventory(inv));
      } finally {
        await store.close();
      }
    });
}

function owner(o: OwnerView | null): string {
  if (!o) return 'no owner';
  return o.status === 'departed' ? `${o.ref} (departed)` : o.ref;
}

function agentLine(a: AgentView): string {
  return `${a.name}  [${a.kind ?? 'kind unknown'}, ${a.environment}, ${a.status}${a.declared ? '' : ', undeclared'}]  owner: ${owner(a.owner)}`;
}

export function renderInventory(inv: Inventory): string {
  let out = '';
  for (const a of inv.agents) {
    out += agentLine(a) + '\n';
    if (a.purpose) out += `  purpose: ${a.purpose}\n`;
    if (a.identities.length === 0) {
      out += '  (no identities known)\n\n';
      continue;
    }
    out += table(
      [
        ['PROVIDER', 'KIND', 'IDENTITY', 'STATUS', 'OWNER', 'EXPIRES', 'LAST USED', 'VIA'],
        ...a.identities.map((i) => [
          i.provider,
          i.kind,
          i.name && i.name !== i.nativeId ? `${i.name} (${i.nativeId})` : i.nativeId,
          i.status,
          owner(i.owner),
          i.expiresAt ? day(i.expiresAt) : 'never',
          day(i.lastUsedAt),
          i.links.map((l) => l.source).join(',') +
            (i.sharedWith.length ? ` +${i.sharedWith.length} agents` : ''),
        ]),
      ],
      { indent: '  ', max: [12, 22, 64, 9, 28, 10, 10, 30] },
    );
    out += '\n';
  }
  if (inv.unlinked.length) {
    out += `No agent known (${plural(inv.totals.unlinkedIdentities, 'identity')}${inv.unlinked.length < inv.totals.unlinkedIdentities ? `, first ${inv.unlinked.length} shown` : ''}):\n`;
    out += table(
      [
        ['PROVIDER', 'KIND', 'IDENTITY', 'STATUS', 'OWNER', 'EXPIRES', 'LAST USED'],
        ...inv.unlinked.map((i) => [
          i.provider,
          i.kind,
          i.nativeId,
          i.status,
          owner(i.owner),
          i.expiresAt ? day(i.expiresAt) : 'never',
          day(i.lastUsedAt),
        ]),
      ],
      { indent: '  ', max: [12, 22, 70, 9, 28, 10, 10] },
    );
  }
  return out + renderTotals(inv);
}

function renderTotals(inv: Inventory): string {
  const t = inv.totals;
  return `\n${plural(t.agents, 'agent')}, ${plural(t.identities, 'identity')} (${t.linkedIdentities} linked to an agent, ${t.unlinkedIdentities} with no agent known), ${plural(t.owners, 'owner')} (${t.departedOwners} departed)\n`;
}

export function renderSummary(inv: Inventory): string {
  const rows = inv.agents.map((a) => [
    a.name,
    a.kind ?? '?',
    a.environment,
    a.status,
    owner(a.owner),
    String(a.identities.length),
    [...new Set(a.identities.map((i) => i.provider))].sort().join(','),
  ]);
  return (
    table([['AGENT', 'KIND', 'ENV', 'STATUS', 'OWNER', 'IDENTITIES', 'PROVIDERS'], ...rows], {
      max: [30, 22, 11, 9, 30, 10, 60],
    }) + renderTotals(inv)
  );
}
