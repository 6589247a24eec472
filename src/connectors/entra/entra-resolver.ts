import { MICROSOFT_TENANTS } from './graph-permissions.js';
import { str, type Json } from './graph-page.js';
import type { IdentityRef } from '../../model/index.js';

/** Keys under which `prepare` shares what it learnt across the files of one import run. */
export const SHARED = {
  object: (id: string) => `entra:object:${id.toLowerCase()}`,
  name: (id: string) => `entra:name:${id.toLowerCase()}`,
  appObject: (id: string) => `entra:app-object:${id.toLowerCase()}`,
  tenant: 'entra:home-tenant',
} as const;

/** Identity native id for a service principal known only by its object id (see index.ts). */
export const unresolvedNativeId = (objectId: string): string => `sp-object:${objectId.toLowerCase()}`;

/**
 * Resolution of Entra object ids (what grants and assignments reference) to appIds (what Warden
 * keys identities by): from the file itself first, then from the other files of the same import.
 */
export class Resolver {
  private readonly objects = new Map<string, { appId: string; name?: string }>();
  private readonly appObjects = new Map<string, string>();
  readonly unresolved = new Set<string>();

  constructor(private readonly shared: ReadonlyMap<string, string>) {}

  addServicePrincipal(objectId: string, appId: string, name: string | undefined): void {
    this.objects.set(objectId.toLowerCase(), name ? { appId, name } : { appId });
  }

  addApplication(objectId: string, appId: string): void {
    this.appObjects.set(objectId.toLowerCase(), appId);
  }

  /** The SP with this object id as an identity ref; unresolved ones get `sp-object:ID`. */
  sp(objectId: string): IdentityRef & { resolved: boolean } {
    const id = objectId.toLowerCase();
    const appId = this.objects.get(id)?.appId ?? this.shared.get(SHARED.object(id));
    if (appId) return { provider: 'azure', nativeId: appId, resolved: true };
    this.unresolved.add(id);
    return { provider: 'azure', nativeId: unresolvedNativeId(id), resolved: false };
  }

  /** The appId of an application or SP object id, when known. */
  appIdOf(objectId: string, type: 'application' | 'servicePrincipal'): string | undefined {
    const id = objectId.toLowerCase();
    if (type === 'application') return this.appObjects.get(id) ?? this.shared.get(SHARED.appObject(id));
    return this.objects.get(id)?.appId ?? this.shared.get(SHARED.object(id));
  }

  nameOf(objectId: string): string | undefined {
    const id = objectId.toLowerCase();
    return this.objects.get(id)?.name ?? this.shared.get(SHARED.name(id));
  }
}

/**
 * The tenant the export comes from (Graph does not say it): the owner organisation of service
 * principals whose application is registered in the same export, else the most common owner
 * organisation that is not Microsoft, if at least two service principals share it and it is a
 * strict majority. Otherwise undefined: then `thirdParty` is left unknown rather than guessed.
 */
export function guessHomeTenant(sps: Json[], appIds: ReadonlySet<string>): string | undefined {
  const votes = new Map<string, number>();
  for (const sp of sps) {
    const org = str(sp.appOwnerOrganizationId)?.toLowerCase();
    if (!org || MICROSOFT_TENANTS.has(org)) continue;
    const w = appIds.has(String(sp.appId)) ? 1000 : 1;
    votes.set(org, (votes.get(org) ?? 0) + w);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best) return undefined;
  if (best[1] >= 1000) return best[0];
  return best[1] >= 2 && (!second || best[1] > second[1]) ? best[0] : undefined;
}
