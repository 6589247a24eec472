import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput, radius } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { missingKillSwitch } from './missing-kill-switch.js';

const ID = 'missing-kill-switch';

describe('missing-kill-switch', () => {
  it('flags an agent whose credentials span systems with one that must be revoked by hand', () => {
    const a = agent({ name: 'etl' });
    const k = identity({ nativeId: 'test-access-key-05' });
    const db = identity({ nativeId: 'postgres://etl@db', provider: 'postgres', kind: 'database-account' });
    const f = runRule(
      missingKillSwitch,
      postureInput({
        agents: [a],
        identities: [k, db],
        links: [link(a, k), link(a, db)],
        blastRadius: new Map([[a.id, radius({ write: 3 })]]),
      }),
    );
    expectFinding(findingOn(f, 'etl'), {
      ruleId: ID,
      subject: 'etl',
      subjectType: 'agent',
      severity: 'high',
      owaspNhi: ['NHI1', 'NHI7'],
      message: ['Stopping etl means revoking 2 credentials in 2 systems (aws, postgres); 1 by hand.'],
      evidence: {
        systems: ['aws', 'postgres'],
        byHand: [{ identity: 'postgres://etl@db', reason: 'no automatable revocation for postgres' }],
        revocationList: [
          { provider: 'aws', kind: 'access-key', identity: 'test-access-key-05' },
          { provider: 'postgres', kind: 'database-account', identity: 'postgres://etl@db' },
        ],
      },
    });
  });

  it('is medium for two automatable systems with nothing by hand', () => {
    const a = agent({ name: 'two' });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/two', kind: 'cloud-role' });
    const o = identity({ nativeId: 'key_two', provider: 'openai', kind: 'api-key' });
    const f = runRule(
      missingKillSwitch,
      postureInput({ agents: [a], identities: [r, o], links: [link(a, r), link(a, o)] }),
    );
    expectFinding(findingOn(f, 'two'), {
      ruleId: ID,
      subject: 'two',
      severity: 'medium',
      owaspNhi: ['NHI1', 'NHI7'],
      message: ['Stopping two means revoking 2 credentials in 2 systems (aws, openai).'],
      evidence: { byHand: [] },
    });
  });

  it('flags a single system when its credential is an SSH key (no API revokes it)', () => {
    const a = agent({ name: 'deployer' });
    const ssh = identity({ nativeId: 'github:acme/app/deploy-key/9', provider: 'github', kind: 'ssh-key' });
    const f = runRule(
      missingKillSwitch,
      postureInput({ agents: [a], identities: [ssh], links: [link(a, ssh)] }),
    );
    expect(findingOn(f, 'deployer').evidence.byHand).toEqual([
      { identity: 'github:acme/app/deploy-key/9', reason: 'ssh-key must be removed by hand' },
    ]);
  });

  it('is silent for one automatable system, and for credentials brokered by a vault', () => {
    const one = agent({ name: 'one' });
    const vaulted = agent({ name: 'vaulted' });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/one', kind: 'cloud-role' });
    const k = identity({ nativeId: 'test-access-key-13' });
    const v1 = identity({ nativeId: 'auth/approle/role/etl', provider: 'vault', kind: 'vault-role' });
    const v2 = identity({
      nativeId: 'db-dyn',
      provider: 'postgres',
      kind: 'database-account',
      attributes: { brokered: true },
    });
    const f = runRule(
      missingKillSwitch,
      postureInput({
        agents: [one, vaulted],
        identities: [r, k, v1, v2],
        links: [link(one, r), link(one, k), link(vaulted, v1), link(vaulted, v2)],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent for a retired agent, and an agent whose manual credentials are already revoked', () => {
    const retired = agent({ name: 'retired', status: 'retired' });
    const cleaned = agent({ name: 'cleaned' });
    const db = identity({ nativeId: 'postgres://x@db', provider: 'postgres', kind: 'database-account' });
    const deadDb = identity({
      nativeId: 'postgres://y@db',
      provider: 'postgres',
      kind: 'database-account',
      status: 'revoked',
    });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/cleaned', kind: 'cloud-role' });
    const f = runRule(
      missingKillSwitch,
      postureInput({
        agents: [retired, cleaned],
        identities: [db, deadDb, r],
        links: [link(retired, db), link(cleaned, deadDb), link(cleaned, r)],
      }),
    );
    expect(f).toEqual([]);
  });
});
