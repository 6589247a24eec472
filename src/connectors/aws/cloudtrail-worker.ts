import { parentPort, workerData } from 'node:worker_threads';
import { toWardenError } from '../../errors/index.js';
import { TrailFileReader } from './cloudtrail-file-reader.js';
import {
  RAW_FILES_AHEAD,
  type TrailPoolRequest,
  type TrailWorkerInput,
  type TrailWorkerMessage,
} from './cloudtrail-pool.js';

/**
 * One worker of the CloudTrail pool (see cloudtrail-pool.ts): reads its share of the log files in
 * order (TrailFileReader), and posts what each file said as soon as the file is read: with raw
 * events kept, its items with their event rows built, at most RAW_FILES_AHEAD files ahead of the
 * import (their rows are megabytes); else what it said besides its events (skips, notes, links).
 * When asked, it posts the usage its files summed to and exits.
 */
const input = workerData as TrailWorkerInput;
const port = parentPort!;
const reader = new TrailFileReader(input);
let credits = RAW_FILES_AHEAD;
let wake: (() => void) | undefined;

port.on('message', (m: TrailPoolRequest) => {
  if (m.kind === 'taken') {
    credits++;
    const w = wake;
    wake = undefined;
    w?.();
  } else {
    const msg: TrailWorkerMessage = { kind: 'usage', rows: reader.drain() };
    port.postMessage(msg);
    port.close();
  }
});

for (const { index, path, root } of input.files) {
  if (input.raw) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
  }
  let msg: TrailWorkerMessage;
  try {
    const result = input.raw ? await reader.readRows(path, root) : await reader.read(path, root);
    msg = { kind: 'file', index, result };
  } catch (e) {
    const w = toWardenError(e, 'WARDEN_INPUT_INVALID');
    msg = { kind: 'file', index, error: { code: w.code, message: w.message } };
  }
  port.postMessage(msg);
}
