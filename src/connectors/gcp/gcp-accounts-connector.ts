import { WardenError } from '../../errors/index.js';
import { toUtc } from '../../model/index.js';
import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';

/*
 * `gcloud iam service-accounts list --format=json` and
 * `gcloud iam service-accounts keys list --iam-account EMAIL --format=json`.
 * Shapes: https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts (ServiceAccount)
 * and https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts.keys (ServiceAccountKey:
 * name, keyType USER_MANAGED|SYSTEM_MANAGED, keyAlgorithm, keyOrigin, validAfterTime, validBeforeTime,
 * disabled). gcloud prints the REST objects as a JSON array.
 */

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const KEY_NAME = /^projects\/([^/]+)\/serviceAccounts\/([^/]+)\/keys\/([^/]+)$/;
/** `name@PROJECT.iam.gserviceaccount.com` is a user-managed SA of PROJECT. */
const SA_DOMAIN = /@([a-z][a-z0-9-]*[a-z0-9])\.iam\.gserviceaccount\.com$/;

/** The project an SA email belongs to, when the address says so. */
export function projectOfEmail(email: string): string | undefined {
  return SA_DOMAIN.exec(email)?.[1];
}

/**
 * Google-managed accounts: the Compute Engine and App Engine defaults and service agents. Marked so
 * posture can tell a default SA (often granted Editor automatically) from one a team created.
 * See https://cloud.google.com/iam/docs/service-account-types
 */
export function serviceAccountType(email: string): 'user-managed' | 'default' | 'service-agent' {
  if (
    /^\d+-compute@developer\.gserviceaccount\.com$/.test(email) ||
    /@appspot\.gserviceaccount\.com$/.test(email)
  )
    return 'default';
  if (SA_DOMAIN.test(email)) return 'user-managed';
  return 'service-agent';
}

async function arrayOf(file: SourceFile, what: string): Promise<unknown[]> {
  const data = await file.json();
  if (!Array.isArray(data)) {
    throw new WardenError(
      'WARDEN_INPUT_INVALID',
      `${file.display}: expected the JSON array that \`${what} --format=json\` prints`,
      {
        details: { file: file.display, pointer: '' },
      },
    );
  }
  return data;
}

async function* readServiceAccounts(file: SourceFile): AsyncGenerator<ImportItem> {
  const data = await arrayOf(file, 'gcloud iam service-accounts list');
  for (const [i, sa] of data.entries()) {
    const pointer = `/${i}`;
    if (!isRecord(sa)) {
      yield { type: 'skip', value: { pointer, reason: 'not a service account object' } };
      continue;
    }
    const email = str(sa.email);
    if (!email) {
      yield {
        type: 'skip',
        value: { pointer: `${pointer}/email`, reason: 'service account without an email' },
      };
      continue;
    }
    const project =
      str(sa.projectId) ?? /^projects\/([^/]+)\//.exec(str(sa.name) ?? '')?.[1] ?? projectOfEmail(email);
    const attributes: Json = { type: serviceAccountType(email) };
    for (const k of ['uniqueId', 'oauth2ClientId', 'description', 'etag'] as const) {
      const v = str(sa[k]);
      if (v) attributes[k] = v;
    }
    if (str(sa.name)) attributes.resourceName = sa.name;
    const identity: IdentityInput = {
      provider: 'gcp',
      nativeId: email,
      kind: 'service-account',
      name: str(sa.displayName) ?? email.split('@')[0]!,
      status: sa.disabled === true ? 'disabled' : 'active',
      attributes,
    };
    if (project) identity.account = project;
    yield { type: 'identity', value: identity };
  }
}

/** gcloud prints "no expiry" as the far-future end of time: 9999-12-31T23:59:59Z. */
function isNeverExpiring(iso: string | undefined): boolean {
  return iso !== undefined && Number(iso.slice(0, 4)) >= 9999;
}

