import type { Agent, Edge, Grant, Identity, Link, Owner, Resource } from '../model/index.js';
import { parseJson } from './json.js';
import type {
  AgentsTable,
  EdgesTable,
  GrantsTable,
  IdentitiesTable,
  LinksTable,
  OwnersTable,
  ResourcesTable,
} from './schema.js';

/** A stored record with its soft-history stamps. */
export type Stored<T> = T & { firstSeen: string; updatedAt: string; goneAt?: string };

type Defined<T> = { [K in keyof T]: T[K] };

/** Drops undefined values so exactOptionalPropertyTypes holds for optional fields. */
function compact<T extends object>(o: T): Defined<T> {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined || o[k] === null) delete o[k];
  return o;
}

function history(r: { first_seen: string; updated_at: string; gone_at: string | null }) {
  return { firstSeen: r.first_seen, updatedAt: r.updated_at, goneAt: r.gone_at ?? undefined };
}

export function toAgent(r: AgentsTable): Stored<Agent> {
  return compact({
    id: r.id,
    name: r.name,
    kind: (r.kind ?? undefined) as Agent['kind'],
    ownerRef: r.owner_ref ?? undefined,
    purpose: r.purpose ?? undefined,
    environment: (r.environment ?? 'unknown') as Agent['environment'],
    status: (r.status ?? 'unknown') as Agent['status'],
    expectedEnd: r.expected_end ?? undefined,
    decommissionTrigger: r.decommission_trigger ?? undefined,
    invokers: parseJson(r.invokers, []),
    approvalRequired: r.approval_required === 1,
    declared: r.declared === 1,
    attributes: parseJson(r.attributes, undefined),
    ...history(r),
  }) as Stored<Agent>;
}

export function toIdentity(r: IdentitiesTable): Stored<Identity> {
  return compact({
    id: r.id,
    kind: (r.kind ?? 'unknown') as Identity['kind'],
    provider: r.provider,
    nativeId: r.native_id,
    name: r.name ?? undefined,
    account: r.account ?? undefined,
    ownerRef: r.owner_ref ?? undefined,
    createdAt: r.created_at ?? undefined,
    lastRotatedAt: r.last_rotated_at ?? undefined,
    expiresAt: r.expires_at ?? undefined,
    lastUsedAt: r.last_used_at ?? undefined,
    status: (r.status ?? 'declared') as Identity['status'],
    fingerprint: r.fingerprint ?? undefined,
    thirdParty: r.third_party === null ? undefined : r.third_party === 1,
    environment: (r.environment ?? undefined) as Identity['environment'],
    attributes: parseJson(r.attributes, undefined),
    ...history(r),
  }) as Stored<Identity>;
}

export function toOwner(r: OwnersTable): Stored<Owner> {
  return compact({
    id: r.id,
    ref: r.ref,
    name: r.name ?? undefined,
    email: r.email ?? undefined,
    status: (r.status ?? 'unknown') as Owner['status'],
    departedAt: r.departed_at ?? undefined,
    attributes: parseJson(r.attributes, undefined),
    ...history(r),
  }) as Stored<Owner>;
}

export function toLink(r: LinksTable): Stored<Link> {
  return compact({
    id: r.id,
    agentId: r.agent_id,
    identityId: r.identity_id,
    source: r.source as Link['source'],
    evidence: r.evidence,
    confidence: Number(r.confidence),
    ...history(r),
  }) as Stored<Link>;
}

export function toGrant(r: GrantsTable): Stored<Grant> {
  return compact({
    id: r.id,
    identityId: r.identity_id,
    effect: r.effect as Grant['effect'],
    actions: parseJson(r.actions, []),
    resources: parseJson(r.resources, []),
    conditions: parseJson(r.conditions, undefined),
    level: r.level as Grant['level'],
    sensitivity: (r.sensitivity ?? undefined) as Grant['sensitivity'],
    via: r.via ?? undefined,
    ...history(r),
  }) as Stored<Grant>;
}

export function toResource(r: ResourcesTable): Stored<Resource> {
  return compact({
    id: r.id,
    provider: r.provider,
    nativeId: r.native_id,
    type: r.type,
    name: r.name ?? undefined,
    account: r.account ?? undefined,
    sensitivity: (r.sensitivity ?? 'medium') as Resource['sensitivity'],
    attributes: parseJson(r.attributes, undefined),
    ...history(r),
  }) as Stored<Resource>;
}

export function toEdge(r: EdgesTable): Stored<Edge> {
  return compact({
    id: r.id,
    kind: r.kind as Edge['kind'],
    fromId: r.from_id,
    toId: r.to_id,
    level: (r.level ?? undefined) as Edge['level'],
    technique: r.technique ?? undefined,
    confidence: Number(r.confidence),
    attributes: parseJson(r.attributes, undefined),
    ...history(r),
  }) as Stored<Edge>;
}
