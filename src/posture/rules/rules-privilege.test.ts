import { describe, expect, it } from 'vitest';
import { agent, grant, identity, link, postureInput, usage } from '../test-utils/posture-fixtures.js';
import { adminWildcardGrant } from './admin-wildcard-grant.js';
import { humanUse } from './human-use.js';
import { oidcTrustNoSubject, unrestrictedGithubTrust } from './oidc-trust-no-subject.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { thirdPartyBroadScopes } from './third-party-broad-scopes.js';
import { unusedPermissions } from './unused-permissions.js';

const ROLE = 'arn:aws:iam::111122223333:role/agents/deployer';

describe('admin-wildcard-grant', () => {
  it('flags *:* and a managed AdministratorAccess, with the detach command', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = adminWildcardGrant.evaluate(
      postureInput({
        identities: [r],
        grants: [
          grant(r, {
            actions: ['*'],
            resources: ['*'],
            level: 'admin',
            via: 'managed policy arn:aws:iam::aws:policy/AdministratorAccess',
          }),
        ],
      }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBe(
      'aws iam detach-role-policy --role-name deployer --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    );
  });
  it('flags a service-wide write wildcard as medium and ignores scoped or read-only grants', () => {
    const a = identity({ nativeId: 'arn:aws:iam::1:role/a', kind: 'cloud-role' });
    const b = identity({ nativeId: 'arn:aws:iam::1:role/b', kind: 'cloud-role' });
    const f = adminWildcardGrant.evaluate(
      postureInput({
        identities: [a, b],
        grants: [
          grant(a, { actions: ['s3:*'], resources: ['*'], level: 'write' }),
          grant(b, { actions: ['s3:*'], resources: ['arn:aws:s3:::one/*'], level: 'write' }),
          grant(b, { actions: ['s3:Get*'], resources: ['*'], level: 'read' }),
        ],
      }),
    );
    expect(f.map((x) => [x.subject, x.severity])).toEqual([['arn:aws:iam::1:role/a', 'medium']]);
  });
});

describe('unused-permissions', () => {
  it('lists granted patterns never used in the window', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const input = postureInput({
      identities: [r],
      grants: [
        grant(r, {
          actions: ['s3:GetObject', 's3:PutObject', 'dynamodb:*'],
          resources: ['*'],
          level: 'write',
        }),
      ],
      usage: new Map([[r.id, usage({ 's3:GetObject': ['arn:aws:s3:::b/k'] })]]),
    });
    const f = unusedPermissions.evaluate(input);
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.unused).toEqual(['dynamodb:*', 's3:PutObject']);
    expect(f[0]!.severity).toBe('high');
  });
  it('is silent when every grant was used, or without usage data', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const g = grant(r, { actions: ['s3:GetObject'], resources: ['*'] });
    expect(
      unusedPermissions.evaluate(
        postureInput({
          identities: [r],
          grants: [g],
          usage: new Map([[r.id, usage({ 's3.amazonaws.com:GetObject': ['*'] })]]),
        }),
      ),
    ).toEqual([]);
    expect(unusedPermissions.evaluate(postureInput({ identities: [r], grants: [g] }))).toEqual([]);
  });
});

describe('privilege-escalation', () => {
  it('reports the shortest path per principal', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = privilegeEscalation.evaluate(
      postureInput({
        identities: [r],
        escalations: [
          { identityId: r.id, principal: ROLE, technique: 'iam:CreatePolicyVersion', hops: 1, path: [ROLE] },
          {
            identityId: r.id,
            principal: ROLE,
            technique: 'iam:PassRole+lambda',
            hops: 2,
            path: [ROLE, 'arn:aws:iam::111122223333:role/admin'],
          },
        ],
      }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.technique).toBe('iam:CreatePolicyVersion');
  });
  it('is silent without escalations', () => {
    expect(
      privilegeEscalation.evaluate(
        postureInput({ identities: [identity({ nativeId: ROLE, kind: 'cloud-role' })] }),
      ),
    ).toEqual([]);
  });
});

const GH = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
function trust(condition?: Record<string, Record<string, unknown>>) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: GH },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}

