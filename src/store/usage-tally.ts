import type { AgentUsageRow, BulkWriter, UsageRow } from './bulk-writer.js';
import { own } from './own-string.js';

/** User agents are kept to this many characters (as the usage_agents migration cuts them). */
const AGENT_CHARS = 512;

/** Times are kept as epoch milliseconds: compared without touching a string, written back as ISO. */
interface Entry {
  count: number;
  failures: number;
  first: number;
  last: number;
}

/** What one identity did: action -> resource -> counts, user agent -> counts. */
interface PerIdentity {
  actions: Map<string, Map<string, Entry>>;
  agents: Map<string, Entry>;
  /** Latest successful use (epoch ms), or -Infinity. */
  lastUsed: number;
}

/**
 * Usage counts per (identity, action, resource), per (identity, user agent), and each
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

  /**
   * @param keep makes the string a new key is stored under: an own copy by default (see own()).
   *   A caller whose strings are never slices of a larger text passes them through as they are:
   *   its next lookups then find the very same string, not an equal copy to compare character by
   *   character (the CloudTrail readers, whose values come from their tables of recent strings).
   */
  constructor(private readonly keep: (s: string) => string = own) {}

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
    this.addAt(identityId, action, resource, isoMs(time), failed, userAgent);
  }

  /** {@link add} with the time as epoch milliseconds (NaN: not counted, as a time `isoMs` cannot read). */
  addAt(
    identityId: string,
    action: string,
    resource: string | null,
    t: number,
    failed: boolean,
    userAgent: string | null,
  ): void {
    if (Number.isNaN(t)) return;
    const p = this.identity(identityId);
    // Every string kept goes through keep(): by default the values may be slices of a log file.
    let byResource = p.actions.get(action);
    if (!byResource) p.actions.set(this.keep(action), (byResource = new Map()));
    const res = resource ?? '*';
    this.keys += this.count(byResource, res, t, failed);
    if (userAgent !== null) {
      const ua = userAgent.length > AGENT_CHARS ? userAgent.slice(0, AGENT_CHARS) : userAgent;
      this.keys += this.count(p.agents, ua, t, failed);
    }
    if (!failed && t > p.lastUsed) p.lastUsed = t;
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
          } else add(u, e);
        }
      }
      for (const [ua, e] of o.agents) {
        const a = p.agents.get(ua);
        if (!a) {
          p.agents.set(ua, e);
          this.keys++;
        } else add(a, e);
      }
      if (o.lastUsed > p.lastUsed) p.lastUsed = o.lastUsed;
    }
    other.clear();
  }

  /** Writes the usage rows and moves last_used_at forward, then starts from zero. */
  async flush(writer: BulkWriter): Promise<void> {
    await writeUsageRows(writer, this.drain());
  }

  /**
   * Writes the usage rows only. Last use waits for {@link flush}: it updates identity rows, which
   * an import may not have written yet while it is still reading.
   */
  async flushUsage(writer: BulkWriter): Promise<void> {
    await writeUsageRows(writer, this.drain({ keepLastUse: true }));
  }

  /**
   * Everything summed, as rows sorted by key (on SQLite's WITHOUT ROWID tables the upserts then walk
   * each key in order), and the tally starts from zero; with `keepLastUse`, last use stays for later.
   */
  drain({ keepLastUse = false } = {}): UsageRows {
    const out: UsageRows = { usage: [], agents: [], lastUsed: [] };
    for (const id of [...this.byIdentity.keys()].sort(cmp)) {
      const p = this.byIdentity.get(id)!;
      for (const action of [...p.actions.keys()].sort(cmp)) {
        const byResource = p.actions.get(action)!;
        for (const resource of [...byResource.keys()].sort(cmp)) {
          const u = byResource.get(resource)!;
          out.usage.push({
            identity_id: id,
            action,
            resource,
            count: u.count,
            failures: u.failures,
            first_time: iso(u.first),
            last_time: iso(u.last),
          });
        }
      }
      for (const ua of [...p.agents.keys()].sort(cmp)) {
        const a = p.agents.get(ua)!;
        out.agents.push({
          identity_id: id,
          user_agent: ua,
          count: a.count,
          failures: a.failures,
          first_time: iso(a.first),
          last_time: iso(a.last),
        });
      }
      p.actions.clear();
      p.agents.clear();
      if (!keepLastUse && p.lastUsed > -Infinity) out.lastUsed.push([id, iso(p.lastUsed)]);
    }
    this.keys = 0;
    if (!keepLastUse) this.byIdentity.clear();
    return out;
  }

  clear(): void {
    this.byIdentity.clear();
    this.keys = 0;
  }

  /** Counts one event under `key` of `m`; returns 1 when the key is new. */
  private count(m: Map<string, Entry>, key: string, t: number, failed: boolean): number {
    const e = m.get(key);
    if (e === undefined) {
      m.set(this.keep(key), { count: 1, failures: failed ? 1 : 0, first: t, last: t });
      return 1;
    }
    e.count++;
    if (failed) e.failures++;
    if (t < e.first) e.first = t;
    if (t > e.last) e.last = t;
    return 0;
  }

  private identity(id: string): PerIdentity {
    let p = this.byIdentity.get(id);
    if (!p)
      this.byIdentity.set(
        this.keep(id),
        (p = { actions: new Map(), agents: new Map(), lastUsed: -Infinity }),
      );
    return p;
  }
}

/** A drained tally: plain arrays, so they can cross a worker-thread boundary. */
export interface UsageRows {
  usage: UsageRow[];
  agents: AgentUsageRow[];
  /** identity id -> latest successful use. */
  lastUsed: [string, string][];
}

/** Upserts drained rows: counts add up with what is stored, last use only moves forward. */
export async function writeUsageRows(writer: BulkWriter, rows: UsageRows): Promise<void> {
  if (rows.usage.length) await writer.addUsage(rows.usage);
  if (rows.agents.length) await writer.addAgentUsage(rows.agents);
  if (rows.lastUsed.length) await writer.lastUsed(rows.lastUsed);
}

function countKeys(p: PerIdentity): number {
  let n = p.agents.size;
  for (const m of p.actions.values()) n += m.size;
  return n;
}

function add(into: Entry, e: Entry): void {
  into.count += e.count;
  into.failures += e.failures;
  if (e.first < into.first) into.first = e.first;
  if (e.last > into.last) into.last = e.last;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Epoch milliseconds of an ISO-8601 time. The form every connector normalises to
 * (`2026-01-02T03:04:05.678Z`) is read digit by digit, faster than Date.parse; anything else goes
 * to Date.parse (NaN when it is not a time).
 */
export function isoMs(t: string): number {
  if (t.length === 24 && t.charCodeAt(23) === 90 && t.charCodeAt(10) === 84 && t.charCodeAt(19) === 46) {
    const d = (i: number, n: number): number => decimalAt(t, i, n);
    const ms = Date.UTC(d(0, 4), d(5, 2) - 1, d(8, 2), d(11, 2), d(14, 2), d(17, 2), d(20, 3));
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.parse(t);
}

/** The `n`-digit decimal number at `t[i]`, or NaN if any of those characters is not a digit. */
export function decimalAt(t: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = t.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}
