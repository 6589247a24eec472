import { describe, expect, it } from 'vitest';
import { awsRole as role, identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { openTrust, roleTrustOpen } from './role-trust-open.js';

/** A trust policy as `get-account-authorization-details` returns it (AssumeRolePolicyDocument). */
function trust(...statements: Record<string, unknown>[]) {
  return { Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements };
}
const allow = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 'sts:AssumeRole',
  ...extra,
});

describe('role-trust-open', () => {
  it('flags a role any AWS account can assume, with the command to fix it', () => {
    const r = role('open', trust(allow({ AWS: '*' })));
    const f = runRule(roleTrustOpen, postureInput({ identities: [r] }));
    expectFinding(findingOn(f, r.nativeId), {
      ruleId: 'role-trust-open',
      subject: r.nativeId,
      severity: 'critical',
      owaspNhi: ['NHI6', 'NHI5'],
      message: [
        `${r.nativeId} trusts Principal "*" with no condition: any principal of any AWS account can assume it.`,
      ],
    });
    expect(f[0]!.fix).toBe(
      'aws iam update-assume-role-policy --role-name open --policy-document file://trust.json',
    );
  });

  it('reads the forms IAM accepts: "*", a list with "*", URL-encoded text, wildcard and NotAction actions', () => {
    expect(openTrust(trust(allow('*')))).toBeDefined();
    expect(openTrust(trust(allow({ AWS: ['arn:aws:iam::444455556666:root', '*'] })))).toBeDefined();
    expect(openTrust(encodeURIComponent(JSON.stringify(trust(allow({ AWS: '*' })))))).toBeDefined();
    expect(openTrust(trust(allow({ AWS: '*' }, { Action: 'sts:Assume*' })))).toBeDefined();
    expect(openTrust(trust(allow({ AWS: '*' }, { Action: '*' })))).toBeDefined();
    const notAction = { Effect: 'Allow', Principal: { AWS: '*' }, NotAction: 'iam:*' };
    expect(openTrust(trust(notAction))).toBeDefined();
    const notPrincipal = {
      Effect: 'Allow',
      NotPrincipal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'sts:AssumeRole',
    };
    expect(openTrust(trust(notPrincipal))).toMatch(/NotPrincipal/);
    // IfExists passes when the key is missing: it restricts nobody who leaves it out.
    const ifExists = { Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc' } } };
    expect(openTrust(trust(allow({ AWS: '*' }, ifExists)))).toBeDefined();
  });

  it('leaves alone trusts that name principals, restrict "*" by a condition, or deny it back', () => {
    expect(openTrust(trust(allow({ AWS: 'arn:aws:iam::444455556666:root' })))).toBeUndefined();
    expect(openTrust(trust(allow({ Service: 'lambda.amazonaws.com' })))).toBeUndefined();
    const org = { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } };
    expect(openTrust(trust(allow({ AWS: '*' }, org)))).toBeUndefined();
    const external = { Condition: { StringEquals: { 'sts:ExternalId': 'a-shared-id' } } };
    expect(openTrust(trust(allow({ AWS: '*' }, external)))).toBeUndefined();
    // Other actions than taking the role.
    expect(openTrust(trust(allow({ AWS: '*' }, { Action: 'sts:TagSession' })))).toBeUndefined();
    const deny = { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' };
    expect(openTrust(trust(allow({ AWS: '*' }), deny))).toBeUndefined();
    expect(openTrust('not a policy')).toBeUndefined();
  });

  it('skips disabled roles and other providers', () => {
    const off = role('off', trust(allow('*')), { status: 'disabled' });
    const gcp = identity({
      provider: 'gcp',
      nativeId: 'sa@p.iam.gserviceaccount.com',
      attributes: { trustPolicy: trust(allow('*')) },
    });
    expect(runRule(roleTrustOpen, postureInput({ identities: [off, gcp] }))).toEqual([]);
  });
});
