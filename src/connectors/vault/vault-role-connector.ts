import type { IdentityInput, ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import type { Connector } from '../core/types.js';
import {
  attrs,
  bool,
  clean,
  isObj,
  note,
  ptr,
  skip,
  str,
  strList,
  wrongShape,
  type Obj,
} from '../github/json-fields.js';
import { hintFromPath, methodFromMount, pathLooksVault } from './vault-paths.js';

/**
 * Vault / OpenBao auth roles as `vault read -format=json auth/<mount>/role/<name>` and
 * `vault list -format=json auth/<mount>/role` print them (and the raw HTTP API, which wraps a list
 * in `{data: {keys: [...]}}` — https://developer.hashicorp.com/vault/api-docs/auth/approle#list-roles).
 * A read is `{request_id, lease_id, lease_duration, renewable, data: {...}, warnings}` (newer CLIs
 * add `mount_type`); its `data` holds the role's parameters, whose names tell the auth method:
 * AppRole `secret_id_ttl`, `bind_secret_id`; Kubernetes `bound_service_account_names`; JWT/OIDC
 * `role_type`, `user_claim`, `bound_audiences`, `bound_claims`.
 *
 * Identity: kind `vault-role`, provider `vault`, nativeId `auth/<mount>/role/<name>`; attributes
 * `authMethod`, `policies`, `ttl`/`maxTtl` seconds (`ttlDefault`/`maxTtlDefault` when 0 = the
 * mount's or system default, 768h unless tuned), `period`, `numUses`, `boundCidrs`, `level`
 * (admin with the `root` policy); AppRole `secretIdTtl`, `secretIdNeverExpires` (secret_id_ttl 0:
 * a long-lived secret), `bindSecretId`; Kubernetes `boundServiceAccountNames/Namespaces` and an
 * edge `can-assume` from each `system:serviceaccount:NS:NAME` identity to the role; JWT
 * `roleType`, `boundAudiences`, `boundSubject`, `boundClaims`, `unrestricted` (no bound subject,
 * claims or audiences).
 */
type Method = 'approle' | 'kubernetes' | 'jwt' | 'oidc' | 'unknown';

function methodOf(data: Obj, mountType: string | undefined): Method {
  const t = mountType?.toLowerCase();
  if (t === 'approle' || t === 'kubernetes' || t === 'jwt' || t === 'oidc') return t;
  if ('bound_service_account_names' in data || 'bound_service_account_namespaces' in data)
    return 'kubernetes';
  if ('secret_id_ttl' in data || 'bind_secret_id' in data || 'secret_id_num_uses' in data) return 'approle';
  if ('role_type' in data || 'user_claim' in data || 'bound_audiences' in data || 'bound_claims' in data) {
    return str(data.role_type) === 'oidc' ? 'oidc' : 'jwt';
  }
  return 'unknown';
}

const ROLE_KEYS =
  /"(secret_id_ttl|bind_secret_id|bound_service_account_names|bound_service_account_namespaces|user_claim|bound_audiences|role_type|token_policies)"/;

/** Seconds from a number or a Go duration string (`768h`, `1h30m`, `45s`). */
export function seconds(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(h|m|s|ms)/g;
  let total = 0;
  let matched = '';
  for (const m of s.matchAll(re)) {
    matched += m[0];
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 's' ? n : n / 1000;
  }
  return matched === s && s !== '' ? Math.round(total) : undefined;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export const vaultRoleConnector: Connector = {
  id: 'vault-auth-roles',
  title: 'HashiCorp Vault / OpenBao auth roles (vault read/list -format=json)',
  detect(file) {
    const head = file.head();
    const c = /\S/.exec(head)?.[0];
    if (c === '{' && /"data"\s*:/.test(head)) {
      if (/"request_id"/.test(head) && ROLE_KEYS.test(head)) return 0.95;
      if (/"keys"\s*:\s*\[/.test(head) && pathLooksVault(file)) return 0.8;
    }
    if (c === '{' && /^\s*\{\s*"keys"\s*:\s*\[/.test(head) && pathLooksVault(file)) return 0.7;
    // `vault list -format=json` prints a bare array of names: only the path can say it is Vault's.
    if (
      c === '[' &&
      /^\s*\[\s*(?:"(?:[^"\\]|\\.)*"\s*(?:,\s*)?)*(?:\]\s*|"[^"]*)?$/.test(head) &&
      pathLooksVault(file)
    )
      return 0.7;
    return 0;
  },
  async *read(file: SourceFile): AsyncGenerator<ImportItem> {
    const json = await file.json();
    const hint = hintFromPath(file);
    if (isStringArray(json)) return yield* readList(json, '', hint.mount);
    if (!isObj(json)) return wrongShape(file, 'a vault read/list -format=json output', json);
    // `{"keys": [...]}`: the `data` of a LIST response saved on its own (e.g. `jq .data`).
    if (Array.isArray(json.keys) && json.data === undefined)
      return yield* readList(json.keys, '/keys', hint.mount);
    const data = json.data;
    if (isObj(data) && Array.isArray(data.keys) && Object.keys(data).length === 1)
      return yield* readList(data.keys, '/data/keys', hint.mount);
    if (!isObj(data)) return wrongShape(file, 'a vault read output with a "data" object', json);
    if ('secret_id' in data || 'secret_id_accessor' in data) {
      // `vault write -f auth/approle/role/NAME/secret-id` output: a live credential, not a role.
      return yield skip(
        '/data/secret_id',
        'a generated AppRole SecretID (a credential), not a role definition: nothing of it is stored',
      );
    }
    yield* readRole(data, str(json.mount_type), hint, file);
    if (Array.isArray(json.warnings))
      for (const w of json.warnings)
        if (typeof w === 'string') yield note('/warnings', `Vault warning: ${w}`);
  },
};

function* readList(names: unknown[], base: string, mount: string | undefined): Generator<ImportItem> {
  const m = mount ?? 'unknown';
  if (!mount)
    yield note(
      base,
      'auth mount unknown (name the file auth/<mount>/role.json or <mount>-roles.json); roles recorded under auth/unknown',
    );
  for (let i = 0; i < names.length; i++) {
    const name = typeof names[i] === 'string' ? str(names[i]) : undefined;
    if (!name) {
      yield skip(`${base}${ptr(i)}`, 'role name is not a non-empty string');
      continue;
    }
    yield {
      type: 'identity',
      value: {
        provider: 'vault',
        nativeId: `auth/${m}/role/${name}`,
        kind: 'vault-role',
        name,
        attributes: attrs({ authMethod: methodFromMount(mount), mount }),
      },
    };
  }
}

function* readRole(
  data: Obj,
  mountType: string | undefined,
  hint: ReturnType<typeof hintFromPath>,
  file: SourceFile,
): Generator<ImportItem> {
  const method = methodOf(data, mountType ?? methodFromMount(hint.mount));
  const mount = hint.mount ?? (method === 'unknown' ? 'unknown' : method);
  const name = str(data.role_name) ?? str(data.name) ?? hint.name ?? file.name;
  if (hint.guessed && !str(data.role_name)) {
    yield note(
      '',
      `role name taken from the file name ("${name}"); name files auth/<mount>/role/<name>.json to be exact`,
    );
  }
  if (method === 'unknown')
    yield note('/data', 'auth method not recognisable from the role parameters; recorded as unknown');
  const nativeId = `auth/${mount}/role/${name}`;
  const policies = [...new Set([...strList(data.token_policies), ...strList(data.policies)])];
  const ttl = seconds(data.token_ttl ?? data.ttl);
  const maxTtl = seconds(data.token_max_ttl ?? data.max_ttl);
  const period = seconds(data.token_period ?? data.period);
  const secretIdTtl = method === 'approle' ? seconds(data.secret_id_ttl) : undefined;
  const bindSecretId = method === 'approle' ? bool(data.bind_secret_id) : undefined;
  const saNames = strList(data.bound_service_account_names);
  const saNamespaces = strList(data.bound_service_account_namespaces);
  const boundClaims = isObj(data.bound_claims) ? data.bound_claims : undefined;
  const boundSubject = str(data.bound_subject);
  const audiences = strList(data.bound_audiences);
  const longLived = method === 'approle' && secretIdTtl === 0 && bindSecretId !== false;
  yield {
    type: 'identity',
    value: clean<IdentityInput>({
      provider: 'vault',
      nativeId,
      kind: 'vault-role',
      name,
      status: 'active',
      attributes: attrs({
        authMethod: method,
        mount,
        policies,
        level: policies.includes('root') ? 'admin' : undefined,
        ttl,
        ttlDefault:
          ttl === 0 || ttl === undefined ? 'system default (768h unless the mount is tuned)' : undefined,
        maxTtl,
        maxTtlDefault:
          maxTtl === 0 || maxTtl === undefined
            ? 'system default (768h unless the mount is tuned)'
            : undefined,
        period: period || undefined,
        periodic: period ? true : undefined,
        tokenType: str(data.token_type),
        numUses: seconds(data.token_num_uses),
        boundCidrs: strList(data.token_bound_cidrs ?? data.bound_cidr_list),
        secretIdTtl,
        secretIdNeverExpires: method === 'approle' && secretIdTtl === 0 ? true : undefined,
        noExpiry: longLived ? true : undefined,
        secretIdNumUses: method === 'approle' ? seconds(data.secret_id_num_uses) : undefined,
        bindSecretId,
        secretIdBoundCidrs: strList(data.secret_id_bound_cidrs),
        boundServiceAccountNames: saNames,
        boundServiceAccountNamespaces: saNamespaces,
        audience: str(data.audience),
        roleType: str(data.role_type),
        userClaim: str(data.user_claim),
        boundAudiences: audiences,
        boundSubject,
        boundClaims,
        boundClaimsType: str(data.bound_claims_type),
        allowedRedirectUris: strList(data.allowed_redirect_uris),
        unrestricted:
          (method === 'jwt' || method === 'oidc') && !boundSubject && !boundClaims && audiences.length === 0
            ? true
            : undefined,
      }),
    }),
  };
  if (method === 'approle' && bindSecretId === false) {
    yield note(
      '/data/bind_secret_id',
      'bind_secret_id is false: the role id alone logs in (no secret required)',
    );
  }
  if (method === 'kubernetes') yield* serviceAccountEdges(nativeId, saNames, saNamespaces);
}

function* serviceAccountEdges(role: string, names: string[], namespaces: string[]): Generator<ImportItem> {
  const wild = (s: string): boolean => /[*?]/.test(s);
  if (names.some(wild) || namespaces.some(wild)) {
    yield note(
      '/data',
      `role ${role} binds service accounts by wildcard (${[...names, ...namespaces].filter(wild).join(', ')}): any matching account can log in`,
    );
  }
  for (const ns of namespaces.filter((n) => !wild(n))) {
    for (const sa of names.filter((n) => !wild(n))) {
      yield {
        type: 'edge',
        value: {
          kind: 'can-assume',
          from: { type: 'identity', provider: 'kubernetes', nativeId: `system:serviceaccount:${ns}:${sa}` },
          to: { type: 'identity', provider: 'vault', nativeId: role },
          attributes: { via: 'vault-kubernetes-auth' },
        },
      };
    }
  }
}
