import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { openStore } from '../../store/index.js';
import { importPaths } from '../import-service.js';
import { WardenError } from '../../errors/index.js';
import { SourceFile } from '../core/source-file.js';
import { CONNECTORS } from '../registry.js';
import { isoMs } from '../../store/worker.js';
import { cloudTrailConnector as conn, readTrailUsage } from './cloudtrail-connector.js';
import { accountId, rng, trailFile, trailPath, trailRecord, type Doc } from './test-utils/aws-fixtures.js';
import { context, ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const rand = rng(42);
const account = accountId(rand);
const roleArn = `arn:aws:iam::${account}:role/service-role/agent-runner`;

function records(): Doc[] {
  const role = { arn: roleArn, name: 'agent-runner', session: 'support-bot-1732' };
  return [
    trailRecord(rand, {
      account,
      type: 'IAMUser',
      user: 'ci-bot',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      time: '2026-11-20T10:00:00Z',
      requestParameters: { bucketName: 'data', key: 'a.csv' },
    }),
    trailRecord(rand, {
      account,
      type: 'AssumedRole',
      role,
      eventSource: 'secretsmanager.amazonaws.com',
      eventName: 'GetSecretValue',
      time: '2026-11-20T10:01:00Z',
      requestParameters: { secretId: 'prod/db' },
    }),
    trailRecord(rand, {
      account,
      type: 'AssumedRole',
      role,
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateAccessKey',
      time: '2026-11-20T10:02:00Z',
      errorCode: 'AccessDenied',
      userAgent: 'support-bot/2.1 boto3/1.34',
    }),
    trailRecord(rand, {
      account,
      type: 'AWSService',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      time: '2026-11-20T10:03:00Z',
      resources: [{ ARN: roleArn, accountId: account, type: 'AWS::IAM::Role' }],
    }),
    trailRecord(rand, {
      account,
      type: 'IAMUser',
      user: 'alice',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      eventType: 'AwsConsoleSignIn',
      time: '2026-11-20T10:04:00Z',
      responseElements: { ConsoleLogin: 'Success' },
    }),
  ];
}

describe('aws CloudTrail', () => {
  it('turns records into events: identity, action, resource, outcome, human use', async () => {
    const dir = tempDir();
    const recs = records();
    const file = write(dir, trailPath(account, 'eu-west-1', '2026-11-20T10:05:00Z', 1), trailFile(recs));
    expect(new SourceFile(file, dir).display).toMatch(
      /^AWSLogs\/\d{12}\/CloudTrail\/eu-west-1\/2026\/11\/20\/\d{12}_CloudTrail_eu-west-1_20261120T1005Z_/,
    );
    const f = new SourceFile(file, dir);
    expect([...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!.id).toBe('aws-cloudtrail');
    const items = await readWith(
      conn,
      file,
      context({ links: { patterns: [{ match: '^support-bot', agent: 'support-bot' }] } }),
    );
    const ev = ofType(items, 'event');
    expect(ev.map((e) => [e.identity?.nativeId, e.action, e.resource, e.outcome])).toEqual([
      [`arn:aws:iam::${account}:user/ci-bot`, 's3:GetObject', 'arn:aws:s3:::data/a.csv', 'success'],
      [roleArn, 'secretsmanager:GetSecretValue', 'prod/db', 'success'],
      [roleArn, 'iam:CreateAccessKey', undefined, 'failure'],
      [undefined, 'sts:AssumeRole', roleArn, 'success'],
      [`arn:aws:iam::${account}:user/alice`, 'signin:ConsoleLogin', undefined, 'success'],
    ]);
    expect(ev[1]).toMatchObject({
      key: recs[1]!.eventID,
      principal: `arn:aws:sts::${account}:assumed-role/agent-runner/support-bot-1732`,
      time: '2026-11-20T10:01:00.000Z',
      attributes: {
        identityType: 'AssumedRole',
        sessionName: 'support-bot-1732',
        region: 'eu-west-1',
        account,
      },
    });
    expect((ev[1]!.attributes!.accessKeyId as string).slice(0, 4)).toBe(['AS', 'IA'].join(''));
    expect(ev[2]!.attributes).toMatchObject({ errorCode: 'AccessDenied' });
    expect(ev[3]!.principal).toBe('lambda.amazonaws.com');
    expect(ev[4]!.attributes).toMatchObject({ humanUse: 'console-login', eventType: 'AwsConsoleSignIn' });
    expect(ev[0]!.sourceAddress).toMatch(/^198\.51\.100\./);
    // One link per agent and identity, with its evidence.
    expect(ofType(items, 'link')).toEqual([
      {
        agent: 'support-bot',
        identity: { provider: 'aws', nativeId: roleArn },
        source: 'cloudtrail',
        confidence: 0.7,
        evidence: expect.stringMatching(
          /\/Records\/1: role session name "support-bot-1732" matches \/\^support-bot\//,
        ) as unknown as string,
      },
    ]);
  });

  it('skips one corrupt record with its pointer and imports the rest', async () => {
    const recs: Doc[] = [];
    for (let i = 0; i < 25; i++) recs.push(...records().slice(0, 1));
    let text = JSON.stringify({ Records: recs });
    // Corrupt record 17 in place: a broken value inside an otherwise well-formed file.
    const marker = `"eventID":"${recs[17]!.eventID as string}"`;
    text = text.replace(marker, `"eventID":"${recs[17]!.eventID as string}",,"oops":`);
    const dir = tempDir();
    const items = await readWith(conn, write(dir, 'x_CloudTrail_eu-west-1_1.json', text));
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/Records/17', reason: expect.stringMatching(/^corrupt record/) as unknown as string },
    ]);
    expect(ofType(items, 'event')).toHaveLength(24);
    // Unbalanced braces in one record: resynchronised on the next record.
    const unbalanced = JSON.stringify({ Records: recs }).replace(marker, `"eventID":{"x":[1`);
    const items2 = await readWith(conn, write(dir, 'y_CloudTrail_eu-west-1_1.json', unbalanced));
    expect(ofType(items2, 'skip').map((s) => s.pointer)).toEqual(['/Records/17']);
    expect(ofType(items2, 'event')).toHaveLength(24);
  });

  it('skips well-formed records that are not events, with pointers; notes an unknown eventVersion', async () => {
    const recs: unknown[] = records();
    recs.splice(
      1,
      0,
      'nonsense',
      { eventVersion: '1.09', eventName: 'X' },
      {
        eventType: 'AwsCloudTrailInsight',
        eventID: 'i',
        eventName: 'n',
        eventSource: 's',
        eventTime: '2026-11-20T10:00:00Z',
      },
    );
    (recs[0] as Doc).eventVersion = '2.0';
    const items = await readWith(conn, write(tempDir(), 'f.json', trailFile(recs as Doc[], false)));
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/Records/1', reason: 'record is not an object' },
      { pointer: '/Records/2', reason: 'record without eventID, eventName, eventSource or eventTime' },
      { pointer: '/Records/3', reason: 'Insights event: not a use of an identity' },
    ]);
    expect(ofType(items, 'note')).toEqual([
      {
        pointer: '/Records/0/eventVersion',
        reason: expect.stringContaining('unexpected eventVersion 2.0') as unknown as string,
      },
    ]);
    expect(ofType(items, 'event')).toHaveLength(5);
  });

  it('gives a usage-only reader the same uses, skips, notes and links as its events', async () => {
    const recs: Doc[] = records();
    const role = { arn: roleArn, name: 'agent-runner', session: 'support-bot-9' };
    const extra = (time: string, more: Doc = {}) =>
      trailRecord(rand, {
        account,
        type: 'AssumedRole',
        role,
        eventSource: 'lambda.amazonaws.com',
        eventName: 'Invoke',
        time,
        requestParameters: { functionName: 'f' },
        ...more,
      });
    recs.push(
      extra('2026-11-20T10:05:00.250Z'),
      extra('2026-02-30T25:61:00Z', { errorCode: '' }),
      extra('2026-11-2OT10:05:00Z', { userAgent: '' }),
      extra('Fri, 20 Nov 2026 10:06:00 GMT', { eventSource: 'custom.example.com' }),
      extra('yesterday'),
      { ...extra('2026-11-20T10:07:00Z'), resources: [], requestParameters: { bucketName: 'b' } },
    );
    recs[4]!.responseElements = { ConsoleLogin: 'Failure' };
    recs[0]!.eventVersion = '2.0';
    const file = write(tempDir(), 'u.json', trailFile(recs, false));
    const ctx = context({ links: { patterns: [{ match: '^support-bot', agent: 'support-bot' }] } });
    const items = await readWith(conn, file, ctx);
    const uses: unknown[][] = [];
    const usage = await readTrailUsage(new SourceFile(file, path.dirname(file)), ctx, (...use) => {
      uses.push(use);
    });
    const events = ofType(items, 'event');
    expect(usage.events).toBe(events.length);
    expect(uses).toEqual(
      events
        .filter((e) => e.identity)
        .map((e) => [
          e.identity!.nativeId,
          e.action,
          e.resource ?? null,
          isoMs(e.time),
          e.outcome === 'failure',
          e.userAgent ?? null,
        ]),
    );
    expect(uses.map((u) => u[3])).toContain(Date.UTC(2026, 2, 3, 2, 1));
    expect(usage.items).toEqual(items.filter((i) => i.type !== 'event'));
    expect(ofType(usage.items, 'link')).toHaveLength(1);
    expect(ofType(usage.items, 'skip').map((k) => k.pointer)).toEqual(['/Records/9/eventTime']);
  });

  it('fails a truncated file (gzip or not) as a whole', async () => {
    const dir = tempDir();
    const text = trailFile(records(), false).toString('utf8');
    const cut = write(dir, 'cut_CloudTrail_x.json', text.slice(0, Math.floor(text.length * 0.6)));
    const err = await readWith(conn, cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WardenError);
    expect((err as WardenError).message).toMatch(/^cut_CloudTrail_x\.json: truncated/);
    const gz = trailFile(records());
    const cutGz = write(dir, 'cut_CloudTrail_x.json.gz', gz.subarray(0, gz.length - 30));
    await expect(readWith(conn, cutGz)).rejects.toThrow(/cut_CloudTrail_x\.json\.gz/);
  });

  it('does not claim CloudTrail digest files', () => {
    const dir = tempDir();
    const file = write(dir, 'digest.json', {
      awsAccountId: account,
      digestStartTime: '2026-11-20T10:00:00Z',
      logFiles: [],
    });
    expect(conn.detect(new SourceFile(file, dir))).toBe(0);
    expect(path.basename(file)).toBe('digest.json');
  });

  it('claims delivered log files by their documented name, and fails one that holds something else', async () => {
    const dir = tempDir();
    const good = write(dir, trailPath(account, 'us-east-2', '2026-11-20T10:00:00Z', 1), trailFile(records()));
    const odd = write(
      dir,
      trailPath(account, 'us-east-2', '2026-11-20T10:05:00Z', 2),
      gzipSync(JSON.stringify({ UserDetailList: [] })),
    );
    const digest = write(
      dir,
      `${account}_CloudTrail-Digest_us-east-2_20261120T1000Z.json.gz`,
      trailFile(records()),
    );
    const head = vi.spyOn(SourceFile.prototype, 'head');
    try {
      expect(conn.claims!(new SourceFile(good, dir))).toBe(true);
      expect(conn.claims!(new SourceFile(digest, dir))).toBe(false);
      expect(head).not.toHaveBeenCalled();
    } finally {
      head.mockRestore();
    }
    const store = await openStore(':memory:');
    try {
      const report = await importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
      });
      const byName = (f: string) => report.files.find((r) => r.file.endsWith(path.basename(f)));
      expect(byName(good)).toMatchObject({ status: 'imported', counts: { event: 5 } });
      expect(byName(odd)?.status).toBe('failed');
      expect(JSON.stringify(byName(odd))).toContain('expected a CloudTrail log file');
    } finally {
      await store.close();
    }
  });
});
