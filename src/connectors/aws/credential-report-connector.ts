import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import type { SourceFile } from '../core/source-file.js';
import {
  accountOf,
  invalid,
  isObject,
  isoDate,
  note,
  PROVIDER,
  runFacts,
  RUN_FACTS_SHARING,
  skip,
  type Json,
} from './aws-common.js';

/**
 * The IAM credential report, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html :
 * the CSV itself, or `aws iam get-credential-report` JSON `{Content: base64 CSV, ReportFormat:
 * "text/csv", GeneratedTime}` (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetCredentialReport.html).
 * Columns are read by header name (AWS documents 22 in a fixed order); a missing column is a note,
 * a row with a different number of cells is skipped. `N/A`, `no_information`, `not_supported`
 * mean "no value"; the root row's user is `<root_account>`.
 *
 * Access keys. The report gives per user two key *slots* (`access_key_1_*`, `access_key_2_*`) but
 * no key id. A slot's `last_rotated` is the key's creation time, so when list-access-keys of the
 * same import run gave that user's keys, the slot is matched to the key id with the same
 * CreateDate and reported under the id (the convention's nativeId), adding last-used data. Otherwise
 * the key is reported as `${userArn}#access_key_${n}` (status, created, last used, parent): the
 * slot is a stable name for "the user's first/second key" until it is rotated, and a later import
 * together with list-access-keys reports the key under its id (the slot record then goes gone).
 */
export const credentialReportConnector: Connector = {
  id: 'aws-credential-report',
  title: 'AWS IAM credential report',
  ...RUN_FACTS_SHARING,
  order: 8,
  detect(file) {
    const h = file.head();
    if (/^\s*user,arn,user_creation_time/.test(h)) return 0.95;
    if (file.firstChar() === '{' && h.includes('"ReportFormat"') && h.includes('"Content"')) return 0.9;
    return 0;
  },
  read: readCredentialReport,
};

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported', '']);

