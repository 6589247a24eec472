import type { EventInput, ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import { gunzipSync } from 'node:zlib';
import { note, PROVIDER, skip, type Json } from './aws-common.js';
import { NOT_OBJECT, trailRecordOf, type TrailRecord } from './cloudtrail-record.js';
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
  read: readCloudTrail,
};

/** Event attributes this connector sets (see index.ts). */
interface Matcher {
  re: RegExp;
  agent: string;
  src: string;
}

async function* readCloudTrail(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const { records, corrupt } = await loadRecords(file);
  for (const c of corrupt) yield skip(`/Records/${c.index}`, c.reason);
  const patterns: Matcher[] = ctx.config.links.patterns.map((p) => ({
    re: new RegExp(p.match),
    agent: p.agent,
    src: p.match,
  }));
  // Session names and user agents repeat: match each distinct value once per file.
  const matchCache = new Map<string, Matcher | null>();
  const linked = new Set<string>();
  const links: ImportItem[] = [];
  let versionNoted = false;

  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r === CORRUPT) continue;
    if (r === NOT_OBJECT) {
      yield skip(`/Records/${i}`, 'record is not an object');
      continue;
    }
    const { eventID, eventName, eventSource, eventTime } = r;
    if (
      eventID === undefined ||
      eventName === undefined ||
      eventSource === undefined ||
      eventTime === undefined
    ) {
      yield skip(`/Records/${i}`, 'record without eventID, eventName, eventSource or eventTime');
      continue;
    }
    if (!r.hasIdentity) {
      yield skip(
        `/Records/${i}`,
        r.eventType === 'AwsCloudTrailInsight'
          ? 'Insights event: not a use of an identity'
          : 'record without userIdentity',
      );
      continue;
    }
    const time = normTime(eventTime);
    if (time === undefined) {
      yield skip(`/Records/${i}/eventTime`, `not a time: ${JSON.stringify(eventTime)}`);
      continue;
    }
    if (!versionNoted && r.eventVersion !== undefined && r.eventVersion[0] !== '1') {
      versionNoted = true;
      yield note(
        `/Records/${i}/eventVersion`,
        `unexpected eventVersion ${r.eventVersion} (known: 1.x); read with the 1.x fields`,
      );
    }

    const type = r.idType;
    const arn = r.idArn;
    let identityArn: string | undefined;
    let sessionName: string | undefined;
    let principal: string;
    if (type === 'AssumedRole' || type === 'FederatedUser') {
      identityArn = r.issuerArn;
      principal = arn ?? identityArn ?? String(r.idPrincipalId ?? 'unknown');
      if (arn && type === 'AssumedRole') sessionName = arn.slice(arn.lastIndexOf('/') + 1);
    } else if (type === 'IAMUser' || type === 'Root') {
      identityArn = arn;
      principal = arn ?? String(r.idPrincipalId ?? 'unknown');
    } else if (type === 'AWSService') {
      principal = r.idInvokedBy ?? eventSource;
    } else {
      principal =
        arn ??
        (typeof r.idPrincipalId === 'string' ? r.idPrincipalId : (r.idUserName ?? `${String(type)}:unknown`));
    }

    const svc = eventSource.endsWith('.amazonaws.com') ? eventSource.slice(0, -14) : eventSource;
    const errorCode = r.errorCode;
    const failed = errorCode !== undefined || (eventName === 'ConsoleLogin' && r.consoleLogin === 'Failure');
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
      key: eventID,
      principal,
      time,
      action: `${svc}:${eventName}`,
      outcome: failed ? 'failure' : 'success',
      attributes,
    };
    if (identityArn) ev.identity = { provider: PROVIDER, nativeId: identityArn };
    // resources[].ARN first, else the obvious request parameter (see resourceFromParams).
    const resource = r.resourceArn ?? r.paramResource;
    if (resource) ev.resource = resource;
    if (r.sourceIPAddress !== undefined) ev.sourceAddress = r.sourceIPAddress;
    const ua = r.userAgent;
    if (ua) ev.userAgent = ua;
    yield { type: 'event', value: ev };

    if (patterns.length > 0 && identityArn) {
      for (const [what, value] of [
        ['role session name', sessionName],
        ['user agent', ua],
      ] as const) {
        if (!value) continue;
        let m = matchCache.get(value);
        if (m === undefined) {
          m = patterns.find((p) => p.re.test(value)) ?? null;
          matchCache.set(value, m);
        }
        if (!m) continue;
        const k = `${m.agent}\u0000${identityArn}`;
        if (linked.has(k)) continue;
        linked.add(k);
        links.push({
          type: 'link',
          value: {
            agent: m.agent,
            identity: { provider: PROVIDER, nativeId: identityArn },
            source: 'cloudtrail',
            evidence: `CloudTrail ${file.display} /Records/${i}: ${what} "${value}" matches /${m.src}/`,
            confidence: 0.7,
          },
        });
      }
    }
  }
  yield* links;
}

/**
 * The file's records: the single-pass scanner on the decompressed bytes when the file is well-formed
 * JSON (the common case), else the tolerant per-record path, which owns every bad-input message.
 */
async function loadRecords(file: SourceFile): Promise<{
  records: (TrailRecord | typeof NOT_OBJECT | typeof CORRUPT)[];
  corrupt: { index: number; reason: string }[];
}> {
  let scanned: Scanned | undefined;
  try {
    let bytes: Buffer = file.bytes();
    if (file.gzip) bytes = gunzip(bytes);
    scanned = scanTrailFile(bytes.toString('latin1'), bytes);
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

/**
 * Gunzip in one output chunk sized from the gzip trailer's ISIZE (RFC 1952 section 2.3.1: the
 * uncompressed size modulo 2^32): the default 16 KiB chunks are concatenated at the end, a copy
 * that costs as much as the inflate. ISIZE is only a hint (several members, or a lying trailer,
 * just mean more chunks).
 */
function gunzip(raw: Buffer): Buffer {
  const isize = raw.length >= 18 ? raw.readUInt32LE(raw.length - 4) : 0;
  return gunzipSync(raw, { chunkSize: Math.min(Math.max(isize + 1, 64 * 1024), 256 * 1024 * 1024) });
}

/** `2026-01-02T03:04:05Z` -> `2026-01-02T03:04:05.000Z`, so times compare as strings across sources. */
function normTime(t: string): string | undefined {
  if (t.length === 20 && t.charCodeAt(19) === 90 && t.charCodeAt(10) === 84) return `${t.slice(0, 19)}.000Z`;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
