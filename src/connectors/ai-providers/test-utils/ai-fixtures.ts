import { seeded } from '../../github/test-utils/connector-harness.js';

/** Pages shaped like the API references' examples (cited in the connectors), ids from a seed. */
export function exportsOf(seed = 3) {
  const r = seeded(seed);
  const keyA = `key_${r.chars(16)}`;
  const keyB = `key_${r.chars(16)}`;
  const sa = `svc_acct_${r.chars(12)}`;
  const suffixA = r.chars(4);
  const user = {
    object: 'organization.project.user',
    id: 'user_abc',
    name: 'Maria Garcia',
    email: 'Maria.Garcia@acme.test',
    role: 'owner',
    added_at: 1711471533,
  };
  return {
    keyA,
    keyB,
    sa,
    suffixA,
    openaiKeys: {
      object: 'list',
      data: [
        {
          object: 'organization.project.api_key',
          redacted_value: `sk-proj-****${suffixA}`,
          name: 'support-bot',
          created_at: 1711471533,
          last_used_at: 1764115200,
          id: keyA,
          owner: { type: 'user', user },
        },
        {
          object: 'organization.project.api_key',
          redacted_value: `sk-svca...${r.chars(4)}`,
          name: 'etl',
          created_at: 1711471533,
          last_used_at: null,
          id: keyB,
          owner: {
            type: 'service_account',
            service_account: {
              object: 'organization.project.service_account',
              id: sa,
              name: 'etl-bot',
              role: 'member',
              created_at: 1711471533,
            },
          },
        },
        { object: 'organization.project.api_key', name: 'no id' },
      ],
      first_id: keyA,
      last_id: keyB,
      has_more: false,
    },
    openaiServiceAccounts: {
      object: 'list',
      data: [
        {
          object: 'organization.project.service_account',
          id: sa,
          name: 'etl-bot',
          role: 'owner',
          created_at: 1711471533,
        },
      ],
      first_id: sa,
      last_id: sa,
      has_more: false,
    },
    openaiAdminKeys: {
      object: 'list',
      data: [
        {
          object: 'organization.admin_api_key',
          id: 'key_admin1',
          name: 'Admin Key',
          redacted_value: 'sk-admin...xyz1',
          created_at: 1711471533,
          last_used_at: 1711471534,
          owner: {
            type: 'user',
            object: 'organization.user',
            id: 'user_123',
            name: 'Ops Admin',
            created_at: 1711471533,
            role: 'owner',
          },
        },
      ],
      first_id: 'key_admin1',
      last_id: 'key_admin1',
      has_more: false,
    },
    openaiUsers: {
      object: 'list',
      data: [
        {
          object: 'organization.user',
          id: 'user_123',
          name: 'Ops Admin',
          email: 'ops.admin@acme.test',
          role: 'owner',
          added_at: 1711471533,
        },
      ],
      first_id: 'user_123',
      last_id: 'user_123',
      has_more: false,
    },
    openaiProjects: {
      object: 'list',
      data: [
        {
          id: 'proj_abc',
          object: 'organization.project',
          name: 'customer-facing',
          created_at: 1711471533,
          archived_at: null,
          status: 'active',
        },
      ],
      has_more: false,
    },
    anthropicKeys: {
      data: [
        {
          id: `apikey_${r.chars(24)}`,
          type: 'api_key',
          name: 'contracts-rag',
          workspace_id: `wrkspc_${r.chars(24)}`,
          created_at: '2026-07-01T10:00:00.000000Z',
          created_by: { id: 'user_01abc', type: 'user' },
          partial_key_hint: `sk-ant-api03-${r.chars(3)}...${r.chars(4)}`,
          status: 'active',
        },
        {
          id: `apikey_${r.chars(24)}`,
          type: 'api_key',
          name: 'old',
          workspace_id: null,
          created_at: '2025-01-01T00:00:00Z',
          created_by: { id: 'user_01xyz', type: 'user' },
          partial_key_hint: 'sk-ant-api03-abc...wxyz',
          status: 'archived',
        },
        { type: 'api_key', name: 'broken' },
      ],
      has_more: false,
      first_id: 'a',
      last_id: 'b',
    },
    anthropicUsers: {
      data: [
        {
          id: 'user_01abc',
          type: 'user',
          email: 'li.chen@acme.test',
          name: 'Li Chen',
          role: 'developer',
          added_at: '2024-01-01T00:00:00Z',
        },
      ],
      has_more: false,
      first_id: 'user_01abc',
      last_id: 'user_01abc',
    },
    anthropicWorkspaces: {
      data: [
        {
          id: 'wrkspc_01',
          type: 'workspace',
          name: 'finance',
          created_at: '2024-01-01T00:00:00Z',
          archived_at: null,
          display_color: '#6C5BB9',
        },
      ],
      has_more: false,
      first_id: 'wrkspc_01',
      last_id: 'wrkspc_01',
    },
  };
}
