import type { EventInput, ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import { isObject, note, PROVIDER, skip, type Json } from './aws-common.js';
import { CORRUPT, recordsOf } from './cloudtrail-records.js';

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
  const text = await file.text();
  const { records, corrupt } = recordsOf(text, file);
  file.release();
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
    const r = records[i];
    if (r === CORRUPT) continue;
    if (!isObject(r)) {
      yield skip(`/Records/${i}`, 'record is not an object');
      continue;
    }
    const eventID = r.eventID;
    const eventName = r.eventName;
    const eventSource = r.eventSource;
    const eventTime = r.eventTime;
    const ui = r.userIdentity;
    if (
      typeof eventID !== 'string' ||
      typeof eventName !== 'string' ||
      typeof eventSource !== 'string' ||
      typeof eventTime !== 'string'
    ) {
      yield skip(`/Records/${i}`, 'record without eventID, eventName, eventSource or eventTime');
      continue;
    }
    if (!isObject(ui)) {
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
    if (!versionNoted && typeof r.eventVersion === 'string' && r.eventVersion[0] !== '1') {
      versionNoted = true;
      yield note(
        `/Records/${i}/eventVersion`,
        `unexpected eventVersion ${r.eventVersion} (known: 1.x); read with the 1.x fields`,
      );
    }

    const type = ui.type;
    const arn = typeof ui.arn === 'string' ? ui.arn : undefined;
    let identityArn: string | undefined;
    let sessionName: string | undefined;
    let principal: string;
    if (type === 'AssumedRole' || type === 'FederatedUser') {
      const sc = ui.sessionContext;
      const issuer = isObject(sc) && isObject(sc.sessionIssuer) ? sc.sessionIssuer : undefined;
      identityArn = issuer && typeof issuer.arn === 'string' ? issuer.arn : undefined;
      principal = arn ?? identityArn ?? String(ui.principalId ?? 'unknown');
      if (arn && type === 'AssumedRole') sessionName = arn.slice(arn.lastIndexOf('/') + 1);
    } else if (type === 'IAMUser' || type === 'Root') {
      identityArn = arn;
      principal = arn ?? String(ui.principalId ?? 'unknown');
    } else if (type === 'AWSService') {
      principal = typeof ui.invokedBy === 'string' ? ui.invokedBy : eventSource;
    } else {
      principal =
        arn ??
        (typeof ui.principalId === 'string'
          ? ui.principalId
          : typeof ui.userName === 'string'
            ? ui.userName
            : `${String(type)}:unknown`);
    }

    const svc = eventSource.endsWith('.amazonaws.com') ? eventSource.slice(0, -14) : eventSource;
    const errorCode = typeof r.errorCode === 'string' ? r.errorCode : undefined;
    const re = r.responseElements;
    const failed =
      errorCode !== undefined ||
      (eventName === 'ConsoleLogin' && isObject(re) && re.ConsoleLogin === 'Failure');
    const attributes: Json = { identityType: type };
    if (typeof ui.accessKeyId === 'string' && ui.accessKeyId) attributes.accessKeyId = ui.accessKeyId;
    if (sessionName) attributes.sessionName = sessionName;
    if (typeof r.awsRegion === 'string') attributes.region = r.awsRegion;
    if (typeof r.recipientAccountId === 'string') attributes.account = r.recipientAccountId;
    if (typeof r.eventType === 'string') attributes.eventType = r.eventType;
    if (r.readOnly !== undefined) attributes.readOnly = r.readOnly;
    if (errorCode) attributes.errorCode = errorCode;
    if (eventName === 'ConsoleLogin' && r.eventType === 'AwsConsoleSignIn') {
      // A console sign-in is a person at a browser: a human-use signal (OWASP NHI10).
      attributes.humanUse = 'console-login';
      const aed = r.additionalEventData;
      if (isObject(aed) && typeof aed.MFAUsed === 'string') attributes.mfaUsed = aed.MFAUsed === 'Yes';
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
    const resource = resourceOf(r);
    if (resource) ev.resource = resource;
    if (typeof r.sourceIPAddress === 'string') ev.sourceAddress = r.sourceIPAddress;
    const ua = typeof r.userAgent === 'string' ? r.userAgent : undefined;
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

/** `2026-01-02T03:04:05Z` -> `2026-01-02T03:04:05.000Z`, so times compare as strings across sources. */
function normTime(t: string): string | undefined {
  if (t.length === 20 && t.charCodeAt(19) === 90 && t.charCodeAt(10) === 84) return `${t.slice(0, 19)}.000Z`;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The resource an event acted on: `resources[].ARN`, else the obvious request parameter. */
function resourceOf(r: Json): string | undefined {
  const res = r.resources;
  if (Array.isArray(res) && res.length > 0) {
    const first = res[0];
    if (isObject(first) && typeof first.ARN === 'string') return first.ARN;
  }
  const p = r.requestParameters;
  if (!isObject(p)) return undefined;
  for (const k of [
    'roleArn',
    'policyArn',
    'secretId',
    'functionName',
    'name',
    'keyId',
    'tableName',
    'queueUrl',
    'topicArn',
  ]) {
    const v = p[k];
    if (typeof v === 'string' && v) return v;
  }
  if (typeof p.bucketName === 'string')
    return `arn:aws:s3:::${p.bucketName}${typeof p.key === 'string' ? `/${p.key}` : ''}`;
  for (const k of ['roleName', 'userName', 'groupName']) {
    const v = p[k];
    if (typeof v === 'string' && v) return `${k.slice(0, -4)}/${v}`;
  }
  return undefined;
}
