import type { IdentityKind } from '../../model/index.js';

export interface CredentialClass {
  provider: string;
  kind: IdentityKind;
  /** Native id carried by the value itself (an AWS access key id), when there is one. */
  nativeId?: string;
}

/**
 * Value prefixes that name the issuer, from each provider's documented token formats
 * (e.g. https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/,
 * https://api.slack.com/authentication/token-types, https://platform.openai.com/docs/api-reference/authentication,
 * https://docs.anthropic.com/en/api/getting-started#authentication, https://docs.gitlab.com/ee/security/tokens/).
 */
const PREFIXES: [RegExp, string, IdentityKind][] = [
  [/^sk-ant-admin/, 'anthropic', 'api-key'],
  [/^sk-ant-/, 'anthropic', 'api-key'],
  [/^sk-(proj|svcacct|admin)-/, 'openai', 'api-key'],
  [/^sk-[A-Za-z0-9]{20,}$/, 'openai', 'api-key'],
  [/^github_pat_/, 'github', 'personal-access-token'],
  [/^ghp_/, 'github', 'personal-access-token'],
  [/^gho_/, 'github', 'oauth-token'],
  [/^ghu_/, 'github', 'oauth-token'],
  [/^ghs_/, 'github', 'session-token'],
  [/^glpat-/, 'gitlab', 'personal-access-token'],
  [/^xoxb-/, 'slack', 'bot-token'],
  [/^xox[pe]-/, 'slack', 'oauth-token'],
  [/^xapp-/, 'slack', 'api-key'],
  [/^https:\/\/hooks\.slack\.com\//, 'slack', 'webhook'],
  [/^hf_/, 'huggingface', 'api-key'],
  [/^AIza[\w-]{35}$/, 'google', 'api-key'],
  [/^gsk_/, 'groq', 'api-key'],
  [/^r8_/, 'replicate', 'api-key'],
  [/^(sk|rk)_(live|test)_/, 'stripe', 'api-key'],
  [/^SG\.[\w-]{16,}\.[\w-]{16,}$/, 'sendgrid', 'api-key'],
  [/^npm_/, 'npm', 'api-key'],
  [/^lin_api_/, 'linear', 'api-key'],
  [/^(ntn_|secret_[A-Za-z0-9]{40,})/, 'notion', 'api-key'],
  [/^hv[sb]\./, 'vault', 'session-token'],
  [/^dop_v1_/, 'digitalocean', 'personal-access-token'],
  [/^pcsk_/, 'pinecone', 'api-key'],
  [/^tvly-/, 'tavily', 'api-key'],
];

/** Variable-name stems whose provider we can name when the value does not say. */
const NAME_PROVIDERS: [RegExp, string][] = [
  [/OPENAI/, 'openai'],
  [/ANTHROPIC|CLAUDE/, 'anthropic'],
  [/GITHUB|GH_/, 'github'],
  [/GITLAB/, 'gitlab'],
  [/SLACK/, 'slack'],
  [/AWS/, 'aws'],
  [/AZURE/, 'azure'],
  [/GOOGLE|GEMINI|GCP/, 'google'],
  [/HUGGING|HF_/, 'huggingface'],
  [/MISTRAL/, 'mistral'],
  [/COHERE/, 'cohere'],
  [/GROQ/, 'groq'],
  [/STRIPE/, 'stripe'],
  [/NOTION/, 'notion'],
  [/LINEAR/, 'linear'],
  [/JIRA|ATLASSIAN|CONFLUENCE/, 'atlassian'],
  [/SENTRY/, 'sentry'],
  [/DATADOG|DD_API/, 'datadog'],
  [/BRAVE/, 'brave'],
  [/PINECONE/, 'pinecone'],
];

/** Names that carry a credential; deliberately excludes *_URL unless the value holds a password. */
export const SECRET_NAME =
  /(^|_|-)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|PASS|CREDENTIALS?|AUTH|PAT|ACCESS_KEY|PRIVATE_KEY|DSN|BEARER)($|_|-)/i;
