import type { AccessGraph } from './access-graph.js';
import type { AwsAnalysis } from './aws/index.js';
import type { K8sAnalysis } from './kubernetes/index.js';
import { findPaths } from './paths.js';

/** One row of `warden escalations` (docs/cli.md, "warden escalations"). */
export interface EscalationRow {
  /** Native id: AWS ARN, `system:serviceaccount:NS:NAME`, GCP SA email, Entra appId, GitHub id. */
  principal: string;
  /** That principal alone can reach administrator-equivalent access of its own account or cluster. */
  escalates: boolean;
  /** `already-admin`, one technique, or a chain joined by ` -> `; null when it does not escalate. */
  technique: string | null;
  hops: number;
  path: string[];
}

export interface EscalationDetail extends EscalationRow {
  provider: string;
  account?: string;
  conditional: boolean;
  /** Why a result is uncertain (missing policies, unknown operators, conditions). */
  uncertain: string[];
}

/** Identity kinds that act as principals (credentials such as keys are their holders' means). */
const PRINCIPAL_KINDS = new Set([
  'service-account',
  'oauth-app',
  'cloud-role',
  'cloud-user',
  'workload-identity',
  'personal-access-token',
  'bot-token',
  'ssh-key',
  'vault-role',
  'api-key',
  'ci-secret',
  'unknown',
]);

export function awsRows(an: AwsAnalysis): EscalationDetail[] {
  return an.principals.map((p) => {
    const d: EscalationDetail = {
      principal: p.principal,
      escalates: p.escalates,
      technique: p.escalates ? (p.technique ?? null) : null,
      hops: p.escalates ? p.hops : 0,
      path: p.escalates ? p.path : [],
      provider: 'aws',
      conditional: p.conditional,
      uncertain: p.uncertain,
    };
    const acc = /^arn:aws[^:]*:iam::(\d{12}):/.exec(p.principal)?.[1];
    if (acc) d.account = acc;
    return d;
  });
}

export function kubernetesRows(an: K8sAnalysis): EscalationDetail[] {
  return an.rows.map((r) => ({
    principal: r.principal,
    escalates: r.escalates,
    technique: r.technique,
    hops: r.hops,
    path: r.path,
    provider: 'kubernetes',
    account: r.cluster,
    conditional: r.conditional,
    uncertain: r.uncertain ? an.notes : [],
  }));
}

/**
 * Rows for the providers analysed on the graph (GCP, Entra, GitHub, Vault, ...): the shortest path
 * from the principal to an administrator-equivalent node of its own provider and account. Paths
 * through conditional edges (confidence < 1) do not count as escalations.
 */
export function graphRows(
  g: AccessGraph,
  skipProviders: ReadonlySet<string> = new Set(['aws', 'kubernetes']),
): EscalationDetail[] {
  const out: EscalationDetail[] = [];
  for (let i = 0; i < g.nodeCount; i++) {
    if (g.kind(i) !== 'identity') continue;
    const provider = g.provider(i);
    if (!provider || skipProviders.has(provider)) continue;
    if (!PRINCIPAL_KINDS.has(g.type(i) ?? 'unknown')) continue;
    const account = g.account(i);
    const paths = findPaths(g, i, 'admin', { followInvoke: false, limit: 20 }).filter((p) => {
      const t = p.targetNode;
      return g.provider(t) === provider && (!account || !g.account(t) || g.account(t) === account);
    });
    const sure = paths.find((p) => p.confidence >= 1);
    const best = sure ?? paths[0];
    const row: EscalationDetail = {
      principal: g.nativeId(i),
      escalates: !!sure,
      technique: null,
      hops: 0,
      path: [],
      provider,
      conditional: !sure && !!best,
      uncertain: [],
    };
    if (account) row.account = account;
    if (sure) {
      const techs = sure.chain
        .filter(
          (c) =>
            c.kind === 'escalates-to' ||
            c.kind === 'can-assume' ||
            c.kind === 'exposes' ||
            c.kind === 'reads-secret-of',
        )
        .map((c) => c.technique ?? c.kind);
      const direct = sure.chain.length === 1 && sure.chain[0]!.kind === 'has-permission';
      row.technique = direct
        ? 'already-admin'
        : techs.join(' -> ') || sure.chain.map((c) => c.technique ?? c.kind).join(' -> ');
      row.hops = direct ? 0 : sure.chain.length - (sure.chain.at(-1)!.kind === 'has-permission' ? 1 : 0);
      // The path ends at the principal or node holding admin, or at the admin target itself.
      row.path = direct
        ? [row.principal]
        : sure.chain.at(-1)!.kind === 'has-permission'
          ? sure.path.slice(0, -1)
          : sure.path;
    } else if (best) row.uncertain.push(`only a conditional path: ${best.path.join(' -> ')}`);
    out.push(row);
  }
  return out;
}

/** The public row shape, exactly the five documented fields. */
export function toRow(d: EscalationRow): EscalationRow {
  return {
    principal: d.principal,
    escalates: d.escalates,
    technique: d.technique,
    hops: d.hops,
    path: d.path,
  };
}
