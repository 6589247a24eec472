import { WardenError } from '../../errors/index.js';
import type { SkipInput } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';

/*
 * A Microsoft Graph collection response: `{"@odata.context": ".../v1.0/$metadata#applications",
 * "value": [...], "@odata.nextLink"?: "..."}` (https://learn.microsoft.com/en-us/graph/paging and
 * https://learn.microsoft.com/en-us/graph/api/resources/application ,
 * .../servicePrincipal , .../oauth2permissiongrant , .../approleassignment). Exports made with
 * PowerShell or `az rest` are sometimes a bare array of the same objects, or one object.
 */

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export type GraphKind =
  'application' | 'servicePrincipal' | 'oauth2PermissionGrant' | 'appRoleAssignment' | 'directoryObject';

export interface GraphPage {
  records: { value: unknown; pointer: string }[];
  /** What the context says the collection holds, when it says. */
  kind: GraphKind | undefined;
  /** For `applications/{id}/owners` and `servicePrincipals/{id}/owners`: whose owners. */
  ownersOf?: { type: 'application' | 'servicePrincipal'; objectId: string } | undefined;
  notes: SkipInput[];
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function kindOfContext(ctx: string | undefined): GraphKind | undefined {
  if (!ctx) return undefined;
  const frag = ctx.slice(ctx.indexOf('#') + 1);
  if (/appRoleAssign(ments|edTo)/.test(frag)) return 'appRoleAssignment';
  if (/^(directoryObjects|users)\b|^\w+\('[^']*'\)\/owners/.test(frag)) return 'directoryObject';
  if (/^oauth2PermissionGrants/.test(frag)) return 'oauth2PermissionGrant';
  if (/^servicePrincipals/.test(frag)) return 'servicePrincipal';
  if (/^applications/.test(frag)) return 'application';
  return undefined;
}

/** Where the owners list belongs, from the context or the file's path (`applications/ID/owners.json`). */
function ownersTarget(ctx: string | undefined, filePath: string): GraphPage['ownersOf'] {
  for (const s of [ctx ?? '', filePath.replace(/\\/g, '/')]) {
    const m = new RegExp(
      `(applications|servicePrincipals)(?:\\('|/|[-_.])(${GUID})(?:'\\)|/|[-_.])owners`,
      'i',
    ).exec(s);
    if (m)
      return {
        type: m[1]!.toLowerCase() === 'applications' ? 'application' : 'servicePrincipal',
        objectId: m[2]!.toLowerCase(),
      };
  }
  return undefined;
}

/** Classifies one Graph object by `@odata.type` or its distinctive fields. */
export function classify(r: Json, hint: GraphKind | undefined): GraphKind | undefined {
  const t = str(r['@odata.type']);
  if (t === '#microsoft.graph.application') return 'application';
  if (t === '#microsoft.graph.servicePrincipal')
    return hint === 'directoryObject' ? 'directoryObject' : 'servicePrincipal';
  if (t === '#microsoft.graph.user' || t === '#microsoft.graph.group') return 'directoryObject';
  if ('consentType' in r && 'clientId' in r) return 'oauth2PermissionGrant';
  if ('appRoleId' in r && 'principalId' in r && 'resourceId' in r) return 'appRoleAssignment';
  if (hint === 'directoryObject') return 'directoryObject';
  if ('servicePrincipalType' in r || 'appOwnerOrganizationId' in r || 'servicePrincipalNames' in r)
    return 'servicePrincipal';
  if (
    'appId' in r &&
    ('requiredResourceAccess' in r ||
      'signInAudience' in r ||
      'identifierUris' in r ||
      'passwordCredentials' in r)
  ) {
    return 'application';
  }
  if ('userPrincipalName' in r) return 'directoryObject';
  return hint;
}

/**
 * Reads a Graph export file into its records, each with its JSON pointer. A collection page without
 * `value` is an error naming what was found; a beta-endpoint export is read with a note (beta
 * shapes change without notice).
 */
export async function readGraphPage(file: SourceFile): Promise<GraphPage> {
  const data = await file.json();
  const notes: SkipInput[] = [];
  if (Array.isArray(data)) {
    return {
      records: data.map((value, i) => ({ value, pointer: `/${i}` })),
      kind: undefined,
      ownersOf: ownersTarget(undefined, file.path),
      notes,
    };
  }
  if (!isRecord(data)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}: expected a Microsoft Graph response (an object with \`value\`), got ${typeof data}`,
      {
        details: { file: file.display, pointer: '' },
      },
    );
  }
  const ctx = str(data['@odata.context']);
  if (ctx && /\/beta\//.test(ctx)) {
    notes.push({
      pointer: '/@odata.context',
      reason: `export from the Microsoft Graph beta endpoint (${ctx.split('$metadata')[0]}); read as v1.0, fields may differ`,
    });
  } else if (ctx && !/\/v1\.0\//.test(ctx)) {
    notes.push({
      pointer: '/@odata.context',
      reason: `unexpected Microsoft Graph API version in ${ctx}; read as v1.0`,
    });
  }
  const kind = kindOfContext(ctx);
  const ownersOf = ownersTarget(ctx, file.path);
  if ('value' in data) {
    if (!Array.isArray(data.value)) {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}: /value must be an array of Graph objects, got ${typeof data.value}`,
        {
          details: { file: file.display, pointer: '/value' },
        },
      );
    }
    if (str(data['@odata.nextLink'])) {
      notes.push({
        pointer: '/@odata.nextLink',
        reason: 'this is one page of a paged result; the next pages must be exported and imported too',
      });
    }
    return {
      records: data.value.map((value, i) => ({ value, pointer: `/value/${i}` })),
      kind,
      ownersOf,
      notes,
    };
  }
  const single = ctx ? /\/\$entity$/.test(ctx) : classify(data, undefined) !== undefined;
  if (!single) {
    const keys = Object.keys(data).slice(0, 6).join(', ') || '(none)';
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}: Microsoft Graph page without \`value\` (expected {"@odata.context", "value": [...]}, found keys ${keys})`,
      { details: { file: file.display, pointer: '/value' } },
    );
  }
  return { records: [{ value: data, pointer: '' }], kind, ownersOf, notes };
}
