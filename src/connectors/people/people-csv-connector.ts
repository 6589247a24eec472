import { WardenError } from '../../errors/index.js';
import type { PersonStatus } from '../../model/index.js';
import type { ImportItem, OwnerInput } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import { note, skip, time } from '../github/json-fields.js';
import { detectDelimiter, parseCsv } from './csv-parse.js';
import { ownerItems, personStatus } from './person-fns.js';

/**
 * `people.csv`: the people list that says who owns what and who has left. Columns (header names,
 * case and spaces ignored; common HR/IdP export names accepted):
 * `email` (required), `name` (or first_name + last_name), `status` (active|departed and
 * synonyms), `departed_at` (termination date...), `manager`, optional `github` login, `department`,
 * `title`. Unknown columns are reported once as a note; a row without an email is skipped with its line.
 */
const COLUMNS: Record<string, string[]> = {
  email: [
    'email',
    'e_mail',
    'mail',
    'email_address',
    'work_email',
    'primary_email',
    'user_email',
    'upn',
    'userprincipalname',
    'user_principal_name',
  ],
  name: ['name', 'full_name', 'fullname', 'display_name', 'displayname', 'person', 'employee_name'],
  first: ['first_name', 'firstname', 'given_name', 'givenname'],
  last: ['last_name', 'lastname', 'family_name', 'familyname', 'surname'],
  status: ['status', 'state', 'employment_status', 'employee_status', 'active', 'account_status'],
  departed: [
    'departed_at',
    'departed',
    'departure_date',
    'left_at',
    'left_on',
    'leave_date',
    'termination_date',
    'terminated_at',
    'terminated_on',
    'end_date',
    'offboarded_at',
    'deactivated_at',
    'last_day',
  ],
  manager: ['manager', 'manager_email', 'reports_to', 'supervisor', 'line_manager'],
  github: ['github', 'github_login', 'github_username', 'github_user', 'login', 'username'],
  department: ['department', 'team', 'dept', 'org_unit'],
  title: ['title', 'job_title', 'role'],
  id: ['id', 'employee_id', 'employee_number'],
};

export function normaliseHeader(h: string): string {
  return h
    .trim()
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

export function mapColumns(header: string[]): {
  index: Partial<Record<keyof typeof COLUMNS, number>>;
  unknown: string[];
} {
  const index: Partial<Record<string, number>> = {};
  const unknown: string[] = [];
  header.forEach((raw, i) => {
    const h = normaliseHeader(raw);
    const key = Object.keys(COLUMNS).find((k) => COLUMNS[k]!.includes(h));
    if (key && index[key] === undefined) index[key] = i;
    else if (h !== '') unknown.push(raw.trim());
  });
  return { index, unknown };
}

export const peopleCsvConnector: Connector = {
  id: 'people-csv',
  title: 'People list (people.csv)',
  detect(file) {
    if (!/\.(csv|tsv)(\.gz)?$/i.test(file.name)) return 0;
    const first = file.head().split(/\r?\n/, 1)[0] ?? '';
    const header = first.split(detectDelimiter(first)).map(normaliseHeader);
    const { index } = mapColumns(header);
    if (index.email === undefined) return /^(people|users|employees|staff)\b/i.test(file.name) ? 0.5 : 0;
    const extra = ['name', 'first', 'status', 'departed', 'manager'].filter(
      (k) => index[k as keyof typeof COLUMNS] !== undefined,
    ).length;
    if (/^people\.csv$/i.test(file.name)) return 0.95;
    return extra >= 1 ? 0.85 : 0.4;
  },
  async *read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
    const text = await file.text();
    const { rows, unterminatedAt } = parseCsv(text);
    const header = rows[0];
    if (!header)
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}: empty file, expected a header line with an email column`,
        { details: { file: file.display } },
      );
    const { index, unknown } = mapColumns(header.fields);
    if (index.email === undefined) {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}:1: no email column in the header (found: ${header.fields.map((f) => f.trim()).join(', ')}); expected "email"`,
        {
          details: { file: file.display, line: 1 },
        },
      );
    }
    if (unknown.length > 0) yield note('line 1', `unknown column(s) ignored: ${unknown.join(', ')}`);
    if (index.status === undefined && index.departed === undefined)
      yield note('line 1', 'no status or departed_at column: everyone listed is taken as active');
    if (unterminatedAt !== undefined)
      yield skip(
        `line ${unterminatedAt}`,
        'unterminated quoted field: the rest of the file from here was read as one field',
      );
    const width = header.fields.length;
    const seen = new Set<string>();
    for (const row of rows.slice(1)) {
      const at = `line ${row.line}`;
      const get = (k: keyof typeof COLUMNS): string | undefined => {
        const i = index[k];
        const v = i === undefined ? undefined : row.fields[i]?.trim();
        return v === '' ? undefined : v;
      };
      if (row.fields.length !== width)
        yield note(at, `${row.fields.length} fields where the header has ${width}`);
      const email = get('email')?.toLowerCase();
      if (!email) {
        yield skip(at, 'no email');
        continue;
      }
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
        yield skip(at, `"${email}" is not an email address`);
        continue;
      }
      if (seen.has(email)) yield note(at, `${email} is listed more than once; the later row wins`);
      seen.add(email);
      const rawStatus = get('status');
      const departedRaw = get('departed');
      const departedAt = time(departedRaw);
      if (departedRaw && !departedAt) yield note(at, `departed_at "${departedRaw}" is not a date`);
      let status: PersonStatus = personStatus(rawStatus);
      if (rawStatus && status === 'unknown')
        yield note(at, `status "${rawStatus}" not understood (expected active or departed)`);
      if (!rawStatus) status = departedAt && departedAt <= ctx.now ? 'departed' : 'active';
      const first = get('first');
      const last = get('last');
      const name = get('name') ?? ([first, last].filter(Boolean).join(' ') || undefined);
      const person: OwnerInput = { ref: email, email, status };
      if (name) person.name = name;
      if (status === 'departed' && departedAt) person.departedAt = departedAt;
      const attributes: Record<string, unknown> = {};
      const manager = get('manager');
      if (manager) attributes.manager = manager.includes('@') ? manager.toLowerCase() : manager;
      for (const k of ['department', 'title', 'id'] as const) {
        const v = get(k);
        if (v) attributes[k === 'id' ? 'employeeId' : k] = v;
      }
      if (status !== 'departed' && departedAt) attributes.leavingAt = departedAt;
      const github = get('github');
      if (github) attributes.github = github;
      person.attributes = attributes;
      yield* ownerItems(person, github ? [github] : []);
    }
  },
};
