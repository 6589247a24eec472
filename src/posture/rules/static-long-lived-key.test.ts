import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { staticLongLivedKey } from './static-long-lived-key.js';

const ID = 'static-long-lived-key';
const CI = 'github:acme/app/secret/AWS_SECRET_ACCESS_KEY';

function ciSecret(name: string, attributes?: Record<string, unknown>) {
  return identity({
    nativeId: `github:acme/app/secret/${name}`,
    provider: 'github',
    kind: 'ci-secret',
    name,
    ...(attributes ? { attributes } : {}),
  });
}

describe('static-long-lived-key', () => {
  it('flags cloud keys in CI secrets, legacy Kubernetes token Secrets and LLM keys in agent configs', () => {
    const a = agent({ name: 'coder' });
    const ci = ciSecret('AWS_SECRET_ACCESS_KEY');
    const tok = identity({
      nativeId: 'secret:ml/bot-token',
      provider: 'kubernetes',
      kind: 'session-token',
      attributes: { type: 'kubernetes.io/service-account-token' },
    });
    const llm = identity({ nativeId: 'key_abc', provider: 'openai', kind: 'api-key' });
    const f = runRule(
      staticLongLivedKey,
      postureInput({ agents: [a], identities: [ci, tok, llm], links: [link(a, llm, 'config')] }),
    );
    expect(f.map((x) => x.subject).sort()).toEqual([CI, 'key_abc', 'secret:ml/bot-token']);
    expectFinding(findingOn(f, CI), {
      ruleId: ID,
      subject: CI,
      severity: 'high',
      owaspNhi: ['NHI7', 'NHI2'],
      message: [
        `AWS_SECRET_ACCESS_KEY (${CI}) is a CI secret holding cloud keys; use GitHub Actions OIDC (id-token: write)`,
      ],
      evidence: { reason: 'a CI secret holding cloud keys', kind: 'ci-secret', provider: 'github' },
    });
    expectFinding(findingOn(f, 'secret:ml/bot-token'), {
      ruleId: ID,
      subject: 'secret:ml/bot-token',
      severity: 'high',
      owaspNhi: ['NHI7', 'NHI2'],
      evidence: {
        reason: 'a long-lived Kubernetes service account token Secret',
        alternative: 'projected, audience-bound tokens (TokenRequest API) mounted by the kubelet',
      },
    });
    expectFinding(findingOn(f, 'key_abc'), {
      ruleId: ID,
      subject: 'key_abc',
      severity: 'high',
      owaspNhi: ['NHI7', 'NHI2'],
      message: ['key_abc is a static model-provider key written in an agent configuration'],
      agents: ['coder'],
    });
  });

  it('recognises a token Secret the connector marked long-lived', () => {
    const tok = identity({
      nativeId: 'secret:ml/legacy',
      provider: 'kubernetes',
      kind: 'session-token',
      attributes: { longLived: true },
    });
    const f = runRule(staticLongLivedKey, postureInput({ identities: [tok] }));
    expect(findingOn(f, 'secret:ml/legacy').evidence.reason).toBe(
      'a long-lived Kubernetes service account token Secret',
    );
  });

  it('recognises cloud keys by other CI secret names (GCP, Azure) and by what the value looks like', () => {
    const ids = [
      ciSecret('GCP_SA_KEY'),
      ciSecret('AZURE_CLIENT_SECRET'),
      ciSecret('DEPLOY_CREDS', { looksLike: 'aws-access-key' }),
    ];
    const f = runRule(staticLongLivedKey, postureInput({ identities: ids }));
    expect(f.map((x) => x.subject).sort()).toEqual(ids.map((i) => i.nativeId).sort());
  });

  it('flags an AWS key held by an agent that already has a role, not a lone key', () => {
    const a = agent({ name: 'svc' });
    const loneAgent = agent({ name: 'lone' });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/svc', kind: 'cloud-role' });
    const key = identity({ nativeId: 'test-access-key-06' });
    const lone = identity({ nativeId: 'test-access-key-07' });
    const f = runRule(
      staticLongLivedKey,
      postureInput({
        agents: [a, loneAgent],
        identities: [role, key, lone],
        links: [link(a, role), link(a, key), link(loneAgent, lone)],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual(['test-access-key-06']);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'test-access-key-06',
      severity: 'high',
      owaspNhi: ['NHI7', 'NHI2'],
      evidence: {
        reason: 'a static AWS access key used by an agent that already runs with a workload identity',
      },
    });
  });

  it('is silent for non-cloud CI secrets, opaque Kubernetes Secrets, projected service accounts and declared LLM keys', () => {
    const a = agent({ name: 'svc' });
    const webhook = ciSecret('SLACK_WEBHOOK');
    const opaque = identity({
      nativeId: 'secret:ml/db-password',
      provider: 'kubernetes',
      kind: 'password',
      attributes: { type: 'Opaque' },
    });
    const sa = identity({
      nativeId: 'system:serviceaccount:ml:runner',
      provider: 'kubernetes',
      kind: 'service-account',
    });
    const declared = identity({ nativeId: 'key_decl', provider: 'openai', kind: 'api-key' });
    const f = runRule(
      staticLongLivedKey,
      postureInput({
        agents: [a],
        identities: [webhook, opaque, sa, declared],
        links: [link(a, declared, 'declared'), link(a, sa, 'workload')],
      }),
    );
    expect(f).toEqual([]);
  });

  it('is silent for a revoked CI secret holding cloud keys', () => {
    const revoked = identity({
      nativeId: CI,
      provider: 'github',
      kind: 'ci-secret',
      name: 'AWS_SECRET_ACCESS_KEY',
      status: 'revoked',
    });
    expect(runRule(staticLongLivedKey, postureInput({ identities: [revoked] }))).toEqual([]);
  });
});
