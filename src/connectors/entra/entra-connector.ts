import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import {
  assignmentItems,
  permissionGrantItems,
  scopeSummaryItems,
  type ScopeSummary,
} from './entra-grants.js';
import { applicationItems, ownerItems, servicePrincipalItems } from './entra-records.js';
import { guessHomeTenant, Resolver, SHARED } from './entra-resolver.js';
import { classify, isRecord, readGraphPage, str, type GraphKind, type Json } from './graph-page.js';

function indexPage(records: { value: unknown }[], hint: GraphKind | undefined) {
  const sps: Json[] = [];
  const apps: Json[] = [];
  for (const { value } of records) {
    if (!isRecord(value)) continue;
    const k = classify(value, hint);
    if (k === 'servicePrincipal') sps.push(value);
    else if (k === 'application') apps.push(value);
  }
  return { sps, apps };
}

/**
 * Before any file is read, learns object id -> appId and the home tenant from every Graph file of
 * the run, so that a grants file can name the service principals a separate export describes.
 */
async function prepare(file: SourceFile, shared: Map<string, string>): Promise<void> {
  const page = await readGraphPage(file);
  const { sps, apps } = indexPage(page.records, page.kind);
  for (const sp of sps) {
    const id = str(sp.id);
    const appId = str(sp.appId);
    if (!id || !appId) continue;
    shared.set(SHARED.object(id), appId);
    if (str(sp.displayName)) shared.set(SHARED.name(id), String(sp.displayName));
    // Each SP's owner organisation, to settle the home tenant on first read (sharedHomeTenant).
    const org = str(sp.appOwnerOrganizationId);
    if (org) shared.set(`entra:sp-org:${appId}`, org.toLowerCase());
  }
  for (const app of apps) {
    const id = str(app.id);
    const appId = str(app.appId);
    if (id && appId) shared.set(SHARED.appObject(id), appId);
    if (appId) shared.set(`entra:app:${appId}`, '1');
  }
  // Do not keep every Graph file parsed in memory until its turn to be read.
  file.release();
}

/** The home tenant from everything `prepare` saw (computed once per run, then cached in the map). */
function sharedHomeTenant(shared: ReadonlyMap<string, string>): string | undefined {
  const cached = shared.get(SHARED.tenant);
  if (cached) return cached;
  const sps: Json[] = [];
  const apps = new Set<string>();
  for (const [k, v] of shared) {
    if (k.startsWith('entra:sp-org:')) sps.push({ appId: k.slice(13), appOwnerOrganizationId: v });
    else if (k.startsWith('entra:app:')) apps.add(k.slice(10));
  }
  const t = guessHomeTenant(sps, apps);
  // The map is the run's shared scratchpad (ConnectorContext.configOwners); caching is an optimisation.
  if (t && shared instanceof Map) (shared as Map<string, string>).set(SHARED.tenant, t);
  return t;
}

