import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { CONNECTORS, importPaths, SourceFile } from '../../connectors/index.js';
import { WardenError } from '../../errors/index.js';
import {
  analyzeAws,
  analyzeKubernetes,
  awsRows,
  buildGraphFromSnapshot,
  emptyRbacObjects,
  graphRows,
  kubernetesRows,
  loadSnapshot,
  looksLikeKubernetes,
  parseAwsEnvironment,
  secretHoldersFromRecords,
  setSecretHolders,
  parseK8sText,
  toRow,
  type AwsAnalysis,
  type BuiltGraph,
  type EscalationDetail,
  type K8sAnalysis,
} from '../../graph/index.js';
import { Store } from '../../store/index.js';
import { parseFormat, type CommandContext } from '../context.js';
import { table } from '../format.js';

/** What the graph commands analyse: the configured store, or a temporary one filled from inputs. */
export interface Prepared {
  built: BuiltGraph;
  aws: AwsAnalysis[];
  store: Store;
  close(): Promise<void>;
}

function bestConnector(file: SourceFile): string | undefined {
  let best: string | undefined;
  let score = 0;
  for (const c of CONNECTORS) {
    let v = 0;
    try {
      v = c.detect(file);
    } catch {
      v = 0;
    }
    if (v > score) [best, score] = [c.id, v];
  }
  return best;
}

function walk(p: string, out: string[], depth = 0): void {
  let st;
  try {
    st = statSync(p);
  } catch {
    return;
  }
  if (st.isFile()) out.push(p);
  else if (st.isDirectory() && depth < 32) {
    for (const n of readdirSync(p).sort())
      if (!n.startsWith('.') || n === '.github') walk(path.join(p, n), out, depth + 1);
  }
}

/**
 * Opens the store to analyse. With inputs: imports them into a temporary SQLite store (every
 * connector), feeds the raw AWS exports to the AWS analysis and the raw Kubernetes manifests to the
 * RBAC analysis (so their semantics do not depend on what the store keeps), and reports unreadable
 * inputs on stderr. Without inputs: the configured store.
 */
