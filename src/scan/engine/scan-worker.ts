/**
 * Worker thread entry: rebuilds the ruleset from plain data once, then scans batches of files
 * sent by the pool and answers with their leaks and notes.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Leak, ScanNote } from '../leak-types.js';
import { compileRuleset, type RulesetInput } from './compile-rules.js';
import { scanBuffer } from './scan-buffer.js';

export interface WorkerInit {
  ruleset: RulesetInput;
  salt: string;
}
export interface WorkerJob {
  id: number;
  files: { abs: string; rel: string }[];
}
export interface WorkerReply {
  id: number;
  leaks: Leak[];
  notes: ScanNote[];
  bytes: number;
}

export function scanFileBatch(
  files: readonly { abs: string; rel: string }[],
  rs: ReturnType<typeof compileRuleset>,
  salt: string,
): Omit<WorkerReply, 'id'> {
  const leaks: Leak[] = [];
  const notes: ScanNote[] = [];
  let bytes = 0;
  for (const f of files) {
    let buf: Buffer;
    try {
      buf = readFileSync(f.abs);
    } catch (e) {
      notes.push({
        file: f.rel,
        reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      continue;
    }
    bytes += buf.length;
    try {
      const r = scanBuffer(buf, f.rel, rs, { salt });
      if (r.skipped) continue;
      leaks.push(...r.leaks);
    } catch (e) {
      notes.push({ file: f.rel, reason: `scan failed: ${(e as Error).message}` });
    }
  }
  return { leaks, notes, bytes };
}

if (parentPort && workerData && (workerData as { wardenScan?: WorkerInit }).wardenScan) {
  const init = (workerData as { wardenScan: WorkerInit }).wardenScan;
  const rs = compileRuleset(init.ruleset);
  const port = parentPort;
  port.on('message', (job: WorkerJob) => {
    port.postMessage({ id: job.id, ...scanFileBatch(job.files, rs, init.salt) } satisfies WorkerReply);
  });
}
