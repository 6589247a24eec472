/**
 * Golden tests: every technique of the catalogue with a positive case and near-miss negatives
 * (explicit Deny, boundary, scoped resource, unsatisfiable condition, conditional grant, and the
 * technique's own facts: key or version limits, login profile state, service trust, listings).
 */
import { describe, expect, it } from 'vitest';
import { analyzeAws } from './analyze.js';
import { parseAwsEnvironment } from './parse-environment.js';
import { setSecretHolders } from './secret-holders.js';
import { AWS_TECHNIQUES, type Technique } from './techniques.js';
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
  trust,
  userArn,
  groupArn,
  type Stmt,
} from './test-utils/auth-builder.js';

type Variant = 'positive' | 'deny' | 'boundary' | 'scoped' | 'unsat' | 'conditional';
const OTHER_USER = userArn('someone-else');
const ATTACKER_USER = userArn('attacker');
const ATTACKER_ROLE = roleArn('attacker-role');

interface Scenario {
  attacker: string;
  /** The attacker's grants: statements [action, resource]. */
  grants: Array<[string | string[], string]>;
  setup(b: AuthBuilder): unknown[]; // extra inputs (listings, reports)
  /** The resource a "scoped" variant points the first grant at instead. */
  scopedTo: string;
  attached?: string[];
  /** Secrets that hold a principal's credential (`setSecretHolders`). */
  holders?: Array<{ secret: string; holder: string }>;
}

const LOW = doc(allow('s3:GetObject'));
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCT}:function:fn`;
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:ci-deployer-AbCdEf`;

function serviceRole(b: AuthBuilder, svc: string, name = 'target-role', instanceProfile = false): string {
  b.role(name, trust({ Service: svc }), { attached: [ADMIN], instanceProfile });
  return roleArn(name);
}

function listingFor(
  type: NonNullable<Technique['resourceType']>,
  role: string,
): { inputs: unknown[]; arn: string } {
  switch (type) {
    case 'lambda-function':
      return {
        inputs: [
          { Functions: [{ FunctionName: 'fn', FunctionArn: FN_ARN, Role: role, Runtime: 'python3.12' }] },
        ],
        arn: FN_ARN,
      };
    case 'ec2-instance':
      return {
        inputs: [
          {
            Reservations: [
              {
                OwnerId: ACCT,
                Instances: [
                  {
                    InstanceId: 'i-0abc',
                    State: { Name: 'running' },
                    Placement: { AvailabilityZone: 'us-east-1a' },
                    IamInstanceProfile: {
                      Arn: `arn:aws:iam::${ACCT}:instance-profile/target-role`,
                      Id: 'AIPAX',
                    },
                  },
                ],
              },
            ],
          },
          { InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }] },
        ],
        arn: `arn:aws:ec2:us-east-1:${ACCT}:instance/i-0abc`,
      };
    case 'cloudformation-stack': {
      const arn = `arn:aws:cloudformation:us-east-1:${ACCT}:stack/st/0a1b2c3d`;
      return {
        inputs: [
          { Stacks: [{ StackName: 'st', StackId: arn, RoleARN: role, StackStatus: 'CREATE_COMPLETE' }] },
        ],
        arn,
      };
    }
    case 'glue-dev-endpoint':
      return {
        inputs: [{ DevEndpoints: [{ EndpointName: 'ep', RoleArn: role }] }],
        arn: `arn:aws:glue:*:${ACCT}:devEndpoint/ep`,
      };
    case 'sagemaker-notebook': {
      const arn = `arn:aws:sagemaker:us-east-1:${ACCT}:notebook-instance/nb`;
      return {
        inputs: [
          {
            NotebookInstanceName: 'nb',
            NotebookInstanceArn: arn,
            RoleArn: role,
            NotebookInstanceStatus: 'InService',
          },
        ],
        arn,
      };
    }
    case 'codebuild-project': {
      const arn = `arn:aws:codebuild:us-east-1:${ACCT}:project/proj`;
      return { inputs: [{ projects: [{ name: 'proj', arn, serviceRole: role }] }], arn };
    }
    case 'ecs-task-definition': {
      const arn = `arn:aws:ecs:us-east-1:${ACCT}:task-definition/app:3`;
      return {
        inputs: [{ taskDefinition: { taskDefinitionArn: arn, family: 'app', taskRoleArn: role } }],
        arn,
      };
    }
  }
}

