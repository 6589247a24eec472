import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ocsfEvents, renderReportFiles, type ReportDocument, type ReportFormat } from '../report/index.js';

/** Buffered writes to a file descriptor, so big reports never exist as one string. */
class Sink {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

function atomically(target: string, fill: (sink: Sink) => void): void {
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const sink = new Sink(fd);
    fill(sink);
    sink.flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
}

/**
 * The JSON report, streamed: top-level fields as usual, the long arrays one element per line.
 * The result is the same document `JSON.parse` reads back (docs/report-schema.md).
 */
function writeJsonDoc(sink: Sink, doc: ReportDocument): void {
  const entries = Object.entries(doc);
  sink.write('{\n');
  entries.forEach(([k, v], i) => {
    sink.write(`  ${JSON.stringify(k)}: `);
    if (Array.isArray(v) && v.length > 0) {
      sink.write('[\n');
      v.forEach((el, j) => sink.write(`    ${JSON.stringify(el)}${j < v.length - 1 ? ',' : ''}\n`));
      sink.write('  ]');
    } else sink.write(JSON.stringify(v, null, 2).replaceAll('\n', '\n  '));
    sink.write(i < entries.length - 1 ? ',\n' : '\n');
  });
  sink.write('}\n');
}

/** Writes each file format's report into `dir` (each atomically: a temporary file, then a rename). */
export function writeReports(doc: ReportDocument, dir: string, formats: readonly ReportFormat[]): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const format of formats) {
    if (format === 'json') {
      const target = path.join(dir, 'warden-report.json');
      atomically(target, (s) => writeJsonDoc(s, doc));
      out.push(target);
    } else if (format === 'ocsf') {
      const target = path.join(dir, 'warden-report.ocsf.json');
      atomically(target, (s) => {
        s.write('[');
        let first = true;
        for (const ev of ocsfEvents(doc)) {
          s.write(`${first ? '\n' : ',\n'}${JSON.stringify(ev)}`);
          first = false;
        }
        s.write('\n]\n');
      });
      out.push(target);
    } else {
      for (const f of renderReportFiles(doc, [format])) {
        const target = path.join(dir, f.name);
        atomically(target, (s) => s.write(f.content));
        out.push(target);
      }
    }
  }
  return out;
}
