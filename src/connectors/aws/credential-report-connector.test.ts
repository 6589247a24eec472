import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../core/source-file.js';
import { CONNECTORS } from '../registry.js';
import { accessKeysConnector } from './access-keys-connector.js';
import { authorizationDetailsConnector } from './authorization-details-connector.js';
import { credentialReportConnector as conn } from './credential-report-connector.js';
import { credentialReportJson, smallAccount } from './test-utils/aws-fixtures.js';
import { context, ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const acme = smallAccount(11);
const arn = (t: string) => `arn:aws:iam::${acme.account}:${t}`;

function best(file: string) {
  const f = new SourceFile(file, path.dirname(file));
  return [...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!;
}

describe('aws credential report', () => {
  it('reads the CSV: users, root, human-use signals, key slots', async () => {
    const file = write(tempDir(), 'credential-report.csv', acme.credentialReportCsv());
    expect(best(file).id).toBe('aws-credential-report');
    const items = await readWith(conn, file);
    const ids = ofType(items, 'identity');
    const alice = ids.find((i) => i.nativeId === arn('user/people/alice'))!;
    expect(alice).toMatchObject({
      kind: 'cloud-user',
      name: 'alice',
      lastUsedAt: '2026-11-25T09:00:00.000Z',
      createdAt: '2024-03-01T10:00:00.000Z',
    });
    expect(alice.attributes).toMatchObject({
      passwordEnabled: true,
      mfaActive: false,
      humanUse: { password: true },
      root: false,
    });
    const root = ids.find((i) => i.nativeId === arn('root'))!;
    expect(root.attributes).toMatchObject({ root: true, mfaActive: true });
    expect(root.attributes!.passwordEnabled).toBeUndefined();
    const ci = ids.find((i) => i.nativeId === arn('user/ci-bot'))!;
    expect(ci.attributes).toMatchObject({ passwordEnabled: false, passwordLastUsedUnknown: true });
    expect(ci.attributes!.humanUse).toBeUndefined();

    const keys = ids.filter((i) => i.kind === 'access-key');
    expect(keys.map((k) => [k.nativeId, k.status, k.lastRotatedAt, k.lastUsedAt])).toEqual([
      [
        `${arn('user/people/alice')}#access_key_1`,
        'active',
        '2024-03-02T09:00:00.000Z',
        '2026-11-24T17:00:00.000Z',
      ],
      [
        `${arn('user/ci-bot')}#access_key_1`,
        'active',
        '2023-01-05T12:00:00.000Z',
        '2026-11-25T03:00:00.000Z',
      ],
      [`${arn('user/ci-bot')}#access_key_2`, 'inactive', '2025-06-01T12:00:00.000Z', undefined],
    ]);
    expect(keys[0]!.attributes).toMatchObject({
      parent: arn('user/people/alice'),
      slot: 1,
      keyIdKnown: false,
      lastUsedService: 's3',
      lastUsedRegion: 'eu-west-1',
    });
    expect(ofType(items, 'edge').filter((e) => e.kind === 'member-of')).toHaveLength(3);
    expect(ofType(items, 'skip')).toEqual([]);
  });

  it('reads get-credential-report JSON (base64 Content) like the CSV', async () => {
    const dir = tempDir();
    const csv = await readWith(conn, write(dir, 'report.csv', acme.credentialReportCsv()));
    const jsonFile = write(dir, 'report.json', credentialReportJson(acme.credentialReportCsv()));
    expect(best(jsonFile).id).toBe('aws-credential-report');
    const json = await readWith(conn, jsonFile);
    const strip = (xs: typeof csv) =>
      JSON.parse(
        JSON.stringify(xs, (k, v: unknown) => (k === 'credentialReportGeneratedAt' ? undefined : v)),
      ) as unknown;
    expect(strip(json)).toEqual(strip(csv));
    const alice = ofType(json, 'identity').find((i) => i.name === 'alice')!;
    expect(alice.attributes!.credentialReportGeneratedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('gives key slots their real ids when list-access-keys is read in the same run', async () => {
    const dir = tempDir();
    const ctx = context();
    await readWith(authorizationDetailsConnector, write(dir, 'authz.json', acme.authz()), ctx);
    const akItems = await readWith(accessKeysConnector, write(dir, 'keys.json', acme.accessKeys()), ctx);
    const ak = ofType(akItems, 'identity');
    expect(ak.map((k) => [k.nativeId, k.status, k.attributes!.parent])).toEqual([
      [acme.ids.aliceKey1, 'active', arn('user/people/alice')],
      [acme.ids.ciKey1, 'active', arn('user/ci-bot')],
      [acme.ids.ciKey2, 'inactive', arn('user/ci-bot')],
    ]);
    const items = await readWith(conn, write(dir, 'report.csv', acme.credentialReportCsv()), ctx);
    const keys = ofType(items, 'identity').filter((i) => i.kind === 'access-key');
    expect(keys.map((k) => [k.nativeId, k.attributes!.slot, k.attributes!.keyIdKnown])).toEqual([
      [acme.ids.aliceKey1, 1, true],
      [acme.ids.ciKey1, 1, true],
      [acme.ids.ciKey2, 2, true],
    ]);
    // A fresh run knows nothing of the previous one.
    const alone = await readWith(conn, write(dir, 'report2.csv', acme.credentialReportCsv()), context());
    expect(
      ofType(alone, 'identity')
        .filter((i) => i.kind === 'access-key')
        .every((k) => k.nativeId.includes('#access_key_')),
    ).toBe(true);
  });

  it('notes a missing column and skips a short row, reading the rest', async () => {
    const lines = acme
      .credentialReportCsv()
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const dropped = lines.map((cells) => cells.filter((_, i) => i !== 7)); // mfa_active
    dropped[2] = dropped[2]!.slice(0, 10);
    const items = await readWith(
      conn,
      write(tempDir(), 'report.csv', dropped.map((c) => c.join(',')).join('\n')),
    );
    expect(ofType(items, 'note')).toEqual([
      { pointer: 'line 1', reason: 'column mfa_active is missing; its values are unknown' },
    ]);
    expect(ofType(items, 'skip')).toEqual([
      { pointer: 'line 3', reason: 'expected 21 cells as in the header, found 10' },
    ]);
    const users = ofType(items, 'identity').filter((i) => i.kind === 'cloud-user');
    expect(users.map((u) => u.name)).toEqual(['root', 'ci-bot']);
    expect(users[1]!.attributes!.mfaActive).toBeUndefined();
  });

  it('rejects an unexpected report format and a header without user/arn', async () => {
    const dir = tempDir();
    const bad = { ...credentialReportJson(acme.credentialReportCsv()), ReportFormat: 'text/xml' };
    await expect(readWith(conn, write(dir, 'r.json', bad))).rejects.toThrow(
      /r\.json: \/ReportFormat: unsupported report format "text\/xml"/,
    );
    await expect(readWith(conn, write(dir, 'r.csv', 'user,arm\nx,y\n'))).rejects.toThrow(
      /line 1: the header must name/,
    );
  });
});

describe('aws list-access-keys', () => {
  it('reads one output and an array of outputs; skips keys without an id', async () => {
    const dir = tempDir();
    const one = await readWith(accessKeysConnector, write(dir, 'k.json', acme.accessKeys()[1]!));
    expect(ofType(one, 'identity').map((i) => [i.kind, i.name, i.createdAt, i.attributes])).toEqual([
      ['access-key', 'ci-bot access key', '2023-01-05T12:00:00.000Z', { userName: 'ci-bot', longTerm: true }],
      ['access-key', 'ci-bot access key', '2025-06-01T12:00:00.000Z', { userName: 'ci-bot', longTerm: true }],
    ]);
    const withBad = [
      { AccessKeyMetadata: [{ UserName: 'x', Status: 'Active' }] },
      { nope: 1 },
      ...acme.accessKeys(),
    ];
    const items = await readWith(accessKeysConnector, write(dir, 'all.json', withBad));
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/0/AccessKeyMetadata/0', reason: 'access key without AccessKeyId' },
      { pointer: '/1', reason: 'not a list-access-keys output (no AccessKeyMetadata array)' },
    ]);
    expect(ofType(items, 'identity')).toHaveLength(3);
  });
});
