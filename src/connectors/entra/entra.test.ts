import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { ImportItem } from '../../store/index.js';
import { openTestStore } from '../../store/test-utils/dialects.js';
import type { ConnectorContext } from '../core/types.js';
import { SourceFile } from '../core/source-file.js';
import { importPaths } from '../import-service.js';
import { connectors } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'warden-entra-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = '2026-11-26T00:00:00.000Z';
const ctx = (): ConnectorContext => ({
  config: ConfigSchema.parse({}),
  salt: 's',
  now: NOW,
  configOwners: new Map(),
});
const connector = connectors[0]!;

function write(name: string, content: unknown): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}
async function readAll(file: string): Promise<ImportItem[]> {
  const f = new SourceFile(file, dir);
  expect(connector.detect(f)).toBeGreaterThan(0.5);
  const out: ImportItem[] = [];
  for await (const i of connector.read(f, ctx())) out.push(i);
  return out;
}
type ValueOf<T extends ImportItem['type']> =
  Extract<ImportItem, { type: T }> extends { value: infer V } ? V : never;
function of<T extends ImportItem['type']>(items: ImportItem[], t: T): ValueOf<T>[] {
  return items.filter((i) => i.type === t).map((i) => i.value) as unknown as ValueOf<T>[];
}

// Deterministic GUID-shaped ids (not secrets): n -> 0000000n-...
const guid = (n: number, tail = 'a'): string =>
  `${String(n).padStart(8, '0')}-0000-4000-8000-${tail.charCodeAt(0).toString(16).repeat(6)}`;
const TENANT = guid(1, 't');
const VENDOR = guid(2, 'v');
const MS = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const ctxUrl = (what: string, v = 'v1.0') => `https://graph.microsoft.com/${v}/$metadata#${what}`;

