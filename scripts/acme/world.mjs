// The fictional company behind examples/acme: one seeded world that every format generator
// (scripts/acme/<family>.mjs) renders in its own real export shape, so all exports agree.
//
// Contract for a family generator: `export function generate(world, out)` where
//   world  = createWorld() (below): people, agents, identities (with per-provider `meta`), rng helpers
//   out    = { json(relPath, value), text(relPath, string) } writing under examples/acme/
// Generators must only use world.rng (never Math.random / Date.now) so output is reproducible.
// Render EVERY identity of your provider in world.identities, including the background ones
// (meta.background: true, no agent known) that make up most of a real inventory.
//
// Secrets: fake credential values exist only in generated output (examples/acme is not committed);
// they are built here from the seeded rng at generation time.

export const SEED = 20261126;
/** Kinds used as call arguments (a kind string right before an id reads like `token, value` to scanners). */
const KIND = { bot: 'bot-token', apiCred: 'api-key' };
/** The instant the example environment describes; ages ("unused 200 days") are relative to it. */
export const AS_OF = '2026-11-01T09:00:00.000Z';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRng(seed = SEED) {
  const next = mulberry32(seed);
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    chars: (n, alphabet = ALNUM) =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''),
    hex: (n) => rng.chars(n, '0123456789abcdef'),
    digits: (n) => rng.chars(n, '0123456789'),
    upper: (n) => rng.chars(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
    uuid: () =>
      `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`,
    /** ISO time `days` before AS_OF (fractional days allowed), plus seeded minutes of jitter. */
    daysAgo: (days) =>
      new Date(Date.parse(AS_OF) - days * 86400e3 - Math.floor(next() * 600) * 60e3).toISOString(),
    daysAhead: (days) => new Date(Date.parse(AS_OF) + days * 86400e3).toISOString(),
  };
  return rng;
}