export async function prepareAnalysis(ctx: CommandContext, inputs: readonly string[]): Promise<Prepared> {
  const err = ctx.io.stderr;
  if (inputs.length === 0) {
    const store = await ctx.openStore();
    const built = buildGraphFromSnapshot(await loadSnapshot(store));
    return { built, aws: [], store, close: () => store.close() };
  }
  const abs = inputs.map((p) => path.resolve(ctx.io.cwd, p));
  for (const p of abs) {
    try {
      statSync(p);
    } catch {
      throw new WardenError('WARDEN_INPUT_UNREADABLE', `${p}: no such file or folder`);
    }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-graph-'));
  const store = await Store.open(path.join(dir, 'warden.db'));
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const report = await importPaths({ store, config: ctx.config(), connectors: CONNECTORS, paths: abs });
    for (const f of report.files) {
      if (f.error) err.write(`warden: ${f.error.message}\n`);
      for (const s of f.skipped.slice(0, 20))
        err.write(`warden: ${f.file} ${s.pointer}: skipped: ${s.reason}\n`);
    }
    for (const i of report.issues) err.write(`warden: ${i.file}: ${i.reason}\n`);
    // Raw AWS exports for the policy evaluator (it reads the documents the store does not keep):
    // the files the AWS connectors recognise, CloudTrail logs excepted.
    const files: string[] = [];
    for (const p of abs) walk(p, files);
    const aws: AwsAnalysis[] = [];
    const jsons: unknown[] = [];
    const labels: string[] = [];
    for (const f of files) {
      if (!/\.(json|csv)(\.gz)?$/i.test(f)) continue;
      const sf = new SourceFile(f);
      const id = bestConnector(sf);
      // Logs of events (delivered files, lookup-events output) say nothing about permissions.
      if (!id?.startsWith('aws-') || id.startsWith('aws-cloudtrail')) continue;
      try {
        // The credential report CSV is passed as text; everything else as parsed JSON.
        jsons.push(/\.csv(\.gz)?$/i.test(f) ? await sf.text() : await sf.json());
        labels.push(path.relative(ctx.io.cwd, f) || f);
      } catch (e) {
        err.write(`warden: ${(e as Error).message}\n`);
      }
    }
    const snapshot = await loadSnapshot(store);
    if (jsons.length > 0) {
      const env = parseAwsEnvironment(jsons, labels);
      // Secrets known to hold another identity's credential make that identity reachable.
      setSecretHolders(env, secretHoldersFromRecords(snapshot.resources, snapshot.identities));
      for (const i of env.issues.slice(0, 50)) err.write(`warden: ${i.source} ${i.pointer}: ${i.message}\n`);
      aws.push(analyzeAws(env));
    }
    // Raw Kubernetes manifests and kubectl JSON for the RBAC analysis.
    const k8s = emptyRbacObjects();
    let k8sFiles = 0;
    for (const f of files) {
      if (!/\.(ya?ml|json)$/i.test(f)) continue;
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      if (!looksLikeKubernetes(text)) continue;
      k8sFiles++;
      parseK8sText(text, path.relative(ctx.io.cwd, f) || f, k8s);
    }
    const kubernetes: K8sAnalysis[] = [];
    if (k8sFiles > 0) {
      for (const i of k8s.issues.slice(0, 50)) err.write(`warden: ${i.pointer}: ${i.reason}\n`);
      kubernetes.push(analyzeKubernetes(k8s));
    }
    const recognised = report.files.some((f) => f.status === 'imported') || k8sFiles > 0;
    if (!recognised)
      throw new WardenError('WARDEN_NOTHING_RECOGNISED', `nothing recognisable in ${inputs.join(', ')}`);
    const built = buildGraphFromSnapshot(snapshot, { aws, ...(k8sFiles > 0 ? { kubernetes } : {}) });
    return { built, aws, store, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Every principal analysed: AWS (policy evaluation), Kubernetes (RBAC), then the other providers (graph). */
export function escalationRows(p: Prepared): EscalationDetail[] {
  const rows: EscalationDetail[] = [];
  for (const a of p.aws) rows.push(...awsRows(a));
  for (const k of p.built.kubernetes) rows.push(...kubernetesRows(k));
  const skip = new Set(['kubernetes', ...(p.aws.length > 0 ? ['aws'] : [])]);
  rows.push(...graphRows(p.built.graph, skip));
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = `${r.provider}\u0000${r.principal}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function registerEscalations(program: Command, ctx: CommandContext): void {
  program
    .command('escalations')
    .description(
      'which principals can escalate to administrator-equivalent access, by which technique and path',
    )
    .argument(
      '[inputs...]',
      'files or folders to import into a temporary store first (default: the configured store)',
    )
    .option('--format <format>', 'output: table or json (documented in docs/cli.md)', 'table')
    .option('--only-escalating', 'list only principals that escalate')
    .action(async (inputs: string[], opts: { format?: string; onlyEscalating?: boolean }) => {
      const format = parseFormat(opts.format, ['table', 'json'] as const, 'table');
      const prepared = await prepareAnalysis(ctx, inputs);
      try {
        let rows = escalationRows(prepared);
        if (opts.onlyEscalating) rows = rows.filter((r) => r.escalates);
        if (format === 'json') {
          ctx.io.stdout.write(JSON.stringify(rows.map(toRow), null, 2) + '\n');
          return;
        }
        const body = rows.map((r) => [
          r.provider,
          r.principal,
          r.escalates ? 'yes' : r.conditional ? 'conditional' : 'no',
          r.technique ?? '-',
          String(r.hops),
          r.path.join(' -> ') || '-',
        ]);
        ctx.io.stdout.write(
          table([['PROVIDER', 'PRINCIPAL', 'ESCALATES', 'TECHNIQUE', 'HOPS', 'PATH'], ...body], {
            max: [10, 70, 11, 50, 4, 200],
          }),
        );
        const n = rows.filter((r) => r.escalates).length;
        ctx.io.stdout.write(
          `\n${n} of ${rows.length} principals can reach administrator-equivalent access.\n`,
        );
        for (const r of rows)
          for (const u of r.uncertain.slice(0, 3)) ctx.io.stderr.write(`note: ${r.principal}: ${u}\n`);
      } finally {
        await prepared.close();
      }
    });
}
