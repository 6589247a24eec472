/**
 * GitHub REST responses in the shapes of the documentation's examples
 * (https://docs.github.com/en/rest — pages cited in github-rest-readers.ts), filled from a seed.
 */
import { seeded } from './connector-harness.js';

export function githubExports(org = 'acme-corp', repo = 'agent-runner', seed = 11) {
  const r = seeded(seed);
  const api = 'https://api.github.com';
  const sshKey = `ssh-ed25519 ${Buffer.from('ssh-ed25519' + r.chars(32)).toString('base64')}`;
  return {
    installations: {
      total_count: 2,
      installations: [
        {
          id: 25381,
          account: { login: org, id: 9919, type: 'Organization' },
          access_tokens_url: `${api}/app/installations/25381/access_tokens`,
          repositories_url: `${api}/installation/repositories`,
          html_url: `https://github.com/organizations/${org}/settings/installations/25381`,
          app_id: 1001,
          target_id: 9919,
          target_type: 'Organization',
          permissions: { contents: 'write', pull_requests: 'write', metadata: 'read', workflows: 'write' },
          events: ['push', 'pull_request'],
          single_file_name: null,
          repository_selection: 'all',
          created_at: '2025-03-01T10:00:00Z',
          updated_at: '2025-06-01T10:00:00Z',
          app_slug: 'acme-pr-reviewer',
          suspended_at: null,
          suspended_by: null,
        },
        {
          id: 25382,
          account: { login: org },
          app_id: 1002,
          target_type: 'Organization',
          permissions: { administration: 'write', members: 'read' },
          events: [],
          repository_selection: 'selected',
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-01-01T00:00:00Z',
          app_slug: 'old-admin-bot',
          suspended_at: '2025-01-01T00:00:00Z',
          suspended_by: { login: 'octo-admin' },
        },
      ],
    },
    pats: [
      {
        id: 25381,
        owner: { login: 'jsmith-acme', id: 1, type: 'User' },
        repository_selection: 'all',
        repositories_url: `${api}/organizations/652551/personal-access-token/25381/repositories`,
        permissions: {
          organization: { members: 'read' },
          repository: { metadata: 'read', contents: 'write' },
          other: {},
        },
        access_granted_at: '2025-02-01T10:00:00Z',
        token_id: 98716,
        token_name: 'claude-code',
        token_expired: false,
        token_expires_at: null,
        token_last_used_at: '2026-11-20T08:00:00Z',
      },
      {
        id: 25382,
        owner: { login: 'mchen' },
        repository_selection: 'subset',
        permissions: { repository: { metadata: 'read' } },
        access_granted_at: '2025-02-01T10:00:00Z',
        token_id: 98717,
        token_name: 'ci-readonly',
        token_expired: true,
        token_expires_at: '2025-05-01T00:00:00Z',
        token_last_used_at: null,
      },
      { owner: { login: 'no-id' } },
    ],
    credentialAuthorizations: [
      {
        login: 'jsmith-acme',
        credential_id: 161195,
        credential_type: 'personal access token',
        token_last_eight: r.chars(8),
        credential_authorized_at: '2024-04-01T12:00:00Z',
        credential_accessed_at: '2026-11-25T12:00:00Z',
        authorized_credential_id: 12345678,
        authorized_credential_note: 'laptop token',
        authorized_credential_expires_at: null,
        scopes: ['repo', 'admin:org', 'workflow'],
      },
      {
        login: 'mchen',
        credential_id: 161196,
        credential_type: 'SSH key',
        credential_authorized_at: '2024-05-01T12:00:00Z',
        credential_accessed_at: null,
        authorized_credential_id: 12345679,
        authorized_credential_title: 'work laptop',
        fingerprint: `SHA256:${r.chars(43)}`,
      },
    ],
    deployKeys: [
      {
        id: 1,
        key: sshKey,
        url: `${api}/repos/${org}/${repo}/keys/1`,
        title: 'deploy-bot',
        verified: true,
        created_at: '2024-01-01T00:00:00Z',
        read_only: false,
        added_by: 'octo-admin',
        last_used: '2026-10-01T00:00:00Z',
        enabled: true,
      },
      {
        id: 2,
        key: sshKey,
        url: `${api}/repos/${org}/${repo}/keys/2`,
        title: 'mirror',
        verified: true,
        created_at: '2024-01-01T00:00:00Z',
        read_only: true,
      },
    ],
    orgSecrets: {
      total_count: 3,
      secrets: [
        {
          name: 'AWS_ACCESS_KEY_ID',
          created_at: '2023-01-01T00:00:00Z',
          updated_at: '2023-01-01T00:00:00Z',
          visibility: 'all',
        },
        {
          name: 'OPENAI_API_KEY',
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-06-01T00:00:00Z',
          visibility: 'selected',
          selected_repositories_url: `${api}/orgs/${org}/actions/secrets/OPENAI_API_KEY/repositories`,
        },
        { created_at: '2024-01-01T00:00:00Z' },
      ],
    },
    repoSecrets: {
      total_count: 1,
      secrets: [
        { name: 'DEPLOY_TOKEN', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' },
      ],
    },
    variables: {
      total_count: 2,
      variables: [
        {
          name: 'AWS_REGION',
          value: 'eu-west-1',
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-01-01T00:00:00Z',
        },
        {
          name: 'ANTHROPIC_API_KEY',
          value: 'sk-' + 'ant-' + r.chars(40),
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-01-01T00:00:00Z',
        },
      ],
    },
    orgHooks: [
      {
        id: 1,
        url: `${api}/orgs/${org}/hooks/1`,
        ping_url: `${api}/orgs/${org}/hooks/1/pings`,
        deliveries_url: `${api}/orgs/${org}/hooks/1/deliveries`,
        name: 'web',
        events: ['push', 'pull_request'],
        active: true,
        config: {
          url: 'http://ci.acme.example/webhook',
          content_type: 'json',
          insecure_ssl: '1',
          secret: '********',
        },
        updated_at: '2024-01-01T00:00:00Z',
        created_at: '2024-01-01T00:00:00Z',
        type: 'Organization',
      },
    ],
    repoHooks: [
      {
        type: 'Repository',
        id: 12345678,
        name: 'web',
        active: true,
        events: ['push'],
        config: { content_type: 'json', insecure_ssl: '0', url: 'https://deploy.acme.example/hook' },
        updated_at: '2024-01-01T00:00:00Z',
        created_at: '2024-01-01T00:00:00Z',
        url: `${api}/repos/${org}/${repo}/hooks/12345678`,
        ping_url: `${api}/repos/${org}/${repo}/hooks/12345678/pings`,
        deliveries_url: `${api}/repos/${org}/${repo}/hooks/12345678/deliveries`,
      },
    ],
  };
}

export const WORKFLOW_OIDC = `name: deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::210987654321:role/agents/github-deploy
          aws-region: eu-west-1
      - run: ./deploy.sh
        env:
          OPENAI_API_KEY: \${{ secrets.OPENAI_API_KEY }}
          TOKEN: \${{ secrets.GITHUB_TOKEN }}
  gcp:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: projects/804217359921/locations/global/workloadIdentityPools/github/providers/github
          service_account: deployer@acme-ml-prod.iam.gserviceaccount.com
`;

export const WORKFLOW_STATIC = `name: nightly etl
on:
  schedule:
    - cron: '0 2 * * *'
  pull_request_target:
jobs:
  etl:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets['AWS_SECRET_ACCESS_KEY'] }}
          aws-region: eu-west-1
      - run: python etl.py
  upload:
    runs-on: ubuntu-latest
    env:
      AWS_ACCESS_KEY_ID: \${{ secrets.ETL_KEY_ID }}
      AWS_SECRET_ACCESS_KEY: \${{ secrets.ETL_SECRET }}
    steps:
      - run: aws s3 cp out s3://bucket/
      - uses: azure/login@v2
        with:
          client-id: \${{ secrets.AZURE_CLIENT_ID }}
          tenant-id: 00000000-0000-0000-0000-000000000000
`;
