import { describe, expect, it } from 'vitest';
import { NOT_OBJECT, trailRecordOf, type TrailRecord } from './cloudtrail-record.js';
import { hasControl } from './cloudtrail-json-cursor.js';
import { scanTrailFile } from './cloudtrail-scan.js';
import { scanWithWasm, WASM_CANNOT, wasmScannerBuilt } from './cloudtrail-scan-wasm.js';
import { accountId, iamId, rng, trailRecord, uuid, type Doc } from './test-utils/aws-fixtures.js';

/** What the tolerant path makes of a well-formed file: JSON.parse, then the connector's view. */
function reference(text: string): unknown[] {
  const doc = JSON.parse(text) as { Records: unknown[] };
  return doc.Records.map((r) => trailRecordOf(r));
}

/**
 * The scanner as the connector runs it: UTF-8 bytes read as latin1, non-ASCII fixed from the bytes;
 * the WebAssembly scanner's records, checked against the JavaScript scanner's on the same bytes.
 */
function scanBytes(text: string): unknown[] | undefined {
  const bytes = Buffer.from(text, 'utf8');
  const got = scanTrailFile(bytes);
  expect(got, text).toEqual(scanTrailFile(bytes, 'js'));
  return got;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/**
 * JSON text of `v` with random whitespace, random escapes in strings (and keys, with `escKeys`),
 * keys in random order.
 */
function serialise(v: unknown, r: Rand, dupes = true, escKeys = true): string {
  const ws = (): string => (r() < 0.7 ? '' : pick(r, [' ', '\n', '\t', '\r\n  ', '   ']));
  const str = (s: string, plain = false): string => {
    if (plain) return JSON.stringify(s);
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\') out += r() < 0.5 ? `\\${ch}` : `\\u${c.toString(16).padStart(4, '0')}`;
      else if (c < 0x20)
        out += r() < 0.5 ? JSON.stringify(ch).slice(1, -1) : `\\u${c.toString(16).padStart(4, '0')}`;
      else if (r() < 0.04 && c <= 0xffff) {
        const hex = c.toString(16).padStart(4, '0');
        out += `\\u${r() < 0.5 ? hex : hex.toUpperCase()}`;
      } else if (ch === '/' && r() < 0.5) out += '\\/';
      else out += ch;
    }
    return out + '"';
  };
  if (typeof v === 'string') return str(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v))
    return `[${ws()}${v.map((x) => serialise(x, r, dupes, escKeys)).join(`${ws()},${ws()}`)}${ws()}]`;
  const entries = Object.entries(v as Doc).filter(([, x]) => x !== undefined);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  const parts: string[] = [];
  for (const [k, x] of entries) {
    // A duplicate key before the real one: JSON.parse keeps the last, so must the scanner.
    const key = str(k, !escKeys);
    if (dupes && r() < 0.05) parts.push(`${key}${ws()}:${ws()}${serialise(oddValue(r), r, dupes, escKeys)}`);
    parts.push(`${key}${ws()}:${ws()}${serialise(x, r, dupes, escKeys)}`);
  }
  return `{${ws()}${parts.join(`${ws()},${ws()}`)}${ws()}}`;
}

/** Values of every JSON type, in places where a string or object is expected. */
function oddValue(r: Rand): unknown {
  return pick(r, [
    null,
    true,
    false,
    0,
    -12.5e3,
    1e-7,
    '',
    'é\u2028 "quoted" \\ back',
    [],
    {},
    [1, 'two', { three: [null] }],
    { arn: 'arn:aws:iam::1:role/x', ARN: 7, nested: { deep: [[[{}]]] } },
    'Root',
    { sessionIssuer: { arn: 'arn:aws:iam::1:role/odd' } },
  ]);
}

