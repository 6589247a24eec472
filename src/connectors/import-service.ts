import path from 'node:path';
import type { Config } from '../config/index.js';
import { toWardenError, WardenError } from '../errors/index.js';
import type { ImportBatch, ImportCounts, ImportItem, SkipInput, Store } from '../store/index.js';

/** Files at least this large (on disk) are imported in a transaction of their own. */
const ALONE_BYTES = 4 * 1024 * 1024;
/** Files at least this large are read in a worker thread (see `readAhead`): worth its start-up. */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;
import { deriveHintLinks } from './ai-providers/index.js';
import { TrailPool, type TrailOutcome } from './aws/index.js';
import { DERIVED_SOURCE, deriveLinks } from './core/linkers.js';
import { SourceFile } from './core/source-file.js';
import type { Connector, ConnectorContext } from './core/types.js';
import { walkFiles, type WalkIssue } from './core/walk.js';
import { readAhead } from './read-ahead.js';

export interface FileReport {
  file: string;
  format?: string;
  status: 'imported' | 'failed' | 'unrecognised';
  counts?: ImportCounts;
  skipped: SkipInput[];
  notes: SkipInput[];
  gone?: number;
  error?: { code: string; message: string };
}

export interface ImportReport {
  files: FileReport[];
  /** Folders or paths that could not be read at all. */
  issues: WalkIssue[];
  derivedLinks: number;
}

export interface ImportOptions {
  store: Store;
  config: Readonly<Config>;
  connectors: readonly Connector[];
  paths: readonly string[];
  now?: string;
  /**
   * Keep every event (default), or only the usage aggregate: far less to store for large logs;
   * each log file's content digest then keeps a re-import from counting its events twice.
   */
  rawEvents?: boolean;
  /** Called after each file, for progress output. */
  onFile?: (report: FileReport) => void;
  /**
   * Files at least this large (on disk; default 4 MiB) are read by their connector in a worker
   * thread while this thread writes what it read before. `Infinity` reads every file here.
   */
  readAheadBytes?: number;
}

/**
 * Imports files and folders: each file goes to the connector that recognises it best, in its own
 * savepoint of a batch (see `Store.importBatch`), so one bad file is reported and rolled back while
 * the others are stored. Then the links that follow from the whole inventory (tags, mappings,
 * naming) are recomputed.
 */
