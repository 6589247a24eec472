/**
 * Readers for what says whether a user has a password or access keys:
 * - `aws iam get-credential-report` (`{Content: base64 CSV}`) or the CSV text itself
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 * - `aws iam list-access-keys` https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html
 * - `aws iam get-login-profile` https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetLoginProfile.html
 */
import { isObj, issue, str, type Obj, type ParseCtx } from './parse-helpers.js';

/** Minimal RFC 4180 line splitter (the credential report never quotes, but be safe). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** True when text is the credential report CSV itself (its header starts this way). */
export function isCredentialReportCsv(text: string): boolean {
  return /^user,arn,/.test(text);
}

export function readCredentialReport(csv: string, c: ParseCtx): void {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const col = (n: string): number => header.indexOf(n);
  const iUser = col('user');
  const iArn = col('arn');
  const iPwd = col('password_enabled');
  const iK1 = col('access_key_1_last_rotated');
  const iK2 = col('access_key_2_last_rotated');
  if (iArn < 0 || iPwd < 0)
    return issue(c, '/Content', 'credential report lacks the arn or password_enabled column');
  for (let n = 1; n < lines.length; n++) {
    const f = splitCsvLine(lines[n] ?? '');
    const arn = f[iArn];
    if (!arn || f[iUser] === '<root_account>') continue;
    if (f.length < header.length) {
      issue(c, `/Content line ${n + 1}`, `row has ${f.length} fields, expected ${header.length}: skipped`);
      continue;
    }
    const pwd = f[iPwd];
    if (pwd === 'true' || pwd === 'false') c.env.passwordEnabled.set(arn, pwd === 'true');
    if (iK1 >= 0 && iK2 >= 0) {
      // A key that exists (active or not) has a rotation date; N/A means no such key.
      const keys = [f[iK1], f[iK2]].filter((v) => v && v !== 'N/A' && v !== 'not_supported').length;
      const name = f[iUser] ?? arn.slice(arn.lastIndexOf('/') + 1);
      if (!c.env.accessKeyCounts.has(name)) c.env.accessKeyCounts.set(name, keys);
    }
  }
}

/** `get-credential-report` output: the CSV is base64 in `Content`. False when not that shape. */
export function readCredentialReportObject(o: Obj, c: ParseCtx): boolean {
  if (typeof o.Content !== 'string' || !(o.ReportFormat === 'text/csv' || 'GeneratedTime' in o)) return false;
  readCredentialReport(Buffer.from(o.Content, 'base64').toString('utf8'), c);
  return true;
}

/** `list-access-keys` is authoritative for the users it lists (over the credential report). */
export function readAccessKeys(o: Obj, c: ParseCtx): boolean {
  if (!Array.isArray(o.AccessKeyMetadata)) return false;
  const per = new Map<string, number>();
  o.AccessKeyMetadata.forEach((k, i) => {
    if (!isObj(k) || typeof k.UserName !== 'string')
      return issue(c, `/AccessKeyMetadata/${i}`, 'access key without UserName skipped');
    per.set(k.UserName, (per.get(k.UserName) ?? 0) + 1);
  });
  for (const [u, n] of per) c.env.accessKeyCounts.set(u, n);
  return true;
}

/** `get-login-profile`: the user has a console password (the call fails when it has none). */
export function readLoginProfile(o: Obj, c: ParseCtx): boolean {
  if (!isObj(o.LoginProfile)) return false;
  const u = str(o.LoginProfile.UserName);
  if (u) c.logins.add(u);
  else issue(c, '/LoginProfile', 'login profile without UserName skipped');
  return true;
}
