import type { AccessLevel } from '../../model/index.js';
import { isObj, str } from './json-fields.js';

/**
 * GitHub permission vocabularies turned into Warden access levels.
 *
 * GitHub App and fine-grained token permissions are `{name: "read" | "write" | "admin"}` maps
 * (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app,
 * https://docs.github.com/en/rest/orgs/personal-access-tokens); classic token scopes are names such
 * as `repo` or `admin:org`
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
 */

const RANK: Record<AccessLevel, number> = { none: 0, list: 1, read: 2, write: 3, admin: 4 };

export function maxLevel(a: AccessLevel, b: AccessLevel): AccessLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Write access to these is administration of the org or repository (members, settings, roles). */
const ADMIN_WHEN_WRITE = new Set([
  'administration',
  'organization_administration',
  'members',
  'organization_custom_roles',
  'organization_custom_org_roles',
  'organization_user_blocking',
]);

/** Write access to these lets the holder change CI or read its secrets: a pivot to cloud credentials. */
export const CI_PIVOT_PERMISSIONS = new Set([
  'workflows',
  'secrets',
  'organization_secrets',
  'actions',
  'environments',
]);

/** The level of one `name: value` permission. */
export function permissionLevel(name: string, value: unknown): AccessLevel {
  const v = str(value)?.toLowerCase();
  if (v === 'admin') return 'admin';
  if (v === 'write') return ADMIN_WHEN_WRITE.has(name) ? 'admin' : 'write';
  if (v === 'read') return 'read';
  return 'none';
}

/** Flattened permissions: `{contents: "write"}` or fine-grained `{organization: {...}, repository: {...}}`. */
export function flattenPermissions(p: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(p)) return out;
  for (const [k, v] of Object.entries(p)) {
    if (isObj(v)) {
      for (const [k2, v2] of Object.entries(v)) {
        const s = str(v2);
        if (s) out[k2] = s;
      }
    } else {
      const s = str(v);
      if (s) out[k] = s;
    }
  }
  return out;
}

export function levelOfPermissions(flat: Record<string, string>): AccessLevel {
  let level: AccessLevel = 'none';
  for (const [k, v] of Object.entries(flat)) level = maxLevel(level, permissionLevel(k, v));
  return level;
}

/** Classic OAuth/PAT scopes: `admin:*`, `delete_repo`, `site_admin` administer; `repo`, `workflow`, `write:*` write. */
export function levelOfScopes(scopes: readonly string[]): AccessLevel {
  let level: AccessLevel = scopes.length > 0 ? 'read' : 'none';
  for (const s of scopes) {
    if (/^admin:|^delete_repo$|^site_admin$|^delete:/.test(s)) return 'admin';
    if (/^(repo|workflow|public_repo|write:.*|gist|codespace|project|user)$/.test(s))
      level = maxLevel(level, 'write');
  }
  return level;
}

/**
 * What an Actions secret or variable probably holds, from its name alone (GitHub never returns the
 * value). Names follow the vendors' documented environment variables, e.g. AWS_ACCESS_KEY_ID
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html) or OPENAI_API_KEY
 * (https://platform.openai.com/docs/quickstart).
 */
export function secretLooksLike(name: string): { looksLike?: string; cloud?: string; llm?: boolean } {
  const n = name.toUpperCase();
  if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$|(^|_)AWS_.*(ACCESS_KEY|SECRET)/.test(n))
    return { looksLike: 'aws-access-key', cloud: 'aws' };
  if (/GCP|GOOGLE|GCLOUD|GKE/.test(n) && /KEY|CREDENTIAL|JSON|SA$/.test(n))
    return { looksLike: 'gcp-service-account-key', cloud: 'gcp' };
  if (/AZURE|ARM_/.test(n) && /SECRET|CREDENTIALS|PASSWORD/.test(n))
    return { looksLike: 'azure-client-secret', cloud: 'azure' };
  if (/OPENAI/.test(n) && /KEY|TOKEN/.test(n)) return { looksLike: 'openai-api-key', llm: true };
  if (/ANTHROPIC|CLAUDE/.test(n) && /KEY|TOKEN/.test(n)) return { looksLike: 'anthropic-api-key', llm: true };
  if (
    /(HUGGING_?FACE|^HF_|COHERE|MISTRAL|GROQ|GEMINI|REPLICATE|TOGETHER|PERPLEXITY|DEEPSEEK)/.test(n) &&
    /KEY|TOKEN/.test(n)
  )
    return { looksLike: 'llm-api-key', llm: true };
  if (/^(GH|GITHUB)_(PAT|TOKEN)|GITHUB_.*TOKEN|^GH_.*TOKEN/.test(n)) return { looksLike: 'github-token' };
  if (/SLACK/.test(n) && /TOKEN|WEBHOOK|SECRET/.test(n)) return { looksLike: 'slack-token' };
  if (/^(NPM|PYPI|DOCKER(HUB)?|TWINE|NUGET|CARGO)_/.test(n) && /TOKEN|PASSWORD|KEY/.test(n))
    return { looksLike: 'registry-token' };
  if (/PRIVATE_KEY|SSH_KEY|DEPLOY_KEY|_PEM$/.test(n)) return { looksLike: 'private-key' };
  if (/PASSWORD|PASSWD|_PASS$|DATABASE_URL|DB_URL/.test(n)) return { looksLike: 'password' };
  if (/API_?KEY$|_KEY$/.test(n)) return { looksLike: 'api-key' };
  if (/TOKEN|SECRET/.test(n)) return { looksLike: 'token' };
  return {};
}