/** A documented record, then fields replaced by odd values and non-ASCII text at random. */
function randomRecord(r: Rand, account: string): unknown {
  if (r() < 0.03) return oddValue(r);
  const type = pick(r, [
    'IAMUser',
    'AssumedRole',
    'AWSService',
    'FederatedUser',
    'Root',
    'SAMLUser',
  ] as const);
  const base = trailRecord(r, {
    account,
    type: type === 'IAMUser' || type === 'AssumedRole' || type === 'AWSService' ? type : 'IAMUser',
    user: pick(r, ['ci-bot', 'dévops-ü', 'a"b\\c', 'svc/x']),
    role: { arn: `arn:aws:iam::${account}:role/p/agent`, name: 'agent', session: pick(r, ['s-1', 'sess ✓']) },
    eventSource: pick(r, ['s3.amazonaws.com', 'iam.amazonaws.com', 'signin.amazonaws.com', 'x']),
    eventName: pick(r, ['GetObject', 'ConsoleLogin', 'CreateRole']),
    time: pick(r, ['2026-11-20T10:00:00Z', '2026-11-20T10:00:00.123Z', 'not a time']),
    requestParameters: pick(r, [
      { bucketName: 'data', key: 'a/b.csv', Host: 'h' },
      { roleName: 'r', policyArn: '' },
      { name: 'n', userName: 'u', maxResults: 5 },
      { bucketName: 7, key: 'k', groupName: 'g' },
      { policyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] }) },
    ]),
  }) as Doc;
  const ui = base.userIdentity as Doc;
  if (type === 'FederatedUser' || type === 'Root' || type === 'SAMLUser') ui.type = type;
  ui.accessKeyId = iamId(r, 'tempkey');
  if (r() < 0.3) base.resources = [{ ARN: `arn:aws:s3:::b-${Math.floor(r() * 9)}`, type: 'AWS::S3::Object' }];
  if (r() < 0.2) base.responseElements = { ConsoleLogin: pick(r, ['Success', 'Failure']) };
  if (r() < 0.2) base.additionalEventData = { MFAUsed: pick(r, ['Yes', 'No']), bytes: 5 };
  if (r() < 0.1) base.errorCode = 'AccessDenied';
  if (r() < 0.1) base.eventType = pick(r, ['AwsConsoleSignIn', 'AwsCloudTrailInsight']);
  for (const k of [
    'eventID',
    'eventTime',
    'readOnly',
    'userIdentity',
    'resources',
    'requestParameters',
    'userAgent',
  ])
    if (r() < 0.03) base[k] = oddValue(r);
  for (const k of ['type', 'arn', 'principalId', 'sessionContext', 'invokedBy', 'userName'])
    if (r() < 0.03) ui[k] = oddValue(r);
  if (r() < 0.02) delete base.userIdentity;
  return base;
}