const APP = {
  id: guid(10, 'o'),
  appId: guid(11, 'c'),
  displayName: 'support-bot',
  createdDateTime: '2025-01-10T09:00:00Z',
  signInAudience: 'AzureADMyOrg',
  passwordCredentials: [
    {
      customKeyIdentifier: null,
      displayName: 'prod secret',
      endDateTime: '2030-11-01T00:00:00Z',
      hint: 'Q~x',
      keyId: guid(12, 'k'),
      secretText: null,
      startDateTime: '2025-11-01T00:00:00Z',
    },
  ],
  keyCredentials: [
    {
      customKeyIdentifier: 'AB12',
      displayName: 'CN=support-bot',
      endDateTime: '2025-06-01T00:00:00Z',
      keyId: guid(13, 'k'),
      startDateTime: '2024-06-01T00:00:00Z',
      type: 'AsymmetricX509Cert',
      usage: 'Verify',
      key: null,
    },
  ],
  requiredResourceAccess: [
    {
      resourceAppId: GRAPH,
      resourceAccess: [
        { id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', type: 'Role' },
        { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' },
        { id: guid(14, 'u'), type: 'Role' },
      ],
    },
  ],
  owners: [
    {
      '@odata.type': '#microsoft.graph.user',
      id: guid(15, 'p'),
      displayName: 'Dana Lee',
      mail: 'dana@acme.example',
      userPrincipalName: 'dana@acme.example',
    },
  ],
};

const SPS = [
  {
    id: guid(20, 'o'),
    appId: APP.appId,
    displayName: 'support-bot',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: TENANT,
    accountEnabled: true,
    passwordCredentials: [],
    keyCredentials: [],
    tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'agent=support-bot'],
  },
  {
    id: guid(21, 'o'),
    appId: guid(22, 'c'),
    displayName: 'MailMagic',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: VENDOR,
    accountEnabled: true,
    publisherName: 'MailMagic Inc',
    passwordCredentials: [],
    keyCredentials: [],
  },
  {
    id: guid(23, 'o'),
    appId: guid(24, 'c'),
    displayName: 'rag-indexer-mi',
    servicePrincipalType: 'ManagedIdentity',
    appOwnerOrganizationId: null,
    accountEnabled: true,
    alternativeNames: [
      'isExplicit=True',
      '/subscriptions/s1/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/rag-indexer-mi',
    ],
  },
  {
    id: guid(25, 'o'),
    appId: GRAPH,
    displayName: 'Microsoft Graph',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: MS,
    accountEnabled: true,
  },
  {
    id: guid(26, 'o'),
    appId: guid(27, 'c'),
    displayName: 'old-bot',
    servicePrincipalType: 'Application',
    appOwnerOrganizationId: TENANT,
    accountEnabled: false,
  },
  { displayName: 'no ids' },
];

const GRANTS = [
  {
    id: 'grant-1',
    clientId: guid(21, 'o'),
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: guid(25, 'o'),
    scope: 'Mail.ReadWrite offline_access User.Read',
  },
  {
    id: 'grant-2',
    clientId: guid(99, 'o'),
    consentType: 'Principal',
    principalId: guid(15, 'p'),
    resourceId: guid(25, 'o'),
    scope: 'User.Read',
  },
];

const ASSIGNMENTS = [
  {
    id: 'asg-1',
    appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
    createdDateTime: '2025-02-01T00:00:00Z',
    principalDisplayName: 'support-bot',
    principalId: guid(20, 'o'),
    principalType: 'ServicePrincipal',
    resourceDisplayName: 'Microsoft Graph',
    resourceId: guid(25, 'o'),
  },
  {
    id: 'asg-2',
    appRoleId: guid(40, 'r'),
    principalId: guid(20, 'o'),
    principalType: 'ServicePrincipal',
    resourceDisplayName: 'Contoso API',
    resourceId: guid(41, 'o'),
  },
  {
    id: 'asg-3',
    appRoleId: '00000000-0000-0000-0000-000000000000',
    principalId: guid(15, 'p'),
    principalType: 'User',
    principalDisplayName: 'Dana Lee',
    resourceId: guid(20, 'o'),
  },
];

describe('entra graph connector', () => {
  it('reads applications with credentials, requested permissions and owners', async () => {
    const items = await readAll(
      write('applications.json', {
        '@odata.context': ctxUrl('applications(owners())'),
        value: [APP, { displayName: 'x', signInAudience: 'AzureADMyOrg', appId: '' }],
      }),
    );
    const ids = of(items, 'identity');
    expect(ids.find((i) => i.nativeId === APP.appId)).toMatchObject({
      kind: 'oauth-app',
      name: 'support-bot',
      ownerRef: 'dana@acme.example',
      createdAt: '2025-01-10T09:00:00.000Z',
      attributes: { applicationObjectId: APP.id },
    });
    const secret = ids.find((i) => i.kind === 'api-key')!;
    expect(secret).toMatchObject({
      nativeId: `${APP.appId}/password/${guid(12, 'k')}`,
      expiresAt: '2030-11-01T00:00:00.000Z',
      status: 'active',
      attributes: { hint: { prefix: 'Q~x' }, parent: APP.appId },
    });
    expect(ids.find((i) => i.kind === 'certificate')).toMatchObject({
      status: 'expired',
      attributes: { usage: 'Verify' },
    });
    const grants = of(items, 'grant');
    expect(grants.map((g) => [g.actions[0], g.level, g.conditions?.permissionType])).toEqual([
      ['RoleManagement.ReadWrite.Directory', 'admin', 'application'],
      ['User.Read', 'read', 'delegated'],
      [guid(14, 'u'), 'write', 'application'],
    ]);
    expect(grants[0]!.sensitivity).toBe('critical');
    expect(of(items, 'owner')[0]).toMatchObject({ ref: 'dana@acme.example', name: 'Dana Lee' });
    expect(of(items, 'edge').some((e) => e.kind === 'owns' && e.from.type === 'owner')).toBe(true);
    expect(of(items, 'skip')).toEqual([
      { pointer: '/value/1/appId', reason: 'application without an appId' },
    ]);
  });

  it('reads service principals: third party, managed identity, disabled, tags', async () => {
    const items = await readAll(
      write('servicePrincipals.json', { '@odata.context': ctxUrl('servicePrincipals'), value: SPS }),
    );
    const byApp = new Map(of(items, 'identity').map((i) => [i.nativeId, i]));
    expect(byApp.get(APP.appId)).toMatchObject({
      account: TENANT,
      thirdParty: false,
      attributes: { objectId: guid(20, 'o'), tags: { agent: 'support-bot' } },
    });
    expect(byApp.get(guid(22, 'c'))).toMatchObject({
      thirdParty: true,
      attributes: { publisherName: 'MailMagic Inc' },
    });
    expect(byApp.get(guid(24, 'c'))).toMatchObject({
      kind: 'workload-identity',
      attributes: { managedIdentity: { userAssigned: true } },
    });
    expect(byApp.get(GRAPH)).toMatchObject({ thirdParty: false, attributes: { microsoftFirstParty: true } });
    expect(byApp.get(guid(27, 'c'))!.status).toBe('disabled');
    expect(of(items, 'skip')[0]!.pointer).toBe('/value/5/appId');
  });

  it('reads app role assignments, naming well-known Graph roles', async () => {
    const items = await readAll(
      write(`servicePrincipals/${guid(20, 'o')}/appRoleAssignments.json`, {
        '@odata.context': ctxUrl(`servicePrincipals('${guid(20, 'o')}')/appRoleAssignments`),
        value: ASSIGNMENTS,
      }),
    );
    const grants = of(items, 'grant');
    expect(grants[0]).toMatchObject({
      actions: ['RoleManagement.ReadWrite.Directory'],
      level: 'admin',
      resources: ['Microsoft Graph'],
      identity: { nativeId: `sp-object:${guid(20, 'o')}` },
    });
    expect(grants[1]!.actions).toEqual([guid(40, 'r')]);
    expect(of(items, 'note').some((n) => n.pointer === '/value/2')).toBe(true);
    expect(of(items, 'identity').find((i) => i.nativeId.startsWith('sp-object:'))?.attributes).toEqual({
      objectId: guid(20, 'o'),
      unresolvedObjectId: true,
    });
  });

  it('reads an owners list named by its path', async () => {
    const items = await readAll(
      write(`applications/${APP.id}/owners.json`, {
        '@odata.context': ctxUrl('directoryObjects'),
        value: APP.owners,
      }),
    );
    expect(of(items, 'identity')[0]).toMatchObject({
      nativeId: `app-object:${APP.id}`,
      ownerRef: 'dana@acme.example',
    });
  });

  it('an owners list of an unknown application is skipped with the reason', async () => {
    const items = await readAll(
      write('owners.json', { '@odata.context': ctxUrl('directoryObjects'), value: APP.owners }),
    );
    expect(of(items, 'skip')[0]!.reason).toMatch(/owners list whose application is unknown/);
  });

  it('bad input: a page without value, value not an array, truncated JSON, beta endpoint', async () => {
    await expect(
      readAll(
        write('p1.json', {
          '@odata.context': ctxUrl('servicePrincipals'),
          '@odata.nextLink': 'https://graph.microsoft.com/v1.0/servicePrincipals?$skiptoken=x',
        }),
      ),
    ).rejects.toThrow(/p1\.json: Microsoft Graph page without `value`/);
    await expect(
      readAll(write('p2.json', { '@odata.context': ctxUrl('servicePrincipals'), value: { id: 1 } })),
    ).rejects.toThrow(/p2\.json: \/value must be an array/);
    await expect(
      readAll(
        write(
          'p3.json',
          JSON.stringify({ '@odata.context': ctxUrl('servicePrincipals'), value: SPS }, null, 2).slice(
            0,
            300,
          ),
        ),
      ),
    ).rejects.toThrow(/p3\.json:\d+/);
    const beta = await readAll(
      write('p4.json', { '@odata.context': ctxUrl('servicePrincipals', 'beta'), value: [SPS[0]] }),
    );
    expect(of(beta, 'note')[0]!.reason).toMatch(/beta endpoint/);
    expect(of(beta, 'identity')).toHaveLength(1);
  });

  it('accepts a bare array and a single object', async () => {
    expect(of(await readAll(write('bare.json', [APP])), 'identity').length).toBeGreaterThan(1);
    const one = of(await readAll(write('one.json', SPS[1])), 'identity')[0]!;
    expect(one.nativeId).toBe(guid(22, 'c'));
    // One vendor SP alone says nothing about the home tenant: third party stays unknown.
    expect(one.thirdParty).toBeUndefined();
    expect(one.account).toBeUndefined();
  });

  it('imports through importPaths: grants resolve across files, idempotently', async () => {
    const sub = mkdtempSync(path.join(dir, 'imp-'));
    writeFileSync(
      path.join(sub, 'applications.json'),
      JSON.stringify({ '@odata.context': ctxUrl('applications'), value: [APP] }),
    );
    writeFileSync(
      path.join(sub, 'servicePrincipals.json'),
      JSON.stringify({ '@odata.context': ctxUrl('servicePrincipals'), value: SPS }),
    );
    writeFileSync(
      path.join(sub, 'oauth2PermissionGrants.json'),
      JSON.stringify({ '@odata.context': ctxUrl('oauth2PermissionGrants'), value: GRANTS }),
    );
    writeFileSync(
      path.join(sub, 'appRoleAssignments.json'),
      JSON.stringify({
        '@odata.context': ctxUrl(`servicePrincipals('${guid(20, 'o')}')/appRoleAssignments`),
        value: ASSIGNMENTS,
      }),
    );
    const { store, close } = await openTestStore('sqlite');
    try {
      const config = ConfigSchema.parse({});
      const run = () => importPaths({ store, config, connectors, paths: [sub], now: NOW });
      const first = await run();
      expect(first.files.every((f) => f.status === 'imported')).toBe(true);
      const vendor = await store.findIdentity('azure', guid(22, 'c'));
      expect(vendor).toMatchObject({
        thirdParty: true,
        account: TENANT,
        attributes: { broadScopes: ['Mail.ReadWrite'], tenantWideConsent: true },
      });
      const vg = await store.listGrants({ identityId: vendor!.id });
      expect(vg[0]).toMatchObject({
        actions: ['Mail.ReadWrite', 'offline_access', 'User.Read'],
        level: 'write',
        resources: ['Microsoft Graph'],
      });
      const bot = await store.findIdentity('azure', APP.appId);
      expect(bot).toMatchObject({
        kind: 'oauth-app',
        ownerRef: 'dana@acme.example',
        attributes: { objectId: guid(20, 'o'), applicationObjectId: APP.id },
      });
      expect((await store.listGrants({ identityId: bot!.id })).map((g) => g.actions[0])).toContain(
        'RoleManagement.ReadWrite.Directory',
      );
      expect(await store.findIdentity('azure', `sp-object:${guid(20, 'o')}`)).toBeUndefined();
      expect(await store.findIdentity('azure', `sp-object:${guid(99, 'o')}`)).toBeDefined();
      const links = await store.listLinks({ identityId: bot!.id });
      expect(links.map((l) => l.source)).toEqual(['tag']);
      const before = await store.counts();
      const second = await run();
      expect(second.files.every((f) => f.gone === 0)).toBe(true);
      expect(await store.counts()).toEqual(before);
    } finally {
      await close();
    }
  });
});
