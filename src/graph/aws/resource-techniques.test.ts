/**
 * Golden cases: escalation techniques honour resource-based policies as AWS does
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html ,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html ,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html):
 * a Deny in a function, secret or key policy blocks the step; an Allow there enables it for a
 * principal of the same account without any identity grant, and for one of another account only
 * with its identity grant too. Inputs are AWS CLI outputs (policies as JSON text).
 */
import { describe, expect, it } from 'vitest';
import { analyzeAws } from './analyze.js';
import { parseAwsEnvironment } from './parse-environment.js';
import { setSecretHolders } from './secret-holders.js';
import {
  ACCT,
  ADMIN,
  AuthBuilder,
  allow,
  deny,
  doc,
  roleArn,
  trust,
  userArn,
  type Stmt,
} from './test-utils/auth-builder.js';

const OTHER = '444455556666';
const FN = `arn:aws:lambda:us-east-1:${ACCT}:function:nightly-report`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:ci/deployer-key-AbCdEf`;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = `arn:aws:kms:us-east-1:${ACCT}:key/${KEY_ID}`;
const ATTACKER = userArn('attacker');
const ATTACKER_ROLE = roleArn('attacker-role');
const FOREIGN = userArn('outsider', OTHER);
const root = (a: string) => `arn:aws:iam::${a}:root`;

/** `aws lambda get-policy` output. */
const functionPolicy = (...st: Stmt[]) => ({ Policy: JSON.stringify(doc(...st)), RevisionId: 'rev-1' });
/** `aws lambda list-functions` output: the function runs as the administrator role. */
const functions = {
  Functions: [
    { FunctionName: 'nightly-report', FunctionArn: FN, Role: roleArn('report-admin'), Runtime: 'python3.12' },
  ],
};
/** `aws secretsmanager get-resource-policy` output. */
const secretPolicy = (...st: Stmt[]) => ({
  ARN: SECRET,
  Name: 'ci/deployer-key',
  ResourcePolicy: JSON.stringify(doc(...st)),
});
/** `aws secretsmanager list-secrets` output; `KmsKeyId` absent means the AWS managed key. */
const secrets = (kmsKeyId?: string) => ({
  SecretList: [{ ARN: SECRET, Name: 'ci/deployer-key', ...(kmsKeyId ? { KmsKeyId: kmsKeyId } : {}) }],
});
/** `aws kms get-key-policy` output (file named after the key) and `aws kms list-keys`. */
const keyPolicy = (...st: Stmt[]) => ({ Policy: JSON.stringify(doc(...st)), PolicyName: 'default' });
const listKeys = { Keys: [{ KeyId: KEY_ID, KeyArn: KEY }] };
const keyRoot = allow('kms:*', '*', { Principal: { AWS: root(ACCT) } });

interface Setup {
  attacker?: Stmt[];
  attackerRole?: { stmts: Stmt[]; boundary?: Stmt[] };
  foreign?: Stmt[];
  extra: Array<[unknown, string]>;
  holders?: boolean;
}

function analyse(s: Setup) {
  const b = new AuthBuilder()
    .role('report-admin', trust({ Service: 'lambda.amazonaws.com' }), { attached: [ADMIN] })
    .user('deployer', { attached: [ADMIN] });
  if (s.attacker) b.user('attacker', { inline: [doc(allow('s3:GetObject'), ...s.attacker)] });
  if (s.attackerRole) {
    if (s.attackerRole.boundary) b.policy('cap', [doc(...s.attackerRole.boundary)]);
    b.role('attacker-role', trust({ Service: 'ecs-tasks.amazonaws.com' }), {
      inline: [doc(allow('s3:GetObject'), ...s.attackerRole.stmts)],
      ...(s.attackerRole.boundary ? { boundary: `arn:aws:iam::${ACCT}:policy/cap` } : {}),
    });
  }
  const inputs: unknown[] = [b.build()];
  const labels = ['authorization-details.json'];
  if (s.foreign) {
    inputs.push(
      new AuthBuilder(OTHER).user('outsider', { inline: [doc(allow('s3:GetObject'), ...s.foreign)] }).build(),
    );
    labels.push('other-account-authorization-details.json');
  }
  for (const [x, l] of s.extra) {
    inputs.push(x);
    labels.push(l);
  }
  const env = parseAwsEnvironment(inputs, labels);
  expect(env.issues).toEqual([]);
  if (s.holders) setSecretHolders(env, [{ secret: SECRET, holder: userArn('deployer') }]);
  const an = analyzeAws(env);
  const row = (arn: string) => an.principals.find((r) => r.principal === arn)!;
  return { an, row };
}

const fnFiles = (...st: Stmt[]): Array<[unknown, string]> => [
  [functions, 'lambda-list-functions.json'],
  [functionPolicy(...st), 'lambda-policy-nightly-report.json'],
];

describe('Lambda function policy and EditExistingLambdaFunctionWithRole', () => {
  const grantTo = (p: unknown, extra: Stmt = {}) =>
    allow('lambda:UpdateFunctionCode', FN, { Principal: { AWS: p }, ...extra });

  it('same account: the function policy alone grants the step (no identity grant)', () => {
    const { row, an } = analyse({ attacker: [], extra: fnFiles(grantTo(ATTACKER)) });
    const r = row(ATTACKER);
    expect(r.escalates, JSON.stringify(r)).toBe(true);
    expect(r.techniques).toEqual(['EditExistingLambdaFunctionWithRole']);
    expect(r.path).toEqual([ATTACKER, roleArn('report-admin')]);
    const e = an.edges.find(
      (x) => x.from === ATTACKER && x.technique === 'EditExistingLambdaFunctionWithRole',
    )!;
    expect(e.reason).toMatch(/resource policy from lambda-policy-nightly-report\.json/);
  });

  it('near misses: another action, another principal, an unsatisfiable condition, no policy at all', () => {
    const invokeOnly = allow('lambda:InvokeFunction', FN, { Principal: { AWS: ATTACKER } });
    expect(analyse({ attacker: [], extra: fnFiles(invokeOnly) }).row(ATTACKER).escalates).toBe(false);
    const other = grantTo(userArn('someone-else'));
    expect(analyse({ attacker: [], extra: fnFiles(other) }).row(ATTACKER).escalates).toBe(false);
    const unsat = grantTo(ATTACKER, {
      Condition: { StringEquals: { 'aws:PrincipalArn': userArn('someone-else') } },
    });
    const u = analyse({ attacker: [], extra: fnFiles(unsat) }).row(ATTACKER);
    expect([u.escalates, u.conditional]).toEqual([false, false]);
    const none = analyse({ attacker: [], extra: [[functions, 'lambda-list-functions.json']] }).row(ATTACKER);
    expect([none.escalates, none.conditional]).toEqual([false, false]);
  });

  it('a request condition in the function policy makes the path conditional, never an escalation', () => {
    const cond = grantTo(ATTACKER, { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    const r = analyse({ attacker: [], extra: fnFiles(cond) }).row(ATTACKER);
    expect([r.escalates, r.conditional]).toEqual([false, true]);
    expect(r.uncertain.join(' ')).toMatch(/sourceip/i);
  });

  it('an explicit Deny in the function policy blocks an identity grant', () => {
    const id = [allow('lambda:UpdateFunctionCode', '*')];
    expect(
      analyse({ attacker: id, extra: [[functions, 'lambda-list-functions.json']] }).row(ATTACKER).escalates,
    ).toBe(true);
    const d = deny('lambda:UpdateFunctionCode', FN, { Principal: { AWS: ATTACKER } });
    const r = analyse({ attacker: id, extra: fnFiles(d) }).row(ATTACKER);
    expect([r.escalates, r.conditional]).toEqual([false, false]);
    // A Deny for everyone else (NotPrincipal) or for another action leaves the grant.
    const others = deny('lambda:UpdateFunctionCode', FN, { NotPrincipal: { AWS: ATTACKER } });
    expect(analyse({ attacker: id, extra: fnFiles(others) }).row(ATTACKER).escalates).toBe(true);
    const otherAction = deny('lambda:DeleteFunction', FN, { Principal: '*' });
    expect(analyse({ attacker: id, extra: fnFiles(otherAction) }).row(ATTACKER).escalates).toBe(true);
  });

  it('a Deny to `*` in the function policy blocks every principal, administrators of other paths aside', () => {
    const d = deny('lambda:Update*', FN, { Principal: '*' });
    const r = analyse({ attacker: [allow('lambda:*', '*')], extra: fnFiles(d) }).row(ATTACKER);
    expect(r.techniques).not.toContain('EditExistingLambdaFunctionWithRole');
    expect(r.techniques).not.toContain('UpdateExistingLambdaConfigurationWithLayer');
  });

  it('a role session named by the function policy stands for its role', () => {
    const session = `arn:aws:sts::${ACCT}:assumed-role/attacker-role/ci-run-42`;
    const r = analyse({ attackerRole: { stmts: [] }, extra: fnFiles(grantTo(session)) }).row(ATTACKER_ROLE);
    expect(r.escalates, JSON.stringify(r)).toBe(true);
    const other = `arn:aws:sts::${ACCT}:assumed-role/someone-else/ci-run-42`;
    expect(
      analyse({ attackerRole: { stmts: [] }, extra: fnFiles(grantTo(other)) }).row(ATTACKER_ROLE).escalates,
    ).toBe(false);
  });

  it('a role named by the function policy is still capped by its permissions boundary', () => {
    const g = grantTo(ATTACKER_ROLE);
    const free = analyse({ attackerRole: { stmts: [] }, extra: fnFiles(g) }).row(ATTACKER_ROLE);
    expect(free.escalates).toBe(true);
    const capped = analyse({ attackerRole: { stmts: [], boundary: [allow('s3:*')] }, extra: fnFiles(g) }).row(
      ATTACKER_ROLE,
    );
    expect([capped.escalates, capped.conditional]).toEqual([false, false]);
  });

  it('a Deny with NotPrincipal denies a principal with a permissions boundary even when it lists it', () => {
    const id = [allow('lambda:UpdateFunctionCode', FN)];
    const d = deny('lambda:UpdateFunctionCode', FN, { NotPrincipal: { AWS: ATTACKER_ROLE } });
    const free = analyse({ attackerRole: { stmts: id }, extra: fnFiles(d) }).row(ATTACKER_ROLE);
    expect(free.escalates).toBe(true);
    const bounded = { stmts: id, boundary: [allow('lambda:*')] };
    expect(
      analyse({ attackerRole: bounded, extra: [[functions, 'lambda-list-functions.json']] }).row(
        ATTACKER_ROLE,
      ).escalates,
    ).toBe(true);
    expect(analyse({ attackerRole: bounded, extra: fnFiles(d) }).row(ATTACKER_ROLE).escalates).toBe(false);
  });

  it('cross account: the function policy and the caller identity policy must both allow', () => {
    const named = grantTo(FOREIGN);
    const idGrant = [allow('lambda:UpdateFunctionCode', FN)];
    expect(analyse({ foreign: [], extra: fnFiles(named) }).row(FOREIGN).escalates).toBe(false);
    const both = analyse({ foreign: idGrant, extra: fnFiles(named) }).row(FOREIGN);
    expect(both.escalates, JSON.stringify(both)).toBe(true);
    expect(both.path).toEqual([FOREIGN, roleArn('report-admin')]);
    // The other account's root: delegation to its identity policies.
    const toRoot = grantTo(root(OTHER));
    expect(analyse({ foreign: idGrant, extra: fnFiles(toRoot) }).row(FOREIGN).escalates).toBe(true);
    expect(analyse({ foreign: [], extra: fnFiles(toRoot) }).row(FOREIGN).escalates).toBe(false);
    // No function policy: an identity grant alone never reaches another account's function.
    const alone = analyse({ foreign: idGrant, extra: [[functions, 'lambda-list-functions.json']] }).row(
      FOREIGN,
    );
    expect([alone.escalates, alone.conditional]).toEqual([false, false]);
  });
});

describe('ReadSecretHoldingCredential with secret and key policies', () => {
  const read = (p: unknown, extra: Stmt = {}) =>
    allow('secretsmanager:GetSecretValue', '*', { Principal: { AWS: p }, ...extra });

  it('identity grant, AWS managed key: reading the secret becomes its holder', () => {
    const { row, an } = analyse({
      attacker: [allow('secretsmanager:GetSecretValue', SECRET)],
      extra: [[secrets(), 'secretsmanager-list-secrets.json']],
      holders: true,
    });
    const r = row(ATTACKER);
    expect(r.escalates, JSON.stringify(r)).toBe(true);
    expect(r.techniques).toEqual(['ReadSecretHoldingCredential']);
    expect(r.path).toEqual([ATTACKER, userArn('deployer')]);
    expect(an.edges.some((e) => e.from === ATTACKER && e.to === userArn('deployer') && !e.conditional)).toBe(
      true,
    );
    // Without the holder fact there is nothing to become.
    const no = analyse({
      attacker: [allow('secretsmanager:GetSecretValue', SECRET)],
      extra: [[secrets(), 'secretsmanager-list-secrets.json']],
    });
    expect(no.row(ATTACKER).escalates).toBe(false);
  });

  it('AWS managed key: a boundary without kms:Decrypt, or an identity Deny of it, blocks the read', () => {
    const files: Array<[unknown, string]> = [[secrets(), 'secretsmanager-list-secrets.json']];
    const read = [allow('secretsmanager:GetSecretValue', SECRET)];
    const ok = analyse({
      attackerRole: { stmts: read, boundary: [allow(['secretsmanager:*', 'kms:Decrypt'])] },
      extra: files,
      holders: true,
    });
    expect(ok.row(ATTACKER_ROLE).escalates).toBe(true);
    const capped = analyse({
      attackerRole: { stmts: read, boundary: [allow('secretsmanager:*')] },
      extra: files,
      holders: true,
    });
    expect(capped.row(ATTACKER_ROLE).escalates).toBe(false);
    const denied = analyse({ attacker: [...read, deny('kms:Decrypt', '*')], extra: files, holders: true });
    expect(denied.row(ATTACKER).escalates).toBe(false);
  });

  it('same account: the secret policy alone grants GetSecretValue', () => {
    const files: Array<[unknown, string]> = [
      [secrets(), 'secretsmanager-list-secrets.json'],
      [secretPolicy(read(ATTACKER)), 'secret-policy.json'],
    ];
    expect(analyse({ attacker: [], extra: files, holders: true }).row(ATTACKER).escalates).toBe(true);
    const toOther: Array<[unknown, string]> = [
      files[0]!,
      [secretPolicy(read(userArn('someone-else'))), 'secret-policy.json'],
    ];
    expect(analyse({ attacker: [], extra: toOther, holders: true }).row(ATTACKER).escalates).toBe(false);
  });

  it('an explicit Deny in the secret policy blocks an identity grant', () => {
    const files: Array<[unknown, string]> = [
      [secrets(), 'secretsmanager-list-secrets.json'],
      [
        secretPolicy(deny('secretsmanager:GetSecretValue', '*', { Principal: { AWS: ATTACKER } })),
        'secret-policy.json',
      ],
    ];
    const r = analyse({ attacker: [allow('secretsmanager:*', '*')], extra: files, holders: true }).row(
      ATTACKER,
    );
    expect([r.escalates, r.conditional]).toEqual([false, false]);
  });

  it('customer managed key: a Deny of kms:Decrypt in the key policy blocks; no root delegation blocks', () => {
    const base: Array<[unknown, string]> = [
      [secrets(KEY_ID), 'secretsmanager-list-secrets.json'],
      [listKeys, 'kms-list-keys.json'],
    ];
    const id = [allow('secretsmanager:GetSecretValue', SECRET), allow('kms:Decrypt', KEY)];
    const withKey = (...st: Stmt[]): Array<[unknown, string]> => [
      ...base,
      [keyPolicy(...st), `kms-key-policy-${KEY_ID}.json`],
    ];
    expect(analyse({ attacker: id, extra: withKey(keyRoot), holders: true }).row(ATTACKER).escalates).toBe(
      true,
    );
    const denied = withKey(keyRoot, deny('kms:Decrypt', '*', { Principal: { AWS: ATTACKER } }));
    expect(analyse({ attacker: id, extra: denied, holders: true }).row(ATTACKER).escalates).toBe(false);
    // The key policy does not allow the account root: identity policies do not count for KMS.
    const noRoot = withKey(allow('kms:*', '*', { Principal: { AWS: userArn('deployer') } }));
    expect(analyse({ attacker: id, extra: noRoot, holders: true }).row(ATTACKER).escalates).toBe(false);
    // ... unless the key policy names the caller itself.
    const named = withKey(allow('kms:Decrypt', '*', { Principal: { AWS: ATTACKER } }));
    expect(analyse({ attacker: [id[0]!], extra: named, holders: true }).row(ATTACKER).escalates).toBe(true);
  });

  it('a key named by alias: its key policy is unknown, so the path is conditional only', () => {
    const files: Array<[unknown, string]> = [
      [secrets('alias/ci-secrets'), 'secretsmanager-list-secrets.json'],
    ];
    const r = analyse({
      attacker: [allow('secretsmanager:GetSecretValue', SECRET)],
      extra: files,
      holders: true,
    }).row(ATTACKER);
    expect([r.escalates, r.conditional]).toEqual([false, true]);
    expect(r.uncertain.join(' ')).toMatch(/alias\/ci-secrets/);
  });

  it('cross account: the AWS managed key never decrypts for another account; a shared customer key does', () => {
    const policy = secretPolicy(read(FOREIGN));
    const id = [allow('secretsmanager:GetSecretValue', SECRET), allow('kms:Decrypt', KEY)];
    const managed: Array<[unknown, string]> = [
      [secrets(), 'secretsmanager-list-secrets.json'],
      [policy, 'secret-policy.json'],
    ];
    expect(analyse({ foreign: id, extra: managed, holders: true }).row(FOREIGN).escalates).toBe(false);
    const shared: Array<[unknown, string]> = [
      [secrets(KEY), 'secretsmanager-list-secrets.json'],
      [policy, 'secret-policy.json'],
      [listKeys, 'kms-list-keys.json'],
      [
        keyPolicy(keyRoot, allow('kms:Decrypt', '*', { Principal: { AWS: FOREIGN } })),
        `kms-key-policy-${KEY_ID}.json`,
      ],
    ];
    const r = analyse({ foreign: id, extra: shared, holders: true }).row(FOREIGN);
    expect(r.escalates, JSON.stringify(r)).toBe(true);
    expect(r.path).toEqual([FOREIGN, userArn('deployer')]);
    // Both sides: without the identity grant the secret policy alone is not enough.
    expect(analyse({ foreign: [], extra: shared, holders: true }).row(FOREIGN).escalates).toBe(false);
  });
});

describe('chains through resource policies', () => {
  it('secret -> its holder -> a function its policy lets the holder update -> administrator role', () => {
    const b = new AuthBuilder()
      .role('report-admin', trust({ Service: 'lambda.amazonaws.com' }), { attached: [ADMIN] })
      .user('deployer', { inline: [doc(allow('s3:GetObject'))] })
      .user('attacker', { inline: [doc(allow('secretsmanager:GetSecretValue', SECRET))] });
    const env = parseAwsEnvironment(
      [
        b.build(),
        functions,
        functionPolicy(allow('lambda:UpdateFunctionCode', FN, { Principal: { AWS: userArn('deployer') } })),
      ],
      ['auth.json', 'lambda-list-functions.json', 'lambda-policy-nightly-report.json'],
    );
    // Not listed by list-secrets: setSecretHolders adds it (AWS managed key assumed).
    expect(setSecretHolders(env, [{ secret: SECRET, holder: userArn('deployer') }])).toBe(1);
    const row = analyzeAws(env).principals.find((r) => r.principal === ATTACKER)!;
    expect(row.escalates, JSON.stringify(row)).toBe(true);
    expect(row.techniques).toEqual(['ReadSecretHoldingCredential', 'EditExistingLambdaFunctionWithRole']);
    expect(row.path).toEqual([ATTACKER, userArn('deployer'), roleArn('report-admin')]);
    expect(row.hops).toBe(2);
  });
});