export async function importPaths(options: ImportOptions): Promise<ImportReport> {
  const { store, config, connectors } = options;
  const now = options.now ?? new Date().toISOString();
  const issues: WalkIssue[] = [];
  const explicit = new Set(options.paths.map((p) => path.resolve(p)));
  const found = walkFiles(options.paths, issues);
  const salt = await store.fingerprintSalt(config.fingerprintSalt);

  const planned: { file: SourceFile; root: string; connector: Connector | undefined; explicit: boolean }[] =
    [];
  for (const f of found) {
    let file: SourceFile;
    // A file its name settles is read only by its import (which reports a read error as usual).
    let connector: Connector | undefined;
    try {
      file = new SourceFile(f.file, f.root);
      connector = connectors.find((c) => c.claims?.(file));
      if (!connector) file.head();
    } catch (e) {
      issues.push({ file: path.relative(f.root, f.file), reason: `cannot read: ${(e as Error).message}` });
      continue;
    }
    connector ??= detect(file, connectors);
    // Heads are read again on demand: kept for every planned file, ten thousand log files would
    // hold 64 KiB each for the whole import.
    file.release();
    planned.push({ file, root: f.root, connector, explicit: explicit.has(file.path) });
  }
  planned.sort((a, b) => (a.connector?.order ?? 10) - (b.connector?.order ?? 10));

  const configOwners = new Map<string, string>();
  for (const p of planned) {
    if (p.connector?.prepare) {
      try {
        await p.connector.prepare(p.file, configOwners);
      } catch {
        // The file's own import reports what is wrong with it.
      }
    }
  }
  const ctx: ConnectorContext = { config, salt, now, configOwners };
  const rawEvents = options.rawEvents !== false;
  // CloudTrail files are read by worker threads ahead of the loop (TrailPool).
  const pooled = planned.filter((p) => p.connector?.id === 'aws-cloudtrail');
  const pool = pooled.length
    ? await startPool(store, pooled, { config, salt, now, raw: rawEvents })
    : undefined;
  const poolIndex = new Map(pool ? pooled.map((p, i) => [p, i]) : []);
  let inFlight = pool ? pooled.length : 0;
  /** Pooled files imported whose usage is not written yet: no commit until the pool drains. */
  let undrained = false;

  const files: FileReport[] = [];
  try {
    await store.importBatch(async (batch) => {
      // Reports of the files imported since the last commit: a failed commit fails them too.
      let uncommitted: FileReport[] = [];
      const commit = async (): Promise<void> => {
        try {
          await batch.commit();
        } catch (e) {
          const w = toWardenError(e, 'WARDEN_STORE_FAILED');
          for (const r of uncommitted) {
            r.status = 'failed';
            r.error = { code: w.code, message: `${r.file}: ${w.message}` };
          }
        }
        uncommitted = [];
      };
      /** The pool's files are all read: write the usage its workers summed, before any commit. */
      const drainPool = async (): Promise<void> => {
        try {
          for (const rows of await pool!.drain()) await batch.writeUsage(rows);
        } catch (e) {
          await batch.abandon();
          const w = toWardenError(
            e,
            'WARDEN_STORE_FAILED',
            'usage of the CloudTrail files could not be stored',
          );
          for (const r of uncommitted) {
            r.status = 'failed';
            r.error = { code: w.code, message: `${r.file}: ${w.message}` };
          }
          uncommitted = [];
        }
      };
      for (const entry of planned) {
        const { file, connector, explicit: named } = entry;
        let report: FileReport;
        if (!connector) {
          // Files inside a folder that no connector knows are common (READMEs); a file named on the
          // command line that nobody recognises is an error worth a precise message.
          report = { file: file.display, status: 'unrecognised', skipped: [], notes: [] };
          if (named) {
            report.error = {
              code: 'WARDEN_INPUT_UNKNOWN_FORMAT',
              message: `${file.display}: not a format Warden recognises (${describeShape(file)})`,
            };
          }
        } else {
          const k = poolIndex.get(entry);
          const outcome = k === undefined ? undefined : await pool!.result(k);
          // Usage summed in the workers is written when they drain: until then, no commit.
          if (outcome && !rawEvents) undrained = true;
          // A large file goes in a transaction of its own (see ImportBatch) when a commit is allowed.
          const alone = !outcome && !undrained && file.size >= ALONE_BYTES;
          if (alone) await commit();
          const ahead = !outcome && file.size >= (options.readAheadBytes ?? READ_AHEAD_BYTES);
          report = await importOne(batch, connector, file, ctx, { rawEvents, alone, ahead }, outcome);
          if (report.status === 'imported' && !alone) uncommitted.push(report);
          if (outcome && --inFlight === 0) {
            await drainPool();
            undrained = false;
          }
        }
        file.release();
        files.push(report);
        if (batch.due && !undrained) await commit();
        options.onFile?.(report);
      }
      await commit();
    });
  } finally {
    await pool?.close();
  }

  const derived: ImportItem[] = [];
  for await (const item of deriveLinks(store, config)) derived.push(item);
  for await (const item of deriveHintLinks(store)) derived.push(item);
  await store.importSource(
    { source: DERIVED_SOURCE, format: 'derived-links', path: 'warden.yaml', now },
    derived,
  );
  return { files, issues, derivedLinks: derived.length };
}

