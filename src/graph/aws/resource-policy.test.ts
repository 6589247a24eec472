/**
 * Resource-based policy golden cases, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html ,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * and https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html .
 * Inputs are the AWS CLI outputs: the policy is JSON text inside `Policy` / `ResourcePolicy`.
 */
import { describe, expect, it } from 'vitest';
import { createAwsEvaluator } from './evaluator.js';
import { parseAwsEnvironment } from './parse-environment.js';
import { ACCT, AuthBuilder, allow, deny, doc, roleArn, userArn } from './test-utils/auth-builder.js';

const OTHER = '444455556666';
const BUCKET = 'arn:aws:s3:::acme-payroll';
const OBJ = `${BUCKET}/2026/report.csv`;

/** `aws s3api get-bucket-policy` output. */
const bucketPolicy = (...stmts: Record<string, unknown>[]) => ({ Policy: JSON.stringify(doc(...stmts)) });
/** `aws kms get-key-policy` output. */
const keyPolicy = (...stmts: Record<string, unknown>[]) => ({
  Policy: JSON.stringify(doc(...stmts)),
  PolicyName: 'default',
});
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/${KEY_ID}`;
const listKeys = { Keys: [{ KeyId: KEY_ID, KeyArn: KEY }] };
const rootOf = (a: string) => `arn:aws:iam::${a}:root`;

function evalOf(inputs: unknown[], labels: string[]) {
  const env = parseAwsEnvironment(inputs, labels);
  return { env, ev: createAwsEvaluator(env) };
}

describe('AWS resource-based policies', () => {
  it('reads the CLI outputs; the bucket and key are named by the file name', () => {
    const { env } = evalOf(
      [
        bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' })),
        keyPolicy(allow('kms:*', '*', { Principal: { AWS: rootOf(ACCT) } })),
        listKeys,
        {
          Policy: JSON.stringify(
            doc(
              allow('lambda:InvokeFunction', `arn:aws:lambda:us-east-1:${ACCT}:function:support-bot`, {
                Principal: { Service: 'apigateway.amazonaws.com' },
              }),
            ),
          ),
          RevisionId: 'a1b2',
        },
        {
          ARN: `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`,
          Name: 'db',
          ResourcePolicy: JSON.stringify(doc(deny('secretsmanager:*', '*', { Principal: '*' }))),
        },
      ],
      [
        'exports/s3-bucket-policy-acme-payroll.json',
        'exports/kms-key-policy-1234abcd-12ab-34cd-56ef-1234567890ab.json',
        'exports/kms-list-keys.json',
        'exports/lambda-get-policy.json',
        'exports/secret-policy.json',
      ],
    );
    expect(env.issues).toEqual([]);
    expect(env.resourcePolicies!.map((r) => [r.service, r.arn, r.account])).toEqual([
      ['s3', BUCKET, null],
      ['kms', KEY, ACCT], // region from list-keys in the same inputs
      ['lambda', `arn:aws:lambda:us-east-1:${ACCT}:function:support-bot`, ACCT],
      ['secretsmanager', `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:db-AbCdEf`, ACCT],
    ]);
  });

  it('bad input: a policy that is not JSON, a missing Policy, an unnamed bucket are reported, not fatal', () => {
    const { env } = evalOf(
      [
        { Policy: '{"Version": "2012-10-17", "Statement": [' },
        { Attributes: { QueueArn: `arn:aws:sqs:us-east-1:${ACCT}:q` } },
        { Policy: JSON.stringify(doc(allow('s3:GetObject', '*', { Principal: '*' }))) },
        bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: '*' })),
      ],
      ['a/s3-bucket-policy-x.json', 'b/queue.json', 'c/unnamed.json', 'd/acme-payroll.bucket-policy.json'],
    );
    expect(env.issues.map((i) => `${i.source} ${i.pointer}: ${i.message}`)).toEqual([
      'a/s3-bucket-policy-x.json /Policy: policy document is not valid JSON: skipped',
      'b/queue.json /Attributes: no Policy attribute: nothing to evaluate',
      'c/unnamed.json : bucket policy: cannot tell the bucket (name the file s3-bucket-policy-<bucket>.json)',
    ]);
    expect(env.resourcePolicies!.map((r) => r.arn)).toEqual([BUCKET]); // the good one still counts
  });

  it('an explicit Deny in a bucket policy wins over an identity Allow (near miss: other principals)', () => {
    const b = new AuthBuilder()
      .user('alice', { inline: [doc(allow('s3:*'))] })
      .user('bob', { inline: [doc(allow('s3:*'))] });
    const { ev } = evalOf(
      [
        b.build(),
        bucketPolicy(deny('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: userArn('alice') } })),
      ],
      ['auth.json', 's3-bucket-policy-acme-payroll.json'],
    );
    const a = ev.canDo(userArn('alice'), 's3:GetObject', OBJ);
    expect(a.decision).toBe('deny');
    expect(a.reasons.join(' ')).toMatch(/resource policy of arn:aws:s3:::acme-payroll/);
    expect(ev.canDo(userArn('bob'), 's3:GetObject', OBJ).decision).toBe('allow');
    expect(ev.canDo(userArn('alice'), 's3:PutObject', OBJ).decision).toBe('allow');
  });

  it('same account: a bucket-policy Allow naming the role grants without an identity Allow', () => {
    const b = new AuthBuilder().role('reader', {}, {}).role('other', {}, {});
    const { ev } = evalOf(
      [
        b.build(),
        bucketPolicy(
          allow(['s3:GetObject', 's3:ListBucket'], [BUCKET, `${BUCKET}/*`], {
            Principal: { AWS: roleArn('reader') },
          }),
        ),
      ],
      ['auth.json', 's3-bucket-policy-acme-payroll.json'],
    );
    expect(ev.canDo(roleArn('reader'), 's3:GetObject', OBJ).decision).toBe('allow');
    expect(ev.canDo(roleArn('reader'), 's3:PutObject', OBJ).decision).toBe('implicit-deny');
    expect(ev.canDo(roleArn('other'), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
  });

  it('naming the account root only delegates: identity policies still decide in the same account', () => {
    const b = new AuthBuilder().user('nobody');
    const { ev } = evalOf(
      [b.build(), bucketPolicy(allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: rootOf(ACCT) } }))],
      ['auth.json', 's3-bucket-policy-acme-payroll.json'],
    );
    expect(ev.canDo(userArn('nobody'), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
  });

  it('a boundary caps a role named by a resource policy, not a user named by ARN', () => {
    const b = new AuthBuilder()
      .policy('cap', [doc(allow('ec2:*'))])
      .user('u', { boundary: 'arn:aws:iam::111122223333:policy/cap' })
      .role('r', {}, { boundary: 'arn:aws:iam::111122223333:policy/cap' });
    const { ev } = evalOf(
      [
        b.build(),
        bucketPolicy(
          allow('s3:GetObject', `${BUCKET}/*`, { Principal: { AWS: [userArn('u'), roleArn('r')] } }),
        ),
      ],
      ['auth.json', 's3-bucket-policy-acme-payroll.json'],
    );
    expect(ev.canDo(userArn('u'), 's3:GetObject', OBJ).decision).toBe('allow');
    expect(ev.canDo(roleArn('r'), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
  });

  it('KMS: without root delegation the key policy blocks an identity Allow; with it the identity Allow works', () => {
    const b = new AuthBuilder().user('dev', { inline: [doc(allow('kms:Decrypt'))] }).role('app', {}, {});
    const strict = evalOf(
      [b.build(), listKeys, keyPolicy(allow('kms:*', '*', { Principal: { AWS: roleArn('app') } }))],
      ['auth.json', 'keys.json', `kms-key-policy-${KEY_ID}.json`],
    ).ev;
    const d = strict.canDo(userArn('dev'), 'kms:Decrypt', KEY);
    expect(d.decision).toBe('implicit-deny');
    expect(d.reasons.join(' ')).toMatch(/does not allow the account root/);
    expect(strict.canDo(roleArn('app'), 'kms:Decrypt', KEY).decision).toBe('allow'); // named in the key policy
    const delegating = evalOf(
      [b.build(), listKeys, keyPolicy(allow('kms:*', '*', { Principal: { AWS: rootOf(ACCT) } }))],
      ['auth.json', 'keys.json', `kms-key-policy-${KEY_ID}.json`],
    ).ev;
    expect(delegating.canDo(userArn('dev'), 'kms:Decrypt', KEY).decision).toBe('allow');
    expect(delegating.canDo(roleArn('app'), 'kms:Decrypt', KEY).decision).toBe('implicit-deny');
    // No key policy in the export: the default policy (delegation to the root) is assumed.
    const none = evalOf([b.build(), listKeys], ['auth.json', 'keys.json']).ev;
    expect(none.canDo(userArn('dev'), 'kms:Decrypt', KEY).decision).toBe('allow');
  });

  it('cross account needs both sides: the bucket policy and the identity policy', () => {
    const them = new AuthBuilder(OTHER)
      .user('both', { inline: [doc(allow('s3:GetObject'))] })
      .user('identity-only', { inline: [doc(allow('s3:GetObject'))] })
      .user('policy-only');
    const policy = bucketPolicy(
      allow('s3:GetObject', `${BUCKET}/*`, {
        Principal: { AWS: [userArn('both', OTHER), userArn('policy-only', OTHER)] },
      }),
    );
    const own = new AuthBuilder().user('owner-admin', { inline: [doc(allow('s3:*'))] });
    const { ev } = evalOf(
      [own.build(), them.build(), { ...policy, ExpectedBucketOwner: ACCT }],
      ['own.json', 'them.json', 's3-bucket-policy-acme-payroll.json'],
    );
    expect(ev.canDo(userArn('both', OTHER), 's3:GetObject', OBJ).decision).toBe('allow');
    expect(ev.canDo(userArn('identity-only', OTHER), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
    expect(ev.canDo(userArn('policy-only', OTHER), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
    // Another account's key without any key policy in the export: unreachable from here.
    const key = `arn:aws:kms:us-east-1:${ACCT}:key/k`;
    expect(ev.canDo(userArn('both', OTHER), 'kms:Decrypt', key).decision).toBe('implicit-deny');
  });

  it('public principal: exposure public, or conditional with aws:SourceVpce / aws:PrincipalOrgID', async () => {
    const { analyzeAws } = await import('./analyze.js');
    const env = parseAwsEnvironment(
      [
        new AuthBuilder().user('u').build(),
        bucketPolicy(allow('s3:GetObject', 'arn:aws:s3:::site/*', { Principal: '*' })),
        bucketPolicy(
          allow('s3:GetObject', 'arn:aws:s3:::vpc-only/*', {
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
          }),
        ),
        bucketPolicy(allow('s3:GetObject', 'arn:aws:s3:::private/*', { Principal: { AWS: roleArn('x') } })),
      ],
      [
        'auth.json',
        's3-bucket-policy-site.json',
        's3-bucket-policy-vpc-only.json',
        's3-bucket-policy-private.json',
      ],
    );
    const ex = new Map(analyzeAws(env).exposures.map((e) => [e.arn, e.exposure]));
    expect(ex.get('arn:aws:s3:::site')).toBe('public');
    expect(ex.get('arn:aws:s3:::vpc-only')).toBe('conditional');
    expect(ex.get('arn:aws:s3:::private')).toBe('account');
    // The public grant reaches a principal of the account with no identity Allow at all.
    const ev = createAwsEvaluator(env);
    expect(ev.canDo(userArn('u'), 's3:GetObject', 'arn:aws:s3:::site/index.html').decision).toBe('allow');
    const v = ev.canDo(userArn('u'), 's3:GetObject', 'arn:aws:s3:::vpc-only/a');
    expect(v).toMatchObject({ decision: 'allow', conditional: true });
    expect(v.reasons.join(' ')).toMatch(/aws:sourcevpce/i);
  });

  it('conditions: unsatisfiable -> no grant; request-dependent -> conditional', () => {
    const b = new AuthBuilder().role('app', {}, { tags: { team: 'payments' } });
    const p = bucketPolicy(
      allow('s3:GetObject', `${BUCKET}/*`, {
        Principal: { AWS: roleArn('app') },
        Condition: { StringEquals: { 'aws:PrincipalTag/team': 'finance' } },
      }),
      allow('s3:PutObject', `${BUCKET}/*`, {
        Principal: { AWS: roleArn('app') },
        Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      }),
    );
    const { ev } = evalOf([b.build(), p], ['auth.json', 's3-bucket-policy-acme-payroll.json']);
    expect(ev.canDo(roleArn('app'), 's3:GetObject', OBJ).decision).toBe('implicit-deny');
    expect(ev.canDo(roleArn('app'), 's3:PutObject', OBJ)).toMatchObject({
      decision: 'allow',
      conditional: true,
    });
  });

  it('the common Deny on aws:SecureTransport=false never denies CLI/SDK calls', () => {
    const b = new AuthBuilder().user('u', { inline: [doc(allow('s3:GetObject'))] });
    const { ev } = evalOf(
      [
        b.build(),
        bucketPolicy(
          deny('s3:*', [BUCKET, `${BUCKET}/*`], {
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ),
      ],
      ['auth.json', 's3-bucket-policy-acme-payroll.json'],
    );
    expect(ev.canDo(userArn('u'), 's3:GetObject', OBJ)).toMatchObject({
      decision: 'allow',
      conditional: false,
    });
  });
});
