import { Worker } from 'node:worker_threads';
import { WardenError, type ErrorCode } from '../errors/index.js';
import type { ImportItem } from '../store/index.js';
import type { SourceFile } from './core/source-file.js';
import type { Connector, ConnectorContext } from './core/types.js';
import { workerScript } from './core/worker-script.js';
import { CONNECTORS } from './registry.js';

export interface ReadAheadInput {
  connectorId: string;
  path: string;
  root: string | undefined;
  ctx: ConnectorContext;
  /** The connector's `shared` state of the import so far. */
  shared: unknown;
}

export type ReadAheadMessage =
  | { kind: 'items'; items: ImportItem[] }
  /** `shared`: the state the read leaves for later files (the connector's `shared`). */
  | { kind: 'done'; shared: unknown }
  | { kind: 'error'; code: ErrorCode; message: string; details?: Record<string, unknown> };

/** Items per message: large enough that a message costs little per item. */
export const READ_AHEAD_BATCH = 1000;
/**
 * Messages the reader may send before the importer has taken them: the importer is usually the
 * slower side, and without a bound a large export would pile up in memory as messages.
 */
export const READ_AHEAD_MESSAGES = 16;

/**
 * Reads `file` with `connector` in a worker thread, ahead of the import that consumes the items:
 * parsing a large export and building its rows then runs on another core while this thread writes
 * to the store. The items are the connector's own, in its order, with record rows prebuilt
 * (`prepareItem`); a connector error arrives as the same WardenError at the same point. Undefined
 * when the connector is not one of Warden's (the worker can only load those) or no built worker
 * script exists: the caller reads on its own thread.
 */
export function readAhead(
  connector: Connector,
  file: SourceFile,
  ctx: ConnectorContext,
): AsyncIterable<ImportItem> | undefined {
  if (!CONNECTORS.includes(connector)) return undefined;
  const script = workerScript(import.meta.url, 'read-ahead-worker.js');
  if (!script) return undefined;
  return readInWorker(script, connector, file, {
    connectorId: connector.id,
    path: file.path,
    root: file.root,
    ctx,
    shared: connector.shared?.(ctx),
  });
}

async function* readInWorker(
  script: URL,
  connector: Connector,
  file: SourceFile,
  input: ReadAheadInput,
): AsyncGenerator<ImportItem> {
  const worker = new Worker(script, { workerData: input });
  const queue: ReadAheadMessage[] = [];
  let failure: string | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (m: ReadAheadMessage) => {
    queue.push(m);
    signal();
  });
  worker.on('error', (e) => {
    failure ??= e.message;
    signal();
  });
  worker.on('exit', (code) => {
    failure ??= `exited (code ${code}) before it finished`;
    signal();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        // A reader that dies mid-file fails the file: never import half of it as if it were whole.
        if (failure !== undefined)
          throw new WardenError('WARDEN_INTERNAL', `${file.display}: reader thread failed: ${failure}`);
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const m = queue.shift()!;
      if (m.kind === 'done') {
        // What the read learnt reaches the next files as if it had been read on this thread.
        if (m.shared !== undefined) connector.adopt?.(input.ctx, m.shared);
        return;
      }
      if (m.kind === 'error')
        throw new WardenError(m.code, m.message, m.details ? { details: m.details } : {});
      worker.postMessage('more');
      for (const item of m.items) yield item;
    }
  } finally {
    await worker.terminate();
  }
}
