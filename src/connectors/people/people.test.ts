import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import { importPaths } from '../import-service.js';
import { CONNECTORS } from '../registry.js';
import { ofType, readAll, sourceFile, tempDir, write } from '../github/test-utils/connector-harness.js';
import { parseCsv } from './csv-parse.js';
import { oktaUsersConnector, scimUsersConnector } from './idp-users-connectors.js';
import { peopleCsvConnector } from './people-csv-connector.js';
import { personStatus } from './person-fns.js';

const CSV = [
  'Email,Name,Status,Departed At,Manager,GitHub,Team,Shoe Size',
  'maria.garcia@acme.test,Maria Garcia,active,,li.chen@acme.test,mgarcia,platform,38',
  'JAMES.SMITH@acme.test,"Smith, James",departed,2026-05-01,,jsmith-acme,devex,44',
  ',No Email,active,,,,,',
  'li.chen@acme.test,Li Chen,,,,,,',
  'tom.rossi@acme.test,Tom Rossi,on sabbatical,,,,,',
].join('\r\n');

describe('people.csv connector', () => {
  it('reads people, departures, managers and GitHub aliases; notes unknown columns', async () => {
    const f = write(tempDir(), 'people.csv', CSV);
    expect(peopleCsvConnector.detect(sourceFile(f))).toBe(0.95);
    const items = await readAll(peopleCsvConnector, f);
    const owners = ofType(items, 'owner');
    expect(owners.find((o) => o.ref === 'maria.garcia@acme.test')).toMatchObject({
      status: 'active',
      name: 'Maria Garcia',
      attributes: { manager: 'li.chen@acme.test', github: 'mgarcia', department: 'platform' },
    });
    expect(owners.find((o) => o.ref === 'james.smith@acme.test')).toMatchObject({
      name: 'Smith, James',
      status: 'departed',
      departedAt: '2026-05-01T00:00:00.000Z',
    });
    expect(owners.find((o) => o.ref === 'jsmith-acme')).toMatchObject({
      email: 'james.smith@acme.test',
      status: 'departed',
      attributes: { aliasOf: 'james.smith@acme.test' },
    });
    expect(owners.find((o) => o.ref === 'li.chen@acme.test')?.status).toBe('active');
    expect(owners.find((o) => o.ref === 'tom.rossi@acme.test')?.status).toBe('unknown');
    expect(ofType(items, 'skip')).toEqual([{ pointer: 'line 4', reason: 'no email' }]);
    const notes = ofType(items, 'note');
    expect(notes[0]).toEqual({ pointer: 'line 1', reason: 'unknown column(s) ignored: Shoe Size' });
    expect(notes.some((n) => n.pointer === 'line 6' && /on sabbatical/.test(n.reason))).toBe(true);
  });

  it('accepts semicolons, a departure date without status, and first/last names', async () => {
    const f = write(
      tempDir(),
      'staff.csv',
      'work_email;first_name;last_name;termination_date\na@x.test;Ann;Lee;2026-01-02\nb@x.test;Bo;Ng;2027-12-01\n',
    );
    expect(peopleCsvConnector.detect(sourceFile(f))).toBe(0.85);
    const owners = ofType(await readAll(peopleCsvConnector, f), 'owner');
    expect(owners[0]).toMatchObject({
      ref: 'a@x.test',
      name: 'Ann Lee',
      status: 'departed',
      departedAt: '2026-01-02T00:00:00.000Z',
    });
    expect(owners[1]).toMatchObject({
      status: 'active',
      attributes: { leavingAt: '2027-12-01T00:00:00.000Z' },
    });
  });

  it('fails a file without an email column with its header, and does not claim other CSVs', async () => {
    const d = tempDir();
    const f = write(d, 'people.csv', 'name,status\nA,active\n');
    await expect(readAll(peopleCsvConnector, f)).rejects.toThrow(
      /people\.csv:1: no email column in the header \(found: name, status\)/,
    );
    expect(
      peopleCsvConnector.detect(
        sourceFile(write(d, 'credential-report.csv', 'user,arn,user_creation_time\n')),
      ),
    ).toBe(0);
  });

  it('parses RFC 4180 quoting and reports an unterminated quote', () => {
    expect(parseCsv('a,b\n"x ""y""","multi\nline"\n').rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x "y"', 'multi\nline'] },
    ]);
    expect(parseCsv('a\n"open\n').unterminatedAt).toBe(2);
  });

  it('maps status spellings', () => {
    expect(personStatus('Terminated')).toBe('departed');
    expect(personStatus('ACTIVE')).toBe('active');
    expect(personStatus('maybe')).toBe('unknown');
  });
});

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
function scimList() {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: 3,
    startIndex: 1,
    itemsPerPage: 3,
    Resources: [
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
        id: '2819c223-7f76-453a-919d-413861904646',
        externalId: 'bjensen',
        userName: 'bjensen',
        name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
        emails: [
          { value: 'bjensen@home.example', type: 'home' },
          { value: 'Barbara.Jensen@acme.test', type: 'work', primary: true },
        ],
        active: false,
        [ENT]: {
          employeeNumber: '701984',
          department: 'Tour Operations',
          manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
        },
        meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2026-06-01T04:56:22Z' },
      },
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        id: '26118915-6090-4610-87e4-49d8ca9f808d',
        userName: 'john.smith@acme.test',
        displayName: 'John Smith',
        active: true,
      },
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'x', userName: 'no-email' },
    ],
  };
}

