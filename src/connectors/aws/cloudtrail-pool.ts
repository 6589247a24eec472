import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config/index.js';
import type { ErrorCode } from '../../errors/index.js';
import type { ImportItem, UsageRows } from '../../store/index.js';
import { workerScript } from '../core/worker-script.js';

/** What a worker reports for one log file. */
export interface TrailFileResult {
  /** Skips, notes and links: everything but the events. */
  items: ImportItem[];
  events: number;
  /** The events went into the worker's usage tally (false: this content was counted before). */
  counted: boolean;
  digest: string;
}

export interface TrailWorkerInput {
  files: { index: number; path: string; root: string }[];
  /** Raw events are kept: post each file's items with their event rows, not usage sums. */
  raw: boolean;
  config: Readonly<Config>;
  salt: string;
  now: string;
  /** Content digests whose events an earlier import counted. */
  counted: string[];
}

export type TrailWorkerMessage =
  | { kind: 'file'; index: number; result: TrailFileResult }
  | { kind: 'file'; index: number; error: { code: ErrorCode; message: string } }
  | { kind: 'usage'; rows: UsageRows };

/** What the import thread asks a worker: a file's result was taken (raw events), or the usage. */
export type TrailPoolRequest = { kind: 'taken' } | { kind: 'drain' };

/**
 * Files a worker may read ahead of the import when raw events are kept: each holds a megabyte or
 * more of rows, and the import thread, which writes them, is the slower side.
 */
export const RAW_FILES_AHEAD = 4;

/** A file's result, or why the worker could not read it. */
export type TrailOutcome = { result: TrailFileResult } | { error: { code: ErrorCode; message: string } };

/** Below this many files a pool is not worth its threads. */
export const POOL_MIN_FILES = 16;

/**
 * CloudTrail log files read in worker threads while the import goes on. Ten million events are
 * minutes of parsing on one core; the workers parse ahead of the import loop. When only the usage
 * aggregate is kept (`rawEvents: false`, as `warden audit` does), each worker sums its files'
 * events into one tally, so the main thread receives only each file's skips, notes and links and,
 * at the end, the summed usage rows to write. When raw events are kept, a worker posts each file's
 * items with its event rows built, a few files ahead, and the import thread only writes them.
 *
 * Files are shared out by name (copies of one delivered file keep its name, so one worker sees them
 * all and counts them once) and read in order; {@link result} waits for a file's turn.
 */
export class TrailPool {
  private readonly workers: Worker[] = [];
  private readonly outcomes = new Map<number, TrailOutcome>();
  private readonly waiting = new Map<number, (o: TrailOutcome) => void>();
  private readonly usage: Promise<UsageRows>[] = [];
  /** The worker reading each file (raw events: told when its result is taken). */
  private readonly readerOf = new Map<number, Worker>();
  private failure: Error | undefined;

  private constructor(
    script: URL,
    files: { path: string; root: string; name: string }[],
    base: Omit<TrailWorkerInput, 'files'>,
    threads: number,
  ) {
    const shares: TrailWorkerInput['files'][] = Array.from({ length: threads }, () => []);
    files.forEach((f, index) =>
      shares[nameHash(f.name) % threads]!.push({ index, path: f.path, root: f.root }),
    );
    for (const share of shares) {
      if (share.length === 0) continue;
      const worker = new Worker(script, { workerData: { ...base, files: share } satisfies TrailWorkerInput });
      if (base.raw) for (const f of share) this.readerOf.set(f.index, worker);
      let resolveUsage!: (rows: UsageRows) => void;
      let rejectUsage!: (e: Error) => void;
      const usage = new Promise<UsageRows>((res, rej) => {
        resolveUsage = res;
        rejectUsage = rej;
      });
      // Nobody may ever drain a pool whose import failed: keep its rejection from going unhandled.
      usage.catch(() => undefined);
      this.usage.push(usage);
      worker.on('message', (m: TrailWorkerMessage) => {
        if (m.kind === 'usage') resolveUsage(m.rows);
        else this.settle(m.index, 'error' in m ? { error: m.error } : { result: m.result });
      });
      const fail = (e: Error) => {
        this.failure ??= e;
        rejectUsage(e);
        for (const f of share)
          if (!this.outcomes.has(f.index))
            this.settle(f.index, {
              error: { code: 'WARDEN_INTERNAL', message: `CloudTrail worker failed: ${e.message}` },
            });
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`exit code ${code}`));
        else rejectUsage(new Error('CloudTrail worker exited before it reported its usage'));
      });
      this.workers.push(worker);
    }
  }

  /**
   * Starts the workers on `files` (in the order the import will ask for them), or returns undefined
   * when a pool is not worth it or its worker script is not there (running from TypeScript sources
   * without a build): the connector then reads the files in the import loop as usual.
   *
   * With one core, one worker still reads: reading on the import thread instead was not faster in
   * the bench pinned to one core (81,455-87,291 events/s against 68,870-98,333 with a worker, in
   * runs whose spread on this VM is wider than any difference between the two). With raw events
   * kept, the import thread writing them is the slower side and keeps a core: the readers get the
   * others (at least one).
   */
  static start(
    files: { path: string; root: string; name: string }[],
    base: Omit<TrailWorkerInput, 'files'>,
    threads = base.raw
      ? Math.max(1, Math.min(2, availableParallelism() - 1))
      : Math.min(2, availableParallelism()),
  ): TrailPool | undefined {
    if (files.length < POOL_MIN_FILES || threads < 1) return undefined;
    const script = workerScript(import.meta.url, 'cloudtrail-worker.js');
    return script ? new TrailPool(script, files, base, threads) : undefined;
  }

  /** The `index`th file's outcome, once its worker has read it. */
  result(index: number): Promise<TrailOutcome> {
    const reader = this.readerOf.get(index);
    if (reader) {
      // Raw events: the worker may read one file more.
      this.readerOf.delete(index);
      reader.postMessage({ kind: 'taken' } satisfies TrailPoolRequest);
    }
    const done = this.outcomes.get(index);
    if (done) {
      this.outcomes.delete(index);
      return Promise.resolve(done);
    }
    return new Promise((resolve) => this.waiting.set(index, resolve));
  }

  /** Every worker's summed usage, once all files were read; throws if a worker failed. */
  async drain(): Promise<UsageRows[]> {
    if (this.failure) throw this.failure;
    for (const w of this.workers) w.postMessage({ kind: 'drain' } satisfies TrailPoolRequest);
    return Promise.all(this.usage);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(index: number, o: TrailOutcome): void {
    const wait = this.waiting.get(index);
    if (wait) {
      this.waiting.delete(index);
      wait(o);
    } else this.outcomes.set(index, o);
  }
}

function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return h;
}
