import type { IdentityInput, ImportItem } from '../../store/index.js';
import { fromUrl, UNKNOWN_OWNER } from './github-context.js';
import { secretLooksLike } from './github-permissions.js';
import { ident, idOf, splitAt, type ReadArgs } from './github-rest-readers.js';
import { attrs, bool, clean, isObj, note, ptr, skip, str, strList, time } from './json-fields.js';

/** Readers of the GitHub lists that concern CI and integrations: Actions secrets and variables, webhooks. */
const P = 'github';
/**
 * Actions secrets and variables (`/orgs/{org}/actions/secrets`, `/repos/{o}/{r}/actions/secrets`,
 * `/repos/{o}/{r}/environments/{env}/secrets`, and `.../variables`) — names and dates only:
 * https://docs.github.com/en/rest/actions/secrets, https://docs.github.com/en/rest/actions/variables
 */
export function readActionsSecret(
  args: ReadArgs & { variable: boolean; salt: string; fingerprint: (v: string) => string },
): ImportItem[] {
  const { item, at, ctx, variable } = args;
  if (!isObj(item)) return [skip(at, `${variable ? 'variable' : 'secret'} is not an object`)];
  const name = str(item.name);
  if (!name) return [skip(at, 'record has no "name"')];
  const fromJson = fromUrl(str(item.selected_repositories_url));
  const visibility = str(item.visibility);
  const orgLevel =
    visibility !== undefined ||
    (fromJson.org !== undefined && fromJson.repo === undefined) ||
    (ctx.repo === undefined && ctx.org !== undefined);
  const owner = fromJson.org ?? ctx.org ?? UNKNOWN_OWNER;
  const where = orgLevel
    ? owner
    : `${owner}/${ctx.repo ?? UNKNOWN_OWNER}${ctx.environment ? `/env/${ctx.environment}` : ''}`;
  const guess = secretLooksLike(name);
  const out: ImportItem[] = [];
  if (variable) {
    // Variables are plain configuration; only credential-looking ones are identities (and then a
    // credential stored in clear). Their value is fingerprinted, never kept.
    if (!guess.looksLike) return [];
    const value = str(item.value);
    out.push(
      ident(
        clean<IdentityInput>({
          provider: P,
          nativeId: `github:${where}/variable/${name}`,
          kind: 'ci-secret',
          name,
          account: owner,
          createdAt: time(item.created_at),
          lastRotatedAt: time(item.updated_at),
          status: 'active',
          fingerprint: value ? args.fingerprint(value) : undefined,
          attributes: attrs({
            variable: true,
            plaintext: true,
            scope: orgLevel ? 'organization' : ctx.environment ? 'environment' : 'repository',
            visibility,
            ...guess,
          }),
        }),
      ),
      note(
        at,
        `variable ${name} looks like a credential (${guess.looksLike}) but variables are stored in clear; value not kept`,
      ),
    );
    return out;
  }
  out.push(
    ident(
      clean<IdentityInput>({
        provider: P,
        nativeId: `github:${where}/secret/${name}`,
        kind: 'ci-secret',
        name,
        account: owner,
        createdAt: time(item.created_at),
        // A secret's value changes only when it is updated: the best rotation date GitHub gives.
        lastRotatedAt: time(item.updated_at),
        status: 'active',
        attributes: attrs({
          scope: orgLevel ? 'organization' : ctx.environment ? 'environment' : 'repository',
          visibility,
          environment: ctx.environment,
          ...guess,
        }),
      }),
    ),
  );
  if (owner === UNKNOWN_OWNER || (!orgLevel && !ctx.repo))
    out.push(note(at, 'owner or repository unknown: name the file under orgs/ORG/ or repos/OWNER/REPO/'));
  return out;
}

/** Hosts whose webhook URLs carry their own credential (the URL is the secret). */
const CREDENTIAL_URL =
  /hooks\.slack\.com\/services\/|discord(app)?\.com\/api\/webhooks\/|outlook\.office\.com\/webhook|webhook\.office\.com\/|[?&](token|key|secret|sig|code)=|\/\/[^/@]+:[^/@]+@/i;

/** `GET /orgs/{org}/hooks`, `/repos/{o}/{r}/hooks` — https://docs.github.com/en/rest/orgs/webhooks, https://docs.github.com/en/rest/repos/webhooks */
export function readHook(args: ReadArgs & { fingerprint: (v: string) => string }): ImportItem[] {
  const { item, at, ctx } = args;
  const out: ImportItem[] = [];
  if (!isObj(item)) return [skip(at, 'webhook is not an object')];
  const id = idOf(item, at, out);
  if (!id) return out;
  const fromJson = fromUrl(str(item.url));
  const owner = fromJson.org ?? ctx.org ?? UNKNOWN_OWNER;
  // An API url names the hook's owner exactly; only without one does the path decide.
  const repo =
    fromJson.org !== undefined ? fromJson.repo : str(item.type) === 'Organization' ? undefined : ctx.repo;
  const config = isObj(item.config) ? item.config : {};
  const target = str(config.url);
  let host: string | undefined;
  let scheme: string | undefined;
  try {
    if (target) {
      const u = new URL(target);
      host = u.hostname;
      scheme = u.protocol.replace(':', '');
    }
  } catch {
    out.push(note(ptr(...splitAt(at), 'config', 'url'), 'webhook URL is not a valid URL'));
  }
  const secret = config.secret;
  const secretSet = typeof secret === 'string' ? secret.length > 0 : secret !== undefined && secret !== null;
  if (typeof secret === 'string' && secret.length > 0 && !/^\*+$/.test(secret)) {
    out.push(
      note(
        ptr(...splitAt(at), 'config', 'secret'),
        'webhook secret present in clear in the export; only the fact that one is set is kept',
      ),
    );
  }
  const insecure = str(config.insecure_ssl);
  const credentialUrl = target !== undefined && CREDENTIAL_URL.test(target);
  out.push(
    ident(
      clean<IdentityInput>({
        provider: P,
        nativeId: repo ? `github:${owner}/${repo}/hook/${id}` : `github:${owner}/hook/${id}`,
        kind: 'webhook',
        name: host ? `${str(item.name) ?? 'web'} → ${host}` : (str(item.name) ?? `hook ${id}`),
        account: owner,
        createdAt: time(item.created_at),
        status: bool(item.active) === false ? 'inactive' : 'active',
        fingerprint: credentialUrl && target ? args.fingerprint(target) : undefined,
        attributes: attrs({
          scope: repo ? 'repository' : 'organization',
          repository: repo ? `${owner}/${repo}` : undefined,
          host,
          scheme,
          contentType: str(config.content_type),
          insecureSsl: insecure === '1' || insecure === 'true',
          secretSet,
          credentialInUrl: credentialUrl || undefined,
          events: strList(item.events),
          updatedAt: time(item.updated_at),
        }),
      }),
    ),
  );
  if (owner === UNKNOWN_OWNER)
    out.push(note(at, 'owner unknown: no url field and no orgs/ORG or repos/OWNER/REPO in the path'));
  return out;
}
