import { sql } from 'kysely';
import type { Config } from '../config/index.js';
import type { Identity } from '../model/index.js';
import { parseJson } from '../store/index.js';
import type { BlastRadius, EscalationFact, LeakFact, PostureInput, UsageSummary } from '../posture/index.js';
import type { Database, Store } from '../store/index.js';

export interface BuildInputOptions {
  config: Readonly<Config>;
  now: string;
  leaks?: LeakFact[];
  escalations?: EscalationFact[];
  blastRadius?: Map<string, BlastRadius>;
}

/** Rows per page when streaming the usage table, so millions of rows are never one array. */
const PAGE = 20_000;

/** A browser at the keyboard: user agents of browsers and of the AWS console itself. */
const BROWSER_UA = /^Mozilla\/|console\.amazonaws\.com|signin\.amazonaws\.com|AWS Internal/;
const CONSOLE_LOGIN = /(^|:)ConsoleLogin$/;

/**
 * Reads the posture read model from the store: live records, usage aggregated over the window
 * (`posture.usageWindowDays`), and signs of human use from raw events where they were kept.
 * Escalations, leaks and blast radius come from the graph and the scanner (passed in).
 */
export async function buildPostureInput(store: Store, options: BuildInputOptions): Promise<PostureInput> {
  const { config, now } = options;
  const identities = await readIdentities(store);
  const [agents, links, owners, grants, edges] = await Promise.all([
    store.listAgents(),
    store.listLinks(),
    store.listOwners(),
    store.listGrants(),
    store.listEdges(),
  ]);
  const since = new Date(Date.parse(now) - config.posture.usageWindowDays * 86_400_000).toISOString();
  const usage = await readUsage(store, since);
  await readInteractive(store, since, usage);
  return {
    now,
    agents,
    identities,
    links,
    owners,
    grants,
    usage,
    edges,
    escalations: options.escalations ?? [],
    leaks: options.leaks ?? [],
    blastRadius: options.blastRadius ?? new Map(),
    thresholds: config.posture,
    usageObserved: usage.size > 0,
  };
}

/** Identity rows read per page (keyset pagination on the primary key). */
const IDENTITY_PAGE = 10_000;

/**
 * The live identities, read lean for a million-row inventory: only the columns posture and the
 * graph use (no soft-history stamps), each object built with its fields in one order and only the
 * ones present (so V8 keeps them in fast, compact shapes instead of the dictionary mode deleting
 * properties leads to), and the few distinct values of low-cardinality columns shared rather than
 * copied per row. Same values as `store.iterateIdentities`.
 */
export async function readIdentities(store: Store): Promise<Identity[]> {
  const out: Identity[] = [];
  const shared = new Map<string, string>();
  const intern = (s: string): string => {
    const hit = shared.get(s);
    if (hit !== undefined) return hit;
    if (shared.size < 100_000) shared.set(s, s);
    return s;
  };
  const add = (r: IdentityRow) => {
    const i: Identity = {
      id: r.id,
      kind: intern(r.kind ?? 'unknown') as Identity['kind'],
      provider: intern(r.provider),
      nativeId: r.native_id,
      status: intern(r.status ?? 'declared') as Identity['status'],
    };
    if (r.name !== null) i.name = r.name;
    if (r.account !== null) i.account = intern(r.account);
    if (r.owner_ref !== null) i.ownerRef = intern(r.owner_ref);
    if (r.created_at !== null) i.createdAt = r.created_at;
    if (r.last_rotated_at !== null) i.lastRotatedAt = r.last_rotated_at;
    if (r.expires_at !== null) i.expiresAt = r.expires_at;
    if (r.last_used_at !== null) i.lastUsedAt = r.last_used_at;
    if (r.fingerprint !== null) i.fingerprint = r.fingerprint;
    if (r.third_party !== null) i.thirdParty = Number(r.third_party) === 1;
    if (r.environment !== null) i.environment = intern(r.environment) as NonNullable<Identity['environment']>;
    const attributes = parseJson<Identity['attributes']>(r.attributes, undefined);
    if (attributes !== undefined && attributes !== null) i.attributes = attributes;
    out.push(i);
  };
  const base = () => store.db.selectFrom('identities').select(IDENTITY_COLUMNS).where('gone_at', 'is', null);
  let after = '';
  for (;;) {
    const rows = await base().where('id', '>', after).orderBy('id').limit(IDENTITY_PAGE).execute();
    for (const r of rows) add(r);
    if (rows.length < IDENTITY_PAGE) return out;
    after = rows[rows.length - 1]!.id;
  }
}

