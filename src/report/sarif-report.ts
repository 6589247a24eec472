import type { Severity } from '../model/index.js';
import type { ReportDocument, ReportFinding } from './report-types.js';

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for the findings
 * located in code (leaked secrets, secrets in configs): one run, one rule per Warden rule, results
 * with a physical location relative to the audited folder (`%SRCROOT%`), and a stable
 * `partialFingerprints` entry so code-scanning services track a result across runs.
 * `security-severity` follows GitHub's convention (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function uri(file: string): string {
  return file.replaceAll('\\', '/').split('/').map(encodeURIComponent).join('/');
}

export function renderSarif(doc: ReportDocument): Record<string, unknown> {
  const located = doc.findings.filter(
    (f): f is ReportFinding & { location: NonNullable<ReportFinding['location']> } =>
      f.location !== undefined,
  );
  const ruleIds = [...new Set(located.map((f) => f.ruleId))].sort();
  const rules = ruleIds.map((id) => {
    const f = located.find((x) => x.ruleId === id)!;
    return {
      id,
      name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
      shortDescription: { text: f.title },
      fullDescription: { text: f.title },
      help: { text: f.remediation },
      ...(f.references[0] ? { helpUri: f.references[0] } : {}),
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: {
        tags: ['security', ...f.owaspNhi.map((n) => `OWASP-${n}`), ...f.frameworks.owaspAgentic],
        'security-severity': SECURITY_SEVERITY[f.severity],
      },
    };
  });
  const results = located.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: ruleIds.indexOf(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(f.location.file), uriBaseId: '%SRCROOT%' },
          ...(f.location.line
            ? {
                region: {
                  startLine: f.location.line,
                  ...(f.location.column ? { startColumn: f.location.column } : {}),
                },
              }
            : {}),
        },
      },
    ],
    partialFingerprints: { 'wardenFindingId/v1': f.id },
    ...(f.status === 'accepted' && f.acceptance
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${f.acceptance.reason} (${f.acceptance.by}, until ${f.acceptance.until})`,
            },
          ],
        }
      : {}),
    properties: { score: f.score, agents: f.agents, owaspNhi: f.owaspNhi, change: f.change },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Warden',
            version: doc.tool.version,
            informationUri: 'https://owasp.org/www-project-non-human-identities-top-10/',
            rules,
          },
        },
        automationDetails: { id: `warden-audit/${doc.auditId}` },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The audited folder' } } },
        results,
      },
    ],
  };
}
