import { recordId, type Identity, type Sensitivity } from '../model/index.js';
import type { AccessGraph } from './access-graph.js';
import { accountOfArn, type AwsAnalysis } from './aws/index.js';
import { GraphBuilder, type EdgeSpec } from './graph-builder.js';
import { analyzeKubernetes, type K8sAnalysis } from './kubernetes/index.js';
import { rbacObjectsFromStore } from './kubernetes/store-adapter.js';
import type { Derived } from './providers/derived.js';
import { entraEscalations } from './providers/entra-escalation.js';
import { gcpEscalations } from './providers/gcp-escalation.js';
import { githubPivots } from './providers/github-pivots.js';
import { secretStorePivots } from './providers/secret-stores.js';
import { adminKey, adminNativeId, type Snapshot } from './snapshot.js';

export interface BuildGraphOptions {
  /** AWS analyses of raw exports (`analyzeAws(parseAwsEnvironment(...))`): their edges and admin paths. */
  aws?: readonly AwsAnalysis[];
  /** Kubernetes analyses to use instead of rebuilding RBAC from the stored records. */
  kubernetes?: readonly K8sAnalysis[];
  /** Expand a wildcard grant resource (`github:org/*`) to at most this many known resources. Default 10,000. */
  maxExpansion?: number;
}

export interface BuiltGraph {
  graph: AccessGraph;
  kubernetes: K8sAnalysis[];
  notes: string[];
}

