import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import { plaintextSecretInConfig } from './plaintext-secret-in-config.js';

const ID = 'plaintext-secret-in-config';
const MCP_KEY = 'mcp:bot/OPENAI_API_KEY';

function mcpKey(nativeId = MCP_KEY, extra: Record<string, unknown> = {}) {
  return identity({
    nativeId,
    provider: 'openai',
    kind: 'api-key',
    fingerprint: 'fp1:x',
    attributes: {
      variable: 'OPENAI_API_KEY',
      location: '/mcpServers/x/env/OPENAI_API_KEY',
      config: '.cursor/mcp.json',
      storedIn: 'plain-config',
      ...extra,
    },
  });
}

describe('plaintext-secret-in-config', () => {
  it('flags a fingerprinted secret in a production agent config, with its file and line', () => {
    const a = agent({ name: 'bot', environment: 'production' });
    const k = mcpKey(MCP_KEY, { line: 7 });
    const f = runRule(
      plaintextSecretInConfig,
      postureInput({ agents: [a], identities: [k], links: [link(a, k, 'config')] }),
    );
    expectFinding(findingOn(f, MCP_KEY), {
      ruleId: ID,
      subject: MCP_KEY,
      severity: 'high',
      owaspNhi: ['NHI2', 'NHI7'],
      message: [
        `${MCP_KEY} is given in clear (/mcpServers/x/env/OPENAI_API_KEY) in .cursor/mcp.json to a production agent.`,
      ],
      evidence: { evidence: ['test config'], variable: 'OPENAI_API_KEY' },
      agents: ['bot'],
    });
    expect(f[0]!.location).toEqual({ file: '.cursor/mcp.json', line: 7 });
  });

  it('flags a credential kept as a plain CI variable, whatever the environment', () => {
    const v = identity({
      nativeId: 'github:acme/app/variable/DEPLOY_TOKEN',
      provider: 'github',
      kind: 'ci-secret',
      attributes: { variable: true, plaintext: true },
    });
    const f = runRule(plaintextSecretInConfig, postureInput({ identities: [v] }));
    expectFinding(findingOn(f, v.nativeId), {
      ruleId: ID,
      subject: v.nativeId,
      severity: 'high',
      owaspNhi: ['NHI2', 'NHI7'],
      message: [
        'is a credential kept as a plain CI variable, readable by anyone who can read the repository settings.',
      ],
    });
  });

  it('flags a development agent holding a key the inventory marks as production', () => {
    const dev = agent({ name: 'dev', environment: 'development' });
    const k = identity({
      nativeId: 'prod-key',
      kind: 'api-key',
      fingerprint: 'fp1:p',
      environment: 'production',
    });
    const f = runRule(
      plaintextSecretInConfig,
      postureInput({ agents: [dev], identities: [k], links: [link(dev, k, 'config')] }),
    );
    expect(f.map((x) => x.subject)).toEqual(['prod-key']);
  });

  it('ignores references (no value), development and staging agents, and declared links', () => {
    const dev = agent({ name: 'dev', environment: 'development' });
    const staging = agent({ name: 'staging', environment: 'staging' });
    const prod = agent({ name: 'prod' });
    const ref = identity({ nativeId: 'ref', kind: 'api-key', attributes: { storedIn: 'reference' } });
    const devKey = identity({ nativeId: 'devkey', kind: 'api-key', fingerprint: 'fp1:y' });
    const stagingKey = mcpKey('staging-key');
    const declared = identity({ nativeId: 'decl', kind: 'api-key', fingerprint: 'fp1:z' });
    const f = runRule(
      plaintextSecretInConfig,
      postureInput({
        agents: [dev, staging, prod],
        identities: [ref, devKey, stagingKey, declared],
        links: [
          link(prod, ref, 'config'),
          link(dev, devKey, 'config'),
          link(staging, stagingKey, 'config'),
          link(prod, declared),
        ],
      }),
    );
    expect(f).toEqual([]);
  });

  it('ignores a revoked key even in a production config, and a CI variable that is not plaintext', () => {
    const prod = agent({ name: 'prod' });
    const revoked = identity({
      nativeId: 'revoked',
      kind: 'api-key',
      fingerprint: 'fp1:r',
      status: 'revoked',
    });
    const secretVar = identity({
      nativeId: 'github:acme/app/secret/TOKEN',
      provider: 'github',
      kind: 'ci-secret',
      attributes: { variable: true, plaintext: false },
    });
    expect(
      runRule(
        plaintextSecretInConfig,
        postureInput({
          agents: [prod],
          identities: [revoked, secretVar],
          links: [link(prod, revoked, 'config')],
        }),
      ),
    ).toEqual([]);
  });
});
