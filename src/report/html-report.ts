import { REPORT_CSS, REPORT_JS } from './html-assets.js';
import { anchor, esc } from './html-escape.js';
import type { ReportAgent, ReportDocument, ReportFinding } from './report-types.js';
import { renderSvgGraph } from './svg-graph.js';
import { StringSink, type TextSink } from './text-sink.js';

/**
 * Findings shown in full on the Findings page: the highest-risk ones. The rest are summarised by
 * rule and severity (the page says so); the JSON, CSV and OCSF reports carry every finding.
 */
export const HTML_MAX_FINDINGS = 2000;
/** Findings listed in full on each agent's page (highest risk first). */
const MAX_AGENT_FINDINGS = 100;
/** Rows of the other long tables (escalations, input files). */
const MAX_ROWS = 5000;

const sev = (s: string) => `<span class="sev sev-${esc(s)}">${esc(s)}</span>`;
const day = (iso: string | undefined) => (iso ? esc(iso.slice(0, 10)) : '<span class="muted">-</span>');

function findingRows(fs: readonly ReportFinding[], limit = HTML_MAX_FINDINGS, agentLinks = true): string {
  return fs
    .slice(0, limit)
    .map(
      (f) =>
        `<tr data-sev="${esc(f.severity)}" data-status="${esc(f.status)}"><td class="num">${f.score.toFixed(0)}</td><td>${sev(f.severity)}</td><td>${esc(f.status)}${f.acceptance ? `<br><span class="muted">${esc(f.acceptance.expired ? 'acceptance expired' : 'accepted')} ${esc(f.acceptance.until)} by ${esc(f.acceptance.by)}</span>` : ''}<br><span class="muted">${esc(f.change)}</span></td>` +
        `<td><b>${esc(f.title)}</b><br>${esc(f.message)}${f.location ? `<br><code>${esc(f.location.file)}${f.location.line ? `:${f.location.line}` : ''}</code>` : ''}</td>` +
        `<td>${f.agents.map((a, i) => (agentLinks ? `<a href="#${anchor('agent', f.agentIds[i] ?? a)}">${esc(a)}</a>` : esc(a))).join(', ') || '<span class="muted">-</span>'}</td>` +
        `<td>${esc(f.owners.join(', ')) || '<span class="muted">-</span>'}</td><td>${esc(f.owaspNhi.join(' '))}<br><span class="muted">${esc(f.frameworks.owaspAgentic.join(' '))}</span></td>` +
        `<td>${esc(f.remediation)}${f.fix ? `<br><code>${esc(f.fix)}</code>` : ''}</td></tr>`,
    )
    .join('');
}

/** The first n open findings (the list is ranked), without a pass over all of them. */
function topOpen(fs: readonly ReportFinding[], n: number): ReportFinding[] {
  const out: ReportFinding[] = [];
  for (const f of fs) {
    if (out.length >= n) break;
    if (f.status === 'open') out.push(f);
  }
  return out;
}

const FINDING_HEAD =
  '<thead><tr><th>Risk</th><th>Severity</th><th>Status</th><th>Finding</th><th>Agents</th><th>Owners</th><th>OWASP</th><th>Fix</th></tr></thead>';

