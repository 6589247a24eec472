import { createHash } from 'node:crypto';
import type { AccessLevel } from '../../model/index.js';
import type { IdentityInput, ImportItem } from '../../store/index.js';
import {
  CI_PIVOT_PERMISSIONS,
  flattenPermissions,
  levelOfPermissions,
  levelOfScopes,
  permissionLevel,
} from './github-permissions.js';
import { fromUrl, UNKNOWN_OWNER, type GithubContext } from './github-context.js';
import { attrs, bool, clean, isObj, note, ptr, skip, str, strList, time, type Obj } from './json-fields.js';

/**
 * One reader per GitHub REST list: each turns one item into identities and grants, or a skip with
 * its JSON pointer. Shapes from https://docs.github.com/en/rest (pages named on each reader).
 */
export interface ReadArgs {
  item: unknown;
  at: string;
  /** Context from the file path, used when the item itself does not say. */
  ctx: GithubContext;
}

const P = 'github';

export function ident(v: IdentityInput): ImportItem {
  return { type: 'identity', value: v };
}

function permissionGrants(
  ref: { provider: string; nativeId: string },
  flat: Record<string, string>,
  resources: string[],
  via: string,
): ImportItem[] {
  return Object.entries(flat)
    .filter(([, v]) => v !== 'none')
    .map(([name, value]) => ({
      type: 'grant' as const,
      value: {
        identity: ref,
        key: `permission:${name}`,
        effect: 'allow' as const,
        actions: [`${name}:${value}`],
        resources,
        level: permissionLevel(name, value),
        via,
      },
    }));
}

function ciPivot(flat: Record<string, string>): string[] {
  return Object.entries(flat)
    .filter(([k, v]) => CI_PIVOT_PERMISSIONS.has(k) && (v === 'write' || v === 'admin'))
    .map(([k]) => k);
}

export function idOf(item: Obj, at: string, out: ImportItem[]): string | undefined {
  const id = str(item.id);
  if (!id) out.push(skip(at, 'record has no "id"'));
  return id;
}

/** `GET /orgs/{org}/installations` — https://docs.github.com/en/rest/orgs/orgs#list-app-installations-for-an-organization */
export function readInstallation({ item, at, ctx }: ReadArgs): ImportItem[] {
  const out: ImportItem[] = [];
  if (!isObj(item)) return [skip(at, 'installation is not an object')];
  const id = idOf(item, at, out);
  if (!id) return out;
  const account = isObj(item.account) ? str(item.account.login) : undefined;
  const org = account ?? fromUrl(str(item.html_url)).org ?? ctx.org ?? UNKNOWN_OWNER;
  const flat = flattenPermissions(item.permissions);
  const nativeId = `github:${org}/app-installation/${id}`;
  const selection = str(item.repository_selection);
  const suspended = Boolean(str(item.suspended_at));
  out.push(
    ident(
      clean<IdentityInput>({
        provider: P,
        nativeId,
        kind: 'oauth-app',
        name: str(item.app_slug) ?? `app ${str(item.app_id) ?? id}`,
        account: org,
        createdAt: time(item.created_at),
        status: suspended ? 'disabled' : 'active',
        attributes: attrs({
          appId: str(item.app_id),
          appSlug: str(item.app_slug),
          targetType: str(item.target_type),
          permissions: flat,
          level: levelOfPermissions(flat),
          repositorySelection: selection,
          events: strList(item.events),
          suspended,
          suspendedAt: time(item.suspended_at),
          suspendedBy: isObj(item.suspended_by) ? str(item.suspended_by.login) : undefined,
          updatedAt: time(item.updated_at),
          ciPivot: ciPivot(flat),
        }),
      }),
    ),
  );
  out.push(
    ...permissionGrants(
      { provider: P, nativeId },
      flat,
      [selection === 'all' ? `github:${org}/*` : `github:${org}/selected-repositories`],
      'github-app-installation',
    ),
  );
  if (org === UNKNOWN_OWNER)
    out.push(note(at, 'organisation unknown (no account.login, html_url or orgs/ORG in the path)'));
  return out;
}

/** `GET /orgs/{org}/personal-access-tokens` — https://docs.github.com/en/rest/orgs/personal-access-tokens */
export function readFineGrainedPat({ item, at, ctx }: ReadArgs): ImportItem[] {
  const out: ImportItem[] = [];
  if (!isObj(item)) return [skip(at, 'token record is not an object')];
  const id = idOf(item, at, out);
  if (!id) return out;
  const org = ctx.org ?? UNKNOWN_OWNER;
  const owner = isObj(item.owner) ? str(item.owner.login) : undefined;
  const flat = flattenPermissions(item.permissions);
  const nativeId = `github:${org}/pat/${id}`;
  const expires = time(item.token_expires_at);
  const expired = bool(item.token_expired) === true;
  out.push(
    ident(
      clean<IdentityInput>({
        provider: P,
        nativeId,
        kind: 'personal-access-token',
        name: str(item.token_name) ?? `token ${str(item.token_id) ?? id}`,
        account: org,
        ownerRef: owner,
        // When the token was granted to the org; the token itself may be older.
        createdAt: time(item.access_granted_at),
        expiresAt: expires,
        lastUsedAt: time(item.token_last_used_at),
        status: expired ? 'expired' : 'active',
        attributes: attrs({
          tokenId: str(item.token_id),
          fineGrained: true,
          noExpiry: item.token_expires_at === null || item.token_expires_at === undefined ? true : undefined,
          permissions: flat,
          level: levelOfPermissions(flat),
          repositorySelection: str(item.repository_selection),
          ciPivot: ciPivot(flat),
        }),
      }),
    ),
  );
  out.push(
    ...permissionGrants(
      { provider: P, nativeId },
      flat,
      [`github:${org}/${str(item.repository_selection) === 'all' ? '*' : 'selected-repositories'}`],
      'fine-grained-pat',
    ),
  );
  if (!owner) out.push(note(ptr(...splitAt(at), 'owner'), 'token without owner.login: no owner recorded'));
  if (org === UNKNOWN_OWNER)
    out.push(note(at, 'organisation unknown: name the file under orgs/ORG/ to record it'));
  return out;
}

