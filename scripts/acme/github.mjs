// Acme's GitHub organisation as the REST API returns it, saved under the API path it came from
// (the rule Warden uses to know the org and repository of a file):
//   github/orgs/acme-corp/installations.json               GET /orgs/{org}/installations
//   github/orgs/acme-corp/personal-access-tokens.json      GET /orgs/{org}/personal-access-tokens
//   github/orgs/acme-corp/credential-authorizations.json   GET /orgs/{org}/credential-authorizations
//   github/orgs/acme-corp/actions/secrets.json             GET /orgs/{org}/actions/secrets
//   github/orgs/acme-corp/hooks.json                       GET /orgs/{org}/hooks
//   github/repos/acme-corp/<repo>/{keys,hooks}.json, actions/{secrets,variables}.json
//   github/repos/acme-corp/<repo>/.github/workflows/*.yml  the workflow files of the checkout
// Shapes: https://docs.github.com/en/rest (orgs, apps, deploy-keys, actions/secrets, webhooks).
import { stringify } from 'yaml';

export function generate(world, out) {
  const { rng, github, aws, people } = world;
  const org = github.org;
  const api = 'https://api.github.com';
  const ts = (days) => rng.daysAgo(days).replace(/\.\d{3}Z$/, 'Z');
  const login = (email) => `${email.split('@')[0].replace(/\./g, '-')}-acme`;
  const repos = new Map();
  const repo = (name) => {
    if (!repos.has(name)) repos.set(name, { keys: [], secrets: [], variables: [], hooks: [] });
    return repos.get(name);
  };
  const sshKey = () =>
    `ssh-ed25519 ${Buffer.from(`\0\0\0\x0bssh-ed25519\0\0\0 ${rng.chars(32)}`).toString('base64')}`;
  const gh = world.identities.filter((i) => i.provider === 'github');

  // App installations (the PR reviewer agent is a GitHub App).
  const installations = gh
    .filter((i) => i.kind === 'oauth-app')
    .map((i) => {
      const id = Number(i.id.split('/').pop());
      return {
        id,
        account: { login: org, id: 90210001, type: 'Organization' },
        access_tokens_url: `${api}/app/installations/${id}/access_tokens`,
        repositories_url: `${api}/installation/repositories`,
        html_url: `https://github.com/organizations/${org}/settings/installations/${id}`,
        app_id: rng.int(100000, 999999),
        app_slug: i.meta.app,
        target_id: 90210001,
        target_type: 'Organization',
        permissions: i.meta.permissions,
        events: ['pull_request', 'pull_request_review', 'push'],
        single_file_name: null,
        has_multiple_single_files: false,
        single_file_paths: [],
        repository_selection: i.meta.selection,
        created_at: ts(300),
        updated_at: ts(20),
        suspended_by: null,
        suspended_at: null,
      };
    });
  // A release bot that can rewrite workflows: a CI pivot nobody declared.
  installations.push({
    id: rng.int(10000000, 99999999),
    account: { login: org, id: 90210001, type: 'Organization' },
    html_url: `https://github.com/organizations/${org}/settings/installations/0`,
    app_id: rng.int(100000, 999999),
    app_slug: 'acme-release-bot',
    target_id: 90210001,
    target_type: 'Organization',
    permissions: { contents: 'write', workflows: 'write', actions: 'write', metadata: 'read' },
    events: ['push', 'release'],
    repository_selection: 'all',
    created_at: ts(500),
    updated_at: ts(200),
    suspended_by: null,
    suspended_at: null,
  });
  out.json(`github/orgs/${org}/installations.json`, { total_count: installations.length, installations });

  // Classic PATs and SSH keys authorised for SAML SSO: the coding agent runs on a developer's
  // classic token with admin:org and no expiry; that developer has left.
  const creds = gh
    .filter((i) => i.kind === 'personal-access-token' && i.meta.classic)
    .map((i) => ({
      login: i.meta.login,
      credential_id: Number(i.id.split('/').pop()),
      credential_type: 'personal access token',
      token_last_eight: i.secret.slice(-8),
      credential_authorized_at: ts(420),
      credential_accessed_at: ts(0.3),
      authorized_credential_id: rng.int(10000000, 99999999),
      authorized_credential_note: 'claude code',
      authorized_credential_expires_at: null,
      scopes: i.meta.scopes,
    }));
  for (const p of people.slice(0, 6)) {
    creds.push({
      login: login(p.email),
      credential_id: rng.int(100000, 999999),
      credential_type: 'SSH key',
      credential_authorized_at: ts(rng.int(30, 600)),
      credential_accessed_at: ts(rng.int(0, 30)),
      authorized_credential_id: rng.int(10000000, 99999999),
      authorized_credential_title: `${p.name.split(' ')[0]}'s laptop`,
      fingerprint: `SHA256:${rng.chars(43)}`,
    });
  }
  out.json(`github/orgs/${org}/credential-authorizations.json`, creds);

  // Fine-grained PATs granted to the org (the background ones of the world).
  const pats = gh
    .filter((i) => i.kind === 'personal-access-token' && !i.meta.classic)
    .map((i) => {
      const noExpiry = rng.chance(0.4);
      const expires = noExpiry ? null : rng.daysAhead(rng.int(-30, 300)).replace(/\.\d{3}Z$/, 'Z');
      const id = rng.int(100000, 999999);
      return {
        id,
        owner: { login: login(i.owner), id: rng.int(1000, 9999999), type: 'User', site_admin: false },
        repository_selection: rng.pick(['subset', 'all']),
        repositories_url: `${api}/organizations/90210001/personal-access-token/${id}/repositories`,
        permissions: {
          organization: rng.chance(0.3) ? { members: 'read' } : {},
          repository: {
            metadata: 'read',
            contents: rng.pick(['read', 'write']),
            ...(rng.chance(0.2) ? { workflows: 'write' } : {}),
          },
          other: {},
        },
        access_granted_at: ts(rng.int(20, 500)),
        token_id: rng.int(1000000, 9999999),
        token_name: `${i.meta.repo.split('/')[1]}-automation`,
        token_expired: expires !== null && expires < world.asOf,
        token_expires_at: expires,
        token_last_used_at: rng.chance(0.2) ? null : ts(rng.int(0, 200)),
      };
    });
  out.json(`github/orgs/${org}/personal-access-tokens.json`, pats);

  // Organisation secrets and hooks.
  const orgSecrets = [
    {
      name: 'ANTHROPIC_API_KEY',
      created_at: ts(200),
      updated_at: ts(200),
      visibility: 'selected',
      selected_repositories_url: `${api}/orgs/${org}/actions/secrets/ANTHROPIC_API_KEY/repositories`,
    },
    { name: 'NPM_TOKEN', created_at: ts(700), updated_at: ts(700), visibility: 'private' },
    { name: 'SLACK_WEBHOOK_URL', created_at: ts(365), updated_at: ts(90), visibility: 'all' },
  ];
  out.json(`github/orgs/${org}/actions/secrets.json`, {
    total_count: orgSecrets.length,
    secrets: orgSecrets,
  });
  out.json(`github/orgs/${org}/hooks.json`, [
    hook(`orgs/${org}`, 'http://jenkins.acme.internal:8080/github-webhook/', true, false, 'Organization'),
  ]);

  function hook(path, url, insecure, secret, type) {
    const id = rng.int(100000000, 999999999);
    return {
      type,
      id,
      name: 'web',
      active: true,
      events: ['push', 'pull_request'],
      config: {
        content_type: 'json',
        insecure_ssl: insecure ? '1' : '0',
        url,
        ...(secret ? { secret: '********' } : {}),
      },
      updated_at: ts(rng.int(1, 100)),
      created_at: ts(rng.int(100, 900)),
      url: `${api}/${path}/hooks/${id}`,
      test_url: `${api}/${path}/hooks/${id}/test`,
      ping_url: `${api}/${path}/hooks/${id}/pings`,
      deliveries_url: `${api}/${path}/hooks/${id}/deliveries`,
      last_response: { code: 200, status: 'active', message: 'OK' },
    };
  }
  const deployKey = (repoName, title, readOnly, addedBy, days) => {
    const id = rng.int(10000000, 99999999);
    return {
      id,
      key: sshKey(),
      url: `${api}/repos/${org}/${repoName}/keys/${id}`,
      title,
      verified: true,
      created_at: ts(days),
      read_only: readOnly,
      added_by: addedBy,
      last_used: ts(rng.int(0, 40)),
      enabled: true,
    };
  };
  const secret = (name, days) => ({
    name,
    created_at: ts(days),
    updated_at: ts(Math.max(0, days - rng.int(0, days))),
  });

  // The deploy pipeline: OIDC to an AWS role whose trust has no subject condition, a write deploy key.
  const deployRole = world.identities.find(
    (i) => i.provider === 'aws' && i.meta.trust === 'github-oidc-nosub',
  );
  repo('platform-deploy').keys.push(
    deployKey('platform-deploy', 'argocd (write)', false, login(people[0].email), 400),
  );
  repo('platform-deploy').variables.push({
    name: 'AWS_REGION',
    value: aws.region,
    created_at: ts(400),
    updated_at: ts(400),
  });
  repo('platform-deploy').hooks.push(
    hook(
      `repos/${org}/platform-deploy`,
      'https://argocd.acme.internal/api/webhook',
      false,
      true,
      'Repository',
    ),
  );
  out.text(
    `github/repos/${org}/platform-deploy/.github/workflows/deploy.yml`,
    stringify({
      name: 'deploy',
      on: { push: { branches: ['main'] }, workflow_dispatch: null },
      permissions: { 'id-token': 'write', contents: 'read' },
      jobs: {
        deploy: {
          'runs-on': 'ubuntu-latest',
          steps: [
            { uses: 'actions/checkout@v4' },
            {
              name: 'AWS credentials',
              uses: 'aws-actions/configure-aws-credentials@v4',
              with: {
                'role-to-assume': deployRole.id,
                'aws-region': aws.region,
                'role-session-name': 'github-deploy',
              },
            },
            { run: './scripts/deploy.sh' },
          ],
        },
      },
    }),
  );

  // The nightly LLM enrichment: static AWS keys of etl-bot and an OpenAI key in repository secrets.
  const etl = repo('crm-enrichment');
  etl.secrets.push(
    secret('AWS_ACCESS_KEY_ID', 800),
    secret('AWS_SECRET_ACCESS_KEY', 800),
    secret('OPENAI_API_KEY', 400),
  );
  etl.variables.push({
    name: 'OPENAI_MODEL',
    value: 'gpt-4o-mini',
    created_at: ts(400),
    updated_at: ts(100),
  });
  out.text(
    `github/repos/${org}/crm-enrichment/.github/workflows/nightly-enrich.yml`,
    stringify({
      name: 'nightly CRM enrichment',
      on: { schedule: [{ cron: '15 2 * * *' }], workflow_dispatch: null },
      jobs: {
        enrich: {
          'runs-on': 'ubuntu-latest',
          steps: [
            { uses: 'actions/checkout@v4' },
            {
              uses: 'aws-actions/configure-aws-credentials@v4',
              with: {
                'aws-access-key-id': '${{ secrets.AWS_ACCESS_KEY_ID }}',
                'aws-secret-access-key': '${{ secrets.AWS_SECRET_ACCESS_KEY }}',
                'aws-region': aws.region,
              },
            },
            {
              run: 'python enrich.py',
              env: {
                OPENAI_API_KEY: '${{ secrets.OPENAI_API_KEY }}',
                SLACK_WEBHOOK_URL: '${{ secrets.SLACK_WEBHOOK_URL }}',
              },
            },
          ],
        },
      },
    }),
  );

  // Background identities of the world, each in its repository's listing.
  const SECRET_NAMES = [
    'DB_PASSWORD',
    'SENTRY_DSN',
    'DOCKERHUB_TOKEN',
    'STRIPE_API_KEY',
    'DATADOG_API_KEY',
    'GCP_SA_KEY',
  ];
  for (const i of gh.filter((x) => x.meta.background)) {
    const name = i.meta.repo.split('/')[1];
    const r = repo(name);
    if (i.kind === 'ssh-key')
      r.keys.push(deployKey(name, `${name}-deploy`, rng.chance(0.6), login(i.owner), rng.int(30, 900)));
    else if (i.kind === 'ci-secret')
      r.secrets.push(secret(`${rng.pick(SECRET_NAMES)}_${r.secrets.length}`, rng.int(10, 900)));
    else if (i.kind === 'webhook')
      r.hooks.push(
        hook(
          `repos/${org}/${name}`,
          `https://${rng.pick(['ci', 'hooks', 'notify'])}.acme.internal/${name}`,
          rng.chance(0.2),
          rng.chance(0.7),
          'Repository',
        ),
      );
  }
  for (const [name, r] of [...repos.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const base = `github/repos/${org}/${name}`;
    if (r.keys.length) out.json(`${base}/keys.json`, r.keys);
    if (r.hooks.length) out.json(`${base}/hooks.json`, r.hooks);
    if (r.secrets.length)
      out.json(`${base}/actions/secrets.json`, { total_count: r.secrets.length, secrets: r.secrets });
    if (r.variables.length)
      out.json(`${base}/actions/variables.json`, { total_count: r.variables.length, variables: r.variables });
  }
}
