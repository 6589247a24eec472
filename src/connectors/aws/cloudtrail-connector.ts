import type { EventInput, ImportItem } from '../../store/index.js';
import { decimalAt, isoMs, own } from '../../store/worker.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import { note, PROVIDER, skip, type Json } from './aws-common.js';
import { NOT_OBJECT, trailRecordOf, type TrailRecord } from './cloudtrail-record.js';
import { Gunzipper } from './cloudtrail-gunzip.js';
import { CORRUPT, recordsOf } from './cloudtrail-records.js';
import { scanTrailFile, type Scanned } from './cloudtrail-scan.js';

/**
 * CloudTrail log files as delivered to S3: `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 * <account>_CloudTrail_<region>_<time>_<id>.json.gz`, each `{"Records": [...]}`
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html,
 * record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 *
 * Each record becomes an `event`: the identity is the IAM user, or for an assumed role the role
 * (`sessionContext.sessionIssuer.arn`, path included), never the session; the principal keeps the
 * caller's ARN as logged. Links: the role session name and the user agent are matched against
 * warden.yaml `links.patterns` (source `cloudtrail`, confidence 0.7).
 */
export const cloudTrailConnector: Connector = {
  id: 'aws-cloudtrail',
  title: 'AWS CloudTrail log files',
  detect(file) {
    if (file.firstChar() !== '{') return 0;
    const h = file.head();
    // Digest files (CloudTrail-Digest) describe log files, they hold no events.
    if (h.includes('"digestStartTime"')) return 0;
    if (!/^\s*\{\s*"Records"\s*:/.test(h)) return 0;
    if (h.includes('"eventVersion"') || h.includes('"eventSource"')) return 0.95;
    return /_CloudTrail_/.test(file.name) ? 0.9 : 0.5;
  },
  // A log tree holds thousands of files: detecting each by its contents (every detector on its
  // decompressed head) was a tenth of the import thread's work on them.
  claims: (file) => DELIVERED_NAME.test(file.name),
  read: readCloudTrail,
};

/**
 * The name CloudTrail gives a log file it delivers: `<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_
 * <unique>.json.gz` (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
 * (`CloudTrail-Digest` and `CloudTrail-Insight` files are named apart.)
 */
const DELIVERED_NAME = /^\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;

interface Matcher {
  re: RegExp;
  agent: string;
  src: string;
}

/**
 * Receives the usage a log file shows, one call per event of a known IAM identity (the role for an
 * assumed-role session, never the session): what {@link readTrailUsage} gives instead of events.
 * `ms` is the event time in epoch milliseconds (NaN when the time reads as a date only loosely).
 * The action, resource and user agent given are never slices of the file's text (a sink may keep
 * them as they are); the identity ARN may be.
 */
export type TrailUseSink = (
  identityArn: string,
  action: string,
  resource: string | null,
  ms: number,
  failed: boolean,
  userAgent: string | null,
) => void;

/**
 * Walks a file's records once for both readers: checks each record (or says why it is skipped),
 * works out who acted, and collects the links that session names and user agents reveal. The
 * parts of the record being looked at are fields of the walker, not a new object per record.
 */
class TrailWalk {
  private readonly patterns: Matcher[];
  // Session names and user agents repeat: match each distinct value once per file.
  private readonly matchCache = new Map<string, Matcher | null>();
  private readonly linked = new Set<string>();
  readonly links: ImportItem[] = [];
  private versionNoted = false;
  /** A note the last {@link check} produced, to be reported before its event. */
  note: ImportItem | undefined;
  /** The checked record's parts. */
  eventTime = '';
  eventSource = '';
  eventName = '';
  identityArn: string | undefined;
  sessionName: string | undefined;
  failed = false;

  constructor(
    private readonly file: SourceFile,
    ctx: ConnectorContext,
    /** JSON pointer of the i-th record in its file. */
    private readonly at: (i: number) => string = recordPointer,
  ) {
    this.patterns = ctx.config.links.patterns.map((p) => ({
      re: new RegExp(p.match),
      agent: p.agent,
      src: p.match,
    }));
  }

  /** Undefined when the record is an event (its parts are then set), else the skip to report. */
  check(r: TrailRecord | typeof NOT_OBJECT, i: number): ImportItem | undefined {
    if (r === NOT_OBJECT) return skip(this.at(i), 'record is not an object');
    const { eventID, eventName, eventSource, eventTime } = r;
    if (
      eventID === undefined ||
      eventName === undefined ||
      eventSource === undefined ||
      eventTime === undefined
    )
      return skip(this.at(i), 'record without eventID, eventName, eventSource or eventTime');
    if (!r.hasIdentity)
      return skip(
        this.at(i),
        r.eventType === 'AwsCloudTrailInsight'
          ? 'Insights event: not a use of an identity'
          : 'record without userIdentity',
      );
    if (!isDeliveredTime(eventTime) && Number.isNaN(new Date(eventTime).getTime()))
      return skip(`${this.at(i)}/eventTime`, `not a time: ${JSON.stringify(eventTime)}`);
    if (!this.versionNoted && r.eventVersion !== undefined && r.eventVersion[0] !== '1') {
      this.versionNoted = true;
      this.note = note(
        `${this.at(i)}/eventVersion`,
        `unexpected eventVersion ${r.eventVersion} (known: 1.x); read with the 1.x fields`,
      );
    }
    this.eventTime = eventTime;
    this.eventSource = eventSource;
    this.eventName = eventName;
    const type = r.idType;
    const arn = r.idArn;
    this.sessionName = undefined;
    if (type === 'AssumedRole' || type === 'FederatedUser') {
      this.identityArn = r.issuerArn;
      if (arn && type === 'AssumedRole') this.sessionName = arn.slice(arn.lastIndexOf('/') + 1);
    } else this.identityArn = type === 'IAMUser' || type === 'Root' ? arn : undefined;
    this.failed = r.errorCode !== undefined || (eventName === 'ConsoleLogin' && r.consoleLogin === 'Failure');
    return undefined;
  }

  /** The checked record as an event. */
  event(r: TrailRecord): EventInput {
    const { eventSource, eventName, identityArn, sessionName } = this;
    const type = r.idType;
    const arn = r.idArn;
    let principal: string;
    if (type === 'AssumedRole' || type === 'FederatedUser')
      principal = arn ?? identityArn ?? String(r.idPrincipalId ?? 'unknown');
    else if (type === 'IAMUser' || type === 'Root') principal = arn ?? String(r.idPrincipalId ?? 'unknown');
    else if (type === 'AWSService') principal = r.idInvokedBy ?? eventSource;
    else
      principal =
        arn ??
        (typeof r.idPrincipalId === 'string' ? r.idPrincipalId : (r.idUserName ?? `${String(type)}:unknown`));
    const errorCode = r.errorCode;
    const attributes: Json = { identityType: type };
    if (r.idAccessKeyId) attributes.accessKeyId = r.idAccessKeyId;
    if (sessionName) attributes.sessionName = sessionName;
    if (r.awsRegion !== undefined) attributes.region = r.awsRegion;
    if (r.recipientAccountId !== undefined) attributes.account = r.recipientAccountId;
    if (r.eventType !== undefined) attributes.eventType = r.eventType;
    if (r.readOnly !== undefined) attributes.readOnly = r.readOnly;
    if (errorCode) attributes.errorCode = errorCode;
    if (eventName === 'ConsoleLogin' && r.eventType === 'AwsConsoleSignIn') {
      // A console sign-in is a person at a browser: a human-use signal (OWASP NHI10).
      attributes.humanUse = 'console-login';
      if (r.mfaUsed !== undefined) attributes.mfaUsed = r.mfaUsed === 'Yes';
    }
    const ev: EventInput = {
      provider: PROVIDER,
      key: r.eventID!,
      principal,
      time: normTime(this.eventTime)!,
      action: actionOf(eventSource, eventName),
      outcome: this.failed ? 'failure' : 'success',
      attributes,
    };
    if (identityArn) ev.identity = { provider: PROVIDER, nativeId: identityArn };
    // resources[].ARN first, else the obvious request parameter (see resourceFromParams).
    const resource = r.resourceArn ?? r.paramResource;
    if (resource) ev.resource = resource;
    if (r.sourceIPAddress !== undefined) ev.sourceAddress = r.sourceIPAddress;
    if (r.userAgent) ev.userAgent = r.userAgent;
    return ev;
  }

  /** Links to agents whose `links.patterns` match the checked record's session name or user agent. */
  link(r: TrailRecord, i: number): void {
    const identityArn = this.identityArn;
    if (this.patterns.length === 0 || !identityArn) return;
    for (const [what, value] of [
      ['role session name', this.sessionName],
      ['user agent', r.userAgent],
    ] as const) {
      if (!value) continue;
      let m = this.matchCache.get(value);
      if (m === undefined) {
        m = this.patterns.find((p) => p.re.test(value)) ?? null;
        this.matchCache.set(value, m);
      }
      if (!m) continue;
      const k = `${m.agent}\u0000${identityArn}`;
      if (this.linked.has(k)) continue;
      this.linked.add(k);
      this.links.push({
        type: 'link',
        value: {
          agent: m.agent,
          identity: { provider: PROVIDER, nativeId: identityArn },
          source: 'cloudtrail',
          evidence: `CloudTrail ${this.file.display} ${this.at(i)}: ${what} "${value}" matches /${m.src}/`,
          confidence: 0.7,
        },
      });
    }
  }
}

const recordPointer = (i: number): string => `/Records/${i}`;
const ownOrUndefined = (s: string | undefined): string | undefined => (s === undefined ? s : own(s));

async function* readCloudTrail(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const { records, corrupt } = await loadRecords(file);
  yield* trailEvents(file, ctx, records, corrupt);
}

/**
 * The items of a file's CloudTrail records: skips for the corrupt ones and for records that are no
 * event, an event for each other record, then the links they revealed. `at` gives a record's JSON
 * pointer in its file (`/Records/i` in a delivered log file).
 */
export function* trailEvents(
  file: SourceFile,
  ctx: ConnectorContext,
  records: readonly (TrailRecord | typeof NOT_OBJECT | typeof CORRUPT)[],
  corrupt: readonly { index: number; reason: string }[],
  at: (i: number) => string = recordPointer,
): Generator<ImportItem> {
  for (const c of corrupt) yield skip(at(c.index), c.reason);
  const w = new TrailWalk(file, ctx, at);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r === CORRUPT) continue;
    const bad = w.check(r, i);
    if (bad) {
      yield bad;
      continue;
    }
    if (w.note) {
      yield w.note;
      w.note = undefined;
    }
    const tr = r as TrailRecord;
    yield { type: 'event', value: w.event(tr) };
    w.link(tr, i);
  }
  yield* w.links;
}

