import { describe, expect, it } from 'vitest';
import { awsRole as role, identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { oidcTrustNoSubject, unrestrictedGithubTrust } from './oidc-trust-no-subject.js';

const ID = 'oidc-trust-no-subject';
const GH = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } };

/** A trust policy as `get-account-authorization-details` returns it (AssumeRolePolicyDocument). */
function trust(condition?: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: GH },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(condition ? { Condition: condition } : {}),
        ...extra,
      },
    ],
  };
}

describe('oidc-trust-no-subject', () => {
  it('flags a GitHub trust with only an audience condition, with the command to fix the role', () => {
    const r = role('gh-deploy', trust(AUD));
    const f = runRule(oidcTrustNoSubject, postureInput({ identities: [r] }));
    expectFinding(findingOn(f, r.nativeId), {
      ruleId: ID,
      subject: r.nativeId,
      severity: 'critical',
      owaspNhi: ['NHI6', 'NHI5'],
      message: [
        `${r.nativeId} trusts GitHub Actions OIDC with no condition on the token subject (sub): any workflow on GitHub can assume it.`,
      ],
      evidence: {
        issuer: 'token.actions.githubusercontent.com',
        reason: 'no condition on the token subject (sub)',
      },
    });
    expect(f[0]!.fix).toBe(
      'aws iam update-assume-role-policy --role-name gh-deploy --policy-document file://trust.json',
    );
  });

  it('flags a sub of repo:* in a URL-encoded document (raw Query API form)', () => {
    const doc = encodeURIComponent(JSON.stringify(trust({ ...AUD, StringLike: { [SUB]: 'repo:*' } })));
    const r = role('encoded', doc);
    const f = runRule(oidcTrustNoSubject, postureInput({ identities: [r] }));
    expectFinding(findingOn(f, r.nativeId), {
      ruleId: ID,
      subject: r.nativeId,
      severity: 'critical',
      owaspNhi: ['NHI6', 'NHI5'],
      evidence: { reason: 'the subject condition matches any repository (repo:*)' },
    });
  });

  it('treats an IfExists operator as no restriction (a token without the claim passes)', () => {
    expect(unrestrictedGithubTrust(trust({ StringLikeIfExists: { [SUB]: 'repo:acme/*' } }))).toBe(
      'no condition on the token subject (sub)',
    );
  });

  it('accepts a subject naming the repository and branch, or the organisation', () => {
    const exact = role(
      'exact',
      trust({ ...AUD, StringEquals: { [SUB]: 'repo:acme/app:ref:refs/heads/main' } }),
    );
    const org = role('org', trust({ StringLike: { [SUB]: ['repo:acme/app:*', 'repo:acme/infra:*'] } }));
    expect(runRule(oidcTrustNoSubject, postureInput({ identities: [exact, org] }))).toEqual([]);
  });

  it('ignores other federations, Deny statements, other actions and roles that are not live or not AWS', () => {
    const other = role('other', {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::1:oidc-provider/example.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ],
    });
    const deny = role('deny', {
      Statement: [{ Effect: 'Deny', Principal: { Federated: GH }, Action: 'sts:AssumeRoleWithWebIdentity' }],
    });
    const tagOnly = role('tag-only', trust(undefined, { Action: 'sts:TagSession' }));
    const revoked = role('revoked', trust(AUD), { status: 'revoked' });
    const notAws = identity({
      nativeId: 'gcp-wif',
      provider: 'gcp',
      kind: 'workload-identity',
      attributes: { trustPolicy: trust(AUD) },
    });
    expect(
      runRule(oidcTrustNoSubject, postureInput({ identities: [other, deny, tagOnly, revoked, notAws] })),
    ).toEqual([]);
  });

  it('is silent for a role without a trust policy or with an unreadable one', () => {
    const none = identity({ nativeId: 'arn:aws:iam::1:role/none', kind: 'cloud-role' });
    const junk = role('junk', '%7Bnot json');
    expect(runRule(oidcTrustNoSubject, postureInput({ identities: [none, junk] }))).toEqual([]);
  });

  it('flags a subject list where one value is open (IAM ORs the values of a key)', () => {
    const mixed = role('mixed', trust({ ...AUD, StringLike: { [SUB]: ['repo:acme/app:*', 'repo:*'] } }));
    const f = runRule(oidcTrustNoSubject, postureInput({ identities: [mixed] }));
    expectFinding(findingOn(f, mixed.nativeId), {
      ruleId: ID,
      subject: mixed.nativeId,
      severity: 'critical',
      owaspNhi: ['NHI6', 'NHI5'],
      evidence: { reason: 'the subject condition matches any repository (repo:*)' },
    });
  });
});