function detect(file: SourceFile, connectors: readonly Connector[]): Connector | undefined {
  let best: Connector | undefined;
  let score = 0;
  for (const c of connectors) {
    let s = 0;
    try {
      s = c.detect(file);
    } catch {
      s = 0;
    }
    if (s > score) {
      score = s;
      best = c;
      // Nothing scores above 1 and a tie keeps the first: the rest cannot change the choice.
      if (s >= 1) break;
    }
  }
  return best;
}

/** Starts the CloudTrail pool; without one (too few files, no built worker) the loop reads them. */
async function startPool(
  store: Store,
  files: { file: SourceFile; root: string }[],
  base: { config: Readonly<Config>; salt: string; now: string; raw: boolean },
): Promise<TrailPool | undefined> {
  // Raw events are deduplicated by their ids as they are stored, not by file contents.
  const counted = base.raw ? [] : await store.countedEventDigests();
  try {
    return TrailPool.start(
      files.map(({ file, root }) => ({ path: file.path, root, name: file.name })),
      { ...base, counted },
    );
  } catch {
    return undefined;
  }
}

/**
 * One file in its savepoint (or, `alone`, its own transaction): read by its connector (`ahead`: in
 * a worker thread), or, for a file the CloudTrail pool read, what the pool's worker reported (its
 * items with their event rows, or, without raw events, what it said besides the events, which are
 * summed in the worker's usage).
 */
async function importOne(
  store: ImportBatch,
  connector: Connector,
  file: SourceFile,
  ctx: ConnectorContext,
  { rawEvents, alone, ahead }: { rawEvents: boolean; alone: boolean; ahead: boolean },
  pooled?: TrailOutcome,
): Promise<FileReport> {
  const source = connector.sourceKey?.(file) ?? `${connector.id}:${file.display}`;
  try {
    if (pooled && 'error' in pooled) throw new WardenError(pooled.error.code, pooled.error.message);
    const items: AsyncIterable<ImportItem> | ImportItem[] = pooled
      ? rawEvents
        ? pooled.result.items
        : [
            ...pooled.result.items,
            { type: 'counted', value: { events: pooled.result.events, counted: pooled.result.counted } },
          ]
      : ((ahead ? readAhead(connector, file, ctx) : undefined) ?? connector.read(file, ctx));
    // Taken only if the file holds events: a file read ahead would otherwise be read here too.
    const digest = rawEvents ? undefined : pooled ? pooled.result.digest : () => file.digest();
    const res = await store.importSource(
      {
        source,
        format: connector.id,
        path: file.display,
        now: ctx.now,
        ...(digest === undefined ? {} : { rawEvents: false, digest }),
      },
      items,
      { alone },
    );
    return {
      file: file.display,
      format: connector.id,
      status: 'imported',
      counts: res.counts,
      skipped: res.skipped,
      notes: res.notes,
      gone: res.gone,
    };
  } catch (e) {
    const w = e instanceof WardenError && e.code !== 'WARDEN_STORE_FAILED' ? e : unwrap(e);
    return {
      file: file.display,
      format: connector.id,
      status: 'failed',
      skipped: [],
      notes: [],
      error: {
        code: w.code,
        message: w.message.startsWith(file.display) ? w.message : `${file.display}: ${w.message}`,
      },
    };
  }
}

/** A store failure caused by a connector's WardenError reports the connector's error. */
function unwrap(e: unknown): WardenError {
  let cur: unknown = e;
  while (cur instanceof Error) {
    if (cur instanceof WardenError && cur.code !== 'WARDEN_STORE_FAILED') return cur;
    cur = (cur as Error).cause;
  }
  return toWardenError(e, 'WARDEN_INPUT_INVALID');
}

function describeShape(file: SourceFile): string {
  const c = file.firstChar();
  if (c === '{') {
    const keys = [...file.head().matchAll(/"([^"\\]{1,40})"\s*:/g)].slice(0, 5).map((m) => m[1]);
    return `a JSON object with keys ${keys.join(', ') || '(none)'}`;
  }
  if (c === '[') return 'a JSON array of an unknown shape';
  return `no connector matched its name or content`;
}
