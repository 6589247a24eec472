import { ConfigSchema } from '../../config/index.js';
import {
  recordId,
  type Agent,
  type Edge,
  type Grant,
  type Identity,
  type Link,
  type Owner,
} from '../../model/index.js';
import type { BlastRadius, PostureInput, UsageSummary } from '../posture-types.js';

/** Builders for posture tests: plain records with sensible defaults, ids from natural keys. */
export const NOW = '2026-06-01T00:00:00.000Z';

export function daysAgo(n: number, from = NOW): string {
  return new Date(Date.parse(from) - n * 86_400_000).toISOString();
}

export function daysAhead(n: number, from = NOW): string {
  return new Date(Date.parse(from) + n * 86_400_000).toISOString();
}

export function identity(o: Partial<Identity> & { nativeId: string }): Identity {
  const provider = o.provider ?? 'aws';
  return {
    kind: 'access-key',
    status: 'active',
    ...o,
    provider,
    id: o.id ?? recordId.identity(provider, o.nativeId),
  };
}

export function agent(o: Partial<Agent> & { name: string }): Agent {
  return {
    environment: 'production',
    status: 'active',
    invokers: [],
    approvalRequired: false,
    declared: true,
    ownerRef: 'owner@acme.test',
    ...o,
    id: o.id ?? recordId.agent(o.name),
  };
}

export function owner(ref: string, status: Owner['status'] = 'active', extra: Partial<Owner> = {}): Owner {
  return { id: recordId.owner(ref), ref, status, ...extra };
}

export function link(a: Agent, i: Identity, source: Link['source'] = 'declared', confidence = 1): Link {
  return {
    id: recordId.link(a.id, i.id, source),
    agentId: a.id,
    identityId: i.id,
    source,
    evidence: `test ${source}`,
    confidence,
  };
}

export function grant(i: Identity, o: Partial<Grant> & { actions: string[] }): Grant {
  return {
    effect: 'allow',
    resources: ['*'],
    level: 'read',
    ...o,
    id: o.id ?? recordId.grant(i.id, o.actions.join(',') + (o.resources ?? ['*']).join(',')),
    identityId: i.id,
  };
}

export function edge(kind: Edge['kind'], from: string, to: string, extra: Partial<Edge> = {}): Edge {
  return { id: recordId.edge(kind, from, to), kind, fromId: from, toId: to, confidence: 1, ...extra };
}

export function usage(actions: Record<string, string[]>, o: Partial<UsageSummary> = {}): UsageSummary {
  return {
    actions: Object.keys(actions),
    resourcesByAction: actions,
    count: Object.keys(actions).length,
    failures: 0,
    firstTime: daysAgo(20),
    lastTime: daysAgo(1),
    ...o,
  };
}

export function radius(o: Partial<BlastRadius> = {}): BlastRadius {
  return { resources: 10, write: 2, admin: 0, sensitive: 1, systems: ['aws'], pivots: 0, score: 0.5, ...o };
}

/** A PostureInput with config defaults; pass only what the test is about. */
export function postureInput(o: Partial<PostureInput> = {}): PostureInput {
  const config = ConfigSchema.parse({});
  return {
    now: NOW,
    agents: [],
    identities: [],
    links: [],
    owners: [],
    grants: [],
    usage: new Map(),
    edges: [],
    escalations: [],
    leaks: [],
    blastRadius: new Map(),
    thresholds: config.posture,
    usageObserved: (o.usage?.size ?? 0) > 0,
    ...o,
  };
}

/** An AWS role of account 111122223333 with `trust` as its trust policy (as the AWS connector stores it). */
export function awsRole(name: string, trust: unknown, extra: Partial<Identity> = {}): Identity {
  return identity({
    nativeId: `arn:aws:iam::111122223333:role/${name}`,
    kind: 'cloud-role',
    attributes: { trustPolicy: trust },
    ...extra,
  });
}
