import { describe, expect, it } from 'vitest';
import { RULES } from '../posture/index.js';
import type { ReportFinding } from '../report/index.js';
import { DIALECTS, hasPostgres, openTestStore } from '../store/test-utils/dialects.js';
import { finishAudit, latestAudit, previousFindings, startAudit } from './audit-store.js';

/** `n` findings in no particular id order, some with the rule's own title and some with their own. */
function findings(n: number): ReportFinding[] {
  const rule = RULES[0]!.meta;
  return Array.from({ length: n }, (_, i): ReportFinding => {
    const k = (i * 7919) % n;
    return {
      id: `fnd_${String(k).padStart(5, '0')}_${(k * 31) % 97}`,
      ruleId: rule.id,
      title: i % 3 ? rule.title : `custom title ${i}`,
      severity: rule.severity,
      subjectType: 'identity',
      subjectId: `idn_${k}`,
      subject: `arn:aws:iam::111122223333:user/u${k}`,
      agentIds: i % 2 ? [`agt_${k}`] : [],
      agents: i % 2 ? [`agent-${k}`] : [],
      owaspNhi: [...rule.owaspNhi],
      failureMode: rule.failureMode,
      frameworks: rule.frameworks,
      message: `finding ${k}`,
      evidence: i % 4 ? { n: k, list: [k, 'x'] } : {},
      remediation: rule.remediation,
      references: [...rule.references],
      score: (k % 10) + 0.5,
      owners: [],
      status: 'open',
      change: 'new',
      firstSeen: '2026-06-01T00:00:00.000Z',
      ...(i % 5 === 0 ? { fix: `fix ${k}` } : {}),
    };
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !hasPostgres())(`audit findings on ${dialect}`, () => {
    it('stores every finding (many rows per statement, in id order) and reads each back whole', async () => {
      const { store, close } = await openTestStore(dialect);
      try {
        const list = findings(237); // several full statements and a remainder
        await startAudit(store, 'aud_1', '2026-06-01T00:00:00.000Z', ['env']);
        await finishAudit(store, 'aud_1', '2026-06-01T00:01:00.000Z', { n: list.length }, list);
        expect((await latestAudit(store))?.id).toBe('aud_1');
        const back = new Map((await previousFindings(store, 'aud_1')).map((p) => [p.id, p.finding]));
        expect(back.size).toBe(list.length);
        for (const f of list) expect(back.get(f.id), f.id).toEqual(f);
      } finally {
        await close();
      }
    });
  });
}
