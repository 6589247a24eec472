import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput, usage } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { humanUse } from './human-use.js';

const ID = 'human-use';
const SVC = 'arn:aws:iam::111122223333:user/svc-etl';

function user(name: string, attributes: Record<string, unknown>, status: 'active' | 'disabled' = 'active') {
  return identity({
    nativeId: `arn:aws:iam::111122223333:user/${name}`,
    kind: 'cloud-user',
    attributes,
    status,
  });
}

describe('human-use', () => {
  it('flags a console password on a service user (credential report), with the command that removes it', () => {
    const svc = user('svc-etl', { passwordEnabled: true, passwordLastUsed: '2026-05-20T09:00:00+00:00' });
    const f = runRule(humanUse, postureInput({ identities: [svc] }));
    expectFinding(findingOn(f, SVC), {
      ruleId: ID,
      subject: SVC,
      severity: 'high',
      owaspNhi: ['NHI10'],
      message: [`${SVC} shows a person at the keyboard: a console password last used 2026-05-20.`],
      evidence: { signals: ['a console password last used 2026-05-20'] },
    });
    expect(f[0]!.fix).toBe('aws iam delete-login-profile --user-name svc-etl');
  });

  it('flags console sign-ins and browser calls on a role an agent uses', () => {
    const a = agent({ name: 'bot' });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/bot', kind: 'cloud-role' });
    const f = runRule(
      humanUse,
      postureInput({
        agents: [a],
        identities: [role],
        links: [link(a, role)],
        usage: new Map([
          [
            role.id,
            usage(
              { 'signin:ConsoleLogin': ['*'] },
              {
                interactive: {
                  consoleLogins: 3,
                  browserAgents: 2,
                  sample: 'Mozilla/5.0 (X11; Linux x86_64)',
                },
              },
            ),
          ],
        ]),
      }),
    );
    expectFinding(findingOn(f, role.nativeId), {
      ruleId: ID,
      subject: role.nativeId,
      severity: 'high',
      owaspNhi: ['NHI10'],
      message: ['3 console sign-ins; 2 calls from a browser (Mozilla/5.0 (X11; Linux x86_64))'],
      agents: ['bot'],
    });
    // A role has no login profile: no delete-login-profile command.
    expect(f[0]!.fix).toBeUndefined();
  });

  it("ignores a person's own user with a console password (not a service name, no agent)", () => {
    const alice = user('alice', { passwordEnabled: true });
    expect(runRule(humanUse, postureInput({ identities: [alice] }))).toEqual([]);
  });

  it('ignores a service user whose password is disabled, and a disabled service user with one', () => {
    const noPassword = user('svc-build', { passwordEnabled: false, password_enabled: 'false' });
    const disabled = user('svc-old', { passwordEnabled: true }, 'disabled');
    expect(runRule(humanUse, postureInput({ identities: [noPassword, disabled] }))).toEqual([]);
  });

  it('ignores a role an agent uses when its usage shows no interactive signs', () => {
    const a = agent({ name: 'bot' });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/bot', kind: 'cloud-role' });
    const f = runRule(
      humanUse,
      postureInput({
        agents: [a],
        identities: [role],
        links: [link(a, role)],
        usage: new Map([
          [
            role.id,
            usage({ 's3:GetObject': ['*'] }, { interactive: { consoleLogins: 0, browserAgents: 0 } }),
          ],
        ]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('ignores console sign-ins on an SSO permission-set role and on a user named like a person', () => {
    const sso = identity({
      nativeId: 'arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      kind: 'cloud-role',
    });
    const person = user('jane.doe', {});
    const signIns = usage(
      { 'signin:ConsoleLogin': ['*'] },
      { interactive: { consoleLogins: 4, browserAgents: 0 } },
    );
    const f = runRule(
      humanUse,
      postureInput({
        identities: [sso, person],
        usage: new Map([
          [sso.id, signIns],
          [person.id, signIns],
        ]),
      }),
    );
    expect(f).toEqual([]);
  });

  it('reports console sign-ins on an identity not known to be a machine as medium, saying it is unsure', () => {
    const etl = user('nightly-etl', {});
    const f = runRule(
      humanUse,
      postureInput({
        identities: [etl],
        usage: new Map([
          [
            etl.id,
            usage({ 'signin:ConsoleLogin': ['*'] }, { interactive: { consoleLogins: 2, browserAgents: 0 } }),
          ],
        ]),
      }),
    );
    expectFinding(findingOn(f, etl.nativeId), {
      ruleId: ID,
      subject: etl.nativeId,
      severity: 'medium',
      owaspNhi: ['NHI10'],
      message: ['2 console sign-ins (not known to be a machine identity: confirm whether it is one)'],
      evidence: { signals: ['2 console sign-ins'], machineIdentity: 'unknown' },
    });
  });
});
