import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { reportFileWriters, type ReportDocument, type ReportFormat, type TextSink } from '../report/index.js';

/** Bytes buffered before a write to disk. */
const BUFFER = 4 << 20;

/**
 * Encodes pieces of text straight into one reusable buffer and writes it to the file when full:
 * no intermediate arrays of strings, no joined megabyte strings for the collector to chase.
 */
class FileSink implements TextSink {
  private readonly buf = Buffer.allocUnsafe(BUFFER);
  private used = 0;
  constructor(private readonly fd: number) {}
  write(chunk: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (chunk.length * 3 > BUFFER - this.used) {
      this.flush();
      if (chunk.length * 3 > BUFFER) {
        writeSync(this.fd, chunk);
        return;
      }
    }
    this.used += this.buf.write(chunk, this.used);
  }
  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buf, done, this.used - done);
    this.used = 0;
  }
}

function atomically(target: string, fill: (sink: TextSink) => void): void {
  const tmp = `${target}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const sink = new FileSink(fd);
    fill(sink);
    sink.flush();
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
}

/**
 * Writes each file format's report into `dir`, streamed (docs/report-schema.md for JSON), each
 * atomically: a temporary file, then a rename.
 */
export function writeReports(doc: ReportDocument, dir: string, formats: readonly ReportFormat[]): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const w of reportFileWriters(formats)) {
    const target = path.join(dir, w.name);
    atomically(target, (sink) => w.write(doc, sink));
    out.push(target);
  }
  return out;
}
