import { describe, expect, it } from 'vitest';
import { agent, identity, link, postureInput } from '../test-utils/posture-fixtures.js';
import { expectFinding, findingOn, runRule } from '../test-utils/rule-harness.js';
import type { LeakFact } from '../posture-types.js';
import { leakedSecret } from './leaked-secret.js';

const ID = 'leaked-secret';

function leak(o: Partial<LeakFact> & { file: string; line: number }): LeakFact {
  return {
    rule: 'aws-access-key',
    type: 'AWS access key',
    fingerprint: 'fp1:a',
    masked: 'AKIA****…(20)',
    ...o,
  };
}

describe('leaked-secret', () => {
  it('puts a linked leak on the identity (critical while active), with its agents and every place', () => {
    const a = agent({ name: 'etl' });
    const k = identity({ nativeId: 'test-access-key-08' });
    const f = runRule(
      leakedSecret,
      postureInput({
        agents: [a],
        identities: [k],
        links: [link(a, k)],
        leaks: [
          leak({ file: 'src/app.py', line: 3, identityId: k.id, commit: 'abcdef0123456789' }),
          leak({ file: 'docs/setup.md', line: 40, identityId: k.id }),
        ],
      }),
    );
    expect(f).toHaveLength(1);
    expectFinding(f[0]!, {
      ruleId: ID,
      subject: 'test-access-key-08',
      subjectType: 'identity',
      severity: 'critical',
      owaspNhi: ['NHI2'],
      message: [
        'The secret of test-access-key-08 (AKIA****…(20)) is exposed in 2 places, first src/app.py:3, and the identity is still active.',
      ],
      evidence: {
        places: [
          {
            file: 'src/app.py',
            line: 3,
            commit: 'abcdef0123456789',
            masked: 'AKIA****…(20)',
            rule: 'aws-access-key',
          },
          { file: 'docs/setup.md', line: 40, commit: null },
        ],
      },
      agents: ['etl'],
    });
    expect(f[0]!.location).toEqual({ file: 'src/app.py', line: 3 });
  });

  it('is medium for the leak of an identity already revoked', () => {
    const k = identity({ nativeId: 'test-access-key-12', status: 'revoked' });
    const f = runRule(
      leakedSecret,
      postureInput({ identities: [k], leaks: [leak({ file: '.env', line: 2, identityId: k.id })] }),
    );
    expectFinding(findingOn(f, 'test-access-key-12'), {
      ruleId: ID,
      subject: 'test-access-key-12',
      severity: 'medium',
      owaspNhi: ['NHI2'],
      message: ['is exposed in 1 place, first .env:2.'],
    });
  });

  it('keeps an unmatched leak (or one naming an unknown identity) on its file, high, without the fingerprint', () => {
    const f = runRule(
      leakedSecret,
      postureInput({
        leaks: [
          leak({
            file: '.env',
            line: 1,
            rule: 'openai',
            type: 'OpenAI',
            fingerprint: 'fp1:b',
            masked: 'sk-****…(51)',
          }),
          leak({ file: 'old.sh', line: 9, identityId: 'idn_unknown', commit: '0123456789abcdef00' }),
        ],
      }),
    );
    expectFinding(findingOn(f, '.env:1'), {
      ruleId: ID,
      subject: '.env:1',
      subjectType: 'file',
      severity: 'high',
      owaspNhi: ['NHI2'],
      message: ['OpenAI secret sk-****…(51) in .env:1; not matched to an inventoried identity.'],
      evidence: { rule: 'openai', type: 'OpenAI', masked: 'sk-****…(51)', commit: null },
    });
    expect(findingOn(f, 'old.sh:9').message).toContain('(commit 0123456789ab)');
    expect(JSON.stringify(f)).not.toMatch(/fp1:/);
  });

  it('is silent with no leaks, however many identities', () => {
    const ids = [identity({ nativeId: 'k' }), identity({ nativeId: 'k2', fingerprint: 'fp1:c' })];
    expect(runRule(leakedSecret, postureInput({ identities: ids }))).toEqual([]);
  });
});
