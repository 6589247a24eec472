import type { Agent, Edge, Grant, Identity, IdentityKind, Link, Owner } from '../model/index.js';
import type { BlastRadius, PostureInput } from './posture-types.js';

/**
 * Lookup tables over a PostureInput, built once per input and shared by every rule (rules stay
 * pure: the index is a cache of the input, never state of its own).
 */
export interface PostureIndex {
  identity: Map<string, Identity>;
  agent: Map<string, Agent>;
  /** By ref and by email, lower-cased. */
  owner: Map<string, Owner>;
  /** `provider\u0000nativeId` -> identity (provider lower-cased); built on first use. */
  readonly native: Map<string, Identity>;
  linksOfIdentity: Map<string, Link[]>;
  linksOfAgent: Map<string, Link[]>;
  grantsOf: Map<string, Grant[]>;
  edgesFrom: Map<string, Edge[]>;
  edgesTo: Map<string, Edge[]>;
  nowMs: number;
}

const cache = new WeakMap<PostureInput, PostureIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export function indexOf(input: PostureInput): PostureIndex {
  const hit = cache.get(input);
  if (hit) return hit;
  let native: Map<string, Identity> | undefined;
  const ix: PostureIndex = {
    identity: new Map(),
    agent: new Map(),
    owner: new Map(),
    // Built on first use: only keys with a parent and escalation rows look identities up by
    // native id, and the keys of a million identities are a million new strings.
    get native(): Map<string, Identity> {
      if (!native) {
        native = new Map();
        for (const i of input.identities) native.set(`${i.provider.toLowerCase()}\u0000${i.nativeId}`, i);
      }
      return native;
    },
    linksOfIdentity: new Map(),
    linksOfAgent: new Map(),
    grantsOf: new Map(),
    edgesFrom: new Map(),
    edgesTo: new Map(),
    nowMs: Date.parse(input.now),
  };
  for (const i of input.identities) ix.identity.set(i.id, i);
  for (const a of input.agents) ix.agent.set(a.id, a);
  for (const o of input.owners) {
    ix.owner.set(o.ref.toLowerCase(), o);
    if (o.email) ix.owner.set(o.email.toLowerCase(), o);
  }
  for (const l of input.links) {
    push(ix.linksOfIdentity, l.identityId, l);
    push(ix.linksOfAgent, l.agentId, l);
  }
  for (const g of input.grants) push(ix.grantsOf, g.identityId, g);
  for (const e of input.edges) {
    push(ix.edgesFrom, e.fromId, e);
    push(ix.edgesTo, e.toId, e);
  }
  cache.set(input, ix);
  return ix;
}

/** Distinct agent ids linked to an identity. */
export function agentsOf(ix: PostureIndex, identityId: string): string[] {
  const links = ix.linksOfIdentity.get(identityId);
  if (!links) return [];
  if (links.length === 1) return [links[0]!.agentId];
  return [...new Set(links.map((l) => l.agentId))];
}

/** Whether any agent is linked to an identity (without building the list). */
export function hasAgents(ix: PostureIndex, identityId: string): boolean {
  return ix.linksOfIdentity.has(identityId);
}

/** Distinct live identities an agent holds. */
export function identitiesOf(ix: PostureIndex, agentId: string): Identity[] {
  const out: Identity[] = [];
  const seen = new Set<string>();
  for (const l of ix.linksOfAgent.get(agentId) ?? []) {
    if (seen.has(l.identityId)) continue;
    seen.add(l.identityId);
    const i = ix.identity.get(l.identityId);
    if (i) out.push(i);
  }
  return out;
}

export function daysSince(ix: PostureIndex, iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : (ix.nowMs - t) / 86_400_000;
}

export function daysBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000;
}

/** Identity kinds that are a secret someone holds (so expiry and rotation apply). */
const SECRET_KINDS: ReadonlySet<IdentityKind> = new Set<IdentityKind>([
  'api-key',
  'access-key',
  'oauth-token',
  'certificate',
  'ssh-key',
  'ci-secret',
  'personal-access-token',
  'bot-token',
  'mcp-token',
  'password',
  'session-token',
  'webhook',
]);

export function isSecret(i: Identity): boolean {
  return SECRET_KINDS.has(i.kind);
}

/** Disabled, revoked or expired identities can do no harm today. */
export function isLive(i: Identity): boolean {
  return (
    i.status !== 'disabled' && i.status !== 'revoked' && i.status !== 'expired' && i.status !== 'inactive'
  );
}

/** The owner a ref names; an alias (a GitHub login, an IdP login) resolves to its person. */
export function ownerOf(ix: PostureIndex, ref: string | undefined): Owner | undefined {
  const o = ref ? ix.owner.get(ref.toLowerCase()) : undefined;
  const alias = o?.attributes?.aliasOf;
  return typeof alias === 'string' ? (ix.owner.get(alias.toLowerCase()) ?? o) : o;
}

/** The parent identity of a key or credential (`attributes.parent` = the parent's native id). */
export function parentOf(ix: PostureIndex, i: Identity): Identity | undefined {
  const p = i.attributes?.parent;
  return typeof p === 'string' ? ix.native.get(`${i.provider.toLowerCase()}\u0000${p}`) : undefined;
}

/** Grants of an identity, plus those of its parent (a key acts with its user's permissions). */
export function effectiveGrants(ix: PostureIndex, i: Identity): Grant[] {
  const own = ix.grantsOf.get(i.id) ?? [];
  const parent = parentOf(ix, i);
  return parent ? [...own, ...(ix.grantsOf.get(parent.id) ?? [])] : own;
}

export function isAdminGrant(g: Grant): boolean {
  if (g.effect !== 'allow') return false;
  if (g.level === 'admin') return true;
  const wildAction = g.actions.some((a) => a === '*' || a === '*:*');
  return wildAction && g.resources.some((r) => r === '*');
}

/**
 * An unconditional Deny of every action on every resource: the identity is quarantined (AWS's
 * `AWSDenyAll`, or a revocation policy), and explicit Deny wins over any Allow.
 */
export function isDenyAll(g: Grant): boolean {
  if (g.effect !== 'deny') return false;
  if (g.conditions && Object.keys(g.conditions).length > 0) return false;
  return g.actions.some((a) => a === '*' || a === '*:*') && g.resources.some((r) => r === '*');
}

export function hasAdmin(ix: PostureIndex, i: Identity): boolean {
  const grants = effectiveGrants(ix, i);
  return !grants.some(isDenyAll) && grants.some(isAdminGrant);
}

export function nameOf(i: Identity): string {
  return i.name && i.name !== i.nativeId ? `${i.name} (${i.nativeId})` : i.nativeId;
}

export function radius(input: PostureInput, id: string): BlastRadius | undefined {
  return input.blastRadius.get(id);
}

/** String attribute, or undefined. */
export function attr(i: { attributes?: Record<string, unknown> | undefined }, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = i.attributes?.[k];
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

export function fillFix(
  template: string | undefined,
  i: { nativeId?: string; name?: string; account?: string },
): string | undefined {
  if (!template) return undefined;
  return template
    .replaceAll('{nativeId}', i.nativeId ?? '')
    .replaceAll('{name}', i.name ?? i.nativeId ?? '')
    .replaceAll('{account}', i.account ?? '');
}