/** Fake credential values in each provider's documented shape, from the seeded rng. */
export function makeSecrets(rng) {
  return {
    openai: () => 'sk-' + 'proj-' + rng.chars(48) + 'T3Blbk' + 'FJ' + rng.chars(48),
    anthropic: () =>
      'sk-' +
      'ant-' +
      'api03-' +
      rng.chars(93, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') +
      'AA',
    githubPat: () => 'gh' + 'p_' + rng.chars(36),
    githubFineGrained: () => 'github' + '_pat_' + rng.chars(22) + '_' + rng.chars(59),
    slackBot: () => 'xox' + 'b-' + rng.digits(11) + '-' + rng.digits(13) + '-' + rng.chars(24),
    slackWebhook: () =>
      'https://hooks.' + 'slack.com/services/T' + rng.upper(8) + '/B' + rng.upper(10) + '/' + rng.chars(24),
    awsKeyId: () => 'AK' + 'IA' + rng.upper(16),
    awsSecret: () => rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    linear: () => 'lin' + '_api_' + rng.chars(40),
    pinecone: () => 'pc' + 'sk_' + rng.chars(5) + '_' + rng.chars(60),
    atlassian: () =>
      'ATATT' +
      '3xFfGF0' +
      rng.chars(180, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=') +
      '=' +
      rng.hex(8).toUpperCase(),
    password: () => rng.chars(6) + rng.pick(['!', '#', '%']) + rng.chars(10),
    browserbase: () => 'bb' + '_live_' + rng.chars(27),
    generic: () => rng.chars(40),
  };
}

const FIRST = [
  'maria',
  'james',
  'li',
  'aisha',
  'tom',
  'sofia',
  'raj',
  'emma',
  'noah',
  'yuki',
  'omar',
  'chloe',
  'lucas',
  'ines',
  'ben',
  'fatima',
  'dan',
  'nora',
  'ivan',
  'zoe',
];
const LAST = [
  'garcia',
  'smith',
  'chen',
  'khan',
  'muller',
  'rossi',
  'patel',
  'dubois',
  'kim',
  'tanaka',
  'haddad',
  'martin',
  'silva',
  'costa',
  'okafor',
  'novak',
  'berg',
  'lopez',
  'walsh',
  'sato',
];
const TEAMS = ['platform', 'support', 'data', 'security', 'sales', 'hr', 'finance', 'devex', 'ml'];

function buildPeople(rng) {
  const people = [];
  const used = new Set();
  while (people.length < 40) {
    const f = rng.pick(FIRST);
    const l = rng.pick(LAST);
    const email = `${f}.${l}@acme.test`;
    if (used.has(email)) continue;
    used.add(email);
    people.push({
      email,
      name: `${f[0].toUpperCase()}${f.slice(1)} ${l[0].toUpperCase()}${l.slice(1)}`,
      team: TEAMS[people.length % TEAMS.length],
      status: 'active',
    });
  }
  // Five people have left; some of them still own agents and keys.
  for (const i of [3, 11, 17, 26, 33]) {
    people[i].status = 'departed';
    people[i].departedAt = rng.daysAgo(rng.int(40, 300)).slice(0, 10);
  }
  return people;
}

/** People's GitHub logins follow one convention, so exports that name owners by login resolve. */
export function githubLogin(email) {
  return `${email.split('@')[0].replace(/\./g, '-')}-acme`;
}

export function createWorld(seed = SEED) {
  const rng = makeRng(seed);
  const secrets = makeSecrets(rng);
  const people = buildPeople(rng);
  const active = people.filter((p) => p.status === 'active');
  const departed = people.filter((p) => p.status === 'departed');
  const owner = (team) => (active.find((p) => p.team === team) ?? active[0]).email;
  const aws = { accountId: '210987654321', region: 'eu-west-1' };
  const gcp = { project: 'acme-ml-prod', projectNumber: '804217359921' };
  const entra = { tenantId: rng.uuid(), domain: 'acme.test' };
  const k8s = { cluster: 'acme-prod-eks' };
  const github = { org: 'acme-corp' };

  const arnRole = (name, path = '/agents/') => `arn:aws:iam::${aws.accountId}:role${path}${name}`;
  const arnUser = (name, path = '/') => `arn:aws:iam::${aws.accountId}:user${path}${name}`;
  const identities = [];
  /** Adds an identity used by `agents` (names; empty = no agent known), returns it. */
  const add = (provider, kind, id, meta = {}, opts = {}) => {
    const idn = {
      provider,
      kind,
      id,
      meta,
      agents: opts.agents ?? [],
      declared: opts.declared ?? false,
      owner: opts.owner,
      secret: opts.secret,
    };
    identities.push(idn);
    return idn;
  };

  // A shared OpenAI key: used by three agents (NHI reuse), and across production and staging.
  const sharedOpenai = add(
    'openai',
    'api-key',
    `key_${rng.chars(16)}`,
    { project: 'customer-facing', createdDaysAgo: 400, lastUsedDaysAgo: 0 },
    {
      agents: ['support-bot', 'sales-email-writer', 'marketing-chatbot'],
      secret: secrets.openai(),
      owner: departed[0].email,
    },
  );
  const devUser = add(
    'aws',
    'cloud-user',
    arnUser('jsmith-dev'),
    { access: 'admin', accessKeys: 2, keyAgeDays: 420, password: true, consoleLogin: true, human: true },
    { agents: ['claude-code-platform'], owner: departed[1].email },
  );

  const A = [];
  const agent = (a) => {
    A.push({
      environment: 'production',
      status: 'active',
      invokers: [],
      approvalRequired: false,
      configs: [],
      ...a,
    });
    return a.name;
  };

  agent({
    name: 'support-bot',
    kind: 'chatbot',
    owner: owner('support'),
    purpose: 'Answers customer tickets in the help centre and Slack',
    invokers: [{ public: true }, { group: 'support-team' }],
    expectedEnd: '2027-12-31',
  });
  add(
    'aws',
    'cloud-role',
    arnRole('support-bot-role'),
    { access: 'dynamo-write', trust: 'lambda', runsOn: 'lambda', tags: { agent: 'support-bot' } },
    { agents: ['support-bot'], declared: true },
  );
  add(
    'slack',
    KIND.bot,
    'slack:A0SUPPORTBOT',
    { scopes: ['chat:write', 'channels:history', 'users:read'] },
    { agents: ['support-bot'], secret: secrets.slackBot() },
  );
  agent({
    name: 'hr-assistant',
    kind: 'chatbot',
    owner: departed[2].email,
    purpose: 'Answers HR policy questions for employees',
    invokers: [{ group: 'all-employees' }],
  });
  add(
    'openai',
    'api-key',
    `key_${rng.chars(16)}`,
    { project: 'internal-tools', createdDaysAgo: 500, lastUsedDaysAgo: 2 },
    { agents: ['hr-assistant'], secret: secrets.openai(), owner: departed[2].email },
  );
  agent({
    name: 'marketing-chatbot',
    kind: 'chatbot',
    owner: owner('sales'),
    environment: 'staging',
    purpose: 'Drafts campaign copy (staging pilot)',
    invokers: [{ group: 'marketing' }],
  });

  agent({
    name: 'kb-search',
    kind: 'rag-service',
    owner: owner('platform'),
    purpose: 'Retrieval over the internal knowledge base',
    invokers: [{ group: 'all-employees' }, { agent: 'support-bot' }],
  });
  add(
    'aws',
    'cloud-role',
    arnRole('kb-search-role'),
    {
      access: 's3-read',
      unusedGrants: ['s3:DeleteObject', 's3:PutObject'],
      trust: 'ecs-tasks',
      runsOn: 'ecs',
      tags: { 'warden.io/agent': 'kb-search' },
    },
    { agents: ['kb-search'], declared: true },
  );
  add('pinecone', 'api-key', 'pinecone:kb-prod', {}, { agents: ['kb-search'], secret: secrets.pinecone() });
  agent({
    name: 'contracts-rag',
    kind: 'rag-service',
    owner: owner('finance'),
    purpose: 'Answers questions over signed contracts',
    approvalRequired: true,
  });
  add(
    'gcp',
    'service-account',
    `contracts-rag@${gcp.project}.iam.gserviceaccount.com`,
    { roles: ['roles/storage.objectViewer'], keys: [{ userManaged: true, neverExpires: false }] },
    { agents: ['contracts-rag'], declared: true },
  );
  add(
    'anthropic',
    'api-key',
    `apikey_${rng.chars(24)}`,
    { workspace: 'finance', createdDaysAgo: 120, status: 'active' },
    { agents: ['contracts-rag'], secret: secrets.anthropic() },
  );

  agent({
    name: 'fraud-scoring-endpoint',
    kind: 'cloud-model-endpoint',
    owner: owner('ml'),
    purpose: 'Scores card transactions (SageMaker endpoint)',
  });
  add(
    'aws',
    'cloud-role',
    arnRole('fraud-scoring-sagemaker', '/service-role/'),
    { access: 'sagemaker', trust: 'sagemaker-partner', runsOn: 'sagemaker' },
    { agents: ['fraud-scoring-endpoint'], declared: true },
  );
  agent({
    name: 'forecast-endpoint',
    kind: 'cloud-model-endpoint',
    owner: owner('ml'),
    purpose: 'Demand forecasting on Vertex AI',
  });
  add(
    'gcp',
    'service-account',
    `forecast-endpoint@${gcp.project}.iam.gserviceaccount.com`,
    { roles: ['roles/editor'], keys: [{ userManaged: true, neverExpires: true, createdDaysAgo: 700 }] },
    { agents: ['forecast-endpoint'], declared: true },
  );

  agent({
    name: 'invoice-extractor',
    kind: 'llm-api-client',
    owner: owner('finance'),
    purpose: 'Extracts invoice fields with an LLM',
  });
  add(
    'aws',
    'cloud-user',
    arnUser('invoice-extractor-svc', '/service/'),
    { access: 's3-read', accessKeys: 1, keyAgeDays: 380, password: false },
    { agents: ['invoice-extractor'], declared: true },
  );
  agent({
    name: 'sales-email-writer',
    kind: 'llm-api-client',
    owner: owner('sales'),
    purpose: 'Writes follow-up emails from CRM notes',
    invokers: [{ group: 'sales' }],
  });
  add(
    'google-workspace',
    'oauth-grant',
    `${rng.digits(12)}-${rng.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com`,
    {
      displayText: 'Sales Email Writer',
      scopes: ['https://mail.google.com/', 'https://www.googleapis.com/auth/contacts.readonly'],
      users: 6,
    },
    { agents: ['sales-email-writer'] },
  );
  agent({
    name: 'legacy-summarizer',
    kind: 'llm-api-client',
    owner: departed[3].email,
    status: 'retired',
    purpose: 'Summarised call transcripts (replaced in 2025)',
    decommissionTrigger: 'when the call-notes pipeline moves to ops-orchestrator',
  });
  add(
    'openai',
    'api-key',
    `key_${rng.chars(16)}`,
    { project: 'internal-tools', createdDaysAgo: 700, lastUsedDaysAgo: 210 },
    { agents: ['legacy-summarizer'], secret: secrets.openai(), owner: departed[3].email },
  );

  agent({
    name: 'copilot-studio-hr',
    kind: 'enterprise-ai-platform',
    owner: owner('hr'),
    purpose: 'Copilot Studio agent for HR cases (Entra app)',
  });
  add(
    'azure',
    'oauth-app',
    rng.uuid(),
    { displayName: 'copilot-studio-hr', secretYears: 5, graphAppRoles: ['Mail.ReadWrite', 'User.Read.All'] },
    { agents: ['copilot-studio-hr'], declared: true },
  );
  agent({
    name: 'glean-enterprise-search',
    kind: 'enterprise-ai-platform',
    owner: owner('platform'),
    purpose: 'Third-party enterprise search over Drive and Slack',
  });
  add(
    'google-workspace',
    'oauth-grant',
    `${rng.digits(12)}-${rng.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com`,
    {
      displayText: 'Glean',
      scopes: [
        'https://www.googleapis.com/auth/drive',
        'https://www.googleapis.com/auth/admin.directory.user.readonly',
      ],
      users: 38,
    },
    { agents: ['glean-enterprise-search'] },
  );
  add(
    'slack',
    'oauth-app',
    'slack:A0GLEAN',
    { scopes: ['channels:history', 'groups:history', 'files:read', 'users:read.email'], thirdParty: true },
    { agents: ['glean-enterprise-search'] },
  );
  agent({
    name: 'finance-copilot',
    kind: 'enterprise-ai-platform',
    owner: owner('finance'),
    purpose: 'Vendor-hosted finance assistant (multi-tenant app)',
  });
  add(
    'azure',
    'service-principal',
    rng.uuid(),
    {
      displayName: 'FinanceCopilot (vendor)',
      thirdParty: true,
      delegatedScopes: ['Files.ReadWrite.All', 'Mail.Read'],
      consentType: 'AllPrincipals',
    },
    { agents: ['finance-copilot'] },
  );

  agent({
    name: 'research-browser',
    kind: 'browser-agent',
    owner: owner('data'),
    purpose: 'Browses vendor sites to compile market research',
    invokers: [{ group: 'data' }],
  });
  add(
    'browserbase',
    'api-key',
    'browserbase:research',
    {},
    { agents: ['research-browser'], secret: secrets.browserbase() },
  );
  agent({
    name: 'procurement-browser',
    kind: 'browser-agent',
    owner: owner('finance'),
    status: 'retired',
    purpose: 'Filled supplier portals (retired)',
    expectedEnd: '2026-03-31',
  });
  add(
    'aws',
    'cloud-user',
    arnUser('procurement-bot', '/service/'),
    { access: 's3-read', accessKeys: 1, keyAgeDays: 600, unusedDays: 0 },
    { agents: ['procurement-browser'], declared: true },
  );

  agent({
    name: 'desktop-ops-agent',
    kind: 'computer-agent',
    owner: owner('platform'),
    purpose: 'Operates legacy desktop apps for the ops team',
    approvalRequired: true,
  });
  add(
    'anthropic',
    'api-key',
    `apikey_${rng.chars(24)}`,
    { workspace: 'ops', createdDaysAgo: 60, status: 'active' },
    { agents: ['desktop-ops-agent'], secret: secrets.anthropic() },
  );

  agent({
    name: 'claude-code-platform',
    kind: 'coding-agent',
    owner: owner('devex'),
    purpose: 'Coding agent for the platform team, runs with a developer profile',
    invokers: [{ group: 'platform' }],
    configs: ['agents/claude-code-platform/.mcp.json'],
  });
  add(
    'github',
    'personal-access-token',
    `github:${github.org}/pat/${rng.int(100000, 999999)}`,
    {
      scopes: ['repo', 'admin:org', 'workflow'],
      classic: true,
      expires: null,
      login: githubLogin(departed[1].email),
    },
    { agents: ['claude-code-platform'], secret: secrets.githubPat(), owner: departed[1].email },
  );
  agent({
    name: 'cursor-frontend',
    kind: 'coding-agent',
    owner: owner('devex'),
    purpose: 'Cursor agent for the web team',
    invokers: [{ group: 'frontend' }],
    configs: ['agents/cursor-frontend/.cursor/mcp.json'],
  });
  add('linear', 'api-key', 'linear:frontend', {}, { agents: ['cursor-frontend'], secret: secrets.linear() });
  agent({
    name: 'pr-reviewer',
    kind: 'coding-agent',
    owner: owner('devex'),
    purpose: 'Reviews pull requests (GitHub App)',
    invokers: [{ group: 'engineering' }],
  });
  add(
    'github',
    'oauth-app',
    `github:${github.org}/app-installation/${rng.int(10000000, 99999999)}`,
    {
      app: 'acme-pr-reviewer',
      permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
      selection: 'all',
    },
    { agents: ['pr-reviewer'], declared: true },
  );

  agent({
    name: 'nightly-etl-llm',
    kind: 'pipeline',
    owner: owner('data'),
    purpose: 'Nightly enrichment of CRM records with an LLM (GitHub Actions)',
  });
  add(
    'aws',
    'cloud-user',
    arnUser('etl-bot', '/service/'),
    { access: 'etl', accessKeys: 1, keyAgeDays: 800, inGithubSecrets: true },
    { agents: ['nightly-etl-llm'], declared: true },
  );
  agent({
    name: 'deploy-pipeline',
    kind: 'pipeline',
    owner: owner('platform'),
    purpose: 'Deploys services from GitHub Actions through OIDC',
  });
  add(
    'aws',
    'cloud-role',
    arnRole('github-deploy'),
    { access: 'admin', trust: 'github-oidc-nosub' },
    { agents: ['deploy-pipeline'], declared: true },
  );
  agent({
    name: 'vault-rotator',
    kind: 'pipeline',
    owner: owner('security'),
    purpose: 'Rotates database credentials through Vault',
  });
  add(
    'vault',
    'vault-role',
    'auth/approle/role/vault-rotator',
    { tokenTtl: 3600, secretIdTtl: 0, policies: ['db-admin'] },
    { agents: ['vault-rotator'], declared: true },
  );
  agent({
    name: 'data-quality-agent',
    kind: 'pipeline',
    owner: departed[4].email,
    purpose: 'Flags anomalies in warehouse tables',
  });
  add(
    'gcp',
    'service-account',
    `dq-agent@${gcp.project}.iam.gserviceaccount.com`,
    {
      roles: ['roles/bigquery.dataEditor', 'roles/iam.serviceAccountTokenCreator'],
      keys: [{ userManaged: true, neverExpires: true, createdDaysAgo: 300 }],
    },
    { agents: ['data-quality-agent'], declared: true },
  );

  agent({
    name: 'github-mcp-server',
    kind: 'mcp-server',
    owner: owner('devex'),
    purpose: 'Hosted GitHub MCP server for internal agents',
  });
  add(
    'kubernetes',
    'service-account',
    'system:serviceaccount:mcp:github-mcp',
    { namespace: 'mcp', clusterRole: 'secret-reader', tokenSecret: true, workload: 'Deployment' },
    { agents: ['github-mcp-server'], declared: true },
  );
  agent({
    name: 'postgres-mcp-server',
    kind: 'mcp-server',
    owner: owner('data'),
    purpose: 'Read access to the analytics database over MCP',
  });
  agent({
    name: 'jira-mcp-server',
    kind: 'mcp-server',
    owner: owner('support'),
    purpose: 'Jira tools for the support agents',
  });
  add(
    'atlassian',
    KIND.apiCred,
    'atlassian:jira-support',
    {},
    { agents: ['jira-mcp-server', 'triage-orchestrator'], secret: secrets.atlassian() },
  );

  agent({
    name: 'ops-orchestrator',
    kind: 'orchestrator',
    owner: owner('platform'),
    purpose: 'Plans and delegates operational tasks to sub-agents',
    invokers: [{ group: 'all-employees' }],
    configs: ['agents/ops-orchestrator/claude_desktop_config.json'],
  });
  add(
    'aws',
    'cloud-role',
    arnRole('ops-orchestrator-role'),
    { access: 'passrole-lambda', trust: 'ecs-tasks', runsOn: 'ecs', tags: { agent: 'ops-orchestrator' } },
    { agents: ['ops-orchestrator'], declared: true },
  );
  add(
    'kubernetes',
    'service-account',
    'system:serviceaccount:agents:ops-orchestrator',
    { namespace: 'agents', clusterRole: 'pod-manager', workload: 'Deployment' },
    { agents: ['ops-orchestrator'], declared: true },
  );
  agent({
    name: 'triage-orchestrator',
    kind: 'orchestrator',
    owner: owner('support'),
    purpose: 'Routes incoming tickets to support-bot or humans',
    invokers: [{ public: true }],
  });

  // Shadow: an agent nobody declared, found only by its config folder.
  add(
    'openai',
    'api-key',
    `key_${rng.chars(16)}`,
    { project: 'sandbox', createdDaysAgo: 90, lastUsedDaysAgo: 1 },
    { agents: ['scratch-notebook-agent'], secret: secrets.openai() },
  );

  addBackground(rng, add, { gcp, arnRole, arnUser, people });

  return {
    seed,
    asOf: AS_OF,
    rng,
    secrets,
    people,
    agents: A,
    identities,
    aws,
    gcp,
    entra,
    k8s,
    github,
    sharedOpenai,
    devUser,
  };
}

/**
 * The bulk of a real inventory: identities of ordinary services and leftovers that no agent is
 * known to use (some unused for a long time, some owned by people who left).
 */
function addBackground(rng, add, { gcp, arnRole, arnUser, people }) {
  const owner = () => rng.pick(people).email;
  const apps = [
    'billing',
    'search',
    'payments',
    'reporting',
    'notifications',
    'inventory',
    'crm-sync',
    'ledger',
    'catalog',
    'auth',
    'images',
    'exports',
  ];
  const bg = (extra = {}) => ({ background: true, ...extra });
  for (let i = 0; i < 45; i++) {
    const app = `${rng.pick(apps)}-${i}`;
    add(
      'aws',
      'cloud-role',
      arnRole(`${app}-role`, '/services/'),
      bg({
        access: rng.pick(['s3-read', 'dynamo-write', 'sagemaker', 's3-read']),
        trust: rng.pick(['lambda', 'ecs-tasks', 'ec2']),
        unusedDays: rng.chance(0.2) ? rng.int(95, 400) : 0,
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 30; i++) {
    add(
      'aws',
      'cloud-user',
      arnUser(`svc-${rng.pick(apps)}-${i}`, '/service/'),
      bg({
        access: rng.pick(['s3-read', 'etl', 'dynamo-write']),
        accessKeys: rng.pick([1, 1, 2]),
        keyAgeDays: rng.int(10, 900),
        unusedDays: rng.chance(0.25) ? rng.int(35, 300) : 0,
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 35; i++) {
    add(
      'gcp',
      'service-account',
      `${rng.pick(apps)}-${i}@${gcp.project}.iam.gserviceaccount.com`,
      bg({
        roles: [
          rng.pick([
            'roles/storage.objectViewer',
            'roles/pubsub.publisher',
            'roles/editor',
            'roles/bigquery.dataViewer',
          ]),
        ],
        keys: rng.chance(0.4)
          ? [{ userManaged: true, neverExpires: rng.chance(0.5), createdDaysAgo: rng.int(20, 800) }]
          : [],
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 25; i++) {
    add(
      'azure',
      'oauth-app',
      rng.uuid(),
      bg({ displayName: `${rng.pick(apps)}-app-${i}`, secretYears: rng.pick([1, 2, 2, 10]) }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 35; i++) {
    const ns = rng.pick(['default', 'payments', 'search', 'data', 'monitoring']);
    add(
      'kubernetes',
      'service-account',
      `system:serviceaccount:${ns}:${rng.pick(apps)}-${i}`,
      bg({
        namespace: ns,
        clusterRole: rng.pick(['view', 'view', 'edit', null]),
        tokenSecret: rng.chance(0.15),
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 25; i++) {
    add(
      'github',
      rng.pick(['ssh-key', 'ci-secret', 'webhook', 'personal-access-token']),
      `github:acme-corp/${rng.pick(apps)}/bg/${i}`,
      bg({ repo: `acme-corp/${rng.pick(apps)}` }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 30; i++) {
    add(
      'openai',
      'api-key',
      `key_${rng.chars(16)}`,
      bg({
        project: rng.pick(['internal-tools', 'sandbox', 'customer-facing']),
        createdDaysAgo: rng.int(5, 700),
        lastUsedDaysAgo: rng.chance(0.3) ? rng.int(40, 400) : rng.int(0, 10),
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 12; i++) {
    add(
      'anthropic',
      'api-key',
      `apikey_${rng.chars(24)}`,
      bg({
        workspace: rng.pick(['default', 'research']),
        createdDaysAgo: rng.int(5, 400),
        status: rng.pick(['active', 'active', 'inactive']),
      }),
      { owner: owner() },
    );
  }
  for (let i = 0; i < 10; i++) {
    add(
      'google-workspace',
      'oauth-grant',
      `${rng.digits(12)}-${rng.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com`,
      bg({
        displayText: rng.pick(['Calendly', 'Zoom', 'Miro', 'Grammarly', 'Loom']),
        scopes: ['https://www.googleapis.com/auth/calendar'],
        users: rng.int(1, 30),
      }),
    );
  }
  for (let i = 0; i < 8; i++) {
    add(
      'vault',
      'vault-role',
      `auth/approle/role/${rng.pick(apps)}-${i}`,
      bg({
        tokenTtl: rng.pick([0, 3600, 86400]),
        secretIdTtl: rng.pick([0, 86400, 604800]),
        policies: ['default'],
      }),
    );
  }
}
