import { describe, expect, it } from 'vitest';
import { csvCell, renderFindingsCsv } from './csv-report.js';
import { renderHtml } from './html-report.js';
import { renderOcsf } from './ocsf-report.js';
import { renderReportFiles, renderTerminal } from './render-reports.js';
import { renderSarif } from './sarif-report.js';
import { layoutGraph } from './svg-graph.js';
import { reportDoc } from './test-utils/report-fixture.js';

describe('terminal', () => {
  it('shows counts, maturity, top risks with agent and fix', () => {
    const t = renderTerminal(reportDoc(), { written: ['r/warden-report.html'] });
    expect(t).toContain('2 open (1 critical, 1 medium), 1 accepted');
    expect(t).toContain('level 1 (Reactive)');
    expect(t).toMatch(/1\s+92\s+critical\s+support-bot\s+Leaked secret: AKIAEXAMPLE\s+Revoke it/);
    expect(t).toContain('r/warden-report.html');
  });
});

describe('SARIF 2.1.0', () => {
  it('has only located findings, relative URIs, stable fingerprints and suppressions for accepted risk', () => {
    const s = renderSarif(reportDoc()) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[];
    };
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0]!;
    expect(run.results).toHaveLength(2);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['leaked-secret', 'not-rotated']);
    const r0 = run.results[0] as {
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
      partialFingerprints: Record<string, string>;
      level: string;
    };
    expect(r0.locations[0]!.physicalLocation.artifactLocation.uri).toBe('src/app%20config.py');
    expect(r0.locations[0]!.physicalLocation.region.startLine).toBe(12);
    expect(r0.partialFingerprints['wardenFindingId/v1']).toBe('fnd_a');
    expect(r0.level).toBe('error');
    expect(run.results[1]).toHaveProperty('suppressions');
  });
});

describe('OCSF', () => {
  it('emits IAM Analysis Findings (2008) and Compliance Findings (2003) with consistent type ids', () => {
    const ev = renderOcsf(reportDoc());
    const iam = ev.filter((e) => e.class_uid === 2008);
    const comp = ev.filter((e) => e.class_uid === 2003);
    expect(iam).toHaveLength(3);
    expect(comp).toHaveLength(1);
    for (const e of ev) {
      expect(e.type_uid).toBe((e.class_uid as number) * 100 + 1);
      expect(e.category_uid).toBe(2);
    }
    expect(iam.find((e) => (e.finding_info as { uid: string }).uid === 'fnd_c')!.status_id).toBe(3);
    expect(iam.find((e) => (e.finding_info as { uid: string }).uid === 'fnd_a')).not.toHaveProperty(
      'permission_analysis_results',
    );
    expect((comp[0]!.compliance as { status_id: number }).status_id).toBe(2);
    expect(iam[0]!.severity_id).toBe(5);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and defuses formulas', () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    const csv = renderFindingsCsv(reportDoc());
    expect(csv.split('\r\n')[0]).toMatch(/^id,score,severity,status/);
    expect(csv).toContain(`'=HYPERLINK(""x"")`);
  });
});

describe('HTML', () => {
  it('is self-contained, escapes input, lists skipped input first and draws the graph', () => {
    const html = renderHtml(reportDoc());
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/i);
    expect(html).toContain('key in &lt;code&gt; &amp; &quot;quotes&quot;');
    expect(html.indexOf('Skipped input')).toBeLessThan(html.indexOf('Top risks'));
    expect(html).toMatch(/<svg[^>]*class="graph"/);
    expect(html).toContain('id="agent-agt_1"');
  });
  it('lays out nodes in columns without overlap', () => {
    const { placed } = layoutGraph(reportDoc().agents[0]!.graph.nodes, reportDoc().agents[0]!.graph.edges);
    const xs = placed.map((p) => p.x);
    expect(new Set(xs).size).toBe(4);
    const key = (p: { x: number; y: number }) => `${p.x},${p.y}`;
    expect(new Set(placed.map(key)).size).toBe(placed.length);
  });
});

describe('renderReportFiles', () => {
  it('names one file per format (two for CSV) and none for terminal', () => {
    expect(
      renderReportFiles(reportDoc(), ['terminal', 'json', 'html', 'sarif', 'ocsf', 'csv']).map((f) => f.name),
    ).toEqual([
      'warden-report.json',
      'warden-report.html',
      'warden-report.sarif',
      'warden-report.ocsf.json',
      'warden-findings.csv',
      'warden-controls.csv',
    ]);
  });
});