function overview(doc: ReportDocument): string {
  const s = doc.summary;
  let h = '<section id="overview" class="page"><h2>Overview</h2>';
  // What could not be read comes first: a partial audit must say so before anything else.
  if (doc.input.skippedTotal > 0) {
    h += `<div class="warn"><b>${doc.input.skippedTotal} records or files were skipped</b>; the findings below cover only what could be read.</div>`;
    h +=
      '<h3>Skipped input</h3><table><thead><tr><th>File</th><th>Where</th><th>Why</th></tr></thead><tbody>';
    h += doc.input.skipped
      .slice(0, 200)
      .map(
        (k) =>
          `<tr><td>${esc(k.file)}</td><td><code>${esc(k.pointer)}</code></td><td>${esc(k.reason)}</td></tr>`,
      )
      .join('');
    h += `</tbody></table>${doc.input.skipped.length > 200 ? `<p class="muted">${doc.input.skippedTotal - 200} more on the <a href="#input">Input</a> page.</p>` : ''}`;
  } else h += '<div class="ok">Every recognised file was read completely.</div>';
  h += '<div class="cards" style="margin-top:12px">';
  h += `<div class="card">Agents<b>${s.agents}</b></div><div class="card">Identities<b>${s.identities}</b></div>`;
  h += `<div class="card">Open findings<b>${s.findings.open}</b>${['critical', 'high', 'medium', 'low'].map((k) => `${s.findings.bySeverity[k as 'high']} ${k}`).join(' · ')}</div>`;
  h += `<div class="card">Accepted<b>${s.findings.accepted}</b></div>`;
  h += `<div class="card">Maturity<b>${doc.maturity.level} · ${esc(doc.maturity.name)}</b></div>`;
  h += `<div class="card">Since last audit<b>${s.diff.previousAuditId ? `+${s.diff.new} / −${s.diff.fixed}` : 'first audit'}</b>${s.diff.previousAuditId ? `${s.diff.stillOpen} still open` : ''}</div></div>`;
  h += `<h3>Maturity: level ${doc.maturity.level} (${esc(doc.maturity.name)})</h3><p>${esc(doc.maturity.description)}</p>`;
  if (doc.maturity.missingForNext.length)
    h += `<p>For level ${doc.maturity.level + 1}:</p><ul>${doc.maturity.missingForNext.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`;
  h += `<h3>Top risks</h3><table>${FINDING_HEAD}<tbody>${findingRows(topOpen(doc.findings, 10))}</tbody></table>`;
  return h + '</section>';
}

function agentsPage(doc: ReportDocument): string {
  let h =
    '<section id="agents" class="page"><h2>Agents</h2><table><thead><tr><th>Agent</th><th>Kind</th><th>Env</th><th>Status</th><th>Owner</th><th>Identities</th><th>Reach</th><th>Open findings</th><th>Risk</th></tr></thead><tbody>';
  for (const a of doc.agents) {
    h += `<tr><td><a href="#${anchor('agent', a.id)}">${esc(a.name)}</a>${a.declared ? '' : ' <span class="muted">(undeclared)</span>'}</td><td>${esc(a.kind ?? '?')}</td><td>${esc(a.environment)}</td><td>${esc(a.status)}</td>`;
    h += `<td>${esc(a.owner ?? 'none')}${a.ownerStatus === 'departed' ? ' <b>(left)</b>' : ''}</td><td class="num">${a.identityIds.length}</td><td class="num">${a.blastRadius.resources}${a.blastRadius.admin ? ` (${a.blastRadius.admin} admin)` : ''}</td>`;
    h += `<td class="num">${a.findings.total}</td><td class="num">${a.risk.toFixed(0)}</td></tr>`;
  }
  return h + '</tbody></table></section>';
}

