import type { AgentUsageRow, BulkWriter, UsageRow } from './bulk-writer.js';
import { own } from './own-string.js';

/** User agents are kept to this many characters (as the usage_agents migration cuts them). */
const AGENT_CHARS = 512;

interface Entry {
  count: number;
  failures: number;
  first: string;
  last: string;
}

/** What one identity did: action -> resource -> counts, user agent -> day -> [count, failures]. */
interface PerIdentity {
  actions: Map<string, Map<string, Entry>>;
  agents: Map<string, Map<string, [number, number]>>;
  /** Latest successful use. */
  lastUsed: string | undefined;
}

/**
 * Usage counts per (identity, action, resource), per (identity, user agent, day), and each
 * identity's last successful use, summed in memory and written as one upsert per key. An import
 * session keeps one; a batch of imports sums its sessions' tallies and writes once before it
 * commits, so a key seen in a hundred log files costs one upsert instead of a hundred.
 *
 * Nested maps rather than one map of joined keys: the identity id string is shared by all of an
 * identity's events (its hash is computed once), and no key string is built per event.
 */
export class UsageTally {
  private readonly byIdentity = new Map<string, PerIdentity>();
  private keys = 0;

  /** Distinct keys held (usage and user-agent rows). */
  get size(): number {
    return this.keys;
  }

  add(
    identityId: string,
    action: string,
    resource: string | null,
    time: string,
    failed: boolean,
    userAgent: string | null,
  ): void {
    const p = this.identity(identityId);
    // Every string kept is an own copy (see own()): the values arrive as slices of a log file.
    let byResource = p.actions.get(action);
    if (!byResource) p.actions.set(own(action), (byResource = new Map()));
    const res = resource ?? '*';
    const u = byResource.get(res);
    if (u) {
      u.count++;
      if (failed) u.failures++;
      if (time < u.first) u.first = own(time);
      if (time > u.last) u.last = own(time);
    } else {
      const t = own(time);
      byResource.set(own(res), { count: 1, failures: failed ? 1 : 0, first: t, last: t });
      this.keys++;
    }
    if (userAgent !== null) {
      const ua = userAgent.length > AGENT_CHARS ? userAgent.slice(0, AGENT_CHARS) : userAgent;
      let byDay = p.agents.get(ua);
      if (!byDay) p.agents.set(own(ua), (byDay = new Map()));
      const day = time.slice(0, 10);
      const a = byDay.get(day);
      if (a) {
        a[0]++;
        if (failed) a[1]++;
      } else {
        byDay.set(day, [1, failed ? 1 : 0]);
        this.keys++;
      }
    }
    if (!failed && (p.lastUsed === undefined || p.lastUsed < time)) p.lastUsed = own(time);
  }

  /**
   * Adds another tally's counts to this one, taking its entries over: `other` is emptied (a batch
   * merges each finished import's tally, which is not used again).
   */
  merge(other: UsageTally): void {
    for (const [id, o] of other.byIdentity) {
      const p = this.byIdentity.get(id);
      if (!p) {
        this.byIdentity.set(id, o);
        this.keys += countKeys(o);
        continue;
      }
      for (const [action, oRes] of o.actions) {
        const pRes = p.actions.get(action);
        if (!pRes) {
          p.actions.set(action, oRes);
          this.keys += oRes.size;
          continue;
        }
        for (const [res, e] of oRes) {
          const u = pRes.get(res);
          if (!u) {
            pRes.set(res, e);
            this.keys++;
          } else {
            u.count += e.count;
            u.failures += e.failures;
            if (e.first < u.first) u.first = e.first;
            if (e.last > u.last) u.last = e.last;
          }
        }
      }
      for (const [ua, oDays] of o.agents) {
        const pDays = p.agents.get(ua);
        if (!pDays) {
          p.agents.set(ua, oDays);
          this.keys += oDays.size;
          continue;
        }
        for (const [day, c] of oDays) {
          const a = pDays.get(day);
          if (!a) {
            pDays.set(day, c);
            this.keys++;
          } else {
            a[0] += c[0];
            a[1] += c[1];
          }
        }
      }
      if (o.lastUsed !== undefined && (p.lastUsed === undefined || p.lastUsed < o.lastUsed))
        p.lastUsed = o.lastUsed;
    }
    other.clear();
  }

  /** Writes the usage rows and moves last_used_at forward, then starts from zero. */
  async flush(writer: BulkWriter): Promise<void> {
    const last: [string, string][] = [];
    for (const [id, p] of this.byIdentity) if (p.lastUsed !== undefined) last.push([id, p.lastUsed]);
    await this.flushUsage(writer);
    this.byIdentity.clear();
    if (last.length) await writer.lastUsed(last.sort((a, b) => cmp(a[0], b[0])));
  }

  /**
   * Writes the usage rows only, sorted by key (on SQLite's WITHOUT ROWID tables the upserts then
   * walk each key in order). Last use waits for {@link flush}: it updates identity rows, which an
   * import may not have written yet while it is still reading.
   */
  async flushUsage(writer: BulkWriter): Promise<void> {
    const rows: UsageRow[] = [];
    const agents: AgentUsageRow[] = [];
    for (const id of [...this.byIdentity.keys()].sort(cmp)) {
      const p = this.byIdentity.get(id)!;
      for (const action of [...p.actions.keys()].sort(cmp)) {
        const byResource = p.actions.get(action)!;
        for (const resource of [...byResource.keys()].sort(cmp)) {
          const u = byResource.get(resource)!;
          rows.push({
            identity_id: id,
            action,
            resource,
            count: u.count,
            failures: u.failures,
            first_time: u.first,
            last_time: u.last,
          });
        }
      }
      for (const ua of [...p.agents.keys()].sort(cmp)) {
        const byDay = p.agents.get(ua)!;
        for (const day of [...byDay.keys()].sort(cmp)) {
          const [count, failures] = byDay.get(day)!;
          agents.push({ identity_id: id, user_agent: ua, day, count, failures });
        }
      }
      p.actions.clear();
      p.agents.clear();
    }
    this.keys = 0;
    if (rows.length) await writer.addUsage(rows);
    if (agents.length) await writer.addAgentUsage(agents);
  }

  clear(): void {
    this.byIdentity.clear();
    this.keys = 0;
  }

  private identity(id: string): PerIdentity {
    let p = this.byIdentity.get(id);
    if (!p)
      this.byIdentity.set(own(id), (p = { actions: new Map(), agents: new Map(), lastUsed: undefined }));
    return p;
  }
}

function countKeys(p: PerIdentity): number {
  let n = 0;
  for (const m of p.actions.values()) n += m.size;
  for (const m of p.agents.values()) n += m.size;
  return n;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
