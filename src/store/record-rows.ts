// The table row of each record an import reads, as the import session stores it: pure functions of
// the record and the import's time, so a reader in a worker thread can build them (see
// `prepareItem`).
import { recordId } from '../model/index.js';
import type { Row } from './bulk-writer.js';
import { identityIdOf, nodeIdOf } from './id-cache.js';
import type {
  AgentInput,
  EdgeInput,
  EventInput,
  GrantInput,
  IdentityInput,
  ImportItem,
  OwnerInput,
  ResourceInput,
} from './import-types.js';
import { bool, toJson } from './json.js';

/** The `events` row of one event (its id puts the time first, see recordId.event). */
export function eventRow(e: EventInput): Row {
  return {
    id: recordId.event(e.provider, e.key, e.time),
    identity_id: e.identity ? identityIdOf(e.identity.provider, e.identity.nativeId) : null,
    principal: e.principal,
    provider: e.provider,
    time: e.time,
    action: e.action,
    resource: e.resource ?? null,
    source_address: e.sourceAddress ?? null,
    user_agent: e.userAgent ?? null,
    outcome: e.outcome,
    attributes: toJson(e.attributes),
  };
}

export function ownerRow(o: OwnerInput, now: string): Row {
  return {
    id: recordId.owner(o.ref),
    ref: o.ref.trim().toLowerCase(),
    name: o.name ?? null,
    email: o.email ?? null,
    status: o.status ?? null,
    departed_at: o.departedAt ?? null,
    attributes: toJson(o.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

export function agentRow(a: AgentInput, now: string): Row {
  return {
    id: recordId.agent(a.name),
    name: a.name.trim(),
    kind: a.kind ?? null,
    owner_ref: a.ownerRef ?? null,
    purpose: a.purpose ?? null,
    environment: a.environment ?? null,
    status: a.status ?? null,
    expected_end: a.expectedEnd ?? null,
    decommission_trigger: a.decommissionTrigger ?? null,
    invokers: toJson(a.invokers),
    approval_required: bool(a.approvalRequired),
    declared: a.declared ? 1 : 0,
    attributes: toJson(a.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

export function identityRow(i: IdentityInput, now: string): Row {
  return {
    id: recordId.identity(i.provider, i.nativeId),
    kind: i.kind ?? null,
    provider: i.provider.toLowerCase(),
    native_id: i.nativeId,
    name: i.name ?? null,
    account: i.account ?? null,
    owner_ref: i.ownerRef ?? null,
    created_at: i.createdAt ?? null,
    last_rotated_at: i.lastRotatedAt ?? null,
    expires_at: i.expiresAt ?? null,
    last_used_at: i.lastUsedAt ?? null,
    status: i.status ?? null,
    fingerprint: i.fingerprint ?? null,
    third_party: bool(i.thirdParty),
    environment: i.environment ?? null,
    attributes: toJson(i.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

export function resourceRow(r: ResourceInput, now: string): Row {
  return {
    id: recordId.resource(r.provider, r.nativeId),
    provider: r.provider.toLowerCase(),
    native_id: r.nativeId,
    type: r.type,
    name: r.name ?? null,
    account: r.account ?? null,
    sensitivity: r.sensitivity ?? null,
    attributes: toJson(r.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

/**
 * JSON of a grant's field. Connectors share one frozen array or object between the many
 * principals a policy applies to (see the AWS iam-grants templates): it is serialised once.
 */
const frozenJson = new WeakMap<object, string>();
function sharedJson(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || !Object.isFrozen(v)) return toJson(v);
  let s = frozenJson.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    frozenJson.set(v, s);
  }
  return s;
}

export function edgeRow(e: EdgeInput, now: string): Row {
  const from = nodeIdOf(e.from);
  const to = nodeIdOf(e.to);
  return {
    id: recordId.edge(e.kind, from, to, e.key ?? e.technique ?? ''),
    kind: e.kind,
    from_id: from,
    to_id: to,
    level: e.level ?? null,
    technique: e.technique ?? null,
    confidence: e.confidence ?? 1,
    attributes: toJson(e.attributes),
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

export function grantRow(g: GrantInput, now: string): Row {
  const identityId = identityIdOf(g.identity.provider, g.identity.nativeId);
  return {
    id: recordId.grant(identityId, g.key),
    identity_id: identityId,
    effect: g.effect,
    actions: sharedJson(g.actions),
    resources: sharedJson(g.resources),
    conditions: sharedJson(g.conditions),
    level: g.level,
    sensitivity: g.sensitivity ?? null,
    via: g.via ?? null,
    first_seen: now,
    updated_at: now,
    gone_at: null,
  };
}

/**
 * The item with its row built, for the records whose row depends on nothing but the record and
 * `now` (links and events stay as they are: the session does more with them). A connector read in
 * a worker thread sends these, so the importing thread only merges and writes rows; `now` must be
 * the import's time (`ImportSourceOptions.now`).
 */
export function prepareItem(item: ImportItem, now: string): ImportItem {
  switch (item.type) {
    case 'owner':
      return { type: 'row', value: { record: 'owner', row: ownerRow(item.value, now) } };
    case 'agent':
      return { type: 'row', value: { record: 'agent', row: agentRow(item.value, now) } };
    case 'identity':
      return { type: 'row', value: { record: 'identity', row: identityRow(item.value, now) } };
    case 'resource':
      return { type: 'row', value: { record: 'resource', row: resourceRow(item.value, now) } };
    case 'edge':
      return { type: 'row', value: { record: 'edge', row: edgeRow(item.value, now) } };
    case 'grant':
      return { type: 'row', value: { record: 'grant', row: grantRow(item.value, now) } };
    case 'event':
      return { type: 'event-row', value: eventRow(item.value) };
    default:
      return item;
  }
}