/** `GET /orgs/{org}/credential-authorizations` (SAML SSO) — https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization */
export function readCredentialAuthorization({ item, at, ctx }: ReadArgs): ImportItem[] {
  if (!isObj(item)) return [skip(at, 'credential authorization is not an object')];
  const id = str(item.credential_id);
  if (!id) return [skip(at, 'record has no "credential_id"')];
  const org = ctx.org ?? UNKNOWN_OWNER;
  const type = (str(item.credential_type) ?? '').toLowerCase();
  const kind = type.includes('ssh')
    ? 'ssh-key'
    : type.includes('personal access token')
      ? 'personal-access-token'
      : 'oauth-token';
  const scopes = strList(item.scopes);
  const login = str(item.login);
  const last8 = str(item.token_last_eight);
  const out: ImportItem[] = [
    ident(
      clean<IdentityInput>({
        provider: P,
        // Classic PATs share the `pat/` namespace with fine-grained ones (the convention for
        // PATs); SSH keys and OAuth tokens keep `credential/`.
        nativeId:
          kind === 'personal-access-token' ? `github:${org}/pat/${id}` : `github:${org}/credential/${id}`,
        kind,
        name:
          str(item.authorized_credential_note) ??
          str(item.authorized_credential_title) ??
          `${type || 'credential'} of ${login ?? 'unknown'}`,
        account: org,
        ownerRef: login,
        createdAt: time(item.credential_authorized_at),
        lastUsedAt: time(item.credential_accessed_at),
        expiresAt: time(item.authorized_credential_expires_at),
        status: 'active',
        attributes: attrs({
          credentialType: str(item.credential_type),
          classic: kind === 'personal-access-token' ? true : undefined,
          scopes,
          level: kind === 'ssh-key' ? 'write' : levelOfScopes(scopes),
          hint: last8 ? { suffix: last8 } : undefined,
          keyFingerprint: str(item.fingerprint),
          authorizedCredentialId: str(item.authorized_credential_id),
          noExpiry:
            kind === 'personal-access-token' && !str(item.authorized_credential_expires_at)
              ? true
              : undefined,
          sso: true,
        }),
      }),
    ),
  ];
  if (org === UNKNOWN_OWNER)
    out.push(note(at, 'organisation unknown: name the file under orgs/ORG/ to record it'));
  return out;
}

/** SHA256 fingerprint of an OpenSSH public key, as `ssh-keygen -l` prints it (the key is public). */
export function sshFingerprint(publicKey: string | undefined): string | undefined {
  const b64 = publicKey?.trim().split(/\s+/)[1];
  if (!b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return undefined;
  return `SHA256:${createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** `GET /repos/{owner}/{repo}/keys` — https://docs.github.com/en/rest/deploy-keys/deploy-keys */
export function readDeployKey({ item, at, ctx }: ReadArgs): ImportItem[] {
  const out: ImportItem[] = [];
  if (!isObj(item)) return [skip(at, 'deploy key is not an object')];
  const id = idOf(item, at, out);
  if (!id) return out;
  const url = str(item.url);
  if (url && /\/user\/keys\//.test(url))
    return [skip(at, 'a user SSH key (/user/keys), not a repository deploy key')];
  const fromJson = fromUrl(url);
  const owner = fromJson.org ?? ctx.org ?? UNKNOWN_OWNER;
  const repo = fromJson.repo ?? ctx.repo ?? UNKNOWN_OWNER;
  const readOnly = bool(item.read_only) ?? true;
  const level: AccessLevel = readOnly ? 'read' : 'write';
  const nativeId = `github:${owner}/${repo}/deploy-key/${id}`;
  const addedBy = str(item.added_by);
  out.push(
    ident(
      clean<IdentityInput>({
        provider: P,
        nativeId,
        kind: 'ssh-key',
        name: str(item.title) ?? `deploy key ${id}`,
        account: owner,
        ownerRef: addedBy,
        createdAt: time(item.created_at),
        lastUsedAt: time(item.last_used),
        status: bool(item.enabled) === false ? 'disabled' : 'active',
        attributes: attrs({
          repository: `${owner}/${repo}`,
          readOnly,
          level,
          verified: bool(item.verified),
          keyFingerprint: sshFingerprint(str(item.key)),
          noExpiry: true,
        }),
      }),
    ),
    {
      type: 'grant',
      value: {
        identity: { provider: P, nativeId },
        key: 'deploy-key',
        effect: 'allow',
        actions: [`contents:${readOnly ? 'read' : 'write'}`],
        resources: [`github:${owner}/${repo}`],
        level,
        via: 'deploy-key',
      },
    },
  );
  if (repo === UNKNOWN_OWNER)
    out.push(note(at, 'repository unknown: no url field and no repos/OWNER/REPO in the path'));
  return out;
}

/** Splits a pointer back into its parts (so a sub-field pointer can be built). */
export function splitAt(at: string): string[] {
  return at
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}