async function* readKeys(file: SourceFile, ctx: { now: string }): AsyncGenerator<ImportItem> {
  const data = await arrayOf(file, 'gcloud iam service-accounts keys list');
  const parents = new Set<string>();
  for (const [i, key] of data.entries()) {
    const pointer = `/${i}`;
    if (!isRecord(key)) {
      yield { type: 'skip', value: { pointer, reason: 'not a key object' } };
      continue;
    }
    const name = str(key.name);
    const m = name ? KEY_NAME.exec(name) : null;
    if (!name || !m) {
      yield {
        type: 'skip',
        value: {
          pointer: `${pointer}/name`,
          reason: `expected a key name projects/P/serviceAccounts/EMAIL/keys/ID, got ${JSON.stringify(key.name)}`,
        },
      };
      continue;
    }
    // The list has no email field: the key's resource name carries it (project may be '-').
    const [, nameProject, email, keyId] = m as unknown as [string, string, string, string];
    const project = nameProject !== '-' ? nameProject : projectOfEmail(email);
    const systemManaged = key.keyType === 'SYSTEM_MANAGED';
    const validBefore = str(key.validBeforeTime);
    const noExpiry = isNeverExpiring(validBefore);
    const expiresAt = noExpiry ? undefined : toUtc(validBefore);
    const createdAt = toUtc(key.validAfterTime);
    const attributes: Json = {
      parent: email,
      keyId,
      keyType: str(key.keyType) ?? 'USER_MANAGED',
      systemManaged,
      noExpiry,
    };
    for (const k of ['keyAlgorithm', 'keyOrigin', 'disableReason'] as const)
      if (str(key[k])) attributes[k] = key[k];
    const identity: IdentityInput = {
      provider: 'gcp',
      nativeId: name,
      kind: 'access-key',
      name: keyId,
      status:
        key.disabled === true
          ? 'disabled'
          : expiresAt !== undefined && expiresAt < ctx.now
            ? 'expired'
            : 'active',
      attributes,
    };
    if (project) identity.account = project;
    if (createdAt) identity.createdAt = createdAt;
    if (expiresAt) identity.expiresAt = expiresAt;
    yield { type: 'identity', value: identity };
    if (!parents.has(email)) {
      parents.add(email);
      const sa: IdentityInput = { provider: 'gcp', nativeId: email, kind: 'service-account' };
      if (project) sa.account = project;
      yield { type: 'identity', value: sa };
    }
    yield {
      type: 'edge',
      value: {
        kind: 'member-of',
        from: { type: 'identity', provider: 'gcp', nativeId: name },
        to: { type: 'identity', provider: 'gcp', nativeId: email },
        attributes: { relation: 'key-of' },
      },
    };
  }
}

function headArray(file: SourceFile): string | undefined {
  if (file.firstChar() !== '[') return undefined;
  return file.head();
}

export const gcpServiceAccountsConnector: Connector = {
  id: 'gcp-service-accounts',
  title: 'gcloud iam service-accounts list (JSON)',
  detect(file) {
    const head = headArray(file);
    if (!head) return 0;
    if (!/"email"\s*:/.test(head) || /"keyType"\s*:/.test(head)) return 0;
    if (/\/serviceAccounts\//.test(head) && /"(uniqueId|oauth2ClientId)"\s*:/.test(head)) return 0.95;
    // Trimmed exports: a service-account email plus one other ServiceAccount field.
    if (
      /gserviceaccount\.com"/.test(head) &&
      /"(uniqueId|oauth2ClientId|projectId|displayName)"\s*:/.test(head)
    ) {
      return 0.8;
    }
    return 0;
  },
  read: (file) => readServiceAccounts(file),
};

export const gcpServiceAccountKeysConnector: Connector = {
  id: 'gcp-service-account-keys',
  title: 'gcloud iam service-accounts keys list (JSON)',
  detect(file) {
    const head = headArray(file);
    if (!head) return 0;
    if (
      /"keyType"\s*:/.test(head) ||
      (/\/serviceAccounts\/[^"]+\/keys\//.test(head) && /"validAfterTime"/.test(head))
    )
      return 0.95;
    return 0;
  },
  read: (file, ctx) => readKeys(file, ctx),
};