/** The scenario in which `t` is the only way for the attacker to reach administrator. */
function scenarioFor(t: Technique): Scenario {
  switch (t.mechanism) {
    case 'policy-write':
      if (t.targetKind === 'user')
        return {
          attacker: ATTACKER_USER,
          grants: [[t.requires[0]!.action, ATTACKER_USER]],
          setup: () => [],
          scopedTo: OTHER_USER,
        };
      if (t.targetKind === 'role')
        return {
          attacker: ATTACKER_ROLE,
          grants: [[t.requires[0]!.action, ATTACKER_ROLE]],
          setup: () => [],
          scopedTo: roleArn('other-role'),
        };
      return {
        attacker: ATTACKER_USER,
        grants: [[t.requires[0]!.action, groupArn('devs')]],
        setup: (b) => (b.group('devs', { inline: [LOW] }), []),
        scopedTo: groupArn('other'),
      };
    case 'add-user-to-group':
      return {
        attacker: ATTACKER_USER,
        grants: [['iam:AddUserToGroup', groupArn('admins')]],
        setup: (b) => (b.group('admins', { attached: [ADMIN] }).group('devs', { inline: [LOW] }), []),
        scopedTo: groupArn('devs'),
      };
    case 'policy-version-create':
      return {
        attacker: ATTACKER_USER,
        grants: [['iam:CreatePolicyVersion', policyArn('mine')]],
        setup: (b) => (b.policy('mine', [LOW]), []),
        scopedTo: policyArn('other'),
        attached: [policyArn('mine')],
      };
    case 'policy-version-set-default':
      return {
        attacker: ATTACKER_USER,
        grants: [['iam:SetDefaultPolicyVersion', policyArn('mine')]],
        setup: (b) => (b.policy('mine', [doc(allow('*')), LOW], 1), []),
        scopedTo: policyArn('other'),
        attached: [policyArn('mine')],
      };
    case 'boundary-removal': {
      const isUser = t.targetKind === 'user';
      return {
        attacker: isUser ? ATTACKER_USER : ATTACKER_ROLE,
        grants: [[t.requires[0]!.action, isUser ? ATTACKER_USER : ATTACKER_ROLE]],
        setup: () => [],
        scopedTo: isUser ? OTHER_USER : roleArn('other-role'),
      };
    }
    case 'assume-role':
      return {
        attacker: ATTACKER_USER,
        grants: [['sts:AssumeRole', roleArn('admin-role')]],
        setup: (b) => (
          b.role('admin-role', trust({ AWS: `arn:aws:iam::${ACCT}:root` }), { attached: [ADMIN] }),
          []
        ),
        scopedTo: roleArn('other-role'),
      };
    case 'update-trust':
      return {
        attacker: ATTACKER_USER,
        grants: [['iam:UpdateAssumeRolePolicy', roleArn('admin-role')]],
        setup: (b) => (
          b.role('admin-role', trust({ Service: 'ec2.amazonaws.com' }), { attached: [ADMIN] }),
          []
        ),
        scopedTo: roleArn('other-role'),
      };
    case 'create-access-key':
    case 'create-login-profile':
    case 'update-login-profile':
      return {
        attacker: ATTACKER_USER,
        grants: [[t.requires[0]!.action, userArn('admin-user')]],
        setup: (b) => {
          b.user('admin-user', { attached: [ADMIN] });
          return t.mechanism === 'create-access-key'
            ? []
            : [
                credentialReport([
                  { user: 'admin-user', password: t.mechanism === 'update-login-profile' },
                  { user: 'attacker', password: false },
                ]),
              ];
        },
        scopedTo: OTHER_USER,
      };
    case 'create-principal': {
      // Everything on any new user (or role) of the account; the near miss scopes the creation
      // to another account (a name pattern of this account would still be exploitable).
      const isUser = t.targetKind === 'user';
      const any = `arn:aws:iam::${ACCT}:${isUser ? 'user' : 'role'}/new/*`;
      return {
        attacker: ATTACKER_USER,
        grants: isUser
          ? [
              ['iam:CreateUser', any],
              ['iam:PutUserPolicy', any],
              ['iam:CreateAccessKey', any],
            ]
          : [
              ['iam:CreateRole', any],
              ['iam:AttachRolePolicy', any],
            ],
        setup: () => [],
        scopedTo: `arn:aws:iam::999988887777:${isUser ? 'user' : 'role'}/*`,
      };
    }
    case 'passrole-new':
      return {
        attacker: ATTACKER_USER,
        grants: [
          ['iam:PassRole', roleArn('target-role')],
          ...t.requires.filter((r) => r.on === 'new').map((r) => [r.action, '*'] as [string, string]),
        ],
        setup: (b) => (serviceRole(b, t.trusts!, 'target-role', t.instanceProfile === true), []),
        scopedTo: roleArn('other-role'),
      };
    case 'existing-resource': {
      const { arn } = listingFor(t.resourceType!, roleArn('target-role'));
      return {
        attacker: ATTACKER_USER,
        grants: [
          ...t.requires.filter((r) => r.on === 'resource').map((r) => [r.action, arn] as [string, string]),
          ...(t.requires.some((r) => r.on === 'passed-role')
            ? [['iam:PassRole', roleArn('target-role')] as [string, string]]
            : []),
        ],
        setup: (b) => (
          serviceRole(b, t.trusts ?? 'ec2.amazonaws.com', 'target-role', t.resourceType === 'ec2-instance'),
          listingFor(t.resourceType!, roleArn('target-role')).inputs
        ),
        scopedTo: arn.replace(/[^/:]+$/, 'not-this-one'),
      };
    }
    case 'secret-read':
      return {
        attacker: ATTACKER_USER,
        grants: [['secretsmanager:GetSecretValue', SECRET_ARN]],
        setup: (b) => (
          b.user('admin-user', { attached: [ADMIN] }),
          [{ SecretList: [{ ARN: SECRET_ARN, Name: 'ci-deployer' }] }]
        ),
        scopedTo: SECRET_ARN.replace('ci-deployer', 'other'),
        holders: [{ secret: SECRET_ARN, holder: userArn('admin-user') }],
      };
  }
}

