import type { ReportDocument, ReportFinding } from './report-types.js';
import { JsonFragments, jsonString, type TextSink } from './text-sink.js';

/** Finding fields whose values come from the rule's metadata and are shared by all its findings. */
const SHARED = new Set<string>([
  'ruleId',
  'title',
  'owaspNhi',
  'failureMode',
  'frameworks',
  'remediation',
  'references',
]);
/** Array fields of the document streamed one element per line. */
const FINDING_LISTS = new Set<string>(['findings', 'fixed']);

/**
 * One finding as JSON, byte for byte what `JSON.stringify(f)` gives, but with the parts its rule
 * shares with every other finding (title, remediation, references, framework mapping) serialised
 * once per audit instead of once per finding.
 */
export function findingJson(f: ReportFinding, frags: JsonFragments): string {
  let s = '';
  for (const k in f) {
    const v = (f as unknown as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function') continue;
    const text = SHARED.has(k)
      ? frags.of(v)
      : typeof v === 'string'
        ? jsonString(v)
        : Array.isArray(v) && v.length === 0
          ? '[]'
          : JSON.stringify(v);
    s += `${s ? ',' : '{'}${frags.of(k)}:${text}`;
  }
  return s ? `${s}}` : '{}';
}

/**
 * The JSON report (docs/report-schema.md), streamed: top-level fields pretty-printed as usual, the
 * long arrays (agents, identities, findings ...) one compact element per line. `JSON.parse` of the
 * output equals the document.
 */
export function writeJsonReport(doc: ReportDocument, out: TextSink): void {
  const frags = new JsonFragments();
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined);
  out.write('{\n');
  entries.forEach(([k, v], i) => {
    out.write(`  ${JSON.stringify(k)}: `);
    if (Array.isArray(v) && v.length > 0) {
      out.write('[\n');
      const last = v.length - 1;
      const one = FINDING_LISTS.has(k)
        ? (el: unknown) => findingJson(el as ReportFinding, frags)
        : (el: unknown) => JSON.stringify(el) ?? 'null';
      for (let j = 0; j <= last; j++) out.write(`    ${one(v[j])}${j < last ? ',' : ''}\n`);
      out.write('  ]');
    } else out.write(JSON.stringify(v, null, 2).replaceAll('\n', '\n  '));
    out.write(i < entries.length - 1 ? ',\n' : '\n');
  });
  out.write('}\n');
}