const IDENTITY_COLUMNS = [
  'id',
  'kind',
  'provider',
  'native_id',
  'name',
  'account',
  'owner_ref',
  'created_at',
  'last_rotated_at',
  'expires_at',
  'last_used_at',
  'status',
  'fingerprint',
  'third_party',
  'environment',
  'attributes',
] as const;
type IdentityRow = Pick<Database['identities'], (typeof IDENTITY_COLUMNS)[number]>;

async function readUsage(store: Store, since: string): Promise<Map<string, UsageSummary>> {
  const out = new Map<string, UsageSummary>();
  let after: [string, string, string] | undefined;
  for (;;) {
    let q = store.db
      .selectFrom('usage')
      .select(['identity_id', 'action', 'resource', 'count', 'failures', 'first_time', 'last_time'])
      .where('last_time', '>=', since)
      .orderBy('identity_id')
      .orderBy('action')
      .orderBy('resource')
      .limit(PAGE);
    if (after)
      q = q.where(sql<boolean>`(identity_id, action, resource) > (${after[0]}, ${after[1]}, ${after[2]})`);
    const rows = await q.execute();
    for (const r of rows) {
      let u = out.get(r.identity_id);
      if (!u) {
        u = {
          actions: [],
          resourcesByAction: {},
          count: 0,
          failures: 0,
          firstTime: r.first_time,
          lastTime: r.last_time,
        };
        out.set(r.identity_id, u);
      }
      const res = (u.resourcesByAction[r.action] ??= []);
      if (res.length === 0) u.actions.push(r.action);
      res.push(r.resource);
      u.count += Number(r.count);
      u.failures += Number(r.failures);
      if (r.first_time < u.firstTime) u.firstTime = r.first_time;
      if (r.last_time > u.lastTime) u.lastTime = r.last_time;
      if (CONSOLE_LOGIN.test(r.action)) {
        u.interactive ??= { consoleLogins: 0, browserAgents: 0 };
        u.interactive.consoleLogins += Number(r.count) - Number(r.failures);
      }
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = [last.identity_id, last.action, last.resource];
  }
  return out;
}

/**
 * Browser and console user agents from the per-identity user-agent tally (`usage_agents`), which
 * the store keeps from new events whether raw events are stored or not (as for `usage`, a user agent
 * last seen in the window counts with all its events).
 */
async function readInteractive(store: Store, since: string, usage: Map<string, UsageSummary>): Promise<void> {
  const rows = await store.db
    .selectFrom('usage_agents')
    .select((eb) => [
      'identity_id',
      eb(eb.fn.sum<string | number>('count'), '-', eb.fn.sum<string | number>('failures')).as('n'),
      eb.fn.max('user_agent').as('ua'),
    ])
    .where('last_time', '>=', since)
    .where((eb) =>
      eb.or([
        eb('user_agent', 'like', 'Mozilla/%'),
        eb('user_agent', 'like', '%console.amazonaws.com%'),
        eb('user_agent', 'like', '%signin.amazonaws.com%'),
      ]),
    )
    .groupBy('identity_id')
    .execute();
  for (const r of rows) {
    const n = Number(r.n);
    if (n <= 0) continue;
    const u = usage.get(r.identity_id);
    if (!u) continue;
    u.interactive ??= { consoleLogins: 0, browserAgents: 0 };
    u.interactive.browserAgents += n;
    if (typeof r.ua === 'string' && BROWSER_UA.test(r.ua)) u.interactive.sample = r.ua;
  }
}
