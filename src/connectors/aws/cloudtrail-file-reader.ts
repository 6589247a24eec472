import type { ImportItem } from '../../store/index.js';
import { identityIdOf, prepareItem, UsageTally, type UsageRows } from '../../store/worker.js';
import { SourceFile } from '../core/source-file.js';
import { PROVIDER } from './aws-common.js';
import { loadRecords, readTrailUsage, trailEvents } from './cloudtrail-connector.js';
import type { TrailFileResult, TrailWorkerInput } from './cloudtrail-pool.js';

/**
 * Reads CloudTrail log files for their usage, one after the other, summing every file's events
 * into one tally (or, with raw events kept, into event rows: {@link readRows}): the work of each
 * thread of the CloudTrail pool (cloudtrail-worker.ts only passes files in and results out).
 */
export class TrailFileReader {
  // Actions, resources and user agents are never slices of a file's text (see TrailUseSink), and
  // identity ids are made here: kept as they are, so the next lookups find the same strings
  // instead of comparing equal copies.
  private readonly tally = new UsageTally((s) => s);
  /** Contents already counted: by an earlier import, or by this reader (a copy under another path). */
  private readonly counted: Set<string>;
  private readonly ctx;
  /** One file's usage, held until the whole file is read: a file that fails counts nothing. */
  private readonly pending = {
    ids: [] as string[],
    actions: [] as string[],
    resources: [] as (string | null)[],
    times: [] as number[],
    failed: [] as boolean[],
    agents: [] as (string | null)[],
  };
  private readonly collect = (
    arn: string,
    action: string,
    resource: string | null,
    ms: number,
    failed: boolean,
    userAgent: string | null,
  ): void => {
    const p = this.pending;
    p.ids.push(identityIdOf(PROVIDER, arn));
    p.actions.push(action);
    p.resources.push(resource);
    p.times.push(ms);
    p.failed.push(failed);
    p.agents.push(userAgent);
  };

  constructor(input: Omit<TrailWorkerInput, 'files'>) {
    this.ctx = {
      config: input.config,
      salt: input.salt,
      now: input.now,
      configOwners: new Map<string, string>(),
    };
    this.counted = new Set(input.counted);
  }

  async read(path: string, root: string): Promise<TrailFileResult> {
    const file = new SourceFile(path, root);
    const digest = file.digest();
    const p = this.pending;
    p.ids.length =
      p.actions.length =
      p.resources.length =
      p.times.length =
      p.failed.length =
      p.agents.length =
        0;
    const { items, events } = await readTrailUsage(file, this.ctx, this.collect);
    file.release();
    const count = !this.counted.has(digest);
    if (count) {
      this.counted.add(digest);
      for (let i = 0; i < p.ids.length; i++)
        this.tally.addAt(p.ids[i]!, p.actions[i]!, p.resources[i]!, p.times[i]!, p.failed[i]!, p.agents[i]!);
    }
    return { items, events, counted: count, digest };
  }

  /**
   * Everything the connector reads of one file, events as their `events` rows (built here, off the
   * import thread, which then only writes them): what an import that keeps raw events stores.
   */
  async readRows(path: string, root: string): Promise<TrailFileResult> {
    const file = new SourceFile(path, root);
    const items: ImportItem[] = [];
    let events = 0;
    // The connector's read, without an async step per item: the records are all in memory.
    const { records, corrupt } = await loadRecords(file);
    file.release();
    for (const item of trailEvents(file, this.ctx, records, corrupt)) {
      if (item.type === 'event') events++;
      items.push(prepareItem(item, this.ctx.now));
    }
    return { items, events, counted: false, digest: '' };
  }

  /** The usage summed so far, as plain rows; the tally starts again from zero. */
  drain(): UsageRows {
    return this.tally.drain();
  }
}
