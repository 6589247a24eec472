import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { openStore } from '../../store/index.js';
import { SourceFile } from '../core/source-file.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import { cloudTrailConnector } from './cloudtrail-connector.js';
import { cloudTrailLookupConnector as conn } from './cloudtrail-lookup-connector.js';
import { accountId, rng, trailFile, trailPath, trailRecord, type Doc } from './test-utils/aws-fixtures.js';
import { context, ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const rand = rng(7);
const account = accountId(rand);
const roleArn = `arn:aws:iam::${account}:role/agents/report-bot`;

function records(): Doc[] {
  const role = { arn: roleArn, name: 'report-bot', session: 'report-bot-77' };
  return [
    trailRecord(rand, {
      account,
      type: 'IAMUser',
      user: 'ci-bot',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      time: '2026-11-20T10:00:00Z',
      requestParameters: { bucketName: 'reports' },
    }),
    trailRecord(rand, {
      account,
      type: 'AssumedRole',
      role,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      time: '2026-11-20T10:01:00Z',
      errorCode: 'AccessDenied',
      userAgent: 'report-bot/1.0 boto3/1.34',
    }),
  ];
}

/**
 * One event of `aws cloudtrail lookup-events` output as the CLI prints it: the API's summary
 * fields, and the whole record as a JSON string (API_Event in the CloudTrail API reference).
 */
function lookupEvent(r: Doc): Doc {
  const ui = r.userIdentity as Doc;
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: 'false',
    AccessKeyId: ui.accessKeyId,
    EventTime: String(r.eventTime).replace('Z', '+00:00'),
    EventSource: r.eventSource,
    Username: ui.userName ?? String(ui.arn).split('/').pop(),
    Resources: [],
    CloudTrailEvent: JSON.stringify(r),
  };
}

describe('aws cloudtrail lookup-events', () => {
  it('reads each CloudTrailEvent as the delivered record it is: same events, ids and links', async () => {
    const dir = tempDir();
    const recs = records();
    const file = write(dir, 'lookup.json', { Events: recs.map(lookupEvent), NextToken: 'eyJ4Ijox' });
    const f = new SourceFile(file, dir);
    expect([...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!.id).toBe('aws-cloudtrail-lookup');
    const ctx = context({ links: { patterns: [{ match: '^report-bot', agent: 'report-bot' }] } });
    const items = await readWith(conn, file, ctx);
    const delivered = await readWith(
      cloudTrailConnector,
      write(dir, trailPath(account, 'eu-west-1', '2026-11-20T10:05:00Z', 1), trailFile(recs)),
      ctx,
    );
    expect(ofType(items, 'event')).toEqual(ofType(delivered, 'event'));
    expect(ofType(items, 'event').map((e) => [e.identity?.nativeId, e.action, e.outcome])).toEqual([
      [`arn:aws:iam::${account}:user/ci-bot`, 's3:PutBucketPolicy', 'success'],
      [roleArn, 'iam:CreateAccessKey', 'failure'],
    ]);
    expect(ofType(items, 'link')).toEqual([
      expect.objectContaining({
        agent: 'report-bot',
        identity: { provider: 'aws', nativeId: roleArn },
        evidence: expect.stringContaining('/Events/1/CloudTrailEvent: role session name "report-bot-77"'),
      }),
    ]);
  });

  it('skips an event without its record or with a corrupt one, with its pointer, and reads the rest', async () => {
    const recs = records();
    const events: unknown[] = recs.map(lookupEvent);
    const broken = { ...(events[0] as Doc), CloudTrailEvent: '{"eventVersion":"1.09",' };
    const bare = { ...(events[1] as Doc) };
    delete bare.CloudTrailEvent;
    events.push(broken, bare, 'nonsense', { ...(events[1] as Doc), CloudTrailEvent: '"just text"' });
    const items = await readWith(conn, write(tempDir(), 'lookup.json', { Events: events }));
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/Events/2/CloudTrailEvent', reason: expect.stringMatching(/^corrupt record \(/) },
      { pointer: '/Events/3/CloudTrailEvent', reason: 'event without its CloudTrailEvent record' },
      { pointer: '/Events/4/CloudTrailEvent', reason: 'event is not an object' },
      { pointer: '/Events/5/CloudTrailEvent', reason: 'record is not an object' },
    ]);
    expect(ofType(items, 'event')).toHaveLength(2);
  });

  it('fails a file that is not lookup-events output with its name, and stores nothing of it', async () => {
    const dir = tempDir();
    await expect(
      readWith(conn, write(dir, 'a.json', '{"Events": [{"CloudTrailEvent": "{}"')),
    ).rejects.toThrow(/a\.json: invalid JSON/);
    await expect(readWith(conn, write(dir, 'b.json', { Events: { x: 1 } }))).rejects.toThrow(
      /b\.json: expected `aws cloudtrail lookup-events` output/,
    );
  });

  it('counts an event once when both a log file and lookup-events output hold it', async () => {
    const dir = tempDir();
    const recs = records();
    write(dir, 'lookup/page-1.json', { Events: recs.map(lookupEvent) });
    write(dir, trailPath(account, 'eu-west-1', '2026-11-20T10:05:00Z', 1), trailFile(recs));
    const store = await openStore(path.join(tempDir(), 'w.db'));
    try {
      const report = await importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
      });
      expect(report.files.map((f) => [f.format, f.status, f.counts?.event]).sort()).toEqual([
        ['aws-cloudtrail', 'imported', 2],
        ['aws-cloudtrail-lookup', 'imported', 2],
      ]);
      const events = await store.db.selectFrom('events').select('id').execute();
      expect(events).toHaveLength(2);
      const usage = await store.db
        .selectFrom('usage')
        .select(['action', 'count'])
        .orderBy('action')
        .execute();
      expect(usage.map((u) => [u.action, Number(u.count)])).toEqual([
        ['iam:CreateAccessKey', 1],
        ['s3:PutBucketPolicy', 1],
      ]);
    } finally {
      await store.close();
    }
  });
});