describe('oidc-trust-no-subject', () => {
  it('flags a GitHub trust with no sub condition, or a sub of repo:*', () => {
    const a = identity({
      nativeId: 'arn:aws:iam::1:role/a',
      kind: 'cloud-role',
      attributes: {
        trustPolicy: trust({
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        }),
      },
    });
    const b = identity({
      nativeId: 'arn:aws:iam::1:role/b',
      kind: 'cloud-role',
      attributes: {
        trustPolicy: encodeURIComponent(
          JSON.stringify(trust({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:*' } })),
        ),
      },
    });
    const f = oidcTrustNoSubject.evaluate(postureInput({ identities: [a, b] }));
    expect(f.map((x) => x.subject)).toEqual(['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b']);
    expect(f[0]!.fix).toContain('--role-name a');
  });
  it('accepts a repository-scoped subject and ignores other federations', () => {
    expect(
      unrestrictedGithubTrust(
        trust({
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:ref:refs/heads/main' },
        }),
      ),
    ).toBeUndefined();
    const other = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::1:oidc-provider/example.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ],
    };
    expect(unrestrictedGithubTrust(other)).toBeUndefined();
    // An IfExists operator does not restrict: a token without the claim would pass.
    expect(
      unrestrictedGithubTrust(
        trust({ StringLikeIfExists: { 'token.actions.githubusercontent.com:sub': 'repo:acme/*' } }),
      ),
    ).toBeDefined();
  });
});

describe('third-party-broad-scopes', () => {
  it('flags a vendor app holding full mailbox and Drive scopes', () => {
    const app = identity({
      nativeId: '1234.apps.googleusercontent.com',
      provider: 'google-workspace',
      kind: 'oauth-grant',
      thirdParty: true,
      attributes: { scopes: ['https://mail.google.com/', 'https://www.googleapis.com/auth/drive', 'openid'] },
    });
    const f = thirdPartyBroadScopes.evaluate(postureInput({ identities: [app] }));
    expect(f[0]!.evidence.broadScopes).toEqual([
      'https://mail.google.com/',
      'https://www.googleapis.com/auth/drive',
    ]);
  });
  it('ignores narrow scopes and internal apps', () => {
    const narrow = identity({
      nativeId: 'a',
      provider: 'slack',
      kind: 'oauth-app',
      thirdParty: true,
      attributes: { scopes: ['chat:write', 'users:read'] },
    });
    const internal = identity({
      nativeId: 'b',
      provider: 'azure',
      kind: 'oauth-app',
      thirdParty: false,
      attributes: { scopes: ['Directory.ReadWrite.All'] },
    });
    expect(thirdPartyBroadScopes.evaluate(postureInput({ identities: [narrow, internal] }))).toEqual([]);
  });
});

describe('human-use', () => {
  it('flags a console password on a service user and console sign-ins', () => {
    const svc = identity({
      nativeId: 'arn:aws:iam::1:user/svc-etl',
      kind: 'cloud-user',
      attributes: { passwordEnabled: true },
    });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/bot', kind: 'cloud-role' });
    const a = agent({ name: 'bot' });
    const f = humanUse.evaluate(
      postureInput({
        agents: [a],
        identities: [svc, role],
        links: [link(a, role)],
        usage: new Map([
          [
            role.id,
            usage({ 'signin:ConsoleLogin': ['*'] }, { interactive: { consoleLogins: 3, browserAgents: 0 } }),
          ],
        ]),
      }),
    );
    expect(f.map((x) => x.subject).sort()).toEqual([
      'arn:aws:iam::1:role/bot',
      'arn:aws:iam::1:user/svc-etl',
    ]);
    expect(f.find((x) => x.subject.endsWith('svc-etl'))!.fix).toBe(
      'aws iam delete-login-profile --user-name svc-etl',
    );
  });
  it("ignores a person's own user with a password", () => {
    const alice = identity({
      nativeId: 'arn:aws:iam::1:user/alice',
      kind: 'cloud-user',
      attributes: { passwordEnabled: true },
    });
    expect(humanUse.evaluate(postureInput({ identities: [alice] }))).toEqual([]);
  });
});
