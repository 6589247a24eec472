import { describe, expect, it } from 'vitest';
import { agent, edge, grant, identity, link, postureInput, radius } from '../test-utils/posture-fixtures.js';
import { agentNoApproval } from './agent-no-approval.js';
import { confusedDeputy } from './confused-deputy.js';
import { identityCrossEnvironment } from './identity-cross-environment.js';
import { identityShared } from './identity-shared.js';
import { missingKillSwitch } from './missing-kill-switch.js';

describe('agent-no-approval', () => {
  it('flags an agent that can write without approval', () => {
    const a = agent({ name: 'ops' });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/ops', kind: 'cloud-role' });
    const f = agentNoApproval.evaluate(
      postureInput({
        agents: [a],
        identities: [r],
        links: [link(a, r)],
        grants: [grant(r, { actions: ['s3:PutObject'], level: 'write' })],
      }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.write).toBe(true);
  });
  it('is silent for read-only single-system agents and for agents that require approval', () => {
    const reader = agent({ name: 'reader' });
    const gated = agent({ name: 'gated', approvalRequired: true });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/r', kind: 'cloud-role' });
    const w = identity({ nativeId: 'arn:aws:iam::1:role/w', kind: 'cloud-role' });
    const f = agentNoApproval.evaluate(
      postureInput({
        agents: [reader, gated],
        identities: [r, w],
        links: [link(reader, r), link(gated, w)],
        grants: [
          grant(r, { actions: ['s3:GetObject'], level: 'read' }),
          grant(w, { actions: ['*'], level: 'admin' }),
        ],
      }),
    );
    expect(f).toEqual([]);
  });
});

describe('identity-shared', () => {
  it('flags one identity used by two agents', () => {
    const a = agent({ name: 'a' });
    const b = agent({ name: 'b' });
    const k = identity({ nativeId: 'sk-shared', provider: 'openai', kind: 'api-key' });
    const f = identityShared.evaluate(
      postureInput({ agents: [a, b], identities: [k], links: [link(a, k), link(b, k, 'config')] }),
    );
    expect(f[0]!.evidence.agents).toEqual(['a', 'b']);
  });
  it('ignores weak inferred links and a single agent linked twice', () => {
    const a = agent({ name: 'a' });
    const b = agent({ name: 'b' });
    const k = identity({ nativeId: 'key', provider: 'openai', kind: 'api-key' });
    const f = identityShared.evaluate(
      postureInput({
        agents: [a, b],
        identities: [k],
        links: [link(a, k), link(a, k, 'config'), link(b, k, 'naming', 0.3)],
      }),
    );
    expect(f).toEqual([]);
  });
});

describe('identity-cross-environment', () => {
  it('flags an identity used by production and development agents', () => {
    const p = agent({ name: 'p', environment: 'production' });
    const d = agent({ name: 'd', environment: 'development' });
    const k = identity({ nativeId: 'k' });
    const f = identityCrossEnvironment.evaluate(
      postureInput({ agents: [p, d], identities: [k], links: [link(p, k), link(d, k)] }),
    );
    expect(f[0]!.evidence.environments).toEqual(['development', 'production']);
    expect(f[0]!.severity).toBe('high');
  });
  it('ignores one environment and unknown environments', () => {
    const p = agent({ name: 'p', environment: 'production' });
    const u = agent({ name: 'u', environment: 'unknown' });
    const k = identity({ nativeId: 'k', environment: 'production' });
    expect(
      identityCrossEnvironment.evaluate(
        postureInput({ agents: [p, u], identities: [k], links: [link(p, k), link(u, k)] }),
      ),
    ).toEqual([]);
  });
});

describe('confused-deputy', () => {
  it('flags people who gain write access through the agent (graph facts or blast radii)', () => {
    const a = agent({ name: 'helpdesk', invokers: [{ kind: 'group', ref: 'all-staff' }] });
    const viaRadius = confusedDeputy.evaluate(
      postureInput({ agents: [a], blastRadius: new Map([[a.id, radius({ write: 4 })]]) }),
    );
    expect(viaRadius).toHaveLength(1);
    const viaGraph = confusedDeputy.evaluate(
      postureInput({
        agents: [a],
        deputies: new Map([[a.id, [{ kind: 'public', ref: 'public', gains: 3, admin: 1 }]]]),
      }),
    );
    expect(viaGraph[0]!.severity).toBe('critical');
  });
  it('is silent when invokers already hold the access, or the agent only reads', () => {
    const a = agent({ name: 'reader', invokers: [{ kind: 'person', ref: 'ana@acme.test' }] });
    expect(
      confusedDeputy.evaluate(
        postureInput({
          agents: [a],
          blastRadius: new Map([[a.id, radius({ write: 0, admin: 0, sensitive: 0 })]]),
        }),
      ),
    ).toEqual([]);
    expect(
      confusedDeputy.evaluate(
        postureInput({
          agents: [a],
          deputies: new Map([[a.id, []]]),
          blastRadius: new Map([[a.id, radius({ write: 5 })]]),
        }),
      ),
    ).toEqual([]);
  });
});

describe('missing-kill-switch', () => {
  it('flags an agent whose credentials span systems with one revoked by hand', () => {
    const a = agent({ name: 'etl' });
    const k = identity({ nativeId: 'test-access-key-05' });
    const db = identity({ nativeId: 'postgres://etl@db', provider: 'postgres', kind: 'database-account' });
    const f = missingKillSwitch.evaluate(
      postureInput({ agents: [a], identities: [k, db], links: [link(a, k), link(a, db)] }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence.systems).toEqual(['aws', 'postgres']);
  });
  it('is silent for one automatable system or credentials brokered by a vault', () => {
    const one = agent({ name: 'one' });
    const vaulted = agent({ name: 'vaulted' });
    const r = identity({ nativeId: 'arn:aws:iam::1:role/one', kind: 'cloud-role' });
    const v1 = identity({ nativeId: 'auth/approle/role/etl', provider: 'vault', kind: 'vault-role' });
    const v2 = identity({
      nativeId: 'db-dyn',
      provider: 'postgres',
      kind: 'database-account',
      attributes: { brokered: true },
    });
    const f = missingKillSwitch.evaluate(
      postureInput({
        agents: [one, vaulted],
        identities: [r, v1, v2],
        links: [link(one, r), link(vaulted, v1), link(vaulted, v2)],
      }),
    );
    expect(f).toEqual([]);
  });
});

describe('edges feed sharing', () => {
  it('counts workloads that run as an identity as consumers', () => {
    const a = agent({ name: 'a' });
    const sa = identity({
      nativeId: 'system:serviceaccount:ml:default',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const f = identityShared.evaluate(
      postureInput({
        agents: [a],
        identities: [sa],
        links: [link(a, sa)],
        edges: [edge('runs-as', 'res_w1', sa.id), edge('runs-as', 'res_w2', sa.id)],
      }),
    );
    expect(f).toHaveLength(1);
  });
});
