import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { leakedSecret } from './leaked-secret.js';
import { plaintextSecretInConfig } from './plaintext-secret-in-config.js';
import { staticLongLivedKey } from './static-long-lived-key.js';

describe('static-long-lived-key', () => {
  it('flags cloud keys in CI secrets, legacy Kubernetes token secrets and LLM keys in agent configs', () => {
    const a = agent({ name: 'coder' });
    const ci = identity({
      nativeId: 'github:acme/app/secret/AWS_SECRET_ACCESS_KEY',
      provider: 'github',
      kind: 'ci-secret',
      name: 'AWS_SECRET_ACCESS_KEY',
    });
    const tok = identity({
      nativeId: 'secret:ml/bot-token',
      provider: 'kubernetes',
      kind: 'session-token',
      attributes: { longLived: true },
    });
    const llm = identity({ nativeId: 'key_abc', provider: 'openai', kind: 'api-key' });
    const f = staticLongLivedKey.evaluate(
      postureInput({ agents: [a], identities: [ci, tok, llm], links: [link(a, llm, 'config')] }),
    );
    expect(f.map((x) => x.subject).sort()).toEqual([
      'github:acme/app/secret/AWS_SECRET_ACCESS_KEY',
      'key_abc',
      'secret:ml/bot-token',
    ]);
  });
  it('flags an AWS key held by an agent that already has a role, and nothing else', () => {
    const a = agent({ name: 'svc' });
    const role = identity({ nativeId: 'arn:aws:iam::1:role/svc', kind: 'cloud-role' });
    const key = identity({ nativeId: 'test-access-key-06' });
    const lone = identity({ nativeId: 'test-access-key-07' });
    const other = identity({
      nativeId: 'github:acme/app/secret/SLACK_WEBHOOK',
      provider: 'github',
      kind: 'ci-secret',
      name: 'SLACK_WEBHOOK',
    });
    const llmDeclared = identity({ nativeId: 'key_decl', provider: 'openai', kind: 'api-key' });
    const f = staticLongLivedKey.evaluate(
      postureInput({
        agents: [a],
        identities: [role, key, lone, other, llmDeclared],
        links: [link(a, role), link(a, key), link(a, llmDeclared, 'declared')],
      }),
    );
    expect(f.map((x) => x.subject)).toEqual(['test-access-key-06']);
  });
});

describe('leaked-secret', () => {
  it('puts a linked leak on the identity (critical while active) and an unlinked one on the file', () => {
    const k = identity({ nativeId: 'test-access-key-08' });
    const f = leakedSecret.evaluate(
      postureInput({
        identities: [k],
        leaks: [
          {
            file: 'src/app.py',
            line: 3,
            rule: 'aws-access-key',
            type: 'AWS access key',
            fingerprint: 'fp1:a',
            masked: 'AKIA****…(20)',
            identityId: k.id,
          },
          {
            file: '.env',
            line: 1,
            rule: 'openai',
            type: 'OpenAI key',
            fingerprint: 'fp1:b',
            masked: 'sk-****…(51)',
          },
        ],
      }),
    );
    expect(f.map((x) => [x.subjectType, x.severity, x.location?.file])).toEqual([
      ['file', 'high', '.env'],
      ['identity', 'critical', 'src/app.py'],
    ]);
    expect(JSON.stringify(f)).not.toMatch(/fp1:/);
  });
  it('is silent with no leaks', () => {
    expect(leakedSecret.evaluate(postureInput({ identities: [identity({ nativeId: 'k' })] }))).toEqual([]);
  });
});

describe('plaintext-secret-in-config', () => {
  it('flags a fingerprinted secret in a production agent config, with its file', () => {
    const a = agent({ name: 'bot', environment: 'production' });
    const k = identity({
      nativeId: 'mcp:bot/OPENAI_API_KEY',
      provider: 'openai',
      kind: 'api-key',
      fingerprint: 'fp1:x',
      attributes: {
        variable: 'OPENAI_API_KEY',
        location: '/mcpServers/x/env/OPENAI_API_KEY',
        config: '.cursor/mcp.json',
        storedIn: 'plain-config',
      },
    });
    const f = plaintextSecretInConfig.evaluate(
      postureInput({ agents: [a], identities: [k], links: [link(a, k, 'config')] }),
    );
    expect(f[0]!.location).toEqual({ file: '.cursor/mcp.json' });
  });
  it('ignores references (no value), development agents and declared links', () => {
    const dev = agent({ name: 'dev', environment: 'development' });
    const prod = agent({ name: 'prod' });
    const ref = identity({ nativeId: 'ref', kind: 'api-key', attributes: { storedIn: 'reference' } });
    const devKey = identity({ nativeId: 'devkey', kind: 'api-key', fingerprint: 'fp1:y' });
    const declared = identity({ nativeId: 'decl', kind: 'api-key', fingerprint: 'fp1:z' });
    const f = plaintextSecretInConfig.evaluate(
      postureInput({
        agents: [dev, prod],
        identities: [ref, devKey, declared],
        links: [link(prod, ref, 'config'), link(dev, devKey, 'config'), link(prod, declared)],
      }),
    );
    expect(f).toEqual([]);
  });
});
