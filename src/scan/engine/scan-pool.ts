import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WalkedFile } from '../files/walk-files.js';
import type { Leak, ScanNote } from '../leak-types.js';
import type { Ruleset } from './compile-rules.js';
import { scanFileBatch, type WorkerJob, type WorkerReply } from './scan-worker.js';

/** Below this many bytes, starting threads costs more than it saves. */
const POOL_THRESHOLD_BYTES = 16 * 1024 * 1024;
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_FILES = 256;

export interface PoolOptions {
  salt: string;
  /** Worker threads for large trees (default 2: both cores of the reference machine). */
  threads?: number;
}

function workerUrl(): URL | undefined {
  const url = new URL('./scan-worker.js', import.meta.url);
  // Running from TypeScript sources (tests): there is no compiled worker, scan in-thread.
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Scans a list of files: in this thread for small inputs, otherwise over a pool of worker threads
 * fed with batches (at most two in flight per worker, so memory stays flat however large the tree).
 */
export async function scanFiles(
  files: readonly WalkedFile[],
  rs: Ruleset,
  opts: PoolOptions,
): Promise<{ leaks: Leak[]; notes: ScanNote[]; bytes: number }> {
  const total = files.reduce((s, f) => s + f.size, 0);
  const threads = Math.max(0, opts.threads ?? 2);
  const url = workerUrl();
  if (threads === 0 || total < POOL_THRESHOLD_BYTES || !url) return scanFileBatch(files, rs, opts.salt);

  const batches: WorkerJob[] = [];
  let cur: WorkerJob['files'] = [];
  let curBytes = 0;
  for (const f of files) {
    cur.push({ abs: f.abs, rel: f.rel });
    curBytes += f.size;
    if (curBytes >= BATCH_BYTES || cur.length >= BATCH_FILES) {
      batches.push({ id: batches.length, files: cur });
      cur = [];
      curBytes = 0;
    }
  }
  if (cur.length) batches.push({ id: batches.length, files: cur });

  const leaks: Leak[] = [];
  const notes: ScanNote[] = [];
  let bytes = 0;
  let next = 0;
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, { workerData: { wardenScan: { ruleset: rs.input, salt: opts.salt } } }),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const feed = () => {
              while (inFlight < 2 && next < batches.length) {
                w.postMessage(batches[next++]!);
                inFlight++;
              }
              if (inFlight === 0) resolve();
            };
            w.on('message', (r: WorkerReply) => {
              inFlight--;
              leaks.push(...r.leaks);
              notes.push(...r.notes);
              bytes += r.bytes;
              feed();
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { leaks, notes, bytes };
}
