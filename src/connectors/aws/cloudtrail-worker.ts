import { parentPort, workerData } from 'node:worker_threads';
import { toWardenError } from '../../errors/index.js';
import type { EventInput, ImportItem } from '../../store/index.js';
import { identityIdOf, UsageTally } from '../../store/worker.js';
import { SourceFile } from '../core/source-file.js';
import { cloudTrailConnector } from './cloudtrail-connector.js';
import type { TrailFileResult, TrailWorkerInput, TrailWorkerMessage } from './cloudtrail-pool.js';

/**
 * One worker of the CloudTrail pool (see cloudtrail-pool.ts): reads its share of the log files in
 * order with the connector itself, sums each file's events into one usage tally for all its files,
 * and posts what else each file said (skips, notes, links) as soon as the file is read. When asked,
 * it posts the tally's rows and exits.
 */
const input = workerData as TrailWorkerInput;
const port = parentPort!;
const ctx = {
  config: input.config,
  salt: input.salt,
  now: input.now,
  configOwners: new Map<string, string>(),
};
const tally = new UsageTally();
/** Contents already counted: by an earlier import, or by this worker (a copy under another path). */
const counted = new Set(input.counted);

async function readOne(path: string, root: string): Promise<TrailFileResult> {
  const file = new SourceFile(path, root);
  const digest = file.digest();
  const items: ImportItem[] = [];
  const events: EventInput[] = [];
  // The whole file is read before any of it is counted: a file that fails counts nothing.
  for await (const item of cloudTrailConnector.read(file, ctx)) {
    if (item.type === 'event') events.push(item.value);
    else items.push(item);
  }
  file.release();
  const count = !counted.has(digest);
  if (count) {
    counted.add(digest);
    for (const e of events) {
      const id = e.identity ? identityIdOf(e.identity.provider, e.identity.nativeId) : undefined;
      if (id)
        tally.add(id, e.action, e.resource ?? null, e.time, e.outcome === 'failure', e.userAgent ?? null);
    }
  }
  return { items, events: events.length, counted: count, digest };
}

port.on('message', (m: { drain: true }) => {
  if (m.drain) {
    const msg: TrailWorkerMessage = { kind: 'usage', rows: tally.drain() };
    port.postMessage(msg);
    port.close();
  }
});

for (const { index, path, root } of input.files) {
  let msg: TrailWorkerMessage;
  try {
    msg = { kind: 'file', index, result: await readOne(path, root) };
  } catch (e) {
    const w = toWardenError(e, 'WARDEN_INPUT_INVALID');
    msg = { kind: 'file', index, error: { code: w.code, message: w.message } };
  }
  port.postMessage(msg);
}