describe('SCIM users connector', () => {
  it('reads a ListResponse: active false = departed, manager resolved to email, userName alias', async () => {
    const f = write(tempDir(), 'scim-users.json', scimList());
    expect(scimUsersConnector.detect(sourceFile(f))).toBe(0.95);
    const items = await readAll(scimUsersConnector, f);
    const owners = ofType(items, 'owner');
    expect(owners[0]).toMatchObject({
      ref: 'barbara.jensen@acme.test',
      status: 'departed',
      departedAt: '2026-06-01T04:56:22.000Z',
      attributes: {
        manager: 'john.smith@acme.test',
        department: 'Tour Operations',
        departedAtApproximate: true,
      },
    });
    expect(owners[1]).toMatchObject({
      ref: 'bjensen',
      email: 'barbara.jensen@acme.test',
      status: 'departed',
    });
    expect(owners[2]).toMatchObject({ ref: 'john.smith@acme.test', status: 'active', name: 'John Smith' });
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/Resources/2', reason: 'user has no email (emails[].value or an email-shaped userName)' },
    ]);
  });

  it('rejects a wrong shape and truncated JSON', async () => {
    await expect(
      readAll(
        scimUsersConnector,
        write(tempDir(), 's.json', {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: 2,
        }),
      ),
    ).rejects.toThrow(/expected a SCIM ListResponse/);
    await expect(
      readAll(scimUsersConnector, write(tempDir(), 's.json', JSON.stringify(scimList()).slice(0, 150))),
    ).rejects.toThrow(/s\.json:1:\d+: invalid JSON/);
  });
});

function oktaUsers() {
  const u = (
    id: string,
    status: string,
    email: string | undefined,
    login: string,
    extra: Record<string, unknown> = {},
  ) => ({
    id,
    status,
    created: '2024-01-01T00:00:00.000Z',
    activated: '2024-01-01T00:00:00.000Z',
    statusChanged: '2026-04-01T10:00:00.000Z',
    lastLogin: '2026-03-30T10:00:00.000Z',
    lastUpdated: '2026-04-01T10:00:00.000Z',
    passwordChanged: null,
    type: { id: 'oty1' },
    profile: {
      firstName: 'A',
      lastName: id,
      mobilePhone: null,
      secondEmail: null,
      login,
      ...(email ? { email } : {}),
      ...extra,
    },
    credentials: {},
    _links: { self: { href: `https://acme.okta.com/api/v1/users/${id}` } },
  });
  return [
    u('00u1', 'ACTIVE', 'maria.garcia@acme.test', 'maria.garcia@acme.test'),
    u('00u2', 'DEPROVISIONED', 'james.smith@acme.test', 'jsmith', { managerId: '00u1' }),
    u('00u3', 'SUSPENDED', 'sus@acme.test', 'sus@acme.test'),
    u('00u4', 'STAGED', undefined, 'staged-user'),
  ];
}

describe('Okta users connector', () => {
  it('reads users: DEPROVISIONED = departed at statusChanged, SUSPENDED unknown, login alias, manager by id', async () => {
    const f = write(tempDir(), 'okta-users.json', oktaUsers());
    expect(oktaUsersConnector.detect(sourceFile(f))).toBe(0.9);
    expect(scimUsersConnector.detect(sourceFile(f))).toBe(0);
    const items = await readAll(oktaUsersConnector, f);
    const owners = ofType(items, 'owner');
    expect(owners.find((o) => o.ref === 'james.smith@acme.test')).toMatchObject({
      status: 'departed',
      departedAt: '2026-04-01T10:00:00.000Z',
      attributes: { manager: 'maria.garcia@acme.test', idpStatus: 'DEPROVISIONED' },
    });
    expect(owners.find((o) => o.ref === 'jsmith')).toMatchObject({
      status: 'departed',
      email: 'james.smith@acme.test',
    });
    expect(owners.find((o) => o.ref === 'sus@acme.test')).toMatchObject({
      status: 'unknown',
      attributes: { idpStatus: 'SUSPENDED' },
    });
    expect(owners.find((o) => o.ref === 'maria.garcia@acme.test')?.status).toBe('active');
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/3/profile', reason: 'user has no profile.email or email-shaped profile.login' },
    ]);
  });
});

describe('people lists through importPaths (sqlite)', () => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore('sqlite'));
  });
  afterEach(async () => close());

  it('stores owners with status, idempotently; a later IdP export updates status', async () => {
    const dir = tempDir();
    write(dir, 'people/people.csv', CSV);
    const run = () =>
      importPaths({
        store,
        config: ConfigSchema.parse({}),
        connectors: CONNECTORS,
        paths: [dir],
        now: '2026-11-26T00:00:00.000Z',
      });
    const res = await run();
    expect(res.files[0]).toMatchObject({ format: 'people-csv', status: 'imported' });
    expect(res.files[0]!.skipped).toEqual([{ pointer: 'line 4', reason: 'no email' }]);
    const owners = await store.listOwners();
    expect(owners.find((o) => o.ref === 'jsmith-acme')).toMatchObject({
      status: 'departed',
      email: 'james.smith@acme.test',
    });
    const counts = await store.counts();
    await run();
    expect(await store.counts()).toEqual(counts);
    write(dir, 'okta/users.json', oktaUsers());
    await run();
    expect((await store.listOwners()).find((o) => o.ref === 'maria.garcia@acme.test')?.status).toBe('active');
    expect((await store.listOwners()).find((o) => o.ref === 'jsmith')?.status).toBe('departed');
  });
});
