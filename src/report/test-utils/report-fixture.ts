import { REPORT_SCHEMA, type ReportDocument, type ReportFinding } from '../report-types.js';

export function finding(o: Partial<ReportFinding> & { id: string }): ReportFinding {
  return {
    ruleId: 'leaked-secret',
    title: 'Leaked secret',
    severity: 'critical',
    subjectType: 'identity',
    subjectId: 'idn_1',
    subject: 'AKIAEXAMPLE',
    agentIds: ['agt_1'],
    agents: ['support-bot'],
    owaspNhi: ['NHI2'],
    failureMode: 'leaked-secret',
    frameworks: { owaspAgentic: ['ASI03'], nistCsf: ['PR.DS-01'], cis: ['5.2'], aiRmf: ['MANAGE 2.4'] },
    message: 'The secret is exposed',
    evidence: {},
    remediation: 'Revoke it',
    references: ['https://owasp.org/'],
    score: 91.5,
    owners: ['ana@acme.test'],
    status: 'open',
    change: 'new',
    firstSeen: '2026-06-01T00:00:00.000Z',
    ...o,
  };
}

/** A small but complete report document for renderer tests. */
export function reportDoc(): ReportDocument {
  const located = finding({
    id: 'fnd_a',
    location: { file: 'src/app config.py', line: 12 },
    message: 'key in <code> & "quotes"',
  });
  const plain = finding({
    id: 'fnd_b',
    ruleId: 'no-expiry',
    title: 'Credential never expires',
    severity: 'medium',
    score: 50,
    failureMode: 'long-lived-secret',
    owaspNhi: ['NHI7'],
    message: '=HYPERLINK("x")',
  });
  const accepted = finding({
    id: 'fnd_c',
    ruleId: 'not-rotated',
    severity: 'high',
    status: 'accepted',
    acceptance: { reason: 'r', by: 'ciso', until: '2026-12-31', pattern: 'not-rotated:*', expired: false },
    location: { file: 'x.env' },
  });
  return {
    schema: REPORT_SCHEMA,
    auditId: 'aud_1',
    generatedAt: '2026-06-01T00:00:00.000Z',
    tool: { name: 'warden', version: '0.1.0' },
    input: {
      paths: ['examples/acme'],
      files: [{ file: 'a.json', format: 'aws', status: 'imported', records: 3, skipped: 1 }],
      skipped: [{ file: 'a.json', pointer: '/Users/2', reason: 'no Arn' }],
      skippedTotal: 1,
    },
    summary: {
      agents: 1,
      identities: 2,
      owners: 1,
      findings: {
        total: 3,
        open: 2,
        accepted: 1,
        bySeverity: { info: 0, low: 0, medium: 1, high: 0, critical: 1 },
      },
      diff: { previousAuditId: null, new: 3, stillOpen: 0, fixed: 0, reopened: 0 },
      maturity: { level: 1, name: 'Reactive' },
    },
    agents: [
      {
        id: 'agt_1',
        name: 'support-bot',
        kind: 'chatbot',
        environment: 'production',
        status: 'active',
        owner: 'ana@acme.test',
        ownerStatus: 'active',
        declared: true,
        approvalRequired: false,
        invokers: [{ kind: 'group', ref: 'all-staff' }],
        identityIds: ['idn_1'],
        blastRadius: {
          resources: 4,
          write: 1,
          admin: 1,
          sensitive: 1,
          systems: ['aws'],
          pivots: 1,
          score: 0.4,
        },
        findings: { total: 2, bySeverity: { info: 0, low: 0, medium: 1, high: 0, critical: 1 } },
        risk: 91.5,
        graph: {
          nodes: [
            { id: 'inv', label: 'all-staff', type: 'invoker' },
            { id: 'agt_1', label: 'support-bot', type: 'agent' },
            { id: 'idn_1', label: 'ci-key', type: 'identity', severity: 'critical' },
            { id: 'sys:aws s3', label: 'aws s3', type: 'system' },
          ],
          edges: [
            { from: 'inv', to: 'agt_1', kind: 'can-invoke' },
            { from: 'agt_1', to: 'idn_1', kind: 'uses' },
            { from: 'idn_1', to: 'sys:aws s3', kind: 'has-permission', level: 'admin' },
          ],
          truncated: 0,
        },
      },
    ],
    identities: [
      {
        id: 'idn_1',
        provider: 'aws',
        kind: 'access-key',
        nativeId: 'AKIAEXAMPLE',
        owner: null,
        ownerStatus: 'none',
        status: 'active',
        thirdParty: false,
        agents: ['support-bot'],
        findings: 2,
      },
    ],
    findings: [located, plain, accepted],
    fixed: [],
    escalations: [
      {
        identityId: 'idn_1',
        principal: 'arn:aws:iam::1:user/ci',
        technique: 'iam:CreatePolicyVersion',
        hops: 1,
        path: ['arn:aws:iam::1:user/ci'],
      },
    ],
    leaks: [
      { file: 'src/app config.py', line: 12, rule: 'aws', type: 'AWS access key', masked: 'AKIA****…(20)' },
    ],
    leastPrivilege: [],
    controls: [
      {
        id: 'C01-inventory',
        title: 'Inventory and agent mapping',
        status: 'partial',
        level: 1,
        score: 0.6,
        evidence: ['1 agent'],
        missingForNext: 'Link every identity',
        owaspNhi: ['NHI1'],
        frameworks: { owaspAgentic: ['ASI10'], nistCsf: ['ID.AM-02'], cis: ['5.1'], aiRmf: ['GOVERN 1.6'] },
      },
    ],
    maturity: { level: 1, name: 'Reactive', description: 'd', missingForNext: ['x'] },
    roadmap: [
      {
        horizon: 'this-week',
        title: 'Revoke leaked secrets',
        action: 'Revoke it',
        ruleIds: ['leaked-secret'],
        findings: 1,
        identities: [{ id: 'idn_1', name: 'AKIAEXAMPLE' }],
        owners: ['ana@acme.test'],
        expectedBlastRadiusDrop: { resources: 4, percent: 100 },
      },
    ],
  };
}