/**
 * A log file read for its usage only (what `warden audit` keeps, see TrailPool): each event of a
 * known identity goes to `use` rather than becoming an event record, which a usage-only import
 * would build only to sum and drop. Returns what else the file said (skips, notes, links, in the
 * order {@link cloudTrailConnector}'s read gives them) and how many events it holds.
 */
export async function readTrailUsage(
  file: SourceFile,
  ctx: ConnectorContext,
  use: TrailUseSink,
): Promise<{ items: ImportItem[]; events: number }> {
  const { records, corrupt } = await loadRecords(file);
  const items: ImportItem[] = corrupt.map((c) => skip(`/Records/${c.index}`, c.reason));
  const w = new TrailWalk(file, ctx);
  let events = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r === CORRUPT) continue;
    const bad = w.check(r, i);
    if (bad) {
      items.push(bad);
      continue;
    }
    if (w.note) {
      items.push(w.note);
      w.note = undefined;
    }
    const tr = r as TrailRecord;
    events++;
    const arn = w.identityArn;
    if (arn)
      use(
        arn,
        actionOf(w.eventSource, w.eventName),
        // As the event would hold them: an empty resource or user agent is none. A resource
        // built from request parameters may hold a slice (an S3 object key is never cached).
        (tr.resourceArn ?? ownOrUndefined(tr.paramResource)) || null,
        timeMs(w.eventTime),
        w.failed,
        tr.userAgent || null,
      );
    w.link(tr, i);
  }
  for (const l of w.links) items.push(l);
  return { items, events };
}