async function* readCredentialReport(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  let text: string;
  let generated: string | undefined;
  if (file.firstChar() === '{') {
    const doc = await file.json();
    if (!isObject(doc) || typeof doc.Content !== 'string')
      throw invalid(file, 'expected {"Content": base64 CSV, "ReportFormat": "text/csv"}');
    if (doc.ReportFormat !== undefined && doc.ReportFormat !== 'text/csv') {
      throw invalid(
        file,
        `/ReportFormat: unsupported report format ${JSON.stringify(doc.ReportFormat)} (expected text/csv)`,
      );
    }
    text = Buffer.from(doc.Content, 'base64').toString('utf8');
    generated = isoDate(doc.GeneratedTime);
    if (!/^\s*user,arn/.test(text))
      throw invalid(file, '/Content: does not decode to a credential report CSV');
  } else text = await file.text();

  const lines = text.split(/\r?\n/);
  const header = splitCsv(lines[0] ?? '');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  if (!col.has('user') || !col.has('arn'))
    throw invalid(file, 'line 1: the header must name the columns user and arn');
  for (const c of CREDENTIAL_REPORT_COLUMNS)
    if (!col.has(c)) yield note('line 1', `column ${c} is missing; its values are unknown`);
  const facts = runFacts(ctx);

  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') continue;
    const cells = splitCsv(line);
    if (cells.length !== header.length) {
      yield skip(`line ${n + 1}`, `expected ${header.length} cells as in the header, found ${cells.length}`);
      continue;
    }
    const get = (name: string): string | undefined => {
      const i = col.get(name);
      const v = i === undefined ? undefined : cells[i]?.trim();
      return v === undefined || NO_VALUE.has(v) ? undefined : v;
    };
    const raw = (name: string): string | undefined => {
      const i = col.get(name);
      return i === undefined ? undefined : cells[i]?.trim();
    };
    const user = raw('user');
    const arn = get('arn');
    if (!user || !arn || !arn.startsWith('arn:')) {
      yield skip(`line ${n + 1}`, 'row without user or a valid arn');
      continue;
    }
    const root = user === '<root_account>';
    if (!root) facts.userArns.set(user, arn);
    const account = accountOf(arn);
    const bool = (name: string): boolean | undefined =>
      get(name) === undefined ? undefined : get(name) === 'true';
    const passwordEnabled = bool('password_enabled');
    const passwordLastUsed = isoDate(get('password_last_used'));
    const attributes: Json = {
      root,
      ...(passwordEnabled !== undefined ? { passwordEnabled } : {}),
      ...(passwordLastUsed ? { passwordLastUsed } : {}),
      ...(raw('password_last_used') === 'no_information' ? { passwordLastUsedUnknown: true } : {}),
      ...(isoDate(get('password_last_changed'))
        ? { passwordLastChanged: isoDate(get('password_last_changed')) }
        : {}),
      ...(isoDate(get('password_next_rotation'))
        ? { passwordNextRotation: isoDate(get('password_next_rotation')) }
        : {}),
      ...(bool('mfa_active') !== undefined ? { mfaActive: bool('mfa_active') } : {}),
      // A password that has been used is a person signing in: a human-use signal (OWASP NHI10).
      ...(passwordEnabled || passwordLastUsed
        ? { humanUse: { password: true, lastUsed: passwordLastUsed } }
        : {}),
      ...(generated ? { credentialReportGeneratedAt: generated } : {}),
    };
    const certs = [1, 2]
      .filter((c) => isoDate(get(`cert_${c}_last_rotated`)) !== undefined)
      .map((c) => ({
        slot: c,
        active: bool(`cert_${c}_active`),
        lastRotated: isoDate(get(`cert_${c}_last_rotated`)),
      }));
    if (certs.length) attributes.signingCertificates = certs;

    const keyItems: ImportItem[] = [];
    let lastUsed = passwordLastUsed;
    const known = [...(facts.keysByUser.get(user) ?? [])];
    for (const slot of [1, 2]) {
      const created = isoDate(get(`access_key_${slot}_last_rotated`));
      const active = bool(`access_key_${slot}_active`);
      if (!created && !active) continue;
      const used = isoDate(get(`access_key_${slot}_last_used_date`));
      if (used && (!lastUsed || used > lastUsed)) lastUsed = used;
      const match = created
        ? known.findIndex((k) => k.created !== undefined && sameSecond(k.created, created))
        : -1;
      const keyId = match >= 0 ? known.splice(match, 1)[0]!.id : undefined;
      const key: IdentityInput = {
        provider: PROVIDER,
        nativeId: keyId ?? `${arn}#access_key_${slot}`,
        kind: 'access-key',
        name: `${root ? 'root' : user} access key ${slot}`,
        ...(account ? { account } : {}),
        ...(created ? { createdAt: created, lastRotatedAt: created } : {}),
        ...(used ? { lastUsedAt: used } : {}),
        ...(active !== undefined ? { status: active ? 'active' : 'inactive' } : {}),
        attributes: {
          parent: arn,
          userName: user,
          slot,
          keyIdKnown: keyId !== undefined,
          root,
          longTerm: true,
          ...(get(`access_key_${slot}_last_used_region`)
            ? { lastUsedRegion: get(`access_key_${slot}_last_used_region`) }
            : {}),
          ...(get(`access_key_${slot}_last_used_service`)
            ? { lastUsedService: get(`access_key_${slot}_last_used_service`) }
            : {}),
        },
      };
      keyItems.push({ type: 'identity', value: key });
      keyItems.push({
        type: 'edge',
        value: {
          kind: 'member-of',
          from: { type: 'identity', provider: PROVIDER, nativeId: key.nativeId },
          to: { type: 'identity', provider: PROVIDER, nativeId: arn },
          attributes: { relation: 'access-key-of' },
        },
      });
    }
    yield {
      type: 'identity',
      value: {
        provider: PROVIDER,
        nativeId: arn,
        kind: 'cloud-user',
        name: root ? 'root' : user,
        ...(account ? { account } : {}),
        ...(isoDate(get('user_creation_time')) ? { createdAt: isoDate(get('user_creation_time'))! } : {}),
        ...(lastUsed ? { lastUsedAt: lastUsed } : {}),
        attributes,
      },
    };
    yield* keyItems;
  }
}

function sameSecond(a: string, b: string): boolean {
  return a.slice(0, 19) === b.slice(0, 19);
}

/** RFC 4180 fields: the report quotes none today, but a re-saved file may. */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