function agentPage(
  a: ReportAgent,
  byId: Map<string, ReportDocument['identities'][number]>,
  byAgent: Map<string, ReportFinding[]>,
): string {
  let h = `<section id="${anchor('agent', a.id)}" class="page agent-page"><h2>Agent ${esc(a.name)}</h2>`;
  h += `<p>${esc(a.kind ?? 'kind unknown')} · ${esc(a.environment)} · ${esc(a.status)} · owner ${esc(a.owner ?? 'none')}${a.ownerStatus === 'departed' ? ' (left the organisation)' : ''} · approval ${a.approvalRequired ? 'required' : 'not required'}</p>`;
  h += `<p>Blast radius: ${a.blastRadius.resources} resources (${a.blastRadius.write} write, ${a.blastRadius.admin} admin, ${a.blastRadius.sensitive} sensitive) across ${esc(a.blastRadius.systems.join(', ') || 'no known system')}; ${a.blastRadius.pivots} further identities reachable.</p>`;
  h += `<h3>Access graph</h3><div class="legend"><span>■ agent</span><span>invokers → agent → identities → pivots → systems</span><span style="color:#b91c1c">red: admin / critical</span><span style="color:#ea580c">orange: write / high</span>${a.graph.truncated ? `<span class="muted">${a.graph.truncated} more not drawn</span>` : ''}</div>`;
  h += `<div class="graphbox">${renderSvgGraph(a.graph.nodes, a.graph.edges, `Access graph of ${a.name}`)}</div>`;
  h +=
    '<h3>Identities</h3><table><thead><tr><th>Provider</th><th>Kind</th><th>Identity</th><th>Status</th><th>Owner</th><th>Expires</th><th>Last used</th><th>Findings</th></tr></thead><tbody>';
  for (const id of a.identityIds) {
    const i = byId.get(id);
    if (!i) continue;
    h += `<tr><td>${esc(i.provider)}</td><td>${esc(i.kind)}</td><td><code>${esc(i.nativeId)}</code>${i.name && i.name !== i.nativeId ? `<br>${esc(i.name)}` : ''}</td><td>${esc(i.status)}</td><td>${esc(i.owner ?? '-')}</td><td>${i.expiresAt ? day(i.expiresAt) : 'never'}</td><td>${day(i.lastUsedAt)}</td><td class="num">${i.findings}</td></tr>`;
  }
  h += '</tbody></table>';
  const fs = byAgent.get(a.id) ?? [];
  h += `<h3>Findings (${fs.length})</h3><table>${FINDING_HEAD}<tbody>${findingRows(fs, MAX_AGENT_FINDINGS)}</tbody></table>`;
  if (fs.length > MAX_AGENT_FINDINGS)
    h += `<p class="muted">The ${MAX_AGENT_FINDINGS} highest-risk findings of this agent are shown; ${fs.length - MAX_AGENT_FINDINGS} more are on the <a href="#findings">Findings</a> page summary and in the JSON, CSV and OCSF reports.</p>`;
  return h + '</section>';
}

/**
 * Counts of the findings not listed in full, by rule and severity: with a million findings the page
 * stays readable and still accounts for every one of them.
 */
function restSummary(rest: readonly ReportFinding[], what: string): string {
  if (rest.length === 0) return '';
  const SEVS = ['critical', 'high', 'medium', 'low', 'info'] as const;
  const byRule = new Map<string, { title: string; n: Record<string, number>; total: number; open: number }>();
  for (const f of rest) {
    let r = byRule.get(f.ruleId);
    if (!r) byRule.set(f.ruleId, (r = { title: f.title, n: {}, total: 0, open: 0 }));
    r.n[f.severity] = (r.n[f.severity] ?? 0) + 1;
    r.total++;
    if (f.status === 'open') r.open++;
  }
  let h = `<h3>The other ${rest.length.toLocaleString('en-US')} ${what}, by rule</h3><p class="muted">Only the ${HTML_MAX_FINDINGS.toLocaleString('en-US')} highest-risk ${what} are listed in full above; these are summarised by rule and severity. The JSON, CSV and OCSF reports hold every finding.</p>`;
  h += `<table class="summary"><thead><tr><th>Rule</th><th>Title</th>${SEVS.map((v) => `<th>${v}</th>`).join('')}<th>Open</th><th>Total</th></tr></thead><tbody>`;
  for (const [id, r] of [...byRule].sort((a, b) => b[1].total - a[1].total || a[0].localeCompare(b[0])))
    h += `<tr><td><code>${esc(id)}</code></td><td>${esc(r.title)}</td>${SEVS.map((v) => `<td class="num">${r.n[v] ?? 0}</td>`).join('')}<td class="num">${r.open}</td><td class="num">${r.total}</td></tr>`;
  return h + '</tbody></table>';
}

