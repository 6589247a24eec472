import { describe, expect, it } from 'vitest';
import { grant, identity, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { adminWildcardGrant } from './admin-wildcard-grant.js';

const ID = 'admin-wildcard-grant';
const ROLE = 'arn:aws:iam::111122223333:role/agents/deployer';
const ADMIN_POLICY = 'managed policy arn:aws:iam::aws:policy/AdministratorAccess';

describe('admin-wildcard-grant', () => {
  it('flags *:* from the managed AdministratorAccess policy, with the detach command for the role', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [r],
        grants: [grant(r, { actions: ['*'], resources: ['*'], level: 'admin', via: ADMIN_POLICY })],
      }),
    );
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: ROLE,
      severity: 'high',
      owaspNhi: ['NHI5'],
      message: [`${ROLE} holds administrator permissions via ${ADMIN_POLICY}.`],
      evidence: { grants: [{ actions: ['*'], resources: ['*'], level: 'admin', via: ADMIN_POLICY }] },
    });
    expect(f[0]!.fix).toBe(
      'aws iam detach-role-policy --role-name deployer --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
    );
  });

  it('names the user variant of the detach command for an IAM user', () => {
    const u = identity({ nativeId: 'arn:aws:iam::1:user/ci/builder', kind: 'cloud-user' });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [u],
        grants: [
          grant(u, {
            actions: ['*'],
            level: 'admin',
            via: 'managed policy arn:aws:iam::aws:policy/IAMFullAccess',
          }),
        ],
      }),
    );
    expect(findingOn(f, u.nativeId).fix).toBe(
      'aws iam detach-user-policy --user-name builder --policy-arn arn:aws:iam::aws:policy/IAMFullAccess',
    );
  });

  it('flags an inline `*` on `*` (no managed policy, so no command) and a grant normalised to admin', () => {
    const inline = identity({ nativeId: 'arn:aws:iam::1:role/inline', kind: 'cloud-role' });
    const k8s = identity({
      nativeId: 'system:serviceaccount:ml:runner',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [inline, k8s],
        grants: [
          grant(inline, { actions: ['*'], resources: ['*'], level: 'write', via: 'inline policy root' }),
          grant(k8s, {
            actions: ['*'],
            resources: ['*'],
            level: 'admin',
            via: 'ClusterRoleBinding/ml-admin -> cluster-admin',
          }),
        ],
      }),
    );
    expectFinding(findingOn(f, inline.nativeId), {
      ruleId: ID,
      subject: inline.nativeId,
      severity: 'high',
      owaspNhi: ['NHI5'],
      message: ['holds administrator permissions via inline policy root'],
    });
    expect(findingOn(f, inline.nativeId).fix).toBeUndefined();
    expectFinding(findingOn(f, k8s.nativeId), {
      ruleId: ID,
      subject: k8s.nativeId,
      severity: 'high',
      owaspNhi: ['NHI5'],
      evidence: { grants: [{ level: 'admin', via: 'ClusterRoleBinding/ml-admin -> cluster-admin' }] },
    });
  });

  it('flags a service-wide write wildcard on every resource as medium', () => {
    const a = identity({ nativeId: 'arn:aws:iam::1:role/a', kind: 'cloud-role' });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [a],
        grants: [grant(a, { actions: ['s3:*'], resources: ['*'], level: 'write' })],
      }),
    );
    expectFinding(findingOn(f, a.nativeId), {
      ruleId: ID,
      subject: a.nativeId,
      severity: 'medium',
      owaspNhi: ['NHI5'],
      message: ['arn:aws:iam::1:role/a holds service-wide wildcard permissions.'],
      evidence: { grants: [{ actions: ['s3:*'], resources: ['*'], level: 'write', via: null }] },
    });
  });

  it('is silent for a service wildcard scoped to one bucket, and read-only wildcards on everything', () => {
    const b = identity({ nativeId: 'arn:aws:iam::1:role/b', kind: 'cloud-role' });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [b],
        grants: [
          grant(b, {
            actions: ['s3:*'],
            resources: ['arn:aws:s3:::one', 'arn:aws:s3:::one/*'],
            level: 'write',
          }),
          grant(b, { actions: ['s3:Get*', 's3:List*'], resources: ['*'], level: 'read' }),
          grant(b, { actions: ['ec2:*'], resources: ['*'], level: 'list' }),
        ],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent for an administrator statement with effect Deny (a guard rail, not a grant)', () => {
    const guarded = identity({ nativeId: 'arn:aws:iam::1:role/guarded', kind: 'cloud-role' });
    const f = runRule(
      adminWildcardGrant,
      postureInput({
        identities: [guarded],
        grants: [
          grant(guarded, {
            effect: 'deny',
            actions: ['*'],
            resources: ['*'],
            level: 'admin',
            via: 'inline policy deny-all',
          }),
          grant(guarded, { effect: 'deny', actions: ['iam:*'], resources: ['*'], level: 'admin' }),
          grant(guarded, { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'], level: 'read' }),
        ],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent for a disabled identity holding administrator access', () => {
    const off = identity({ nativeId: 'arn:aws:iam::1:user/off', kind: 'cloud-user', status: 'disabled' });
    expect(
      runRule(
        adminWildcardGrant,
        postureInput({ identities: [off], grants: [grant(off, { actions: ['*'], level: 'admin' })] }),
      ),
    ).toEqual([]);
  });

  it('is silent for an Allow * on * cancelled by an unconditional Deny * on * (quarantined)', () => {
    const q = identity({ nativeId: 'arn:aws:iam::1:role/quarantined', kind: 'cloud-role' });
    const grants = [
      grant(q, { actions: ['*'], resources: ['*'], level: 'admin', via: ADMIN_POLICY }),
      grant(q, {
        effect: 'deny',
        actions: ['*'],
        resources: ['*'],
        level: 'admin',
        via: 'managed policy arn:aws:iam::aws:policy/AWSDenyAll',
      }),
    ];
    expect(runRule(adminWildcardGrant, postureInput({ identities: [q], grants }))).toEqual([]);
    // A Deny that depends on a condition does not cancel the grant.
    const c = identity({ nativeId: 'arn:aws:iam::1:role/conditional', kind: 'cloud-role' });
    const conditional = [
      grant(c, { actions: ['*'], resources: ['*'], level: 'admin', via: ADMIN_POLICY }),
      grant(c, {
        effect: 'deny',
        actions: ['*'],
        resources: ['*'],
        level: 'admin',
        conditions: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
      }),
    ];
    expect(
      findingOn(
        runRule(adminWildcardGrant, postureInput({ identities: [c], grants: conditional })),
        c.nativeId,
      ).severity,
    ).toBe('high');
  });
});
