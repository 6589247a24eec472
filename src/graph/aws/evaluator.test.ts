/**
 * Policy evaluation golden cases, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { describe, expect, it } from 'vitest';
import { createAwsEvaluator } from './evaluator.js';
import { parseAwsEnvironment } from './parse-environment.js';
import {
  ACCT,
  ADMIN,
  AuthBuilder,
  allow,
  deny,
  doc,
  groupArn,
  policyArn,
  roleArn,
  trust,
  userArn,
} from './test-utils/auth-builder.js';

const evalOf = (...inputs: unknown[]) => createAwsEvaluator(parseAwsEnvironment(inputs));
const scp = (d: unknown, name = 'scp') => ({
  Policy: {
    PolicySummary: { Id: `p-${name}`, Name: name, Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false },
    Content: JSON.stringify(d),
  },
});

describe('AWS policy evaluation', () => {
  it('explicit Deny wins across inline, managed and group policies', () => {
    const b = new AuthBuilder()
      .policy('allow-all-s3', [doc(allow('s3:*'))])
      .group('g', { inline: [doc(deny('s3:DeleteObject', 'arn:aws:s3:::prod/*'))] })
      .user('u', { attached: [policyArn('allow-all-s3')], groups: ['g'] });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 's3:GetObject', 'arn:aws:s3:::prod/a').decision).toBe('allow');
    const d = ev.canDo(userArn('u'), 's3:DeleteObject', 'arn:aws:s3:::prod/a');
    expect(d.decision).toBe('deny');
    expect(d.reasons.join(' ')).toMatch(/denied by/);
    expect(ev.canDo(userArn('u'), 's3:DeleteObject', 'arn:aws:s3:::dev/a').decision).toBe('allow');
  });

  it('a permissions boundary caps identity grants (both must allow) and its Deny wins', () => {
    const b = new AuthBuilder()
      .policy('cap', [doc(allow(['s3:*', 'iam:Get*']), deny('s3:DeleteBucket'))])
      .user('u', { attached: [ADMIN], boundary: policyArn('cap') });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 's3:GetObject', '*').decision).toBe('allow');
    expect(ev.canDo(userArn('u'), 'iam:CreateUser', userArn('x')).decision).toBe('implicit-deny');
    expect(ev.canDo(userArn('u'), 'iam:GetUser', userArn('x')).decision).toBe('allow');
    expect(ev.canDo(userArn('u'), 's3:DeleteBucket', 'arn:aws:s3:::b').decision).toBe('deny');
  });

  it('SCPs cap every account but the management account; a Deny-only SCP assumes FullAWSAccess', () => {
    const b = new AuthBuilder().user('u', { attached: [ADMIN] });
    const s = scp(doc(deny('ec2:*')));
    const ev = evalOf(b.build(), s);
    expect(ev.canDo(userArn('u'), 'ec2:RunInstances', '*').decision).toBe('deny');
    expect(ev.canDo(userArn('u'), 's3:GetObject', '*').decision).toBe('allow');
    const mgmt = evalOf(b.build(), s, { Organization: { Id: 'o-1', MasterAccountId: ACCT } });
    expect(mgmt.canDo(userArn('u'), 'ec2:RunInstances', '*').decision).toBe('allow');
    const allowList = evalOf(b.build(), scp(doc(allow('s3:*'))));
    expect(allowList.canDo(userArn('u'), 'ec2:RunInstances', '*').decision).toBe('implicit-deny');
  });

  it('NotAction and NotResource', () => {
    const b = new AuthBuilder().user('u', {
      inline: [
        doc(
          { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' },
        ),
      ],
    });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 'ec2:RunInstances', '*').decision).toBe('allow');
    expect(ev.canDo(userArn('u'), 'iam:CreateUser', '*').decision).toBe('implicit-deny');
    const nr = new AuthBuilder().user('v', {
      inline: [doc({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::secret/*' })],
    });
    const ev2 = evalOf(nr.build());
    expect(ev2.canDo(userArn('v'), 's3:GetObject', 'arn:aws:s3:::secret/x').decision).toBe('implicit-deny');
    expect(ev2.canDo(userArn('v'), 's3:GetObject', 'arn:aws:s3:::public/x').decision).toBe('allow');
  });

  it('case-insensitive actions, case-sensitive resources, wildcards ? and *, ARN paths', () => {
    const b = new AuthBuilder()
      .user('u', { inline: [doc(allow('IAM:passrole', 'arn:aws:iam::*:role/service-role/App?-*'))] })
      .role('App1-x', trust({ Service: 'lambda.amazonaws.com' }), { path: '/service-role/' });
    const ev = evalOf(b.build());
    expect(
      ev.canDo(userArn('u'), 'iam:PassRole', `arn:aws:iam::${ACCT}:role/service-role/App1-x`).decision,
    ).toBe('allow');
    expect(
      ev.canDo(userArn('u'), 'iam:PassRole', `arn:aws:iam::${ACCT}:role/service-role/app1-x`).decision,
    ).toBe('implicit-deny');
    expect(ev.canDo(userArn('u'), 'iam:PassRole', `arn:aws:iam::${ACCT}:role/App1-x`).decision).toBe(
      'implicit-deny',
    );
    expect(
      ev.canDo(userArn('u'), 'iam:PassRole', `arn:aws:iam::${ACCT}:role/service-role/App12-x`).decision,
    ).toBe('implicit-deny');
  });

  it('policy variables resolve for the principal; an absent one never matches', () => {
    const b = new AuthBuilder()
      .user('alice', { inline: [doc(allow('iam:CreateAccessKey', 'arn:aws:iam::*:user/${aws:username}'))] })
      .role('r', trust({ Service: 'ec2.amazonaws.com' }), {
        inline: [doc(allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'))],
      });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('alice'), 'iam:CreateAccessKey', userArn('alice')).decision).toBe('allow');
    expect(ev.canDo(userArn('alice'), 'iam:CreateAccessKey', userArn('bob')).decision).toBe('implicit-deny');
    expect(ev.canDo(roleArn('r'), 's3:GetObject', 'arn:aws:s3:::home/x/y').decision).toBe('implicit-deny');
  });

  it('conditions: unsatisfiable is no grant, request context is conditional, unknown operators are uncertain', () => {
    const b = new AuthBuilder().user('u', {
      inline: [
        doc(
          allow('s3:GetObject', '*', {
            Condition: { StringEquals: { 'aws:PrincipalArn': userArn('other') } },
          }),
          allow('s3:PutObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
          allow('s3:ListBucket', '*', { Condition: { StringFancyMatch: { 'aws:PrincipalArn': 'x' } } }),
          allow('sqs:SendMessage', '*', {
            Condition: { StringLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCT}:user/*` } },
          }),
        ),
      ],
    });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 's3:GetObject', '*').decision).toBe('implicit-deny');
    const put = ev.canDo(userArn('u'), 's3:PutObject', '*');
    expect([put.decision, put.conditional]).toEqual(['allow', true]);
    expect(put.reasons.join(' ')).toMatch(/sourceip/);
    expect(ev.canDo(userArn('u'), 's3:PutObject', '*', { 'aws:SourceIp': '203.0.113.9' })).toMatchObject({
      decision: 'allow',
      conditional: false,
    });
    expect(ev.canDo(userArn('u'), 's3:PutObject', '*', { 'aws:SourceIp': '198.51.100.1' }).decision).toBe(
      'implicit-deny',
    );
    const list = ev.canDo(userArn('u'), 's3:ListBucket', '*');
    expect(list.conditional).toBe(true);
    expect(list.reasons.join(' ')).toMatch(/unknown condition operator StringFancyMatch/);
    expect(ev.canDo(userArn('u'), 'sqs:SendMessage', '*')).toMatchObject({
      decision: 'allow',
      conditional: false,
    });
  });

  it('a Deny that only applies without TLS does not block (the CLI always uses TLS)', () => {
    const b = new AuthBuilder().user('u', {
      attached: [ADMIN],
      inline: [doc(deny('*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } }))],
    });
    expect(evalOf(b.build()).canDo(userArn('u'), 's3:GetObject', '*')).toMatchObject({
      decision: 'allow',
      conditional: false,
    });
  });

  it('URL-encoded documents (raw Query API) and JSON-text documents are read', () => {
    const enc = encodeURIComponent(JSON.stringify(doc(allow('s3:GetObject', 'arn:aws:s3:::b/*'))));
    const b = new AuthBuilder().user('u', { inline: [enc, JSON.stringify(doc(allow('sqs:*')))] });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 's3:GetObject', 'arn:aws:s3:::b/k').decision).toBe('allow');
    expect(ev.canDo(userArn('u'), 'sqs:SendMessage', '*').decision).toBe('allow');
  });

  it('string-or-array fields and group membership', () => {
    const b = new AuthBuilder()
      .group('ops', {
        inline: [{ Statement: { Effect: 'Allow', Action: 'ec2:StartInstances', Resource: '*' } }],
      })
      .user('u', { groups: ['ops'] });
    const ev = evalOf(b.build());
    expect(ev.canDo(userArn('u'), 'ec2:StartInstances', '*').decision).toBe('allow');
    expect(ev.principalOf(userArn('u'))!.groupArns).toEqual([groupArn('ops')]);
  });

  it('missing policies make the principal uncertain instead of failing', () => {
    const b = new AuthBuilder().user('u', { attached: [policyArn('gone')], groups: ['ghost'] });
    const r = evalOf(b.build()).canDo(userArn('u'), 's3:GetObject', '*');
    expect(r.decision).toBe('implicit-deny');
    expect(r.reasons.join(' ')).toMatch(/gone is not in the export/);
    expect(r.reasons.join(' ')).toMatch(/group ghost/);
  });

  it('bulk form agrees with canDo', () => {
    const b = new AuthBuilder()
      .user('a', { attached: [ADMIN] })
      .user('b', { inline: [doc(deny('s3:*'), allow('*'))] })
      .user('c');
    const ev = evalOf(b.build());
    const out = ev.evaluateAll('s3:GetObject', 'arn:aws:s3:::x/y');
    expect([...out]).toEqual([1, 3, 0]);
  });
});

describe('trust policies', () => {
  const b = new AuthBuilder()
    .user('named')
    .user('viaroot', { inline: [doc(allow('sts:AssumeRole', roleArn('*')))] })
    .user('noallow')
    .user('denied', { inline: [doc(allow('sts:AssumeRole'), deny('sts:AssumeRole', roleArn('by-root')))] })
    .role('by-arn', trust({ AWS: userArn('named') }))
    .role('by-root', trust({ AWS: ACCT }));
  const ev = evalOf(b.build());
  it('a principal named by ARN needs no identity allow (same account)', () => {
    expect(ev.canDo(userArn('named'), 'sts:AssumeRole', roleArn('by-arn')).decision).toBe('implicit-deny'); // identity alone says no
  });
  it('root trust needs an identity allow, and an explicit Deny wins', async () => {
    const { analyzeAws } = await import('./analyze.js');
    const a = analyzeAws(parseAwsEnvironment([b.build()]));
    const can = (from: string, to: string) =>
      a.edges.some((e) => e.kind === 'can-assume' && e.from === from && e.to === to);
    expect(can(userArn('named'), roleArn('by-arn'))).toBe(true);
    expect(can(userArn('viaroot'), roleArn('by-root'))).toBe(true);
    expect(can(userArn('noallow'), roleArn('by-root'))).toBe(false);
    expect(can(userArn('denied'), roleArn('by-root'))).toBe(false);
    expect(can(userArn('viaroot'), roleArn('by-arn'))).toBe(false);
  });
});
