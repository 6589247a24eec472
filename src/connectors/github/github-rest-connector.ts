import { fingerprintSecret } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector, ConnectorContext } from '../core/types.js';
import { fromPath } from './github-context.js';
import { readActionsSecret, readHook } from './github-ci-readers.js';
import {
  readCredentialAuthorization,
  readDeployKey,
  readFineGrainedPat,
  readInstallation,
  type ReadArgs,
} from './github-rest-readers.js';
import { hasKeys, isObj, listOf, ptr, wrongShape } from './json-fields.js';

/** The GitHub REST lists this connector reads; see each reader for its documentation page. */
export type GithubListKind =
  'installations' | 'pats' | 'credential-authorizations' | 'deploy-keys' | 'secrets' | 'variables' | 'hooks';

/**
 * What a file holds, from its head (cheap) — the keys each list's items always carry — or, for an
 * empty list, from its name mirroring the API path (`personal-access-tokens.json`, `keys.json`...).
 */
export function classifyHead(
  head: string,
  name: string,
  segs: string[],
): { kind: GithubListKind; score: number } | undefined {
  const c = /\S/.exec(head)?.[0];
  if (c !== '{' && c !== '[') return undefined;
  if (hasKeys(head, 'installations') && (hasKeys(head, 'app_slug') || hasKeys(head, 'app_id')))
    return { kind: 'installations', score: 0.95 };
  if (c === '[' && hasKeys(head, 'app_slug', 'target_type', 'permissions'))
    return { kind: 'installations', score: 0.9 };
  if (hasKeys(head, 'access_granted_at') && /"token_(id|name|expired|expires_at|last_used_at)"/.test(head))
    return { kind: 'pats', score: 0.95 };
  if (hasKeys(head, 'credential_authorized_at', 'credential_type'))
    return { kind: 'credential-authorizations', score: 0.95 };
  if (
    c === '[' &&
    hasKeys(head, 'read_only', 'key', 'title') &&
    (hasKeys(head, 'verified') || hasKeys(head, 'added_by'))
  )
    return { kind: 'deploy-keys', score: 0.9 };
  if (c === '{' && hasKeys(head, 'total_count', 'secrets')) return { kind: 'secrets', score: 0.9 };
  if (c === '{' && hasKeys(head, 'total_count', 'variables')) return { kind: 'variables', score: 0.9 };
  if (
    c === '[' &&
    hasKeys(head, 'config', 'events', 'active') &&
    (hasKeys(head, 'ping_url') || hasKeys(head, 'deliveries_url') || /"name"\s*:\s*"web"/.test(head))
  )
    return { kind: 'hooks', score: 0.9 };
  // An empty page (`[]` or `{"total_count": 0, ...}`) still tells that nothing is there any more,
  // and a file saved under its API path (orgs/ORG/hooks.json) is claimed even when its head is cut
  // short, so a truncated export gets a precise error instead of "unrecognised".
  {
    const empty = /^\s*\[\s*\]\s*$/.test(head) || /"total_count"\s*:\s*0/.test(head);
    const base = name.replace(/\.json(\.gz)?$/i, '').toLowerCase();
    const underGithub = segs.includes('orgs') || segs.includes('repos');
    if (!underGithub) return undefined;
    const byName: Record<string, GithubListKind> = {
      installations: 'installations',
      'personal-access-tokens': 'pats',
      'credential-authorizations': 'credential-authorizations',
      keys: 'deploy-keys',
      secrets: 'secrets',
      variables: 'variables',
      hooks: 'hooks',
    };
    const kind = byName[base];
    if (kind) return { kind, score: empty ? 0.5 : 0.3 };
  }
  return undefined;
}

/** Which list a parsed document is (the head may have been cut, so read trusts the parsed value). */
function classifyJson(json: unknown, fallback: GithubListKind): GithubListKind {
  if (isObj(json)) {
    if (Array.isArray(json.installations)) return 'installations';
    if (Array.isArray(json.secrets)) return 'secrets';
    if (Array.isArray(json.variables)) return 'variables';
  }
  return fallback;
}

const WRAPPERS: Record<GithubListKind, string[]> = {
  installations: ['installations'],
  pats: ['personal_access_tokens', 'items'],
  'credential-authorizations': ['credential_authorizations', 'items'],
  'deploy-keys': ['keys', 'items'],
  secrets: ['secrets'],
  variables: ['variables'],
  hooks: ['hooks', 'items'],
};

const WHAT: Record<GithubListKind, string> = {
  installations: 'a GitHub installations list',
  pats: 'a list of fine-grained personal access tokens',
  'credential-authorizations': 'a list of SAML SSO credential authorizations',
  'deploy-keys': 'a list of deploy keys',
  secrets: 'an Actions secrets list',
  variables: 'an Actions variables list',
  hooks: 'a list of webhooks',
};

function segsOf(file: SourceFile): string[] {
  return file.path.split(/[\\/]+/).filter(Boolean);
}

/**
 * GitHub organisation REST exports: app installations, fine-grained PATs, SAML-authorised classic
 * credentials, deploy keys, Actions secrets and variables, webhooks. Each list may be one page.
 */
export const githubRestConnector: Connector = {
  id: 'github-rest',
  title: 'GitHub REST API JSON (installations, tokens, keys, secrets, hooks)',
  detect(file) {
    return classifyHead(file.head(), file.name, segsOf(file))?.score ?? 0;
  },
  async *read(file: SourceFile, ctx: ConnectorContext): AsyncGenerator<ImportItem> {
    const head = classifyHead(file.head(), file.name, segsOf(file));
    if (!head) wrongShape(file, 'a GitHub REST list', undefined);
    const json = await file.json();
    const kind = classifyJson(json, head.kind);
    const { list, base } = listOf(json, WRAPPERS[kind], file, WHAT[kind]);
    const pathCtx = fromPath(file);
    const fingerprint = (v: string): string => fingerprintSecret(v, ctx.salt);
    for (let i = 0; i < list.length; i++) {
      const args: ReadArgs = { item: list[i], at: `${base}${ptr(i)}`, ctx: pathCtx };
      let items: ImportItem[];
      switch (kind) {
        case 'installations':
          items = readInstallation(args);
          break;
        case 'pats':
          items = readFineGrainedPat(args);
          break;
        case 'credential-authorizations':
          items = readCredentialAuthorization(args);
          break;
        case 'deploy-keys':
          items = readDeployKey(args);
          break;
        case 'secrets':
          items = readActionsSecret({ ...args, variable: false, salt: ctx.salt, fingerprint });
          break;
        case 'variables':
          items = readActionsSecret({ ...args, variable: true, salt: ctx.salt, fingerprint });
          break;
        case 'hooks':
          items = readHook({ ...args, fingerprint });
          break;
      }
      yield* items;
    }
  },
};
