// Acme's model-provider accounts as their Admin APIs list them:
//   openai/projects.json                               GET /v1/organization/projects
//   openai/projects/<proj_id>/api_keys.json            GET /v1/organization/projects/{id}/api_keys
//   openai/projects/<proj_id>/service_accounts.json    GET /v1/organization/projects/{id}/service_accounts
//   openai/admin_api_keys.json, openai/users.json      GET /v1/organization/admin_api_keys, /users
//   anthropic/api_keys.json, workspaces.json, users.json   GET /v1/organizations/{api_keys,workspaces,users}
// Shapes: https://platform.openai.com/docs/api-reference/administration and
// https://docs.anthropic.com/en/api/admin-api. Keys appear only as the providers' own hints.

export function generate(world, out) {
  const { rng, people, agents } = world;
  const unix = (days) => Math.floor(Date.parse(rng.daysAgo(days)) / 1000);
  const agentOwner = (i) =>
    i.owner ??
    agents.find((a) => i.agents.includes(a.name))?.owner ??
    rng.pick(people.filter((p) => p.status === 'active')).email;
  const person = (email) => people.find((p) => p.email === email) ?? { email, name: email.split('@')[0] };

  // ---- OpenAI ----
  const openai = world.identities.filter((i) => i.provider === 'openai');
  const projects = new Map();
  for (const name of [...new Set(openai.map((i) => i.meta.project))].sort()) {
    projects.set(name, {
      id: `proj_${rng.chars(24)}`,
      object: 'organization.project',
      name,
      created_at: unix(rng.int(400, 900)),
      archived_at: null,
      status: 'active',
    });
  }
  const users = new Map();
  const userOf = (email) => {
    if (!users.has(email))
      users.set(email, {
        id: `user-${rng.chars(24)}`,
        name: person(email).name,
        email,
        role: 'reader',
        added_at: unix(rng.int(300, 900)),
      });
    return users.get(email);
  };
  out.json('openai/projects.json', {
    object: 'list',
    data: [...projects.values()],
    first_id: [...projects.values()][0].id,
    last_id: [...projects.values()].at(-1).id,
    has_more: false,
  });

  const etlSa = {
    object: 'organization.project.service_account',
    id: `svc_acct_${rng.chars(24)}`,
    name: 'crm-enrichment-bot',
    role: 'member',
    created_at: unix(420),
  };
  for (const [name, project] of projects) {
    const keys = openai
      .filter((i) => i.meta.project === name)
      .map((i) => {
        const u = userOf(agentOwner(i));
        const tail = i.secret ? i.secret.slice(-4) : rng.chars(4);
        return {
          object: 'organization.project.api_key',
          redacted_value: `sk-proj-****${tail}`,
          name: i.agents[0] ?? `${name}-key`,
          created_at: unix(i.meta.createdDaysAgo),
          last_used_at: i.meta.lastUsedDaysAgo === undefined ? null : unix(i.meta.lastUsedDaysAgo),
          id: i.id,
          owner: {
            type: 'user',
            user: {
              object: 'organization.project.user',
              id: u.id,
              name: u.name,
              email: u.email,
              role: rng.pick(['owner', 'member']),
              added_at: u.added_at,
            },
          },
        };
      });
    const serviceAccounts = [];
    if (name === 'internal-tools') {
      serviceAccounts.push(etlSa);
      keys.push({
        object: 'organization.project.api_key',
        redacted_value: `sk-svcacct-****${rng.chars(4)}`,
        name: 'crm-enrichment (GitHub Actions)',
        created_at: unix(420),
        last_used_at: unix(1),
        id: `key_${rng.chars(16)}`,
        owner: { type: 'service_account', service_account: { ...etlSa } },
      });
    }
    const page = (data) => ({
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: false,
    });
    out.json(`openai/projects/${project.id}/api_keys.json`, page(keys));
    if (serviceAccounts.length)
      out.json(`openai/projects/${project.id}/service_accounts.json`, page(serviceAccounts));
  }
  const security = people.find((p) => p.team === 'security' && p.status === 'active') ?? people[0];
  const admin = userOf(security.email);
  admin.role = 'owner';
  out.json('openai/admin_api_keys.json', {
    object: 'list',
    data: [
      {
        object: 'organization.admin_api_key',
        id: `key_${rng.chars(16)}`,
        name: 'usage-exporter',
        redacted_value: `sk-admin-****${rng.chars(4)}`,
        created_at: unix(500),
        last_used_at: unix(0.5),
        owner: {
          type: 'user',
          object: 'organization.user',
          id: admin.id,
          name: admin.name,
          created_at: admin.added_at,
          role: 'owner',
        },
      },
    ],
    first_id: null,
    last_id: null,
    has_more: false,
  });
  out.json('openai/users.json', {
    object: 'list',
    data: [...users.values()].map((u) => ({ object: 'organization.user', ...u })),
    first_id: null,
    last_id: null,
    has_more: false,
  });

  // ---- Anthropic ----
  const anthropic = world.identities.filter((i) => i.provider === 'anthropic');
  const workspaces = new Map();
  for (const w of [...new Set(anthropic.map((i) => i.meta.workspace))].sort()) {
    if (w !== 'default')
      workspaces.set(w, {
        id: `wrkspc_${rng.chars(24)}`,
        type: 'workspace',
        name: w,
        created_at: rng.daysAgo(rng.int(200, 600)),
        archived_at: null,
        display_color: rng.pick(['#6C5BB9', '#C45C2D', '#2D8CC4']),
      });
  }
  const aUsers = new Map();
  const aUser = (email) => {
    if (!aUsers.has(email))
      aUsers.set(email, {
        id: `user_${rng.chars(24)}`,
        type: 'user',
        email,
        name: person(email).name,
        role: rng.pick(['developer', 'user']),
        added_at: rng.daysAgo(rng.int(300, 800)),
      });
    return aUsers.get(email);
  };
  const keys = anthropic.map((i) => {
    const hint = i.secret
      ? `${i.secret.slice(0, 16)}...${i.secret.slice(-4)}`
      : `sk-ant-api03-${rng.chars(3)}...${rng.chars(4)}`;
    return {
      id: i.id,
      type: 'api_key',
      name: i.agents[0] ?? `${i.meta.workspace}-key`,
      workspace_id: i.meta.workspace === 'default' ? null : workspaces.get(i.meta.workspace).id,
      created_at: rng.daysAgo(i.meta.createdDaysAgo),
      created_by: { id: aUser(agentOwner(i)).id, type: 'user' },
      partial_key_hint: hint,
      status: i.meta.status,
    };
  });
  const list = (data) => ({
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
  });
  out.json('anthropic/api_keys.json', list(keys));
  out.json('anthropic/workspaces.json', list([...workspaces.values()]));
  out.json('anthropic/users.json', list([...aUsers.values()]));
}