const MFA = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };

function run(t: Technique, variant: Variant, tweak?: (b: AuthBuilder, inputs: unknown[]) => void) {
  const sc = scenarioFor(t);
  const b = new AuthBuilder();
  const extra = sc.setup(b);
  const cond =
    variant === 'unsat'
      ? { Condition: { StringEquals: { 'aws:PrincipalArn': OTHER_USER } } }
      : variant === 'conditional'
        ? { Condition: MFA }
        : {};
  const isBoundaryTech = t.mechanism === 'boundary-removal';
  const stmts: Stmt[] = sc.grants.map(([a, r], i) =>
    allow(a, variant === 'scoped' && i === 0 ? sc.scopedTo : r, cond),
  );
  if (variant === 'deny') stmts.push(deny(sc.grants[0]![0], '*'));
  // Boundary techniques: the attacker is administrator but capped by a boundary; the boundary
  // is what lets it call the removal action (and what the variants change).
  const opts = isBoundaryTech
    ? {
        inline: variant === 'deny' ? [doc(deny(sc.grants[0]![0], '*'))] : [],
        attached: [ADMIN],
        boundary: policyArn('cap'),
      }
    : {
        inline: [doc(...stmts)],
        attached: sc.attached ?? [],
        ...(variant === 'boundary' ? { boundary: policyArn('cap') } : {}),
      };
  if (isBoundaryTech) {
    const key =
      variant === 'boundary'
        ? []
        : [allow(sc.grants[0]![0], variant === 'scoped' ? sc.scopedTo : sc.grants[0]![1], cond)];
    b.policy('cap', [doc(allow('s3:*'), ...key)]);
  } else if (variant === 'boundary') b.policy('cap', [doc(allow('s3:*'))]);
  if (sc.attacker === ATTACKER_ROLE)
    b.role('attacker-role', trust({ Service: 'ecs-tasks.amazonaws.com' }), opts);
  else
    b.user('attacker', {
      ...opts,
      groups: t.targetKind === 'group' && t.mechanism === 'policy-write' ? ['devs'] : [],
    });
  const inputs = [b.build(), ...extra];
  tweak?.(b, inputs);
  const env = parseAwsEnvironment(inputs.map((x, i) => (i === 0 ? b.build() : x)));
  if (sc.holders) setSecretHolders(env, sc.holders);
  const a = analyzeAws(env);
  const row = a.principals.find((r) => r.principal === sc.attacker)!;
  const edge = a.edges.some((e) => e.from === sc.attacker && e.technique === t.name && !e.conditional);
  return { row, edge, a };
}

