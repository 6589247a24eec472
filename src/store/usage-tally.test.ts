import { describe, expect, it } from 'vitest';
import type { AgentUsageRow, BulkWriter, UsageRow } from './bulk-writer.js';
import { isoMs, UsageTally } from './usage-tally.js';

/** A writer that records what it is asked to write. */
function recorder() {
  const out = { usage: [] as UsageRow[], agents: [] as AgentUsageRow[], last: [] as [string, string][] };
  const writer: BulkWriter = {
    upsert: async () => undefined,
    observe: async () => undefined,
    insertEvents: async (rows) => rows,
    addUsage: async (rows) => void out.usage.push(...rows),
    addAgentUsage: async (rows) => void out.agents.push(...rows),
    lastUsed: async (entries) => void out.last.push(...entries),
  };
  return { out, writer };
}

describe('UsageTally', () => {
  it('sums the same keys across tallies and writes them sorted, with the latest success', async () => {
    const a = new UsageTally();
    a.add('idn_b', 's3:GetObject', 'arn:aws:s3:::x/1', '2026-03-02T00:00:00.000Z', false, 'cli');
    a.add('idn_a', 's3:PutObject', null, '2026-03-01T00:00:00.000Z', true, null);
    const b = new UsageTally();
    b.add('idn_b', 's3:GetObject', 'arn:aws:s3:::x/1', '2026-03-01T00:00:00.000Z', true, 'cli');
    b.add('idn_b', 's3:GetObject', 'arn:aws:s3:::x/0', '2026-03-05T00:00:00.000Z', false, 'cli');
    expect([a.size, b.size]).toEqual([3, 3]);
    a.merge(b);
    expect(b.size).toBe(0);
    // idn_b: two usage keys and one user agent; idn_a: one usage key.
    expect(a.size).toBe(4);
    const { out, writer } = recorder();
    await a.flush(writer);
    expect(
      out.usage.map((u) => [
        u.identity_id,
        u.action,
        u.resource,
        u.count,
        u.failures,
        u.first_time,
        u.last_time,
      ]),
    ).toEqual([
      ['idn_a', 's3:PutObject', '*', 1, 1, '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
      [
        'idn_b',
        's3:GetObject',
        'arn:aws:s3:::x/0',
        1,
        0,
        '2026-03-05T00:00:00.000Z',
        '2026-03-05T00:00:00.000Z',
      ],
      [
        'idn_b',
        's3:GetObject',
        'arn:aws:s3:::x/1',
        2,
        1,
        '2026-03-01T00:00:00.000Z',
        '2026-03-02T00:00:00.000Z',
      ],
    ]);
    expect(
      out.agents.map((r) => [r.identity_id, r.user_agent, r.count, r.failures, r.first_time, r.last_time]),
    ).toEqual([['idn_b', 'cli', 3, 1, '2026-03-01T00:00:00.000Z', '2026-03-05T00:00:00.000Z']]);
    // A failed event is no use: idn_a has none.
    expect(out.last).toEqual([['idn_b', '2026-03-05T00:00:00.000Z']]);
    expect(a.size).toBe(0);
  });

  it('writes usage early but keeps last use for the final flush', async () => {
    const t = new UsageTally();
    t.add('idn_a', 'sts:GetCallerIdentity', null, '2026-03-01T00:00:00.000Z', false, 'x'.repeat(600));
    const { out, writer } = recorder();
    await t.flushUsage(writer);
    expect(out.usage).toHaveLength(1);
    expect(out.agents[0]!.user_agent).toHaveLength(512);
    expect(out.last).toEqual([]);
    t.add('idn_a', 'sts:GetCallerIdentity', null, '2026-02-01T00:00:00.000Z', false, null);
    await t.flush(writer);
    expect(out.usage.map((u) => u.count)).toEqual([1, 1]);
    expect(out.last).toEqual([['idn_a', '2026-03-01T00:00:00.000Z']]);
  });
});

describe('isoMs', () => {
  it('reads normalised ISO times digit by digit and anything else with Date.parse', () => {
    for (const t of ['2026-03-01T10:20:30.456Z', '1999-12-31T23:59:59.999Z', '2026-02-28T00:00:00.000Z'])
      expect(isoMs(t)).toBe(Date.parse(t));
    expect(isoMs('2026-03-01T10:20:30Z')).toBe(Date.parse('2026-03-01T10:20:30Z'));
    expect(isoMs('2026-03-01T12:20:30.000+02:00')).toBe(Date.parse('2026-03-01T10:20:30.000Z'));
    expect(isoMs('2026-0x-01T10:20:30.456Z')).toBeNaN();
    expect(isoMs('yesterday')).toBeNaN();
  });

  it('leaves events with no readable time out of the tally', async () => {
    const t = new UsageTally();
    t.add('idn_a', 's3:GetObject', null, 'not a time', false, 'cli');
    expect(t.size).toBe(0);
  });
});