/** Names that look like a secret but are not one. */
const NOT_SECRET_NAME =
  /(^|_)(KEY_?ID|CLIENT_ID|TOKEN_URL|AUTH_URL|KEY_PATH|KEY_FILE|TOKEN_TYPE|AUTH_TYPE|AUTH_METHOD)$|_ID$/i;

const AWS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}$/;

export function isAwsAccessKeyId(v: string): boolean {
  return AWS_KEY_ID.test(v);
}

/** Connection URLs that embed a password: scheme://user:password@host. */
export const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*):\/\/([^:/@\s]+):([^@\s]+)@([^/\s?#]+)(\/[^\s?#]*)?/i;

const DB_SCHEMES: Record<string, string> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  mongodb: 'mongodb',
  'mongodb+srv': 'mongodb',
  redis: 'redis',
  rediss: 'redis',
  amqp: 'rabbitmq',
  amqps: 'rabbitmq',
  mssql: 'sqlserver',
  sqlserver: 'sqlserver',
};

/** Is this (name, value) pair a credential, and of what kind? Undefined when it is not one. */
export function classifyCredential(name: string, value: string): CredentialClass | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (AWS_KEY_ID.test(v)) return { provider: 'aws', kind: 'access-key', nativeId: v };
  for (const [re, provider, kind] of PREFIXES) if (re.test(v)) return { provider, kind };
  const url = URL_WITH_PASSWORD.exec(v);
  if (url) {
    const scheme = url[1]!.toLowerCase();
    const provider = DB_SCHEMES[scheme] ?? scheme;
    return { provider, kind: DB_SCHEMES[scheme] ? 'database-account' : 'api-key' };
  }
  if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v))
    return { provider: providerFromName(name) ?? 'unknown', kind: 'certificate' };
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name)) return undefined;
  if (v.length < 8 || /^(true|false|null|none|changeme|xxx+|\*+|<.*>|your[-_ ].*|placeholder)$/i.test(v))
    return undefined;
  const provider = providerFromName(name) ?? 'unknown';
  let kind: IdentityKind = 'api-key';
  if (/BOT_?TOKEN/i.test(name)) kind = 'bot-token';
  else if (/PAT$|PERSONAL_ACCESS_TOKEN/i.test(name)) kind = 'personal-access-token';
  else if (/PASSWORD|PASSWD|PWD|PASS$/i.test(name)) kind = 'password';
  else if (/SECRET_ACCESS_KEY/i.test(name)) kind = 'access-key';
  else if (/TOKEN/i.test(name)) kind = 'oauth-token';
  return { provider, kind };
}

/** The provider a variable name points at: a known stem, else the name's first word (`BROWSERBASE_API_KEY`). */
export function providerFromName(name: string): string | undefined {
  const up = name.toUpperCase();
  for (const [re, p] of NAME_PROVIDERS) if (re.test(up)) return p;
  const m = /^([A-Z][A-Z0-9]{2,})_(?:[A-Z0-9]+_)*(API_?KEY|TOKEN|SECRET|KEY|PAT|PASSWORD)$/.exec(up);
  if (m && !/^(API|APP|MY|THE|SECRET|ACCESS|AUTH|BOT|CLIENT|SERVICE|DB|DATABASE)$/.test(m[1]!))
    return m[1]!.toLowerCase();
  return undefined;
}

/** The parts of a credential URL that identify the account without the password. */
export function describeUrlAccount(v: string): string | undefined {
  const m = URL_WITH_PASSWORD.exec(v.trim());
  if (!m) return undefined;
  return `${m[1]!.toLowerCase()}://${m[2]}@${m[4]}${m[5] ?? ''}`;
}

/** Provider-style partial hint: the kind prefix and the last four characters, as admin APIs show. */
export function hintOf(value: string): { prefix: string; suffix: string } {
  const prefix = /^[A-Za-z]{2,8}[-_](?:[a-z0-9]{2,8}[-_])?/.exec(value)?.[0] ?? value.slice(0, 3);
  return {
    prefix: prefix.slice(0, Math.min(prefix.length, Math.floor(value.length / 4))),
    suffix: value.length >= 16 ? value.slice(-4) : '',
  };
}