const NEEDS_CONTEXT = new Set(['EC2InstanceConnectSendSSHPublicKey']);

describe('every technique', () => {
  for (const t of AWS_TECHNIQUES) {
    describe(t.name, () => {
      it('positive: escalates with this technique', () => {
        const { row, edge, a } = run(t, 'positive');
        if (NEEDS_CONTEXT.has(t.name)) {
          expect(row.escalates).toBe(false);
          expect(row.conditional).toBe(true);
          expect(row.techniques).toContain(t.name);
          return;
        }
        expect(row.escalates, JSON.stringify(row)).toBe(true);
        expect(
          row.techniques.includes(t.name) || edge,
          JSON.stringify([row, a.edges.filter((e) => e.from === row.principal)]),
        ).toBe(true);
        expect(row.hops).toBeGreaterThanOrEqual(1);
      });
      for (const v of ['deny', 'boundary', 'scoped', 'unsat'] as const) {
        it(`near miss (${v}): no escalation`, () => {
          const { row } = run(t, v);
          expect(row.escalates, JSON.stringify(row)).toBe(false);
          expect(row.conditional).toBe(false);
        });
      }
      it('conditional grant (MFA): reported as conditional, never as an escalation', () => {
        const { row } = run(t, 'conditional');
        expect(row.escalates).toBe(false);
        expect(row.conditional).toBe(true);
        expect(row.uncertain.join(' ')).toMatch(/multifactorauthpresent|network|condition/i);
      });
    });
  }
});

