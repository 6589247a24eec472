import type { ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import { invalid, isObject } from './aws-common.js';
import { trailEvents } from './cloudtrail-connector.js';
import { trailRecordOf, type NOT_OBJECT, type TrailRecord } from './cloudtrail-record.js';
import { CORRUPT } from './cloudtrail-records.js';

/**
 * `aws cloudtrail lookup-events` output: `{"Events": [{EventId, EventName, EventTime, Username,
 * Resources, CloudTrailEvent, ...}], "NextToken"?}`, where `CloudTrailEvent` is the whole event
 * record as a JSON string, the same record a delivered log file holds
 * (https://docs.aws.amazon.com/cli/latest/reference/cloudtrail/lookup-events.html,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html). It is how a team
 * without access to the trail's bucket gets the last 90 days of management events.
 *
 * Each `CloudTrailEvent` is read as a delivered record is (same events, identities, links and
 * skips, see cloudtrail-connector.ts), so an event seen both ways has one id and counts once. The
 * summary fields beside it (`Username`, `Resources`) are the API's digest of the record and are
 * not read. Pages of `--output json` may be concatenated by the caller into one file per page.
 */
export const cloudTrailLookupConnector: Connector = {
  id: 'aws-cloudtrail-lookup',
  title: 'AWS CloudTrail lookup-events output',
  detect(file) {
    if (file.firstChar() !== '{') return 0;
    const h = file.head();
    if (!/^\s*\{\s*"Events"\s*:\s*\[/.test(h)) return 0;
    if (h.includes('"CloudTrailEvent"')) return 0.95;
    // An empty page, or a head that ends before the first event's record.
    return /"EventId"|"EventSource"|^\s*\{\s*"Events"\s*:\s*\[\s*\]/.test(h) ? 0.8 : 0;
  },
  read: readLookupEvents,
};

const pointer = (i: number): string => `/Events/${i}/CloudTrailEvent`;

async function* readLookupEvents(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  let doc: unknown;
  try {
    doc = JSON.parse(await file.text());
  } catch (e) {
    throw invalid(file, `invalid JSON (${(e as Error).message})`);
  }
  file.release();
  if (!isObject(doc) || !Array.isArray(doc.Events))
    throw invalid(file, 'expected `aws cloudtrail lookup-events` output {"Events": [...]}');
  const records: (TrailRecord | typeof NOT_OBJECT | typeof CORRUPT)[] = [];
  const corrupt: { index: number; reason: string }[] = [];
  doc.Events.forEach((ev, i) => {
    const raw = isObject(ev) ? ev.CloudTrailEvent : undefined;
    if (typeof raw !== 'string') {
      records.push(CORRUPT);
      corrupt.push({
        index: i,
        reason: isObject(ev) ? 'event without its CloudTrailEvent record' : 'event is not an object',
      });
      return;
    }
    try {
      records.push(trailRecordOf(JSON.parse(raw)));
    } catch (e) {
      records.push(CORRUPT);
      corrupt.push({ index: i, reason: `corrupt record (${(e as Error).message})` });
    }
  });
  yield* trailEvents(file, ctx, records, corrupt, pointer);
}
