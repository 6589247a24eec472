import { parentPort, workerData } from 'node:worker_threads';
import { toWardenError } from '../../errors/index.js';
import { TrailFileReader } from './cloudtrail-file-reader.js';
import type { TrailWorkerInput, TrailWorkerMessage } from './cloudtrail-pool.js';

/**
 * One worker of the CloudTrail pool (see cloudtrail-pool.ts): reads its share of the log files in
 * order (TrailFileReader), and posts what else each file said (skips, notes, links) as soon as the
 * file is read. When asked, it posts the usage its files summed to and exits.
 */
const input = workerData as TrailWorkerInput;
const port = parentPort!;
const reader = new TrailFileReader(input);

port.on('message', (m: { drain: true }) => {
  if (m.drain) {
    const msg: TrailWorkerMessage = { kind: 'usage', rows: reader.drain() };
    port.postMessage(msg);
    port.close();
  }
});

for (const { index, path, root } of input.files) {
  let msg: TrailWorkerMessage;
  try {
    msg = { kind: 'file', index, result: await reader.read(path, root) };
  } catch (e) {
    const w = toWardenError(e, 'WARDEN_INPUT_INVALID');
    msg = { kind: 'file', index, error: { code: w.code, message: w.message } };
  }
  port.postMessage(msg);
}