/**
 * The file's records: the single-pass scanner on the decompressed bytes when the file is well-formed
 * JSON (the common case), else the tolerant per-record path, which owns every bad-input message.
 */
export async function loadRecords(file: SourceFile): Promise<{
  records: (TrailRecord | typeof NOT_OBJECT | typeof CORRUPT)[];
  corrupt: { index: number; reason: string }[];
}> {
  let scanned: Scanned | undefined;
  try {
    let bytes: Buffer = file.bytes();
    // A view that the next file's gunzip reuses: scanned here, and not kept.
    if (file.gzip) bytes = gunzipper.gunzip(bytes);
    scanned = scanTrailFile(bytes);
  } catch {
    // Unreadable, bad gzip, too large for one string: the tolerant path reports it.
    scanned = undefined;
  }
  if (scanned) return { records: scanned, corrupt: [] };
  const text = await file.text();
  const { records, corrupt } = recordsOf(text, file);
  file.release();
  return { records: records.map((r) => (r === CORRUPT ? CORRUPT : trailRecordOf(r))), corrupt };
}

/** This thread's gunzip: log files are read one at a time, each within one synchronous step. */
const gunzipper = new Gunzipper();

/** CloudTrail's own time format, `2026-01-02T03:04:05Z`. */
function isDeliveredTime(t: string): boolean {
  return t.length === 20 && t.charCodeAt(19) === 90 && t.charCodeAt(10) === 84;
}

