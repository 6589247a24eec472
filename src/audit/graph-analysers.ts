import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SourceFile } from '../connectors/index.js';
import {
  analyseAgent,
  analyzeAws,
  awsRows,
  blastRadius,
  buildGraphFromSnapshot,
  graphRows,
  kubernetesRows,
  parseAwsEnvironment,
  type AccessGraph,
  type AwsAnalysis,
  type BlastRadius as GraphBlastRadius,
  type EscalationDetail,
} from '../graph/index.js';
import type { BlastRadius, DeputyFact, EscalationFact } from '../posture/index.js';
import type { ReportSkip } from '../report/index.js';
import type { AnalysisContext, GraphAnalysis } from './audit-service.js';
import { radiusScore } from './grant-reach.js';

/** Identities whose reach is measured on the full graph (the rest keep the stored-grants estimate). */
const MAX_GRAPH_IDENTITIES = 20_000;
/** Resources materialised per blast radius: only the summary counts are used here. */
const LIMIT = 1;

export function toPostureRadius(b: GraphBlastRadius): BlastRadius {
  const s = b.summary;
  const r = {
    resources: s.resources,
    write: s.byLevel.write,
    admin: s.byLevel.admin + s.admin.length,
    sensitive: (s.bySensitivity.high ?? 0) + (s.bySensitivity.critical ?? 0),
    systems: [...s.providers].sort(),
    pivots: s.identities,
    score: 0,
  };
  r.score = radiusScore(r);
  return r;
}

/** Absolute path of an imported file from its display name and the audited paths. */
function locate(display: string, paths: readonly string[]): string | undefined {
  for (const p of paths) {
    const abs = path.resolve(p);
    let base = abs;
    try {
      if (!statSync(abs).isDirectory()) base = path.dirname(abs);
    } catch {
      continue;
    }
    const full = path.join(base, display);
    if (existsSync(full)) return full;
  }
  return undefined;
}

/**
 * The AWS exports the audit imported (authorization details, credential report, access keys,
 * resource listings), re-read as raw JSON for the policy evaluator: escalation needs the policy
 * documents, which the store keeps only as normalised grants.
 */
async function awsAnalysis(ctx: AnalysisContext, notes: ReportSkip[]): Promise<AwsAnalysis | undefined> {
  const jsons: unknown[] = [];
  const labels: string[] = [];
  for (const f of ctx.importReport.files) {
    if (f.status !== 'imported' || !f.format?.startsWith('aws') || /cloudtrail/i.test(f.format)) continue;
    const abs = locate(f.file, ctx.paths);
    if (!abs) continue;
    try {
      const sf = new SourceFile(abs, path.dirname(abs));
      // Text goes as is: the analysis reads JSON and the credential report's CSV alike.
      const text = await sf.text();
      let value: unknown = text;
      try {
        value = JSON.parse(text);
      } catch {
        /* CSV credential report */
      }
      jsons.push(value);
      labels.push(f.file);
      sf.release();
    } catch (e) {
      notes.push({
        file: f.file,
        pointer: 'file',
        reason: `not re-read for escalation analysis: ${(e as Error).message}`,
      });
    }
  }
  if (jsons.length === 0) return undefined;
  const env = parseAwsEnvironment(jsons, labels);
  const an = analyzeAws(env);
  for (const i of an.issues.slice(0, 200))
    notes.push({ file: '(aws analysis)', pointer: 'escalations', reason: i });
  return an;
}

function escalationFacts(rows: EscalationDetail[], ctx: AnalysisContext): EscalationFact[] {
  const byNative = new Map<string, string>();
  for (const i of ctx.input.identities) byNative.set(`${i.provider}\u0000${i.nativeId}`, i.id);
  const out: EscalationFact[] = [];
  for (const r of rows) {
    // Already administrators are the admin-wildcard rule's; here only principals that climb.
    if (!r.escalates || r.hops === 0 || r.technique === 'already-admin') continue;
    const identityId = byNative.get(`${r.provider}\u0000${r.principal}`);
    if (!identityId) continue;
    out.push({
      identityId,
      principal: r.principal,
      technique: r.technique ?? 'unknown',
      hops: r.hops,
      path: r.path,
    });
  }
  return out;
}

/**
 * The access graph's view for the audit: blast radius of every agent and of the identities agents
 * hold, confused deputies, and escalation paths (AWS from the raw exports, Kubernetes RBAC from the
 * store, GCP, Entra, GitHub and secret stores on the graph).
 */
export async function analyseGraph(ctx: AnalysisContext): Promise<GraphAnalysis> {
  const notes: ReportSkip[] = [];
  const aws = await awsAnalysis(ctx, notes);
  const resources = await ctx.store.listResources();
  const { input } = ctx;
  const built = buildGraphFromSnapshot(
    {
      agents: input.agents,
      identities: input.identities,
      owners: input.owners,
      resources,
      grants: input.grants,
      edges: input.edges,
      links: input.links,
    },
    aws ? { aws: [aws] } : {},
  );
  for (const n of built.notes.slice(0, 200))
    notes.push({ file: '(access graph)', pointer: 'graph', reason: n });
  const g: AccessGraph = built.graph;
  const radius = new Map<string, BlastRadius>();
  const deputies = new Map<string, DeputyFact[]>();
  const linked = new Set<string>();
  for (const a of input.agents) {
    const node = g.find(a.id);
    if (node < 0) continue;
    const an = analyseAgent(g, node, { limit: 10_000, maxGained: 1 });
    radius.set(a.id, toPostureRadius(an.blastRadius));
    deputies.set(
      a.id,
      an.confusedDeputies.map((d) => ({
        kind: d.invoker.kind === 'group' && d.invoker.nativeId === 'public' ? 'public' : d.invoker.kind,
        ref: d.invoker.nativeId,
        gains: d.count,
        admin: d.admin.length,
      })),
    );
  }
  for (const l of input.links) linked.add(l.identityId);
  let n = 0;
  for (const id of linked) {
    if (n++ >= MAX_GRAPH_IDENTITIES) break;
    const node = g.find(id);
    if (node >= 0)
      radius.set(id, toPostureRadius(blastRadius(g, node, { limit: LIMIT, followInvoke: false })));
  }
  const rows = [...(aws ? awsRows(aws) : []), ...built.kubernetes.flatMap(kubernetesRows), ...graphRows(g)];
  return { blastRadius: radius, escalations: escalationFacts(rows, ctx), deputies, notes };
}