function writeFindingsPage(doc: ReportDocument, out: TextSink): void {
  const n = doc.findings.length;
  out.write(
    `<section id="findings" class="page"><h2>Findings</h2><div class="filters"><input id="f-q" placeholder="filter text" size="30"> <select id="f-sev"><option value="">any severity</option>${['critical', 'high', 'medium', 'low', 'info'].map((s) => `<option>${s}</option>`).join('')}</select> <select id="f-status"><option value="">any status</option><option>open</option><option>accepted</option></select> <span id="f-count" class="muted"></span></div>`,
  );
  if (n > HTML_MAX_FINDINGS)
    out.write(
      `<div class="warn" id="findings-truncated">This page lists the <b>${HTML_MAX_FINDINGS.toLocaleString('en-US')} highest-risk</b> of <b>${n.toLocaleString('en-US')}</b> findings in full and summarises the other ${(n - HTML_MAX_FINDINGS).toLocaleString('en-US')} by rule and severity below. The JSON, CSV and OCSF reports hold every finding.</div>`,
    );
  out.write(`<table id="findings-table">${FINDING_HEAD}<tbody>`);
  // Streamed in slices: the page is written as it is built, never held whole.
  for (let i = 0; i < Math.min(n, HTML_MAX_FINDINGS); i += 250)
    out.write(findingRows(doc.findings.slice(i, Math.min(i + 250, HTML_MAX_FINDINGS))));
  out.write('</tbody></table>');
  out.write(restSummary(doc.findings.slice(HTML_MAX_FINDINGS), 'findings'));
  if (doc.fixed.length) {
    out.write(
      `<h3>Fixed since the last audit (${doc.fixed.length})</h3><table>${FINDING_HEAD}<tbody>${findingRows(doc.fixed)}</tbody></table>`,
    );
    out.write(restSummary(doc.fixed.slice(HTML_MAX_FINDINGS), 'fixed findings'));
  }
  out.write('</section>');
}

function controlsPage(doc: ReportDocument): string {
  let h =
    '<section id="controls" class="page"><h2>Controls and maturity</h2><table><thead><tr><th>Control</th><th>Status</th><th>Level</th><th>Evidence</th><th>For the next level</th><th>Frameworks</th></tr></thead><tbody>';
  for (const c of doc.controls) {
    h += `<tr><td><b>${esc(c.title)}</b><br><span class="muted">${esc(c.id)}</span></td><td class="st-${esc(c.status)}">${esc(c.status)}</td><td class="num">${c.level}</td><td>${c.evidence.map(esc).join('<br>')}</td><td>${esc(c.missingForNext)}</td>`;
    h += `<td>${esc([...c.owaspNhi, ...c.frameworks.owaspAgentic].join(' '))}<br>CSF ${esc(c.frameworks.nistCsf.join(' '))}<br>CIS ${esc(c.frameworks.cis.join(' '))}<br>AI RMF ${esc(c.frameworks.aiRmf.join(', '))}</td></tr>`;
  }
  return h + '</tbody></table></section>';
}

function roadmapPage(doc: ReportDocument): string {
  let h = '<section id="roadmap" class="page"><h2>Remediation roadmap</h2>';
  for (const [horizon, title] of [
    ['this-week', 'This week'],
    ['this-month', 'This month'],
    ['this-quarter', 'This quarter'],
  ] as const) {
    const items = doc.roadmap.filter((r) => r.horizon === horizon);
    h += `<h3>${title}</h3>`;
    if (!items.length) {
      h += '<p class="muted">Nothing.</p>';
      continue;
    }
    h +=
      '<table><thead><tr><th>Step</th><th>Findings</th><th>Identities</th><th>Ask</th><th>Blast radius drop</th></tr></thead><tbody>';
    for (const r of items) {
      h += `<tr><td><b>${esc(r.title)}</b><br>${esc(r.action)}</td><td class="num">${r.findings}</td><td>${r.identities
        .slice(0, 12)
        .map((i) => `<code>${esc(i.name)}</code>`)
        .join(
          '<br>',
        )}${r.identities.length > 12 ? `<br><span class="muted">+${r.identities.length - 12}</span>` : ''}</td><td>${esc(r.owners.join(', ') || '-')}</td><td class="num">${r.expectedBlastRadiusDrop.resources} (${r.expectedBlastRadiusDrop.percent}%)</td></tr>`;
    }
    h += '</tbody></table>';
  }
  return h + '</section>';
}