/** `2026-01-02T03:04:05Z` -> `2026-01-02T03:04:05.000Z`, so times compare as strings across sources. */
function normTime(t: string): string | undefined {
  if (isDeliveredTime(t)) return `${t.slice(0, 19)}.000Z`;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Epoch milliseconds of an event time, as the usage tally reads {@link normTime}'s result
 * (`isoMs`), without building that string: days are computed once per date, and the time of day
 * adds up field by field as `Date.UTC` does.
 */
function timeMs(t: string): number {
  if (!isDeliveredTime(t)) return isoMs(normTime(t)!);
  const y = decimalAt(t, 0, 4);
  const mo = decimalAt(t, 5, 2);
  const d = decimalAt(t, 8, 2);
  const h = decimalAt(t, 11, 2);
  const mi = decimalAt(t, 14, 2);
  const sec = decimalAt(t, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + sec)) return isoMs(normTime(t)!);
  const key = y * 10000 + mo * 100 + d;
  if (key !== lastDay.key) {
    lastDay.key = key;
    lastDay.ms = Date.UTC(y, mo - 1, d);
  }
  return lastDay.ms + h * 3_600_000 + mi * 60_000 + sec * 1000;
}
/** The day {@link timeMs} computed last (log files hold hours of one day). */
const lastDay = { key: -1, ms: 0 };

/**
 * `s3:GetObject` from `s3.amazonaws.com` and `GetObject`. The pairs repeat all through a log, and
 * one string per pair (its hash kept by V8) makes every usage-map lookup on it cheap.
 */
function actionOf(eventSource: string, eventName: string): string {
  let bySource = actions.get(eventSource);
  if (bySource === undefined) {
    if (actions.size >= 4096) actions.clear();
    actions.set(own(eventSource), (bySource = new Map()));
  }
  let a = bySource.get(eventName);
  if (a === undefined) {
    const svc = eventSource.endsWith('.amazonaws.com') ? eventSource.slice(0, -14) : eventSource;
    if (bySource.size >= 4096) bySource.clear();
    bySource.set(own(eventName), (a = own(`${svc}:${eventName}`)));
  }
  return a;
}
const actions = new Map<string, Map<string, string>>();
