import { parentPort, workerData } from 'node:worker_threads';
import { toWardenError } from '../errors/index.js';
import type { ImportItem } from '../store/index.js';
import { prepareItem } from '../store/worker.js';
import { SourceFile } from './core/source-file.js';
import {
  READ_AHEAD_BATCH,
  READ_AHEAD_MESSAGES,
  type ReadAheadInput,
  type ReadAheadMessage,
} from './read-ahead.js';
import { CONNECTORS } from './registry.js';

/** The worker of `readAhead` (read-ahead.ts): one file, read by its connector, sent in batches. */
const input = workerData as ReadAheadInput;
const port = parentPort!;
let credits = READ_AHEAD_MESSAGES;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  const w = wake;
  wake = undefined;
  w?.();
});

async function send(items: ImportItem[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  const msg: ReadAheadMessage = { kind: 'items', items };
  port.postMessage(msg);
}

function fail(e: unknown): void {
  const w = toWardenError(e, 'WARDEN_INPUT_INVALID');
  const msg: ReadAheadMessage = {
    kind: 'error',
    code: w.code,
    message: w.message,
    details: { ...w.details },
  };
  try {
    port.postMessage(msg);
  } catch {
    // Details that cannot be copied to another thread: the code and message still can.
    port.postMessage({ kind: 'error', code: w.code, message: w.message } satisfies ReadAheadMessage);
  }
}

try {
  const connector = CONNECTORS.find((c) => c.id === input.connectorId);
  if (!connector) throw new Error(`no connector ${input.connectorId}`);
  if (input.shared !== undefined) connector.adopt?.(input.ctx, input.shared);
  const file = new SourceFile(input.path, input.root);
  let batch: ImportItem[] = [];
  for await (const item of connector.read(file, input.ctx)) {
    batch.push(prepareItem(item, input.ctx.now));
    if (batch.length >= READ_AHEAD_BATCH) {
      await send(batch);
      batch = [];
    }
  }
  file.release();
  if (batch.length > 0) await send(batch);
  port.postMessage({ kind: 'done', shared: connector.shared?.(input.ctx) } satisfies ReadAheadMessage);
} catch (e) {
  fail(e);
}