function privilegePage(doc: ReportDocument): string {
  let h = '<section id="least-privilege" class="page"><h2>Least privilege</h2>';
  if (!doc.leastPrivilege.length)
    h += '<p class="muted">No identity with both grants and usage events in the window.</p>';
  for (const l of doc.leastPrivilege.slice(0, 200)) {
    h += `<h3><code>${esc(l.principal)}</code></h3><p>${l.used.length} actions used in ${l.windowDays} days; ${l.unused.length} of ${l.granted.length} granted patterns never used.</p>`;
    h += `<p>Remove: <code>${esc(l.diff.remove.slice(0, 40).join(', '))}</code>${l.diff.remove.length > 40 ? ' …' : ''}</p><pre>${esc(JSON.stringify(l.policy, null, 2))}</pre>`;
  }
  if (doc.escalations.length) {
    h +=
      '<h3>Escalation paths</h3><table><thead><tr><th>Principal</th><th>Technique</th><th>Hops</th><th>Path</th></tr></thead><tbody>';
    h += doc.escalations
      .slice(0, MAX_ROWS)
      .map(
        (e) =>
          `<tr><td><code>${esc(e.principal)}</code></td><td>${esc(e.technique)}</td><td class="num">${e.hops}</td><td>${e.path.map((p) => `<code>${esc(p)}</code>`).join(' → ')}</td></tr>`,
      )
      .join('');
    h += '</tbody></table>';
  }
  return h + '</section>';
}

function inputPage(doc: ReportDocument): string {
  let h =
    '<section id="input" class="page"><h2>Input</h2><table><thead><tr><th>File</th><th>Format</th><th>Status</th><th>Records</th><th>Skipped</th></tr></thead><tbody>';
  h += doc.input.files
    .slice(0, MAX_ROWS)
    .map(
      (f) =>
        `<tr><td>${esc(f.file)}</td><td>${esc(f.format ?? '-')}</td><td>${esc(f.status)}${f.error ? `<br>${esc(f.error)}` : ''}</td><td class="num">${f.records}</td><td class="num">${f.skipped}</td></tr>`,
    )
    .join('');
  h +=
    '</tbody></table><h3>Everything skipped</h3><table><thead><tr><th>File</th><th>Where</th><th>Why</th></tr></thead><tbody>';
  h += doc.input.skipped
    .map(
      (k) =>
        `<tr><td>${esc(k.file)}</td><td><code>${esc(k.pointer)}</code></td><td>${esc(k.reason)}</td></tr>`,
    )
    .join('');
  return h + '</tbody></table></section>';
}

/** The self-contained HTML report, streamed: one file, inline CSS, JS and SVG, nothing fetched. */
export function writeHtml(doc: ReportDocument, out: TextSink): void {
  const byId = new Map(doc.identities.map((i) => [i.id, i]));
  const byAgent = new Map<string, ReportFinding[]>();
  for (const f of doc.findings)
    for (const a of f.agentIds) (byAgent.get(a) ?? byAgent.set(a, []).get(a)!).push(f);
  const nav = [
    ['overview', 'Overview'],
    ['agents', 'Agents'],
    ['findings', 'Findings'],
    ['controls', 'Controls'],
    ['roadmap', 'Roadmap'],
    ['least-privilege', 'Least privilege'],
    ['input', 'Input'],
  ]
    .map(([id, t]) => `<a href="#${id}">${t}</a>`)
    .join('');
  out.write(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Warden audit · ${esc(doc.input.paths.join(', '))}</title><style>${REPORT_CSS}</style></head><body>
<header><h1>Warden audit</h1><div class="meta">${esc(doc.input.paths.join(', '))} · ${esc(doc.generatedAt)} · audit ${esc(doc.auditId)} · warden ${esc(doc.tool.version)}</div></header>
<nav>${nav}</nav><main>
`);
  out.write(overview(doc));
  out.write(agentsPage(doc));
  for (const a of doc.agents) out.write(agentPage(a, byId, byAgent) + '\n');
  writeFindingsPage(doc, out);
  out.write(controlsPage(doc));
  out.write(roadmapPage(doc));
  out.write(privilegePage(doc));
  out.write(inputPage(doc));
  out.write(`
</main><script>${REPORT_JS}</script></body></html>
`);
}

/** The self-contained HTML report as one string (small reports, tests). */
export function renderHtml(doc: ReportDocument): string {
  const s = new StringSink();
  writeHtml(doc, s);
  return s.toString();
}
