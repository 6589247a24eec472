import { parentPort, workerData } from 'node:worker_threads';
import { toWardenError } from '../../errors/index.js';
import { identityIdOf, UsageTally } from '../../store/worker.js';
import { SourceFile } from '../core/source-file.js';
import { PROVIDER } from './aws-common.js';
import { readTrailUsage } from './cloudtrail-connector.js';
import type { TrailFileResult, TrailWorkerInput, TrailWorkerMessage } from './cloudtrail-pool.js';

/**
 * One worker of the CloudTrail pool (see cloudtrail-pool.ts): reads its share of the log files in
 * order with the connector's usage reader, sums each file's events into one usage tally for all its files,
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

/** One file's usage, held until the whole file is read: a file that fails counts nothing. */
const pending = {
  ids: [] as string[],
  actions: [] as string[],
  resources: [] as (string | null)[],
  times: [] as number[],
  failed: [] as boolean[],
  agents: [] as (string | null)[],
};

const collect = (
  arn: string,
  action: string,
  resource: string | null,
  ms: number,
  failed: boolean,
  userAgent: string | null,
): void => {
  pending.ids.push(identityIdOf(PROVIDER, arn));
  pending.actions.push(action);
  pending.resources.push(resource);
  pending.times.push(ms);
  pending.failed.push(failed);
  pending.agents.push(userAgent);
};

async function readOne(path: string, root: string): Promise<TrailFileResult> {
  const file = new SourceFile(path, root);
  const digest = file.digest();
  const p = pending;
  p.ids.length =
    p.actions.length =
    p.resources.length =
    p.times.length =
    p.failed.length =
    p.agents.length =
      0;
  const { items, events } = await readTrailUsage(file, ctx, collect);
  file.release();
  const count = !counted.has(digest);
  if (count) {
    counted.add(digest);
    for (let i = 0; i < p.ids.length; i++)
      tally.addAt(p.ids[i]!, p.actions[i]!, p.resources[i]!, p.times[i]!, p.failed[i]!, p.agents[i]!);
  }
  return { items, events, counted: count, digest };
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
