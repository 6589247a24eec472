/**
 * Fake credentials in the real formats, made at run time from seeded random parts: the repository
 * never holds a token-shaped literal (prefixes alone are not tokens). Used by the labelled corpus
 * of the accuracy test and of the benchmark.
 */
export type Rnd = () => number;

const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOW = 'abcdefghijklmnopqrstuvwxyz';
const DIG = '0123456789';
const AN = UP + LOW + DIG;
const HEXS = '0123456789abcdef';
const B64 = AN + '+/';
const URLSAFE = AN + '_-';

export function pick<T>(rnd: Rnd, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}
export function rs(rnd: Rnd, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  // Random strings can (rarely) hold a run that looks like a placeholder; break it.
  return s.replace(/(.)\1{4,}/g, (m) => m.slice(0, 2) + (m[0] === 'a' ? 'b' : 'a') + m.slice(3));
}
const b64url = (s: string) => Buffer.from(s).toString('base64url');

export interface TokenMaker {
  kind: string;
  /** The variable name it is usually assigned to (contextual rules need it). */
  name: string;
  make(rnd: Rnd): string;
}

const p = (...parts: string[]) => parts.join('');

export const TOKEN_MAKERS: TokenMaker[] = [
  { kind: 'github-pat', name: 'GITHUB_TOKEN', make: (r) => p('gh', 'p_', rs(r, AN, 36)) },
  {
    kind: 'github-fine-grained',
    name: 'GH_PAT',
    make: (r) => p('github', '_pat_', rs(r, AN, 22), '_', rs(r, AN, 59)),
  },
  { kind: 'gitlab-pat', name: 'GITLAB_TOKEN', make: (r) => p('gl', 'pat-', rs(r, URLSAFE, 20)) },
  {
    kind: 'slack-bot',
    name: 'SLACK_BOT_TOKEN',
    make: (r) => p('xo', 'xb-', rs(r, DIG, 12), '-', rs(r, DIG, 13), '-', rs(r, AN, 24)),
  },
  {
    kind: 'slack-webhook',
    name: 'SLACK_WEBHOOK_URL',
    make: (r) =>
      p(
        'https://hooks.',
        'slack.com/services/T',
        rs(r, UP + DIG, 8),
        '/B',
        rs(r, UP + DIG, 10),
        '/',
        rs(r, AN, 24),
      ),
  },
  { kind: 'stripe', name: 'STRIPE_SECRET_KEY', make: (r) => p('sk', '_live_', rs(r, AN, 99)) },
  {
    kind: 'openai-project',
    name: 'OPENAI_API_KEY',
    make: (r) => p('sk-', 'proj-', rs(r, URLSAFE, 74), 'T3Blbk', 'FJ', rs(r, URLSAFE, 74)),
  },
  { kind: 'openai-svcacct', name: 'OPENAI_API_KEY', make: (r) => p('sk-', 'svcacct-', rs(r, URLSAFE, 120)) },
  {
    kind: 'anthropic',
    name: 'ANTHROPIC_API_KEY',
    make: (r) => p('sk-', 'ant-', 'api03-', rs(r, URLSAFE, 93), 'AA'),
  },
  {
    kind: 'aws-access-key-id',
    name: 'AWS_ACCESS_KEY_ID',
    make: (r) => p('AK', 'IA', rs(r, UP + '234567', 16)),
  },
  { kind: 'aws-secret', name: 'AWS_SECRET_ACCESS_KEY', make: (r) => rs(r, B64, 40) },
  { kind: 'gcp-api-key', name: 'GOOGLE_API_KEY', make: (r) => p('AI', 'za', rs(r, URLSAFE, 35)) },
  { kind: 'huggingface', name: 'HF_TOKEN', make: (r) => p('hf', '_', rs(r, UP + LOW, 34)) },
  { kind: 'groq', name: 'GROQ_API_KEY', make: (r) => p('gs', 'k_', rs(r, AN, 52)) },
  { kind: 'replicate', name: 'REPLICATE_API_TOKEN', make: (r) => p('r8', '_', rs(r, AN, 37)) },
  { kind: 'npm', name: 'NPM_TOKEN', make: (r) => p('np', 'm_', rs(r, AN, 36)) },
  {
    kind: 'sendgrid',
    name: 'SENDGRID_API_KEY',
    make: (r) => p('S', 'G.', rs(r, URLSAFE, 22), '.', rs(r, URLSAFE, 43)),
  },
  { kind: 'twilio', name: 'TWILIO_AUTH_TOKEN', make: (r) => rs(r, HEXS, 32) },
  { kind: 'datadog', name: 'DATADOG_API_KEY', make: (r) => rs(r, HEXS, 32) },
  { kind: 'mistral', name: 'MISTRAL_API_KEY', make: (r) => rs(r, AN, 32) },
  { kind: 'cohere', name: 'COHERE_API_KEY', make: (r) => rs(r, AN, 40) },
  { kind: 'vault', name: 'VAULT_TOKEN', make: (r) => p('hv', 's.', rs(r, URLSAFE, 92)) },
  { kind: 'dockerhub', name: 'DOCKERHUB_TOKEN', make: (r) => p('dckr', '_pat_', rs(r, URLSAFE, 27)) },
  { kind: 'pypi', name: 'PYPI_API_TOKEN', make: (r) => p('pypi-', 'AgEIcHlwaS5vcmc', rs(r, URLSAFE, 70)) },
  { kind: 'shopify', name: 'SHOPIFY_ACCESS_TOKEN', make: (r) => p('shp', 'at_', rs(r, HEXS, 32)) },
  {
    kind: 'generic-password',
    name: 'DB_PASSWORD',
    make: (r) => rs(r, UP, 3) + rs(r, LOW + DIG, 14) + pick(r, ['!', '#', '%', '*']) + rs(r, DIG, 2),
  },
  {
    kind: 'generic-api-key',
    name: 'INTERNAL_API_KEY',
    make: (r) => rs(r, AN, 12) + rs(r, DIG, 4) + rs(r, AN, 16),
  },
  {
    kind: 'generic-client-secret',
    name: 'CLIENT_SECRET',
    make: (r) => rs(r, URLSAFE, 18) + rs(r, DIG, 3) + rs(r, AN, 19),
  },
  {
    kind: 'jwt',
    name: 'SERVICE_JWT',
    make: (r) =>
      [
        b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
        b64url(
          JSON.stringify({ sub: rs(r, DIG, 10), iat: 1700000000 + Math.floor(r() * 1e7), scope: 'read' }),
        ),
        rs(r, URLSAFE, 43),
      ].join('.'),
  },
];

