import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SourceFile } from '../connectors/index.js';
import { recordId, type Resource } from '../model/index.js';
import {
  analyseAgent,
  analyzeAws,
  awsRows,
  scopedBlastRadius,
  buildGraphFromSnapshot,
  graphRows,
  kubernetesRows,
  parseAwsEnvironment,
  secretHoldersFromRecords,
  setSecretHolders,
  type AccessGraph,
  type AwsAnalysis,
  type BlastRadius as GraphBlastRadius,
  type EscalationDetail,
} from '../graph/index.js';
import { postureIndex, type BlastRadius, type DeputyFact, type EscalationFact } from '../posture/index.js';
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
async function awsAnalysis(
  ctx: AnalysisContext,
  resources: readonly Resource[],
  notes: ReportSkip[],
): Promise<AwsAnalysis | undefined> {
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
  // Secrets known to hold another identity's credential make that identity reachable.
  setSecretHolders(env, secretHoldersFromRecords(resources, ctx.input.identities));
  const an = analyzeAws(env);
  for (const i of an.issues.slice(0, 200))
    notes.push({ file: '(aws analysis)', pointer: 'escalations', reason: i });
  return an;
}

function escalationFacts(rows: EscalationDetail[], ctx: AnalysisContext): EscalationFact[] {
  // The posture index's native-id map (provider lower-cased), built on first use.
  const ix = postureIndex(ctx.input);
  const out: EscalationFact[] = [];
  for (const r of rows) {
    // Already administrators are the admin-wildcard rule's; here only principals that climb.
    if (!r.escalates || r.hops === 0 || r.technique === 'already-admin') continue;
    const identityId = ix.native.get(`${r.provider.toLowerCase()}\u0000${r.principal}`)?.id;
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
 * Providers whose graph analyses read identity records themselves (Entra roles, Kubernetes RBAC)
 * or add their principals as nodes (the AWS policy analysis): always given whole.
 */
const READ_BY_PROVIDER_ANALYSIS = new Set(['aws', 'azure', 'kubernetes']);

/** Every `{provider, nativeId}` reference in a resource's attributes (top level, or in a list). */
function attributeRefs(attributes: Record<string, unknown> | undefined, out: Set<string>): void {
  for (const v of Object.values(attributes ?? {}))
    for (const x of Array.isArray(v) ? v : [v]) {
      const r = x as { provider?: unknown; nativeId?: unknown } | null;
      if (r && typeof r === 'object' && typeof r.provider === 'string' && typeof r.nativeId === 'string')
        out.add(recordId.identity(r.provider, r.nativeId));
    }
}

/**
 * The identities the access graph needs: those any relation names (links, grants, edges, resource
 * attributes, service-account grants), those whose provider analysis reads identity records
 * (AWS, Entra, Kubernetes), those with a fingerprint a secret store may hold, and every GCP service
 * account when project-level impersonation is in play. The rest (in a big inventory, most of a
 * million discovered service accounts) are nodes without a single edge: they reach nothing, no one
 * reaches them, so leaving them out changes no blast radius, path or escalation, and saves the
 * graph a million nodes.
 */
export function graphIdentities(
  input: AnalysisContext['input'],
  resources: readonly { attributes?: Record<string, unknown> | undefined }[],
): AnalysisContext['input']['identities'] {
  const named = new Set<string>();
  for (const l of input.links) named.add(l.identityId);
  for (const g of input.grants) {
    named.add(g.identityId);
    for (const r of g.resources) {
      const m = /\/serviceAccounts\/([^/]+)$/.exec(r);
      if (m) named.add(recordId.identity('gcp', m[1]!));
    }
  }
  let gcpImpersonation = false;
  for (const e of input.edges) {
    named.add(e.fromId);
    named.add(e.toId);
    if (e.technique === 'gcp-impersonation') gcpImpersonation = true;
  }
  for (const r of resources) attributeRefs(r.attributes, named);
  const kept = input.identities.filter(
    (i) =>
      named.has(i.id) ||
      i.fingerprint !== undefined ||
      READ_BY_PROVIDER_ANALYSIS.has(i.provider) ||
      (gcpImpersonation && i.provider === 'gcp'),
  );
  return kept.length === input.identities.length ? input.identities : kept;
}

/**
 * The access graph's view for the audit: blast radius of every agent and of the identities agents
 * hold, confused deputies, and escalation paths (AWS from the raw exports, Kubernetes RBAC from the
 * store, GCP, Entra, GitHub and secret stores on the graph).
 */
export async function analyseGraph(
  ctx: AnalysisContext,
  options: { allIdentities?: boolean } = {},
): Promise<GraphAnalysis> {
  const notes: ReportSkip[] = [];
  const resources = await ctx.store.listResources();
  const aws = await awsAnalysis(ctx, resources, notes);
  const { input } = ctx;
  const built = buildGraphFromSnapshot(
    {
      agents: input.agents,
      identities: options.allIdentities ? input.identities : graphIdentities(input, resources),
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
      radius.set(
        id,
        // An identity's grant on every resource of a service is one edge to a service node: count
        // the resources behind it, as an agent's blast radius does.
        toPostureRadius(scopedBlastRadius(g, node, { limit: LIMIT, followInvoke: false })),
      );
  }
  const rows = [...(aws ? awsRows(aws) : []), ...built.kubernetes.flatMap(kubernetesRows), ...graphRows(g)];
  return { blastRadius: radius, escalations: escalationFacts(rows, ctx), deputies, notes };
}