async function* read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
  const page = await readGraphPage(file);
  for (const n of page.notes) yield { type: 'note', value: n };
  const resolver = new Resolver(ctx.configOwners);
  const { sps, apps } = indexPage(page.records, page.kind);
  for (const sp of sps)
    if (str(sp.id) && str(sp.appId))
      resolver.addServicePrincipal(String(sp.id), String(sp.appId), str(sp.displayName));
  for (const app of apps)
    if (str(app.id) && str(app.appId)) resolver.addApplication(String(app.id), String(app.appId));
  const tenant =
    sharedHomeTenant(ctx.configOwners) ?? guessHomeTenant(sps, new Set(apps.map((a) => String(a.appId))));

  const summary = new Map<string, ScopeSummary>();
  const owners: { value: unknown; pointer: string }[] = [];
  for (const { value, pointer } of page.records) {
    if (!isRecord(value)) {
      yield { type: 'skip', value: { pointer, reason: 'not a Graph object' } };
      continue;
    }
    const kind = classify(value, page.kind);
    let items: ImportItem[];
    switch (kind) {
      case 'application':
        items = applicationItems(value, pointer, tenant, ctx.now);
        break;
      case 'servicePrincipal':
        items = servicePrincipalItems(value, pointer, tenant, ctx.now);
        break;
      case 'oauth2PermissionGrant':
        items = permissionGrantItems(value, pointer, resolver, summary);
        break;
      case 'appRoleAssignment':
        items = assignmentItems(value, pointer, resolver);
        break;
      case 'directoryObject':
        owners.push({ value, pointer });
        items = [];
        break;
      default:
        items = [
          {
            type: 'skip',
            value: {
              pointer,
              reason: `not an application, servicePrincipal, oauth2PermissionGrant or appRoleAssignment (keys ${Object.keys(value).slice(0, 5).join(', ')})`,
            },
          },
        ];
    }
    yield* items;
  }
  if (owners.length > 0) yield* ownersList(owners, page.ownersOf, resolver);
  yield* scopeSummaryItems(summary);
  for (const objectId of resolver.unresolved) {
    yield {
      type: 'identity',
      value: {
        provider: 'azure',
        nativeId: `sp-object:${objectId}`,
        kind: 'oauth-app',
        attributes: { objectId, unresolvedObjectId: true },
      },
    };
  }
  if (resolver.unresolved.size > 0) {
    yield {
      type: 'note',
      value: {
        pointer: '',
        reason: `${resolver.unresolved.size} service principal object id(s) not described by any servicePrincipals export in this import; kept as azure identities 'sp-object:<objectId>' (attributes.objectId joins them to the service principal)`,
      },
    };
  }
}

function* ownersList(
  owners: { value: unknown; pointer: string }[],
  target: { type: 'application' | 'servicePrincipal'; objectId: string } | undefined,
  resolver: Resolver,
): Generator<ImportItem> {
  if (!target) {
    yield {
      type: 'skip',
      value: {
        pointer: owners[0]!.pointer,
        reason:
          'an owners list whose application is unknown: export it as applications/{id}/owners (the @odata.context or the file path names the id)',
      },
    };
    return;
  }
  const appId = resolver.appIdOf(target.objectId, target.type);
  const nativeId =
    appId ?? `${target.type === 'application' ? 'app-object' : 'sp-object'}:${target.objectId}`;
  const { items, refs } = ownerItems(
    owners.map((o) => o.value),
    { provider: 'azure', nativeId },
    owners[0]!.pointer.replace(/\/\d+$/, ''),
  );
  yield* items;
  const attributes: Record<string, unknown> = {
    [target.type === 'application' ? 'owners' : 'spOwners']: refs,
  };
  if (!appId)
    attributes[target.type === 'application' ? 'applicationObjectId' : 'objectId'] = target.objectId;
  yield {
    type: 'identity',
    value: refs[0]
      ? { provider: 'azure', nativeId, ownerRef: refs[0], attributes }
      : { provider: 'azure', nativeId, attributes },
  };
}

const SHAPES = [
  /"servicePrincipalType"\s*:/,
  /"requiredResourceAccess"\s*:/,
  /"consentType"\s*:[\s\S]*"clientId"\s*:|"clientId"\s*:[\s\S]*"consentType"\s*:/,
  /"appRoleId"\s*:[\s\S]*"principalId"\s*:/,
  /"appId"\s*:[\s\S]*"(passwordCredentials|keyCredentials|signInAudience|appOwnerOrganizationId)"\s*:/,
];

export const entraGraphConnector: Connector = {
  id: 'entra-graph',
  title:
    'Microsoft Graph JSON (applications, servicePrincipals, oauth2PermissionGrants, appRoleAssignments, owners)',
  // Runs early so its `prepare` index is complete before grant files are read (order only sorts).
  order: 8,
  detect(file) {
    const c = file.firstChar();
    if (c !== '{' && c !== '[') return 0;
    const head = file.head();
    if (/"@odata\.context"\s*:\s*"https:\/\/graph\.microsoft\.com\//.test(head)) return 0.95;
    if (SHAPES.some((re) => re.test(head))) return 0.85;
    return 0;
  },
  prepare,
  read,
};