/** A PEM private key block (random body; PEM framing per RFC 7468). */
export function makePem(rnd: Rnd, label = 'RSA PRIVATE KEY'): string[] {
  const lines = [`-----BEGIN ${label}-----`];
  for (let i = 0; i < 12; i++) lines.push(rs(rnd, B64, 64));
  lines.push(`-----END ${label}-----`);
  return lines;
}

export function makeDbUri(rnd: Rnd): { uri: string; password: string } {
  const password = rs(rnd, AN, 6) + rs(rnd, DIG, 3) + rs(rnd, AN, 9);
  const scheme = pick(rnd, ['postgres', 'postgresql', 'mysql', 'mongodb+srv', 'redis']);
  return {
    uri: `${scheme}://app_${rs(rnd, LOW, 5)}:${password}@db-${rs(rnd, LOW, 6)}.internal:5432/main`,
    password,
  };
}

/** Values that look like secrets in secret-looking places but are not (the decoys). */
export function makeDecoy(rnd: Rnd): { name: string; value: string } {
  const uuid = () =>
    `${rs(rnd, HEXS, 8)}-${rs(rnd, HEXS, 4)}-4${rs(rnd, HEXS, 3)}-a${rs(rnd, HEXS, 3)}-${rs(rnd, HEXS, 12)}`;
  const options: (() => { name: string; value: string })[] = [
    () => ({ name: 'OPENAI_API_KEY', value: 'sk-your-key-here' }),
    () => ({ name: 'API_KEY', value: '<YOUR_API_KEY>' }),
    () => ({ name: 'GITHUB_TOKEN', value: '${GITHUB_TOKEN}' }),
    () => ({ name: 'DB_PASSWORD', value: '{{ .Values.db.password }}' }),
    () => ({ name: 'AWS_SECRET_ACCESS_KEY', value: 'x'.repeat(40) }),
    () => ({ name: 'AWS_ACCESS_KEY_ID', value: ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('') }),
    () => ({ name: 'SESSION_TOKEN_ID', value: uuid() }),
    () => ({ name: 'SECRET_VERSION', value: uuid() }),
    () => ({ name: 'TOKEN_SHA', value: rs(rnd, HEXS, 40) }),
    () => ({ name: 'PASSWORD_HASH_SHA256', value: rs(rnd, HEXS, 64) }),
    () => ({ name: 'NPM_TOKEN', value: '${{ secrets.NPM_TOKEN }}' }),
    () => ({ name: 'SECRET_KEY', value: 'changeme' }),
    () => ({ name: 'API_TOKEN', value: 'REPLACE_ME_WITH_TOKEN' }),
    () => ({ name: 'STRIPE_SECRET_KEY', value: 'sk_live_' + 'x'.repeat(24) }),
    () => ({ name: 'AUTH_TOKEN_TTL', value: '3600' }),
    () => ({ name: 'PASSWORD_FILE', value: '/run/secrets/db_password' }),
    () => ({ name: 'TOKEN_URL', value: 'https://oauth2.googleapis.com/token' }),
    () => ({ name: 'CLIENT_SECRET', value: '${input:client-secret}' }),
    () => ({ name: 'SECRET_NAME', value: 'prod/app/database' }),
    () => ({ name: 'API_KEY', value: 'process.env.API_KEY' }),
    () => ({ name: 'DATABASE_URL', value: 'postgres://app:${DB_PASSWORD}@db:5432/app' }),
    () => ({ name: 'INTEGRITY', value: 'sha512-' + rs(rnd, B64, 86) + '==' }),
    () => ({ name: 'TOKEN_ENDPOINT_VERSION', value: 'v2.1.0' }),
    () => ({ name: 'PRIVATE_KEY_PATH', value: './keys/service.pem' }),
  ];
  return pick(rnd, options)();
}