describe('technique facts', () => {
  const byName = (n: string) => AWS_TECHNIQUES.find((t) => t.name === n)!;
  it('CreateAccessKey: a user with two keys cannot get a third', () => {
    const keys = {
      AccessKeyMetadata: [0, 1].map((i) => ({
        UserName: 'admin-user',
        AccessKeyId: `KEY${i}`,
        Status: i ? 'Inactive' : 'Active',
        CreateDate: '2024-01-01T00:00:00Z',
      })),
    };
    const { row } = run(byName('CreateAccessKey'), 'positive', (_b, inputs) => inputs.push(keys));
    expect(row.escalates).toBe(false);
  });
  it('CreateAccessKey: two keys counted from the credential report too', () => {
    const { row } = run(byName('CreateAccessKey'), 'positive', (_b, inputs) =>
      inputs.push(credentialReport([{ user: 'admin-user', password: false, keys: 2 }])),
    );
    expect(row.escalates).toBe(false);
  });
  it('CreateLoginProfile fails on a user that has a password; UpdateLoginProfile on one that has none', () => {
    const c = run(
      byName('CreateLoginProfile'),
      'positive',
      (_b, inputs) => (inputs[1] = credentialReport([{ user: 'admin-user', password: true }])),
    );
    expect(c.row.escalates).toBe(false);
    const u = run(
      byName('UpdateLoginProfile'),
      'positive',
      (_b, inputs) => (inputs[1] = credentialReport([{ user: 'admin-user', password: false }])),
    );
    expect(u.row.escalates).toBe(false);
  });
  it('login profile state unknown (no credential report): taken like an unknown key count', () => {
    for (const name of ['CreateLoginProfile', 'UpdateLoginProfile']) {
      const c = run(byName(name), 'positive', (_b, inputs) => inputs.splice(1));
      expect(c.row.escalates, name).toBe(true);
      expect(c.row.technique).toBe(name);
    }
  });
  it('get-login-profile output says the user has a password', () => {
    const profile = {
      LoginProfile: {
        UserName: 'admin-user',
        CreateDate: '2024-01-01T00:00:00Z',
        PasswordResetRequired: false,
      },
    };
    const c = run(byName('CreateLoginProfile'), 'positive', (_b, inputs) => inputs.splice(1, 1, profile));
    expect(c.row.escalates).toBe(false);
    const u = run(byName('UpdateLoginProfile'), 'positive', (_b, inputs) => inputs.splice(1, 1, profile));
    expect(u.row.escalates).toBe(true);
  });
  it('CreateAccessKey + DeleteAccessKey: a user with two keys loses one first (pathfinding iam-003)', () => {
    const report = credentialReport([{ user: 'admin-user', password: false, keys: 2 }]);
    const c = run(byName('CreateAccessKey'), 'positive', (b, inputs) => {
      inputs.push(report);
      const u = b.users.find((x) => (x as { UserName: string }).UserName === 'attacker') as {
        UserPolicyList: unknown[];
      };
      u.UserPolicyList.push({ PolicyName: 'delete', PolicyDocument: doc(allow('iam:DeleteAccessKey')) });
    });
    expect(c.row.escalates).toBe(true);
    expect(c.row.technique).toBe('CreateAccessKey');
  });
  it('CreateNewPolicyVersion: five versions need iam:DeletePolicyVersion too', () => {
    const five = (b: AuthBuilder) => {
      b.policies = [];
      b.policy('mine', [LOW, LOW, LOW, LOW, LOW]);
    };
    expect(run(byName('CreateNewPolicyVersion'), 'positive', five).row.escalates).toBe(false);
    const withDelete = (b: AuthBuilder) => {
      five(b);
      (b.users[0] as { UserPolicyList: unknown[] }).UserPolicyList.push({
        PolicyName: 'del',
        PolicyDocument: doc(allow('iam:DeletePolicyVersion', policyArn('mine'))),
      });
    };
    expect(run(byName('CreateNewPolicyVersion'), 'positive', withDelete).row.escalates).toBe(true);
  });
  it('AWS managed policies cannot be edited (CreatePolicyVersion on ReadOnlyAccess gives nothing)', () => {
    const b = new AuthBuilder()
      .policy('ReadOnlyAccess', [doc(allow('s3:Get*'))], 0, 'arn:aws:iam::aws:policy/ReadOnlyAccess')
      .user('attacker', {
        attached: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
        inline: [doc(allow('iam:CreatePolicyVersion', '*'))],
      });
    const row = analyzeAws(parseAwsEnvironment([b.build()])).principals.find(
      (r) => r.principal === ATTACKER_USER,
    )!;
    expect(row.escalates).toBe(false);
  });
  it('SetExistingDefaultPolicyVersion needs an administrator-equivalent non-default version', () => {
    const { row } = run(byName('SetExistingDefaultPolicyVersion'), 'positive', (b) => {
      b.policies = [];
      b.policy('mine', [doc(allow('s3:*')), LOW], 1);
    });
    expect(row.escalates).toBe(false);
  });
  it('PassRole: a role that does not trust the service is no path', () => {
    const { row } = run(byName('PassExistingRoleToNewLambdaThenInvoke'), 'positive', (b) => {
      b.roles = [];
      serviceRole(b, 'ec2.amazonaws.com');
    });
    expect(row.escalates).toBe(false);
  });
  it('PassRole: iam:PassedToService restricted to another service is no path', () => {
    const { row } = run(byName('PassExistingRoleToNewLambdaThenInvoke'), 'positive', (b) => {
      const u = b.users.find((x) => (x as { UserName: string }).UserName === 'attacker') as {
        UserPolicyList: Array<{ PolicyDocument: { Statement: Stmt[] } }>;
      };
      u.UserPolicyList[0]!.PolicyDocument.Statement[0]!.Condition = {
        StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' },
      };
    });
    expect(row.escalates).toBe(false);
  });
  it('EC2: a role without an instance profile cannot be launched', () => {
    const { row } = run(byName('CreateEC2WithExistingIP'), 'positive', (b) => {
      b.roles = [];
      serviceRole(b, 'ec2.amazonaws.com', 'target-role', false);
    });
    expect(row.escalates).toBe(false);
  });
  it('existing resources: nothing without the listing, nothing on an offline SSM instance', () => {
    const noListing = run(byName('EditExistingLambdaFunctionWithRole'), 'positive', (_b, inputs) =>
      inputs.splice(1),
    );
    expect(noListing.row.escalates).toBe(false);
    const offline = run(
      byName('SSMSendCommandOnInstance'),
      'positive',
      (_b, inputs) =>
        (inputs[2] = { InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'ConnectionLost' }] }),
    );
    expect(offline.row.escalates).toBe(false);
  });
  it('the target role of an existing resource must be administrator-equivalent at the end (boundary applied)', () => {
    const { row } = run(byName('EditExistingLambdaFunctionWithRole'), 'positive', (b) => {
      b.roles = [];
      b.policy('cap', [doc(allow('s3:*'))]);
      b.role('target-role', trust({ Service: 'lambda.amazonaws.com' }), {
        attached: [ADMIN],
        boundary: policyArn('cap'),
      });
    });
    expect(row.escalates).toBe(false);
  });
});
