import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WardenError } from '../../errors/index.js';
import { SourceFile } from '../core/source-file.js';
import { CONNECTORS } from '../registry.js';
import { authorizationDetailsConnector as conn } from './authorization-details-connector.js';
import { actionLevel, decodePolicyDocument } from './iam-policy.js';
import { smallAccount } from './test-utils/aws-fixtures.js';
import { ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const acme = smallAccount(7);
const arn = (t: string) => `arn:aws:iam::${acme.account}:${t}`;

function best(file: string) {
  const f = new SourceFile(file, path.dirname(file));
  return [...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!;
}

describe('aws get-account-authorization-details', () => {
  it('is detected and read: users, roles, groups, policies, grants, edges', async () => {
    const file = write(tempDir(), 'authz.json', acme.authz());
    expect(best(file).id).toBe('aws-authorization-details');
    const items = await readWith(conn, file);
    const ids = ofType(items, 'identity');
    expect(ids.map((i) => [i.nativeId, i.kind]).sort()).toEqual(
      [
        [arn('role/escalation-target'), 'cloud-role'],
        [arn('role/service-role/agent-runner'), 'cloud-role'],
        [arn('user/ci-bot'), 'cloud-user'],
        [arn('user/people/alice'), 'cloud-user'],
      ].sort(),
    );
    const alice = ids.find((i) => i.name === 'alice')!;
    expect(alice).toMatchObject({
      account: acme.account,
      ownerRef: 'alice@acme.example',
      createdAt: '2024-03-01T10:00:00.000Z',
    });
    expect(alice.attributes).toMatchObject({
      inlinePolicies: ['everything-but-iam'],
      path: '/people/',
      groups: ['developers'],
      tags: { owner: 'alice@acme.example' },
      accountId: acme.account,
    });
    const ci = ids.find((i) => i.name === 'ci-bot')!;
    expect(ci.attributes).toMatchObject({
      permissionsBoundary: arn('policy/app/S3Reader'),
      tags: { agent: 'deploy-bot' },
    });
    const runner = ids.find((i) => i.name === 'agent-runner')!;
    expect(runner.lastUsedAt).toBe('2026-11-20T08:00:00.000Z');
    expect(runner.attributes).toMatchObject({
      inlinePolicies: ['pass-and-create'],
      path: '/service-role/',
      trustedServices: ['lambda.amazonaws.com'],
      trustedPrincipals: [arn('user/ci-bot')],
      instanceProfiles: [{ name: 'agent-runner-profile', arn: arn('instance-profile/agent-runner-profile') }],
    });
    expect((runner.attributes!.trustPolicy as { Statement: unknown[] }).Statement).toHaveLength(2);
    const target = ids.find((i) => i.name === 'escalation-target')!;
    expect(target.attributes).toMatchObject({ trustedAccounts: [acme.account], trustsAnyone: false });

    // Grants: alice = her inline NotAction + group inline + group's managed S3Reader (default v2).
    const grants = ofType(items, 'grant');
    const aliceGrants = grants.filter((g) => g.identity.nativeId === alice.nativeId);
    expect(aliceGrants.map((g) => g.key).sort()).toEqual(
      [
        'inline/everything-but-iam#0',
        'group/developers/inline/read-logs#0',
        `group/developers/${arn('policy/app/S3Reader')}#0`,
      ].sort(),
    );
    const notAction = aliceGrants.find((g) => g.key.startsWith('inline/'))!;
    expect(notAction).toMatchObject({
      effect: 'allow',
      actions: ['*'],
      resources: ['*'],
      conditions: { NotAction: ['iam:*'] },
    });
    const s3 = aliceGrants.find((g) => g.key.includes('S3Reader'))!;
    expect(s3).toMatchObject({
      actions: ['s3:GetObject', 's3:ListBucket'],
      level: 'read',
      resources: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'],
    });
    const ciGrants = grants.filter((g) => g.identity.nativeId === ci.nativeId);
    expect(ciGrants).toEqual([
      expect.objectContaining({
        actions: ['*'],
        level: 'admin',
        sensitivity: 'critical',
        key: 'arn:aws:iam::aws:policy/AdministratorAccess#0',
      }),
    ]);
    const runnerGrants = grants.filter((g) => g.identity.nativeId === runner.nativeId);
    expect(runnerGrants.map((g) => [g.effect, g.level])).toEqual([
      ['allow', 'admin'],
      ['deny', 'write'],
    ]);
    expect(runnerGrants[1]!.conditions).toEqual({
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    expect(runnerGrants[0]!.conditions).toEqual({ Sid: 'Pass' });

    // Resources: policies with every version, the group.
    const res = ofType(items, 'resource');
    const s3r = res.find((r) => r.nativeId === arn('policy/app/S3Reader'))!;
    expect(s3r.type).toBe('aws-iam-policy');
    expect(s3r.attributes).toMatchObject({
      defaultVersionId: 'v2',
      awsManaged: false,
      attachmentCount: 1,
      path: '/app/',
    });
    expect((s3r.attributes!.versions as unknown[]).length).toBe(2);
    expect(
      res.find((r) => r.nativeId === 'arn:aws:iam::aws:policy/AdministratorAccess')!.attributes,
    ).toMatchObject({ awsManaged: true });
    expect(res.find((r) => r.type === 'aws-iam-group')).toMatchObject({
      nativeId: arn('group/developers'),
      name: 'developers',
    });

    const edges = ofType(items, 'edge');
    expect(edges.filter((e) => e.kind === 'member-of')).toEqual([
      {
        kind: 'member-of',
        from: { type: 'identity', provider: 'aws', nativeId: alice.nativeId },
        to: { type: 'resource', provider: 'aws', nativeId: arn('group/developers') },
      },
    ]);
    const assume = edges.filter((e) => e.kind === 'can-assume');
    expect(
      assume.map((e) => [(e.from as { nativeId: string }).nativeId, (e.to as { nativeId: string }).nativeId]),
    ).toEqual([[ci.nativeId, runner.nativeId]]);
    expect(edges.filter((e) => e.kind === 'has-permission').length).toBe(3);
    expect(ofType(items, 'skip')).toEqual([]);
  });

  it('reads URL-encoded policy documents (raw API) exactly like objects (CLI)', async () => {
    const dir = tempDir();
    const a = await readWith(conn, write(dir, 'a.json', acme.authz('object')));
    const b = await readWith(conn, write(dir, 'b.json', acme.authz('url')));
    expect(b).toEqual(a);
    expect(
      typeof (acme.authz('url').RoleDetailList as { AssumeRolePolicyDocument: unknown }[])[0]!
        .AssumeRolePolicyDocument,
    ).toBe('string');
  });

  it('reads a raw API page (IsTruncated/Marker) and says it is one page', async () => {
    const page = {
      GetAccountAuthorizationDetailsResult: { ...acme.authz('url'), IsTruncated: true, Marker: 'abc' },
    };
    const items = await readWith(conn, write(tempDir(), 'page1.json', page));
    expect(ofType(items, 'identity')).toHaveLength(4);
    expect(ofType(items, 'note')[0]).toMatchObject({ pointer: '/IsTruncated' });
  });

  it('skips bad records with their pointer and reads the rest', async () => {
    const doc = acme.authz() as {
      UserDetailList: Record<string, unknown>[];
      Policies: { PolicyVersionList: { Document: unknown }[] }[];
    };
    delete doc.UserDetailList[0]!.Arn;
    (doc.UserDetailList[1] as { UserPolicyList?: unknown }).UserPolicyList = [
      { PolicyName: 'broken', PolicyDocument: '%7B%22Version' },
    ];
    doc.Policies[1]!.PolicyVersionList[0]!.Document = {
      Version: '2099-01-01',
      Statement: [
        { Effect: 'Maybe', Action: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      ],
    };
    const items = await readWith(conn, write(tempDir(), 'authz.json', doc));
    expect(ofType(items, 'skip')).toEqual([
      {
        pointer: '/Policies/1/PolicyVersionList/0/Document/Statement/0',
        reason: 'Effect must be Allow or Deny, got "Maybe"',
      },
      { pointer: '/UserDetailList/0', reason: 'user without a valid Arn' },
      {
        pointer: '/UserDetailList/1/UserPolicyList/0/PolicyDocument',
        reason: 'policy document is neither JSON nor URL-encoded JSON',
      },
    ]);
    expect(ofType(items, 'note').map((n) => n.pointer)).toContain(
      '/Policies/1/PolicyVersionList/0/Document/Version',
    );
    expect(ofType(items, 'identity')).toHaveLength(3);
  });

  it('fails a truncated file with file, line and column', async () => {
    const text = JSON.stringify(acme.authz(), null, 2);
    const file = write(tempDir(), 'cut.json', text.slice(0, text.length / 2));
    const err = await readWith(conn, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WardenError);
    expect((err as WardenError).message).toMatch(/^cut\.json:\d+(:\d+)?: invalid JSON/);
  });

  it('classifies actions into levels', () => {
    expect(
      ['*', 'iam:*', 'iam:PassRole', 'iam:CreatePolicyVersion', 'IAM:AttachRolePolicy', 'iam:Put*'].map(
        actionLevel,
      ),
    ).toEqual(Array(6).fill('admin'));
    expect(['s3:ListBucket', 'ec2:DescribeInstances', 's3:List*'].map(actionLevel)).toEqual([
      'list',
      'list',
      'list',
    ]);
    expect(['s3:GetObject', 'dynamodb:Query', 'iam:GetRole'].map(actionLevel)).toEqual([
      'read',
      'read',
      'read',
    ]);
    expect(['s3:PutObject', 's3:*', 'lambda:InvokeFunction'].map(actionLevel)).toEqual([
      'write',
      'write',
      'write',
    ]);
  });

  it('decodes policy documents given as objects, JSON text or RFC 3986 URL-encoded text', () => {
    const d = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::b/it's (x)*" }],
    };
    expect(decodePolicyDocument(d)).toEqual(d);
    expect(decodePolicyDocument(JSON.stringify(d))).toEqual(d);
    expect(
      decodePolicyDocument(
        encodeURIComponent(JSON.stringify(d)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
      ),
    ).toEqual(d);
    expect(decodePolicyDocument('%7Bnot')).toBeUndefined();
  });
});
