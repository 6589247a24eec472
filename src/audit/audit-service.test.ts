import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.js';
import type { Connector } from '../connectors/index.js';
import { isWardenError } from '../errors/index.js';
import type { ImportItem } from '../store/index.js';
import { DIALECTS, hasPostgres, openTestStore } from '../store/test-utils/dialects.js';
import { runAudit } from './audit-service.js';

/** A test-only format: a JSON array of import items, so the audit is tested apart from real connectors. */
const itemsConnector: Connector = {
  id: 'test-items',
  title: 'test items',
  detect: (f) => (f.name.endsWith('.items.json') ? 1 : 0),
  async *read(f) {
    for (const item of (await f.json()) as ImportItem[]) yield item;
  },
};

const NOW1 = '2026-06-01T00:00:00.000Z';
const NOW2 = '2026-06-08T00:00:00.000Z';
const KEY = { provider: 'openai', nativeId: 'key_alpha' };
const KEY2 = { provider: 'openai', nativeId: 'key_beta' };

function items(withFirstKey: boolean, withSecondKey: boolean): ImportItem[] {
  const out: ImportItem[] = [
    {
      type: 'owner',
      value: { ref: 'bob@acme.test', status: 'departed', departedAt: '2026-03-01T00:00:00.000Z' },
    },
    {
      type: 'agent',
      value: {
        name: 'helper',
        kind: 'chatbot',
        ownerRef: 'bob@acme.test',
        environment: 'production',
        status: 'active',
        declared: true,
      },
    },
  ];
  if (withFirstKey) {
    out.push({
      type: 'identity',
      value: {
        ...KEY,
        kind: 'api-key',
        status: 'active',
        createdAt: '2025-01-01T00:00:00.000Z',
        ownerRef: 'bob@acme.test',
      },
    });
    out.push({
      type: 'link',
      value: { agent: 'helper', identity: KEY, source: 'declared', evidence: 'test', confidence: 1 },
    });
  }
  if (withSecondKey) {
    out.push({
      type: 'identity',
      value: { ...KEY2, kind: 'api-key', status: 'active', createdAt: '2026-05-30T00:00:00.000Z' },
    });
    out.push({
      type: 'link',
      value: { agent: 'helper', identity: KEY2, source: 'declared', evidence: 'test', confidence: 1 },
    });
  }
  out.push({ type: 'skip', value: { pointer: '/9', reason: 'a record the test could not read' } });
  return out;
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function folder(list: ImportItem[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'env.items.json'), JSON.stringify(list));
  writeFileSync(path.join(dir, 'README.md'), '# not an export\n');
  return dir;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !hasPostgres())(`runAudit on ${dialect}`, () => {
    it('reports new, fixed and still-open findings between two audits, and what was skipped', async () => {
      const { store, close } = await openTestStore(dialect);
      try {
        const config = ConfigSchema.parse({});
        const dir = folder(items(true, false));
        const first = await runAudit({
          store,
          config,
          paths: [dir],
          version: 't',
          now: NOW1,
          connectors: [itemsConnector],
        });
        const rules1 = first.doc.findings.map((f) => `${f.ruleId}:${f.subject}`);
        expect(rules1).toContain('no-expiry:key_alpha');
        expect(rules1).toContain('owner-departed:helper');
        expect(first.doc.summary.diff.previousAuditId).toBeNull();
        expect(first.doc.input.skipped).toContainEqual({
          file: 'env.items.json',
          pointer: '/9',
          reason: 'a record the test could not read',
        });

        writeFileSync(path.join(dir, 'env.items.json'), JSON.stringify(items(false, true)));
        const second = await runAudit({
          store,
          config,
          paths: [dir],
          version: 't',
          now: NOW2,
          connectors: [itemsConnector],
        });
        const d = second.doc.summary.diff;
        expect(d.previousAuditId).toBe(first.doc.auditId);
        expect(second.doc.fixed.map((f) => `${f.ruleId}:${f.subject}`)).toContain('no-expiry:key_alpha');
        // Read back whole from the store: the rule's title and remediation (stored once, in the
        // rule's metadata), the evidence and when it was fixed.
        const gone = second.doc.fixed.find((f) => f.subject === 'key_alpha' && f.ruleId === 'no-expiry')!;
        const before = first.doc.findings.find((f) => f.id === gone.id)!;
        expect(gone).toMatchObject({
          status: 'fixed',
          change: 'fixed',
          title: before.title,
          remediation: before.remediation,
          message: before.message,
          references: before.references,
          firstSeen: NOW1,
        });
        expect(gone.title.length).toBeGreaterThan(0);
        expect(gone.evidence.fixedAt).toBe(NOW2);
        expect(
          second.doc.findings.find((f) => f.subject === 'key_beta' && f.ruleId === 'no-expiry')?.change,
        ).toBe('new');
        const still = second.doc.findings.find(
          (f) => f.ruleId === 'owner-departed' && f.subject === 'helper',
        )!;
        expect(still.change).toBe('still-open');
        expect(still.firstSeen).toBe(NOW1);
        expect(d.new).toBeGreaterThan(0);
        expect(d.fixed).toBe(second.doc.fixed.length);
      } finally {
        await close();
      }
    });

    it('reports accepted risk as accepted until it expires', async () => {
      const { store, close } = await openTestStore(dialect);
      try {
        const config = ConfigSchema.parse({
          accept: [
            {
              finding: 'no-expiry:key_*',
              reason: 'rotating next sprint',
              by: 'ciso@acme.test',
              until: '2026-06-05',
            },
          ],
        });
        const dir = folder(items(true, false));
        const before = await runAudit({
          store,
          config,
          paths: [dir],
          version: 't',
          now: NOW1,
          connectors: [itemsConnector],
        });
        const f1 = before.doc.findings.find((f) => f.ruleId === 'no-expiry')!;
        expect(f1.status).toBe('accepted');
        expect(before.doc.summary.findings.accepted).toBe(1);
        const after = await runAudit({
          store,
          config,
          paths: [dir],
          version: 't',
          now: NOW2,
          connectors: [itemsConnector],
        });
        const f2 = after.doc.findings.find((f) => f.ruleId === 'no-expiry')!;
        expect(f2.status).toBe('open');
        expect(f2.acceptance?.expired).toBe(true);
      } finally {
        await close();
      }
    });
  });
}

describe('runAudit input errors', () => {
  it('says nothing is recognisable (exit 2 at the CLI)', async () => {
    const { store, close } = await openTestStore('sqlite');
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-'));
      dirs.push(dir);
      writeFileSync(path.join(dir, 'notes.txt'), 'hello');
      const err = await runAudit({
        store,
        config: ConfigSchema.parse({}),
        paths: [dir],
        version: 't',
        connectors: [itemsConnector],
      }).catch((e: unknown) => e);
      expect(isWardenError(err, 'WARDEN_NOTHING_RECOGNISED')).toBe(true);
    } finally {
      await close();
    }
  });
});
