/** Multi-hop chains, administrator equivalence, output shape, and bad input. */
import { describe, expect, it } from 'vitest';
import { analyzeAws } from './analyze.js';
import { parseAwsEnvironment } from './parse-environment.js';
import {
  ACCT,
  ADMIN,
  AuthBuilder,
  allow,
  credentialReport,
  deny,
  doc,
  policyArn,
  roleArn,
  rowsOf,
  trust,
  userArn,
} from './test-utils/auth-builder.js';

describe('escalation paths', () => {
  it('user -> assume role A -> PassRole to a new Lambda with an admin role: 2 hops, full path', () => {
    const b = new AuthBuilder()
      .user('dev', { inline: [doc(allow('sts:AssumeRole', roleArn('deployer')))] })
      .role('deployer', trust({ AWS: `arn:aws:iam::${ACCT}:root` }), {
        inline: [
          doc(
            allow('iam:PassRole', roleArn('lambda-admin')),
            allow(['lambda:CreateFunction', 'lambda:InvokeFunction']),
          ),
        ],
      })
      .role('lambda-admin', trust({ Service: 'lambda.amazonaws.com' }), { attached: [ADMIN] });
    const r = rowsOf(b.build()).get(userArn('dev'))!;
    expect(r).toMatchObject({
      escalates: true,
      hops: 2,
      path: [userArn('dev'), roleArn('deployer'), roleArn('lambda-admin')],
      techniques: ['AssumeRole', 'PassExistingRoleToNewLambdaThenInvoke'],
    });
  });

  it('three-hop chain through CreateAccessKey and a role chain', () => {
    const b = new AuthBuilder()
      .user('intern', { inline: [doc(allow('iam:CreateAccessKey', userArn('ci')))] })
      .user('ci', { inline: [doc(allow('sts:AssumeRole', roleArn('ops')))] })
      .role('ops', trust({ AWS: userArn('ci') }), {
        inline: [doc(allow('iam:PutRolePolicy', roleArn('ops')))],
      });
    const r = rowsOf(b.build()).get(userArn('intern'))!;
    expect(r).toMatchObject({
      escalates: true,
      hops: 3,
      path: [userArn('intern'), userArn('ci'), roleArn('ops')],
    });
    expect(r.techniques).toEqual(['CreateAccessKey', 'AssumeRole', 'PutRolePolicy']);
  });

  it('empowering another principal that the caller can become (PutRolePolicy on an assumable role)', () => {
    const b = new AuthBuilder()
      .user('u', {
        inline: [
          doc(allow('iam:PutRolePolicy', roleArn('target')), allow('sts:AssumeRole', roleArn('target'))),
        ],
      })
      .role('target', trust({ AWS: ACCT }));
    const r = rowsOf(b.build()).get(userArn('u'))!;
    expect(r).toMatchObject({
      escalates: true,
      hops: 2,
      path: [userArn('u'), roleArn('target')],
      techniques: ['AssumeRole', 'PutRolePolicy'],
    });
  });

  it('administrator-equivalent: already-admin, hops 0; a boundary takes it away; iam:* is one hop', () => {
    const b = new AuthBuilder()
      .policy('cap', [doc(allow('s3:*'))])
      .user('root-like', { attached: [ADMIN] })
      .role('capped', trust({ Service: 'ec2.amazonaws.com' }), {
        attached: [ADMIN],
        boundary: policyArn('cap'),
      })
      .user('iam-admin', { inline: [doc(allow('iam:*'))] });
    const rows = rowsOf(b.build());
    expect(rows.get(userArn('root-like'))).toMatchObject({
      escalates: true,
      hops: 0,
      technique: 'already-admin',
      path: [userArn('root-like')],
    });
    expect(rows.get(roleArn('capped'))).toMatchObject({ escalates: false, path: [] });
    expect(rows.get(userArn('iam-admin'))).toMatchObject({ escalates: true, hops: 1 });
  });

  it('boundary applied at the end of a path: passing a capped admin role is no escalation', () => {
    const b = new AuthBuilder()
      .policy('cap', [doc(allow('s3:*'))])
      .user('u', {
        inline: [doc(allow('iam:PassRole'), allow(['lambda:CreateFunction', 'lambda:InvokeFunction']))],
      })
      .role('capped', trust({ Service: 'lambda.amazonaws.com' }), {
        attached: [ADMIN],
        boundary: policyArn('cap'),
      });
    expect(rowsOf(b.build()).get(userArn('u'))!.escalates).toBe(false);
  });

  it('attaching AdministratorAccess to oneself under a boundary is no escalation, unless the boundary can be removed too', () => {
    const cap = doc(allow(['iam:AttachUserPolicy', 's3:*']));
    const b = new AuthBuilder()
      .policy('cap', [cap])
      .user('u', { inline: [doc(allow('iam:AttachUserPolicy', userArn('u')))], boundary: policyArn('cap') });
    expect(rowsOf(b.build()).get(userArn('u'))!.escalates).toBe(false);
    const b2 = new AuthBuilder()
      .policy('cap', [doc(allow(['iam:AttachUserPolicy', 'iam:DeleteUserPermissionsBoundary', 's3:*']))])
      .user('u', {
        inline: [doc(allow(['iam:AttachUserPolicy', 'iam:DeleteUserPermissionsBoundary'], userArn('u')))],
        boundary: policyArn('cap'),
      });
    expect(rowsOf(b2.build()).get(userArn('u'))!.escalates).toBe(true);
  });

  it('an explicit Deny in the target keeps it from becoming admin after AttachUserPolicy', () => {
    const b = new AuthBuilder().user('u', {
      inline: [doc(allow('iam:AttachUserPolicy', userArn('u')), deny('iam:*'))],
    });
    expect(rowsOf(b.build()).get(userArn('u'))!.escalates).toBe(false);
  });

  it('conditional paths are reported as conditional with the reason, never as escalations', () => {
    const b = new AuthBuilder()
      .user('u', { inline: [doc(allow('sts:AssumeRole', roleArn('admin')))] })
      .role(
        'admin',
        trust({ AWS: ACCT }, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
        { attached: [ADMIN] },
      );
    const r = rowsOf(b.build()).get(userArn('u'))!;
    expect(r).toMatchObject({
      escalates: false,
      conditional: true,
      hops: 1,
      path: [userArn('u'), roleArn('admin')],
    });
    expect(r.uncertain.join(' ')).toMatch(/multifactorauthpresent/i);
  });

  it('GitHub OIDC federated trust becomes a can-assume edge with its conditions', () => {
    const gh = `arn:aws:iam::${ACCT}:oidc-provider/token.actions.githubusercontent.com`;
    const b = new AuthBuilder().role('gh', {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: gh },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/app:*' } },
        },
      ],
    });
    const a = analyzeAws(parseAwsEnvironment([b.build()]));
    const e = a.edges.find((x) => x.from === gh)!;
    expect(e).toMatchObject({ kind: 'can-assume', to: roleArn('gh'), conditional: true });
    expect(e.reason).toMatch(/repo:org\/app:\*/);
  });

  it('edges: member-of, has-permission admin, escalates-to with technique', () => {
    const b = new AuthBuilder()
      .group('g')
      .user('a', { attached: [ADMIN], groups: ['g'] })
      .user('b', { inline: [doc(allow('iam:CreateAccessKey', userArn('a')))] });
    const a = analyzeAws(
      parseAwsEnvironment([b.build(), credentialReport([{ user: 'a', password: true, keys: 1 }])]),
    );
    expect(a.edges).toContainEqual(expect.objectContaining({ kind: 'member-of', from: userArn('a') }));
    expect(a.edges).toContainEqual(
      expect.objectContaining({ kind: 'has-permission', from: userArn('a'), to: '*', level: 'admin' }),
    );
    expect(a.edges).toContainEqual(
      expect.objectContaining({
        kind: 'escalates-to',
        from: userArn('b'),
        to: userArn('a'),
        technique: 'CreateAccessKey',
        conditional: false,
      }),
    );
  });
});

