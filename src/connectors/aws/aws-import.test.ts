import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { recordId } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { DIALECTS, hasPostgres, openTestStore } from '../../store/test-utils/dialects.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import { rng, smallAccount, trailFile, trailPath, trailRecord } from './test-utils/aws-fixtures.js';
import { listings } from './test-utils/listing-fixtures.js';
import { tempDir, write } from './test-utils/run-connector.js';

const acme = smallAccount(5);
const arn = (t: string) => `arn:aws:iam::${acme.account}:${t}`;
const runner = arn('role/service-role/agent-runner');

function exportFolder(): string {
  const dir = tempDir();
  write(dir, 'iam/authorization-details.json', acme.authz('url'));
  write(dir, 'iam/access-keys.json', acme.accessKeys());
  write(dir, 'iam/credential-report.csv', acme.credentialReportCsv());
  for (const [name, doc] of Object.entries(listings(acme.account, 'not-a-secret')))
    write(dir, `listings/${name}`, doc);
  const rand = rng(99);
  const role = { arn: runner, name: 'agent-runner', session: 'support-bot-42' };
  const day = (h: number) => `2026-11-21T${String(h).padStart(2, '0')}:00:00Z`;
  for (let f = 0; f < 3; f++) {
    const recs = [];
    for (let i = 0; i < 40; i++) {
      recs.push(
        i % 2
          ? trailRecord(rand, {
              account: acme.account,
              type: 'AssumedRole',
              role,
              eventSource: 's3.amazonaws.com',
              eventName: 'GetObject',
              time: day(f + 1),
              requestParameters: { bucketName: 'data', key: `k${i}` },
            })
          : trailRecord(rand, {
              account: acme.account,
              type: 'IAMUser',
              user: 'ci-bot',
              eventSource: 'lambda.amazonaws.com',
              eventName: 'UpdateFunctionCode20150331v2',
              time: day(f + 1),
            }),
      );
    }
    write(dir, trailPath(acme.account, 'eu-west-1', day(f + 1), f), trailFile(recs));
  }
  write(dir, `AWSLogs/${acme.account}/CloudTrail-Digest/eu-west-1/2026/11/21/digest.json`, {
    digestStartTime: day(1),
    logFiles: [],
  });
  return dir;
}

for (const dialect of DIALECTS)
  describe.skipIf(dialect === 'postgres' && !hasPostgres())(
    `aws exports through importPaths (${dialect})`,
    () => {
      let store: Store;
      let close: () => Promise<void>;
      beforeEach(async () => {
        ({ store, close } = await openTestStore(dialect));
      });
      afterEach(async () => close());

      it('imports a folder of AWS exports, links agents, and re-imports idempotently', async () => {
        const dir = exportFolder();
        const config = ConfigSchema.parse({
          links: { patterns: [{ match: '^support-bot-', agent: 'support-bot' }] },
        });
        const report = await importPaths({
          store,
          config,
          connectors: CONNECTORS,
          paths: [dir],
          now: '2026-11-26T00:00:00.000Z',
        });
        const formats = Object.fromEntries(report.files.map((f) => [f.file, f.format ?? f.status]));
        expect(formats['iam/authorization-details.json']).toBe('aws-authorization-details');
        expect(formats['iam/credential-report.csv']).toBe('aws-credential-report');
        expect(Object.values(formats).filter((f) => f === 'aws-cloudtrail')).toHaveLength(3);
        expect(report.files.filter((f) => f.status === 'failed')).toEqual([]);

        const ci = await store.findIdentity('aws', arn('user/ci-bot'));
        expect(ci).toMatchObject({
          kind: 'cloud-user',
          account: acme.account,
          lastUsedAt: '2026-11-25T03:00:00.000Z',
        });
        const key = await store.findIdentity('aws', acme.ids.ciKey1);
        expect(key).toMatchObject({
          kind: 'access-key',
          lastUsedAt: '2026-11-25T03:00:00.000Z',
          attributes: { parent: arn('user/ci-bot'), slot: 1 },
        });
        expect(await store.findIdentity('aws', `${arn('user/ci-bot')}#access_key_1`)).toBeUndefined();
        // CloudTrail use (2026-11-21T03:00) is later than RoleLastUsed (2026-11-20T08:00).
        expect((await store.findIdentity('aws', runner))?.lastUsedAt).toBe('2026-11-21T03:00:00.000Z');

        const links = await store.listLinks();
        const linkOf = (agent: string) =>
          links
            .filter((l) => l.agentId === recordId.agent(agent))
            .map((l) => l.source)
            .sort();
        expect(linkOf('support-bot').filter((s) => s !== 'inferred')).toEqual(['cloudtrail', 'tag']);
        // ci-bot's own tag, and the CodeBuild project's role (the import service may add inferred links).
        expect(linkOf('deploy-bot').filter((s) => s !== 'inferred')).toEqual(['tag', 'tag']);
        const grants = await store.listGrants({
          identityId: recordId.identity('aws', arn('user/people/alice')),
        });
        expect(grants).toHaveLength(3);
        const edges = await store.listEdges({ kind: 'runs-as' });
        expect(edges.length).toBeGreaterThanOrEqual(8);
        const usage = await store.usageFor(recordId.identity('aws', runner));
        expect(usage.reduce((n, u) => n + Number(u.count), 0)).toBe(60);

        const before = await store.counts();
        expect(before.events).toBe(120);
        const again = await importPaths({
          store,
          config,
          connectors: CONNECTORS,
          paths: [dir],
          now: '2026-11-27T00:00:00.000Z',
        });
        expect(again.files.reduce((n, f) => n + (f.gone ?? 0), 0)).toBe(0);
        expect(await store.counts()).toEqual(before);
        const usage2 = await store.usageFor(recordId.identity('aws', runner));
        expect(usage2.reduce((n, u) => n + Number(u.count), 0)).toBe(60);
      });

      it('a truncated CloudTrail file fails alone and leaves the store unchanged', async () => {
        const dir = exportFolder();
        const config = ConfigSchema.parse({});
        await importPaths({ store, config, connectors: CONNECTORS, paths: [dir] });
        const before = await store.counts();
        const rand = rng(1);
        const recs = Array.from({ length: 10 }, () =>
          trailRecord(rand, {
            account: acme.account,
            type: 'IAMUser',
            user: 'alice',
            eventSource: 's3.amazonaws.com',
            eventName: 'ListBuckets',
            time: '2026-11-22T00:00:00Z',
          }),
        );
        const text = trailFile(recs, false).toString('utf8');
        write(
          dir,
          trailPath(acme.account, 'eu-west-1', '2026-11-22T00:00:00Z', 9).replace('.gz', ''),
          text.slice(0, text.length - 200),
        );
        const report = await importPaths({ store, config, connectors: CONNECTORS, paths: [dir] });
        const failed = report.files.filter((f) => f.status === 'failed');
        expect(failed).toHaveLength(1);
        expect(failed[0]!.error!.message).toMatch(/CloudTrail.*\.json: truncated/);
        expect(await store.counts()).toEqual(before);
      });
    },
  );
