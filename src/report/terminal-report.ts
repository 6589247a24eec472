import type { Severity } from '../model/index.js';
import type { ReportDocument } from './report-types.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function table(rows: string[][], max: number[]): string {
  const w: number[] = [];
  const cells = rows.map((r) =>
    r.map((c, i) => {
      const s = cut(c, max[i] ?? 40);
      w[i] = Math.max(w[i] ?? 0, s.length);
      return s;
    }),
  );
  return (
    cells
      .map(
        (r) =>
          '  ' +
          r
            .map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!)))
            .join('  ')
            .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/**
 * The terminal summary: counts, what changed since the last audit, maturity, the top ten risks
 * with their agent and fix, and the first steps of the roadmap. Plain text, no colour codes.
 */
/** Skipped inputs listed in the terminal summary; the reports list them all. */
const SKIPPED_SHOWN = 10;

export function renderTerminal(
  doc: ReportDocument,
  options: { written?: string[]; top?: number } = {},
): string {
  const s = doc.summary;
  let out = `Warden audit of ${doc.input.paths.join(', ')} (${doc.generatedAt.slice(0, 19).replace('T', ' ')} UTC)\n\n`;
  const imported = doc.input.files.filter((f) => f.status === 'imported').length;
  const failed = doc.input.files.filter((f) => f.status === 'failed').length;
  out += `Input     ${imported} files imported${failed ? `, ${failed} failed` : ''}${doc.input.skippedTotal ? `, ${doc.input.skippedTotal} records or files skipped:` : ''}\n`;
  // What was not read comes first: an audit that silently lost a file reads as a clean one.
  for (const k of doc.input.skipped.slice(0, SKIPPED_SHOWN))
    out += `  - ${k.file}${k.pointer && k.pointer !== 'file' ? ` ${k.pointer}` : ''}: ${k.reason}\n`;
  if (doc.input.skippedTotal > SKIPPED_SHOWN)
    out += `  … ${doc.input.skippedTotal - SKIPPED_SHOWN} more in the HTML and JSON reports\n`;
  out += `Inventory ${s.agents} agents, ${s.identities} identities, ${s.owners} owners\n`;
  const sev = SEVERITIES.filter((k) => s.findings.bySeverity[k] > 0)
    .map((k) => `${s.findings.bySeverity[k]} ${k}`)
    .join(', ');
  out += `Findings  ${s.findings.open} open${sev ? ` (${sev})` : ''}${s.findings.accepted ? `, ${s.findings.accepted} accepted` : ''}\n`;
  out += s.diff.previousAuditId
    ? `Changes   ${s.diff.new} new, ${s.diff.fixed} fixed, ${s.diff.stillOpen} still open${s.diff.reopened ? `, ${s.diff.reopened} reopened` : ''} since the last audit\n`
    : `Changes   first audit of this database\n`;
  out += `Maturity  level ${doc.maturity.level} (${doc.maturity.name}): ${doc.maturity.description}\n`;
  if (doc.maturity.missingForNext.length) {
    out += `          for level ${doc.maturity.level + 1}: ${doc.maturity.missingForNext.slice(0, 3).join('; ')}${doc.maturity.missingForNext.length > 3 ? ` (+${doc.maturity.missingForNext.length - 3})` : ''}\n`;
  }
  const top = doc.findings.filter((f) => f.status === 'open').slice(0, options.top ?? 10);
  if (top.length) {
    out += `\nTop ${top.length} risks\n`;
    out += table(
      [
        ['#', 'SCORE', 'SEVERITY', 'AGENT', 'FINDING', 'FIX'],
        ...top.map((f, i) => [
          String(i + 1),
          f.score.toFixed(0),
          f.severity,
          f.agents.length
            ? f.agents.slice(0, 2).join(',') + (f.agents.length > 2 ? ` +${f.agents.length - 2}` : '')
            : '-',
          `${f.title}: ${f.subject}`,
          f.fix ?? f.remediation,
        ]),
      ],
      [3, 5, 8, 24, 70, 90],
    );
  }
  out += `\nControls\n`;
  out += table(
    [
      ['CONTROL', 'LEVEL', 'STATUS', 'NEXT'],
      ...doc.controls.map((c) => [c.title, String(c.level), c.status, c.missingForNext]),
    ],
    [44, 5, 8, 80],
  );
  const week = doc.roadmap.filter((r) => r.horizon === 'this-week');
  if (week.length) {
    out += `\nThis week\n`;
    for (const r of week)
      out += `  - ${r.title}: ${r.findings} finding${r.findings === 1 ? '' : 's'}${r.owners.length ? `; ask ${r.owners.slice(0, 4).join(', ')}${r.owners.length > 4 ? ', …' : ''}` : ''}\n`;
  }
  if (options.written?.length) out += `\nReports\n${options.written.map((w) => `  ${w}`).join('\n')}\n`;
  return out;
}
