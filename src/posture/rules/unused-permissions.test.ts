import { describe, expect, it } from 'vitest';
import { grant, identity, postureInput, usage } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { unusedPermissions } from './unused-permissions.js';

const ID = 'unused-permissions';
const ROLE = 'arn:aws:iam::111122223333:role/agents/deployer';

describe('unused-permissions', () => {
  it('lists granted patterns never used in the window; high when one of them is a wildcard', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      unusedPermissions,
      postureInput({
        identities: [r],
        grants: [grant(r, { actions: ['s3:GetObject', 's3:PutObject', 'dynamodb:*'], level: 'write' })],
        usage: new Map([[r.id, usage({ 's3:GetObject': ['arn:aws:s3:::b/k'] })]]),
      }),
    );
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: ROLE,
      severity: 'high',
      owaspNhi: ['NHI5'],
      message: [`${ROLE} used 1 actions in 90 days but holds 2 granted permission patterns it never used.`],
      evidence: {
        windowDays: 90,
        granted: 3,
        used: ['s3:GetObject'],
        unused: ['dynamodb:*', 's3:PutObject'],
      },
    });
  });

  it('is medium when only exact actions are unused', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      unusedPermissions,
      postureInput({
        identities: [r],
        grants: [grant(r, { actions: ['s3:GetObject', 's3:DeleteObject'], level: 'write' })],
        usage: new Map([[r.id, usage({ 's3:GetObject': ['*'] })]]),
      }),
    );
    expectFinding(findingOn(f, ROLE), {
      ruleId: ID,
      subject: ROLE,
      severity: 'medium',
      owaspNhi: ['NHI5'],
      evidence: { unused: ['s3:DeleteObject'] },
    });
  });

  it("counts the use of a user's access key as the user's use (CloudTrail names the key)", () => {
    const user = identity({ nativeId: 'arn:aws:iam::1:user/etl', kind: 'cloud-user' });
    const key = identity({ nativeId: 'test-access-key-11', attributes: { parent: user.nativeId } });
    const g = grant(user, { actions: ['s3:GetObject', 's3:PutObject'], level: 'write' });
    const input = (actions: Record<string, string[]>) =>
      postureInput({ identities: [user, key], grants: [g], usage: new Map([[key.id, usage(actions)]]) });
    expect(runRule(unusedPermissions, input({ 's3:GetObject': ['*'], 's3:PutObject': ['*'] }))).toEqual([]);
    const partial = runRule(unusedPermissions, input({ 's3:GetObject': ['*'] }));
    expect(findingOn(partial, user.nativeId).evidence.unused).toEqual(['s3:PutObject']);
  });

  it('is silent when every grant was used (CloudTrail endpoint names match IAM prefixes)', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      unusedPermissions,
      postureInput({
        identities: [r],
        grants: [grant(r, { actions: ['s3:GetObject', 'bedrock:InvokeModel'] })],
        usage: new Map([
          [
            r.id,
            usage({
              's3.amazonaws.com:GetObject': ['*'],
              'bedrock-runtime.amazonaws.com:InvokeModel': ['*'],
            }),
          ],
        ]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('does not count Deny statements as unused grants', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const f = runRule(
      unusedPermissions,
      postureInput({
        identities: [r],
        grants: [
          grant(r, { actions: ['s3:GetObject'] }),
          grant(r, { effect: 'deny', actions: ['dynamodb:*'], level: 'admin' }),
        ],
        usage: new Map([[r.id, usage({ 's3:GetObject': ['*'] })]]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent without usage data: no evidence, no claim', () => {
    const r = identity({ nativeId: ROLE, kind: 'cloud-role' });
    const g = grant(r, { actions: ['s3:GetObject', 'dynamodb:*'] });
    expect(runRule(unusedPermissions, postureInput({ identities: [r], grants: [g] }))).toEqual([]);
  });
});