function randomFile(r: Rand, n: number, escKeys = true): string {
  const account = accountId(r);
  const recs = Array.from({ length: n }, () => randomRecord(r, account));
  const doc: Doc = { Records: recs };
  if (r() < 0.3) doc.other = { x: [1, 2, { y: 'z' }] };
  return serialise(doc, r, false, escKeys).replace(/^\{/, r() < 0.2 ? '\n{ ' : '{');
}

/** `text` with one character deleted, inserted or replaced at random. */
function damage(r: Rand, text: string): string {
  const at = Math.floor(r() * text.length);
  const how = pick(r, ['delete', 'insert', 'replace'] as const);
  const ch = pick(r, ['{', '}', '[', ']', '"', ',', ':', '\\', '\u0001', 'x', '0', '-', '.', 'e', ' ', 'n']);
  return how === 'delete'
    ? text.slice(0, at) + text.slice(at + 1)
    : text.slice(0, at) + ch + text.slice(how === 'insert' ? at : at + 1);
}

describe('CloudTrail scanner', () => {
  it('has its WebAssembly build (npm test builds it before the tests)', () => {
    expect(wasmScannerBuilt()).toBe(true);
  });

  it('reads what JSON.parse reads, on random key orders, whitespace, escapes and odd values', () => {
    const r = rng(7);
    for (let f = 0; f < 60; f++) {
      const text = randomFile(r, 20);
      const want = reference(text);
      expect(scanBytes(text)).toEqual(want);
      expect(scanTrailFile(text)).toEqual(want);
    }
  });

  it('reads in WebAssembly what JSON.parse reads, odd values, escapes and non-ASCII included', () => {
    // Keys unescaped: an escaped key where keys are matched is left to the JavaScript scanner.
    const r = rng(17);
    for (let f = 0; f < 150; f++) {
      const text = randomFile(r, 20, false);
      const bytes = Buffer.from(text, 'utf8');
      const got = scanWithWasm(bytes);
      expect(got, text).not.toBe(WASM_CANNOT);
      expect(got, text).toEqual(reference(text));
    }
  });

  it('rejects in WebAssembly what JSON.parse rejects, and agrees with the JavaScript scanner (random damage)', () => {
    const r = rng(19);
    let decided = 0;
    let rejected = 0;
    for (let f = 0; f < 1500; f++) {
      const text = damage(r, randomFile(r, 3, false));
      const bytes = Buffer.from(text, 'utf8');
      const got = scanWithWasm(bytes);
      if (got === WASM_CANNOT) continue;
      decided++;
      if (got === undefined) rejected++;
      expect(got, text).toEqual(scanTrailFile(bytes, 'js'));
    }
    expect(decided).toBeGreaterThan(1400);
    expect(rejected).toBeGreaterThan(500);
  });

  it('grows its memory for a file of many small records, and reads the next file after it', () => {
    // 300,000 records need about 90 MiB of record words: the thread then drops that memory.
    const many = `{"Records":[${'{"eventID":"e"},7,'.repeat(150_000)}{}]}`;
    const bytes = Buffer.from(many, 'latin1');
    const got = scanWithWasm(bytes);
    expect(got).not.toBe(WASM_CANNOT);
    const recs = got as unknown[];
    expect(recs).toHaveLength(300_001);
    expect((recs[299_998] as TrailRecord).eventID).toBe('e');
    expect(recs[299_999]).toBe(NOT_OBJECT);
    expect(recs[300_000]).toBeInstanceOf(Object);
    const next = '{"Records":[{"eventID":"f","userAgent":"ua"}]}';
    expect(scanBytes(next)).toEqual(reference(next));
  });

  it('keeps the last of duplicate keys, as JSON.parse does', () => {
    const text =
      '{"Records":[{"eventID":"a","eventID":7,"userIdentity":{"type":"IAMUser","arn":"x"},' +
      '"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"r1"}}},' +
      '"requestParameters":{"bucketName":"b"},"requestParameters":{"roleName":"n"},"resources":[{"ARN":"q"}],"resources":7}]}';
    const [rec] = scanBytes(text) as TrailRecord[];
    expect(rec).toEqual(reference(text)[0]);
    expect(rec).toMatchObject({
      eventID: undefined,
      idType: 'AssumedRole',
      idArn: undefined,
      issuerArn: 'r1',
    });
    expect(rec!.paramResource).toBe('role/n');
    expect(rec!.resourceArn).toBeUndefined();
    // An object, then a value of another type: the record has none.
    const later =
      '{"Records":[{"userIdentity":{"type":"IAMUser","arn":"x"},"userIdentity":null,' +
      '"requestParameters":{"roleName":"n"},"requestParameters":[],"resources":[{"ARN":"q"}],"resources":[5]}]}';
    const [second] = scanBytes(later) as TrailRecord[];
    expect(second).toEqual(reference(later)[0]);
    expect(second).toMatchObject({ hasIdentity: false, idType: undefined, params: undefined });
    expect(second!.resourceArn).toBeUndefined();
  });

  it('decodes escapes and non-ASCII in the fields it keeps, and skips nested values it does not', () => {
    const text =
      '\ufeff{ "Records" : [ { "event\\u0049D" : "\\ud83d\\ude00-\\"id\\"\\/\\\\", "userAgent": "naïve ✓ \\n",' +
      ' "requestParameters": {"policy": {"a": [1, {"b": "}]\\"{["}], "c": -0.5E+2}, "secretId": "sé"},' +
      ' "readOnly": {"deep": [true, null, 1e5]}, "userIdentity": {"type": ["x"], "principalId": 12} } , 5, "s" ] }';
    const recs = scanBytes(text)!;
    expect(recs).toEqual(reference(text.slice(1)));
    const rec = recs[0] as TrailRecord;
    expect(rec.eventID).toBe('\ud83d\ude00-"id"/\\');
    expect(rec.userAgent).toBe('naïve ✓ \n');
    expect(rec.paramResource).toBe('sé');
    expect(rec.readOnly).toEqual({ deep: [true, null, 1e5] });
    expect(rec.idType).toEqual(['x']);
    expect(recs.slice(1)).toEqual([NOT_OBJECT, NOT_OBJECT]);
  });

  it('rejects every malformed file JSON.parse rejects (random damage)', () => {
    const r = rng(11);
    let rejected = 0;
    for (let f = 0; f < 400; f++) {
      const bad = damage(r, randomFile(r, 3));
      let want: unknown[] | undefined;
      try {
        want = reference(bad);
      } catch {
        want = undefined;
      }
      const got = scanBytes(bad);
      if (want === undefined) {
        rejected++;
        expect(got, bad).toBeUndefined();
      } else expect(got, bad).toEqual(want);
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it('rejects specific malformed values and leaves odd documents to the tolerant path', () => {
    const rec = (v: string): string => `{"Records":[{"eventID":"e","x":${v}}]}`;
    for (const v of [
      '01',
      '1.',
      '.5',
      '-',
      '1e',
      '+1',
      'tru',
      'nul',
      '"a\tb"',
      '"\\x"',
      '"\\u12g4"',
      '[1,]',
      '{"a":1,}',
      '{"a"}',
      "'s'",
    ])
      expect(scanBytes(rec(v)), v).toBeUndefined();
    for (const v of ['0', '-0.0e-0', '1E+9', '"\\u00e9\\t"', '[[],{}]', '{"":""}', ' \t\r\n null'])
      expect(scanBytes(rec(v)), v).toEqual(reference(rec(v)));
    // Valid JSON the connector's tolerant path judges (not a trail file, duplicate Records): not scanned.
    for (const doc of ['[]', '{}', '{"Records":{}}', '{"Records":[],"Records":[]}', '{"Records":[]} x'])
      expect(scanBytes(doc), doc).toBeUndefined();
    expect(scanBytes('{"a":1,"Records":[]}')).toEqual([]);
    expect(scanBytes(`{"Records":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`)).toBeUndefined();
    // Deeper than the WebAssembly walk goes (512): the JavaScript scanner reads it.
    const deep = `{"Records":[{"eventID":"d","x":${'[{"a":'.repeat(600)}1${'}]'.repeat(600)}}]}`;
    expect(scanWithWasm(Buffer.from(deep))).toBe(WASM_CANNOT);
    expect(scanBytes(deep)).toEqual(reference(deep));
  });

  it('reads a documented record field by field', () => {
    const r = rng(3);
    const account = accountId(r);
    const rec = trailRecord(r, {
      account,
      type: 'AssumedRole',
      role: { arn: `arn:aws:iam::${account}:role/service-role/x`, name: 'x', session: 'bot-1' },
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      time: '2026-11-20T10:00:00Z',
      requestParameters: { bucketName: 'data', key: 'a.csv' },
    }) as Doc;
    rec.eventID = uuid(r);
    const [got] = scanBytes(JSON.stringify({ Records: [rec] })) as TrailRecord[];
    expect(got).toMatchObject({
      eventID: rec.eventID,
      eventTime: '2026-11-20T10:00:00Z',
      hasIdentity: true,
      idType: 'AssumedRole',
      issuerArn: `arn:aws:iam::${account}:role/service-role/x`,
      paramResource: 'arn:aws:s3:::data/a.csv',
    });
  });

  it('finds a control character at any position and alignment, and only then', () => {
    const r = rng(5);
    const backing = Buffer.alloc(80);
    for (let trial = 0; trial < 2000; trial++) {
      // Printable bytes (0x20-0xff, ASCII or not), at a random offset into the backing store.
      for (let i = 0; i < backing.length; i++) backing[i] = 0x20 + Math.floor(r() * 0xe0);
      const start = Math.floor(r() * 8);
      const view = backing.subarray(start, start + Math.floor(r() * 70));
      const at = Math.floor(r() * (view.length + 4));
      if (at < view.length) view[at] = Math.floor(r() * 0x20);
      expect(hasControl(view), `${start} ${view.length} ${at}`).toBe(view.some((b) => b < 0x20));
    }
  });
});
