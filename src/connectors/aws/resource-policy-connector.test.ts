/**
 * Resource-based policy outputs exactly as the AWS CLI prints them (the policy is JSON text in a
 * string), built here from the documented response shapes.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../core/source-file.js';
import { CONNECTORS } from '../registry.js';
import { resourcePolicyConnector } from './resource-policy-connector.js';
import { ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const ACCT = '210987654321';
const OTHER = '123456789012';
const text = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

async function read(name: string, content: unknown) {
  const dir = tempDir();
  const file = write(dir, name, content);
  const f = new SourceFile(file, path.dirname(file));
  const best = [...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!;
  return { id: best.id, items: await readWith(resourcePolicyConnector, file) };
}

describe('aws resource policies', () => {
  it('s3api get-bucket-policy: bucket from the file name, public exposure, grants for named roles', async () => {
    const { id, items } = await read('exports/s3-bucket-policy-acme-site.json', {
      Policy: text(
        {
          Sid: 'Public',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-site/*',
        },
        {
          Sid: 'Deploy',
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${ACCT}:role/site-deployer`, `arn:aws:iam::${ACCT}:root`] },
          Action: ['s3:PutObject', 's3:DeleteObject'],
          Resource: 'arn:aws:s3:::acme-site/*',
        },
      ),
    });
    expect(id).toBe('aws-resource-policy');
    const [r] = ofType(items, 'resource');
    expect(r).toMatchObject({
      nativeId: 'arn:aws:s3:::acme-site',
      type: 'aws-s3-bucket',
      name: 'acme-site',
      account: ACCT,
      attributes: { exposure: 'public', policySource: 'aws s3api get-bucket-policy', hasDeny: false },
    });
    expect((r!.attributes!.resourcePolicy as { Statement: unknown[] }).Statement).toHaveLength(2);
    const grants = ofType(items, 'grant');
    expect(grants).toHaveLength(1); // the root is delegation, `*` is exposure: neither is a grant
    expect(grants[0]).toMatchObject({
      identity: { provider: 'aws', nativeId: `arn:aws:iam::${ACCT}:role/site-deployer` },
      effect: 'allow',
      level: 'write',
      via: 'resource policy of arn:aws:s3:::acme-site',
    });
  });

  it('kms get-key-policy (PolicyName default): key from the file name, account from the root principal', async () => {
    const keyId = 'mrk-0a1b2c3d4e5f';
    const { items } = await read(`kms-key-policy-${keyId}.json`, {
      Policy: text({
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCT}:root` },
        Action: 'kms:*',
        Resource: '*',
      }),
      PolicyName: 'default',
    });
    expect(ofType(items, 'resource')[0]).toMatchObject({
      nativeId: `arn:aws:kms::${ACCT}:key/${keyId}`,
      type: 'aws-kms-key',
      sensitivity: 'high',
      attributes: { exposure: 'account', policyName: 'default' },
    });
  });

  it('lambda get-policy and secretsmanager get-resource-policy: cross-account and service principals', async () => {
    const fn = `arn:aws:lambda:eu-west-1:${ACCT}:function:support-bot`;
    const l = await read('lambda-get-policy-support-bot.json', {
      Policy: text({
        Sid: 'apigw',
        Effect: 'Allow',
        Principal: { Service: 'apigateway.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: fn,
        Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:eu-west-1:${ACCT}:abc/*` } },
      }),
      RevisionId: '4f2c1a3e-0000-4000-8000-000000000000',
    });
    expect(ofType(l.items, 'resource')[0]).toMatchObject({
      nativeId: fn,
      attributes: { exposure: 'none', servicePrincipals: ['apigateway.amazonaws.com'] },
    });
    const secret = `arn:aws:secretsmanager:eu-west-1:${ACCT}:secret:prod/db-a1B2c3`;
    const s = await read('secret-policy.json', {
      ARN: secret,
      Name: 'prod/db',
      ResourcePolicy: text({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:role/analytics` },
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
      }),
    });
    expect(s.id).toBe('aws-resource-policy');
    expect(ofType(s.items, 'resource')[0]).toMatchObject({
      nativeId: secret,
      account: ACCT,
      attributes: { exposure: 'cross-account', crossAccounts: [OTHER] },
    });
    expect(ofType(s.items, 'grant')[0]).toMatchObject({
      level: 'read',
      sensitivity: 'high',
      resources: ['*'],
    });
  });

  it('bad input: policy text that is not JSON, a missing Policy, an unnamed bucket are skipped with a reason', async () => {
    const notJson = await read('s3-bucket-policy-b.json', {
      Policy: '{"Version": "2012-10-17", "Statement": [',
    });
    expect(ofType(notJson.items, 'resource')).toEqual([]);
    expect(ofType(notJson.items, 'skip')).toEqual([
      { pointer: '/Policy', reason: 'the policy text is not valid JSON' },
    ]);
    const missing = await read('s3-bucket-policy-c.json', { Policy: null });
    expect(ofType(missing.items, 'skip')[0]).toMatchObject({ pointer: '/Policy', reason: /missing/ });
    const queue = await read('queue.json', {
      Attributes: { QueueArn: `arn:aws:sqs:us-east-1:${ACCT}:jobs` },
    });
    expect(ofType(queue.items, 'skip')[0]!.reason).toMatch(/no Policy attribute/);
    const unnamed = await read('policy.json', {
      Policy: text({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }),
    });
    expect(ofType(unnamed.items, 'skip')[0]!.reason).toMatch(/s3-bucket-policy-<bucket>\.json/);
    const badStatement = await read('s3-bucket-policy-d.json', {
      Policy: text(
        { Effect: 'Permit', Action: 's3:*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' },
      ),
    });
    expect(ofType(badStatement.items, 'skip')[0]!.pointer).toBe('/Policy (Statement/0)');
    expect(ofType(badStatement.items, 'resource')[0]!.attributes!.hasDeny).toBe(true);
  });

  it('sqs get-queue-attributes: queue ARN from QueueArn, conditional public exposure', async () => {
    const q = `arn:aws:sqs:us-east-1:${ACCT}:jobs`;
    const { items } = await read('sqs-jobs-attributes.json', {
      Attributes: {
        QueueArn: q,
        Policy: text({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sqs:SendMessage',
          Resource: q,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
        }),
      },
    });
    expect(ofType(items, 'resource')[0]).toMatchObject({
      nativeId: q,
      type: 'aws-sqs-queue',
      attributes: { exposure: 'conditional' },
    });
  });
});
