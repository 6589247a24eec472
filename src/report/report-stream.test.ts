import { describe, expect, it } from 'vitest';
import { csvCell, csvRows, renderFindingsCsv } from './csv-report.js';
import { HTML_MAX_FINDINGS, renderHtml } from './html-report.js';
import { findingJson, writeJsonReport } from './json-report.js';
import { renderOcsf, writeOcsf } from './ocsf-report.js';
import type { ReportDocument, ReportFinding } from './report-types.js';
import { JsonFragments, jsonString, StringSink } from './text-sink.js';
import { finding, reportDoc } from './test-utils/report-fixture.js';

/** The fixture plus a fixed finding and a least-privilege policy, so every branch is written. */
function richDoc(): ReportDocument {
  const doc = reportDoc();
  doc.fixed = [
    finding({
      id: 'fnd_old',
      status: 'fixed',
      change: 'fixed',
      fix: 'aws iam delete-access-key',
      evidence: { fixedAt: 'x' },
    }),
  ];
  doc.findings.push(
    finding({
      id: 'fnd_lp',
      ruleId: 'unused-permissions',
      subjectId: 'idn_9',
      subject: 'arn:aws:iam::1:role/r',
      firstSeen: 'not a date',
    }),
    finding({
      id: 'fnd_agent',
      subjectType: 'agent',
      subjectId: 'agt_1',
      subject: 'support-bot',
      message: 'line\nbreak "q" ünï',
    }),
  );
  doc.leastPrivilege = [
    {
      identityId: 'idn_9',
      principal: 'arn:aws:iam::1:role/r',
      provider: 'aws',
      windowDays: 90,
      granted: ['s3:*'],
      used: ['s3:GetObject'],
      unused: [],
      policy: { Version: '2012-10-17', Statement: [] },
      policyFormat: 'aws-iam-policy',
      diff: { remove: ['s3:*'], add: ['s3:GetObject'], keep: [] },
    },
  ];
  return doc;
}

function collect(write: (doc: ReportDocument, out: StringSink) => void, doc: ReportDocument): string {
  const s = new StringSink();
  write(doc, s);
  return s.toString();
}

describe('streamed reports', () => {
  it('writes each finding exactly as JSON.stringify does, sharing rule parts', () => {
    const frags = new JsonFragments();
    for (const f of [...richDoc().findings, ...richDoc().fixed]) {
      expect(findingJson(f, frags)).toBe(JSON.stringify(f));
      expect(findingJson(f, frags)).toBe(JSON.stringify(f));
    }
    const withUndefined = { ...finding({ id: 'u' }), fix: undefined } as unknown as ReportFinding;
    expect(findingJson(withUndefined, frags)).toBe(JSON.stringify(withUndefined));
  });

  it('escapes strings exactly like JSON.stringify', () => {
    for (const v of [
      'plain',
      'q"uote',
      'back\\slash',
      'tab\tnl\n',
      '\u0001',
      'lone \ud800 x',
      'pair 😀',
      'é',
      '',
    ])
      expect(jsonString(v)).toBe(JSON.stringify(v));
  });

  it('JSON report parses back to the document', () => {
    const doc = richDoc();
    expect(JSON.parse(collect(writeJsonReport, doc))).toEqual(doc);
  });

  it('OCSF text parses back to the same events as renderOcsf', () => {
    const doc = richDoc();
    const text = collect(writeOcsf, doc);
    expect(JSON.parse(text)).toEqual(renderOcsf(doc));
    const lp = (JSON.parse(text) as Record<string, unknown>[]).find(
      (e) => (e.finding_info as { uid?: string } | undefined)?.uid === 'fnd_lp',
    );
    expect(lp).toHaveProperty('permission_analysis_results');
    const empty = { ...doc, findings: [], fixed: [], controls: [] };
    expect(JSON.parse(collect(writeOcsf, empty))).toEqual([]);
  });

  it('CSV rows equal the cell-by-cell rendering', () => {
    const doc = richDoc();
    const naive = csvRows(
      [...doc.findings, ...doc.fixed].map((f) => [
        f.id,
        f.score,
        f.severity,
        f.status,
        f.change,
        f.ruleId,
        f.title,
        f.subjectType,
        f.subject,
        f.agents,
        f.owners,
        f.owaspNhi,
        f.frameworks.owaspAgentic,
        f.frameworks.nistCsf,
        f.frameworks.cis,
        f.frameworks.aiRmf,
        f.message,
        f.remediation,
        f.fix,
        f.location?.file,
        f.location?.line,
        f.firstSeen,
        f.acceptance?.until,
      ]),
    );
    const csv = renderFindingsCsv(doc);
    expect(csv.slice(csv.indexOf('\r\n') + 2)).toBe(naive);
    expect(csvCell('-1')).toBe("'-1");
  });

  it('HTML lists the top findings in full and summarises the rest by rule', () => {
    const doc = reportDoc();
    const many: ReportFinding[] = [];
    for (let i = 0; i < HTML_MAX_FINDINGS + 30; i++)
      many.push(
        finding({
          id: `fnd_${i}`,
          ruleId: i % 2 ? 'no-expiry' : 'shadow-identity',
          title: i % 2 ? 'Credential never expires' : 'Shadow identity',
          subject: `sa-${i}`,
          message: `finding number ${i}`,
          severity: i % 3 ? 'medium' : 'high',
        }),
      );
    doc.findings = many;
    const html = renderHtml(doc);
    expect(html).toContain(`finding number ${HTML_MAX_FINDINGS - 1}<`);
    expect(html).not.toContain(`finding number ${HTML_MAX_FINDINGS}<`);
    expect(html).toContain('id="findings-truncated"');
    expect(html).toMatch(/highest-risk<\/b> of <b>2,030<\/b> findings/);
    expect(html).toContain('The other 30 findings, by rule');
    // 15 shadow-identity and 15 no-expiry findings are summarised, with their totals.
    expect(html).toMatch(
      /<code>no-expiry<\/code><\/td><td>Credential never expires<\/td>(<td class="num">\d+<\/td>){6}<td class="num">15<\/td>/,
    );
    expect(renderHtml(reportDoc())).not.toContain('findings-truncated');
  });
});