function globToRegExp(p: string): RegExp {
  return new RegExp(
    '^' +
      p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
}

/**
 * Builds the access graph from store records plus what the provider analyses derive: agents use
 * identities (links), invokers can invoke agents, identities have permissions on resources
 * (grants, wildcards expanded to known resources), stored edges, then GCP impersonation, Entra
 * owners and app roles, GitHub repository-to-workflow pivots, secret stores, Kubernetes RBAC
 * escalation, and the AWS analysis when raw exports are given.
 *
 * @example
 * const { graph } = buildGraphFromSnapshot(await loadSnapshot(store));
 * blastRadius(graph, graph.find(recordId.agent('support-bot')));
 */
export function buildGraphFromSnapshot(s: Snapshot, options: BuildGraphOptions = {}): BuiltGraph {
  const b = new GraphBuilder({
    expectedNodes: s.identities.length + s.resources.length + s.agents.length + 64,
    expectedEdges: s.grants.length * 2 + s.edges.length + 64,
  });
  const notes: string[] = [];
  for (const a of s.agents)
    b.addNode({ key: a.id, kind: 'agent', nativeId: a.name, type: a.kind ?? 'agent' });
  const identityById = new Map<string, Identity>();
  for (const i of s.identities) {
    identityById.set(i.id, i);
    b.addNode({
      key: i.id,
      kind: 'identity',
      nativeId: i.nativeId,
      provider: i.provider,
      type: i.kind,
      ...(i.account ? { account: i.account } : {}),
    });
  }
  for (const o of s.owners) b.addNode({ key: o.id, kind: 'person', nativeId: o.ref, type: 'person' });
  for (const r of s.resources)
    b.addNode({
      key: r.id,
      kind: 'resource',
      nativeId: r.nativeId,
      provider: r.provider,
      type: r.type,
      sensitivity: r.sensitivity,
      ...(r.account ? { account: r.account } : {}),
    });
  /** Node of an id an edge names that no record holds (a dangling reference): kept, marked unknown. */
  const ensure = (key: string): number => {
    const i = b.find(key);
    return i >= 0 ? i : b.addNode({ key, kind: 'unknown' });
  };

  for (const l of s.links)
    b.addEdge(ensure(l.agentId), ensure(l.identityId), 'uses', {
      confidence: l.confidence,
      note: `${l.source}: ${l.evidence}`,
    });

  // Who can make each agent act.
  for (const a of s.agents) {
    for (const inv of a.invokers) {
      let from: number;
      if (inv.kind === 'person')
        from = b.addNode({ key: recordId.owner(inv.ref), kind: 'person', nativeId: inv.ref, type: 'person' });
      else if (inv.kind === 'agent')
        from = b.addNode({ key: recordId.agent(inv.ref), kind: 'agent', nativeId: inv.ref });
      else if (inv.kind === 'group')
        from = b.addNode({
          key: `group:${inv.ref}`,
          kind: 'group',
          nativeId: `group:${inv.ref}`,
          type: 'people-group',
        });
      else from = b.addNode({ key: 'public', kind: 'group', nativeId: 'public', type: 'public' });
      b.addEdge(from, b.find(a.id), 'can-invoke', { note: `${inv.kind} ${inv.ref} may invoke ${a.name}` });
    }
  }

  // Grants: has-permission to the resource each names; wildcards also reach the matching known resources.
  const maxExpansion = options.maxExpansion ?? 10_000;
  const byProvider = new Map<string, { nativeId: string; id: string }[]>();
  for (const r of s.resources)
    (byProvider.get(r.provider) ?? byProvider.set(r.provider, []).get(r.provider)!).push({
      nativeId: r.nativeId,
      id: r.id,
    });
  const expansion = new Map<string, string[]>();
  const expand = (provider: string, pattern: string): string[] => {
    const k = `${provider}\u0000${pattern}`;
    let hit = expansion.get(k);
    if (!hit) {
      const re = globToRegExp(pattern);
      hit = [];
      for (const r of byProvider.get(provider) ?? []) {
        if (r.nativeId !== pattern && re.test(r.nativeId)) hit.push(r.id);
        if (hit.length >= maxExpansion) break;
      }
      expansion.set(k, hit);
    }
    return hit;
  };
  const denied = new Set(s.grants.filter((g) => g.effect === 'deny').map((g) => g.identityId));
  for (const g of s.grants) {
    if (g.effect !== 'allow' || g.level === 'none') continue;
    const idn = identityById.get(g.identityId);
    const provider = idn?.provider ?? 'unknown';
    const from = ensure(g.identityId);
    const conditional = g.conditions !== undefined && Object.keys(g.conditions).length > 0;
    const requested = g.conditions?.requestedOnly === true;
    const confidence = requested ? 0.2 : conditional ? 0.7 : 1;
    const note = `${g.actions.slice(0, 3).join(', ')}${g.actions.length > 3 ? ', …' : ''}${g.via ? ` (${g.via})` : ''}`;
    for (const res of g.resources) {
      const key = recordId.resource(provider, res);
      const to =
        b.find(key) >= 0
          ? b.find(key)
          : b.addNode({
              key,
              kind: 'resource',
              nativeId: res,
              provider,
              type: res.includes('*') ? 'pattern' : 'unlisted',
              ...(g.sensitivity ? { sensitivity: g.sensitivity } : {}),
            });
      b.addEdge(from, to, 'has-permission', { level: g.level, confidence, note });
      // Without the raw export (store only), an unconditional Allow of every action on every
      // resource, with no Deny stored for the identity, is AWS administrator-equivalence.
      if (
        provider === 'aws' &&
        res === '*' &&
        confidence === 1 &&
        !denied.has(g.identityId) &&
        g.actions.some((a) => a === '*' || a === '*:*')
      ) {
        const acc = idn?.account;
        const admin = b.addNode({
          key: adminKey('aws', acc),
          kind: 'admin',
          nativeId: adminNativeId('aws', acc),
          provider: 'aws',
          ...(acc ? { account: acc } : {}),
          type: 'account-admin',
          admin: true,
          sensitivity: 'critical',
        });
        b.addEdge(from, admin, 'has-permission', { level: 'admin', note });
      }
      if (res.includes('*'))
        for (const id of expand(provider, res))
          b.addEdge(from, ensure(id), 'has-permission', {
            level: g.level,
            confidence,
            note: `${note} via ${res}`,
          });
    }
  }

  for (const e of s.edges) {
    const spec: EdgeSpec = { confidence: e.confidence };
    if (e.level) spec.level = e.level;
    if (e.technique) spec.technique = e.technique;
    const via = e.attributes?.via ?? e.attributes?.relation ?? e.attributes?.binding;
    if (typeof via === 'string') spec.note = via;
    b.addEdge(ensure(e.fromId), ensure(e.toId), e.kind, spec);
  }

  const add = (d: Derived) => {
    for (const n of d.nodes) b.addNode(n);
    for (const e of d.edges)
      b.addEdge(ensure(e.from), ensure(e.to), e.kind, {
        note: e.note,
        ...(e.technique ? { technique: e.technique } : {}),
        ...(e.level ? { level: e.level } : {}),
        ...(e.confidence !== undefined ? { confidence: e.confidence } : {}),
      });
    notes.push(...d.notes);
  };
  add(gcpEscalations(s));
  add(entraEscalations(s));
  add(githubPivots(s));
  add(secretStorePivots(s));

  // Kubernetes: RBAC escalation edges between service accounts, and to the cluster's admin node.
  const k8s = options.kubernetes
    ? [...options.kubernetes]
    : [...rbacObjectsFromStore(s.identities, s.resources).values()].map((o) => analyzeKubernetes(o));
  for (const a of k8s) {
    const admin = b.addNode({
      key: adminKey('kubernetes', a.cluster),
      kind: 'admin',
      nativeId: adminNativeId('kubernetes', a.cluster),
      provider: 'kubernetes',
      account: a.cluster,
      type: 'cluster-admin',
      admin: true,
      sensitivity: 'critical',
    });
    const nodeOf = (label: string): number => {
      if (label.startsWith('system:serviceaccount:'))
        return b.addNode({
          key: recordId.identity('kubernetes', label),
          kind: 'identity',
          nativeId: label,
          provider: 'kubernetes',
          type: 'service-account',
          account: a.cluster,
        });
      if (label === 'cluster-admin') return admin;
      return b.addNode({
        key: `k8s:${a.cluster}:${label}`,
        kind: label.startsWith('group:') ? 'group' : label.includes(':') ? 'role' : 'person',
        nativeId: label,
        provider: 'kubernetes',
        account: a.cluster,
      });
    };
    for (const e of a.edges)
      b.addEdge(nodeOf(e.from), e.admin ? admin : nodeOf(e.to), 'escalates-to', {
        technique: e.technique,
        note: e.reason,
        confidence: e.conditional ? 0.5 : 1,
      });
    for (const r of a.rows)
      if (r.admin)
        b.addEdge(nodeOf(r.principal), admin, 'has-permission', {
          level: 'admin',
          note: 'cluster-admin-equivalent RBAC rules',
        });
    notes.push(...a.notes);
  }

  // AWS: edges of the analysis between principals, and each escalating principal to its account's admin node.
  for (const an of options.aws ?? []) {
    const node = (arn: string) => {
      const key = recordId.identity('aws', arn);
      const i = b.find(key);
      if (i >= 0) return i;
      const rkey = recordId.resource('aws', arn);
      if (b.find(rkey) >= 0) return b.find(rkey);
      const principal = /:(user|role|group)\//.test(arn);
      return b.addNode({
        key: principal ? key : rkey,
        kind: principal ? 'identity' : 'resource',
        nativeId: arn,
        provider: 'aws',
        ...(accountOfArn(arn) ? { account: accountOfArn(arn)! } : {}),
      });
    };
    const adminOf = (arn: string) => {
      const acc = accountOfArn(arn) ?? undefined;
      return b.addNode({
        key: adminKey('aws', acc),
        kind: 'admin',
        nativeId: adminNativeId('aws', acc),
        provider: 'aws',
        ...(acc ? { account: acc } : {}),
        type: 'account-admin',
        admin: true,
        sensitivity: 'critical',
      });
    };
    // What the analysis knows of a resource (its listing's or service's sensitivity, its resource
    // policy's exposure) goes onto its node, so blast radius and findings see it whether or not
    // the store holds the resource. A principal's node is left alone; the higher sensitivity wins.
    const resourceNode = (arn: string, sensitivity: Sensitivity | undefined): number => {
      const i = node(arn);
      const rkey = recordId.resource('aws', arn);
      if (sensitivity && b.find(rkey) === i) b.addNode({ key: rkey, kind: 'resource', sensitivity });
      return i;
    };
    for (const x of an.exposures) {
      const to = resourceNode(x.arn, x.sensitivity);
      if (x.exposure !== 'public' && x.exposure !== 'conditional') continue;
      // Anyone may call it (conditional: only under the policy's conditions): an edge from the
      // shared `public` node, as for agents anyone may invoke.
      const pub = b.addNode({ key: 'public', kind: 'group', nativeId: 'public', type: 'public' });
      b.addEdge(pub, to, 'has-permission', {
        ...(x.level ? { level: x.level } : {}),
        confidence: x.exposure === 'public' ? 1 : 0.5,
        note: `${x.exposure} exposure (resource policy from ${x.source}): ${x.why.join('; ')}`,
      });
    }
    for (const e of an.edges) {
      if (e.kind === 'has-permission' && e.sensitivity) resourceNode(e.to, e.sensitivity);
      b.addEdge(node(e.from), node(e.to), e.kind, {
        note: e.reason,
        confidence: e.conditional ? 0.5 : 1,
        ...(e.technique ? { technique: e.technique } : {}),
        ...(e.level ? { level: e.level } : {}),
      });
    }
    for (const r of an.principals) {
      if (!r.escalates) continue;
      const from = node(r.principal);
      if (r.hops === 0)
        b.addEdge(from, adminOf(r.principal), 'has-permission', {
          level: 'admin',
          note: 'administrator-equivalent policies',
        });
      else if (r.path.length <= 1)
        b.addEdge(from, adminOf(r.principal), 'escalates-to', {
          technique: r.technique ?? r.techniques.join(' -> '),
          note: r.uncertain.join('; ') || 'self-escalation',
        });
      else {
        // The last principal of the path is administrator-equivalent: give it the admin edge of
        // its own account (a path may cross into another account through a resource policy or a
        // trust policy).
        const lastArn = r.path[r.path.length - 1]!;
        b.addEdge(node(lastArn), adminOf(lastArn), 'has-permission', {
          level: 'admin',
          note: 'administrator-equivalent policies',
        });
      }
    }
    notes.push(...an.issues);
  }
  return { graph: b.build(), kubernetes: k8s, notes };
}