describe('bad input', () => {
  it('malformed records and unknown shapes are reported with a pointer; the rest is analysed', () => {
    const good = new AuthBuilder().user('ok', { attached: [ADMIN] }).build() as {
      UserDetailList: unknown[];
      RoleDetailList: unknown[];
    };
    good.UserDetailList.push({ UserName: 'noarn' });
    good.RoleDetailList.push({
      RoleName: 'r',
      Arn: roleArn('r'),
      AssumeRolePolicyDocument: '%7Bnot json',
      RolePolicyList: [
        { PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] } },
      ],
    });
    const env = parseAwsEnvironment(
      [good, { Something: 1 }, 'garbage'],
      ['auth.json', 'odd.json', 'text.txt'],
    );
    expect(env.issues.map((i) => `${i.source}${i.pointer}`)).toEqual(
      expect.arrayContaining(['auth.json/UserDetailList/1', 'odd.json', 'text.txt']),
    );
    const a = analyzeAws(env);
    expect(a.principals.find((r) => r.principal === userArn('ok'))!.escalates).toBe(true);
    const r = a.principals.find((x) => x.principal === roleArn('r'))!;
    expect(r.escalates).toBe(false);
    expect(r.uncertain.join(' ')).toMatch(/Effect must be Allow or Deny/);
  });
  it('skips a described notebook with an empty ARN, and reads one with its ARN', () => {
    const notebook = (arn: string) => ({
      NotebookInstanceArn: arn,
      NotebookInstanceName: 'nb',
      RoleArn: roleArn('nb-role'),
    });
    const env = parseAwsEnvironment(
      [notebook(''), notebook(`arn:aws:sagemaker:eu-west-1:${ACCT}:notebook-instance/nb`)],
      ['empty.json', 'ok.json'],
    );
    expect(env.issues.map((i) => `${i.source}${i.pointer}: ${i.message}`)).toEqual([
      'empty.json/NotebookInstanceArn: notebook without NotebookInstanceArn skipped',
    ]);
    expect(env.resources.map((r) => [r.type, r.arn, r.roleArn])).toEqual([
      ['sagemaker-notebook', `arn:aws:sagemaker:eu-west-1:${ACCT}:notebook-instance/nb`, roleArn('nb-role')],
    ]);
  });
  it('merges CLI pages and recognises every listing shape', () => {
    const p1 = new AuthBuilder().user('a').build();
    const p2 = {
      ...new AuthBuilder().role('r', trust({ Service: 'lambda.amazonaws.com' })).build(),
      IsTruncated: false,
    };
    const env = parseAwsEnvironment([
      p1,
      p2,
      { AccessKeyMetadata: [{ UserName: 'a', AccessKeyId: 'K1', Status: 'Active' }] },
      {
        Functions: [
          {
            FunctionName: 'f',
            FunctionArn: `arn:aws:lambda:us-east-1:${ACCT}:function:f`,
            Role: roleArn('r'),
          },
        ],
      },
      {
        Stacks: [
          {
            StackName: 's',
            StackId: `arn:aws:cloudformation:us-east-1:${ACCT}:stack/s/1`,
            RoleARN: roleArn('r'),
          },
        ],
      },
      {
        projects: [
          { name: 'p', arn: `arn:aws:codebuild:us-east-1:${ACCT}:project/p`, serviceRole: roleArn('r') },
        ],
      },
      {
        taskDefinition: {
          taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCT}:task-definition/t:1`,
          taskRoleArn: roleArn('r'),
        },
      },
    ]);
    expect(env.users).toHaveLength(1);
    expect(env.roles).toHaveLength(1);
    expect(env.accessKeyCounts.get('a')).toBe(1);
    expect(env.resources.map((r) => r.type)).toEqual([
      'lambda-function',
      'cloudformation-stack',
      'codebuild-project',
      'ecs-task-definition',
    ]);
    expect(env.issues).toEqual([]);
  });
});
