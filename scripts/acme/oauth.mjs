// Third-party OAuth grants at Acme:
//   workspace/tokens/<email>.json   Admin SDK Directory API tokens.list for each user
//                                   (https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/list),
//                                   saved per user as `gam user <email> print tokens`-style scripts do
//   slack/admin.apps.approved.list.json, slack/admin.apps.restricted.list.json
//                                   (https://api.slack.com/methods/admin.apps.approved.list)

const SLACK_SCOPE_INFO = {
  'chat:write': [false, 'Send messages as the app'],
  'channels:history': [true, 'View messages and other content in public channels'],
  'groups:history': [true, 'View messages and other content in private channels'],
  'files:read': [true, 'View files shared in channels and conversations'],
  'users:read': [false, 'View people in a workspace'],
  'users:read.email': [true, 'View email addresses of people in a workspace'],
  'im:history': [true, 'View messages in direct messages'],
  'calls:read': [false, 'View information about ongoing and past calls'],
};

export function generate(world, out) {
  const { rng, people } = world;

  // ---- Google Workspace ----
  const userKeys = new Map(people.map((p) => [p.email, `1${rng.digits(20)}`]));
  const grants = new Map(people.map((p) => [p.email, []]));
  for (const app of world.identities.filter((i) => i.provider === 'google-workspace')) {
    // Whoever uses the app most: its owning agent's team first, then anyone.
    const agent = world.agents.find((a) => app.agents.includes(a.name));
    const team = agent ? people.find((p) => p.email === agent.owner)?.team : undefined;
    const pool = [...people.filter((p) => p.team === team), ...people.filter((p) => p.team !== team)];
    for (const p of pool.slice(0, Math.min(app.meta.users, people.length))) grants.get(p.email).push(app);
  }
  for (const p of people) {
    const items = grants.get(p.email).map((app) => ({
      kind: 'admin#directory#token',
      etag: `"${rng.chars(27)}"`,
      clientId: app.id,
      displayText: app.meta.displayText,
      anonymous: false,
      nativeApp: false,
      userKey: userKeys.get(p.email),
      scopes: app.meta.scopes,
    }));
    out.json(`workspace/tokens/${p.email}.json`, {
      kind: 'admin#directory#tokenList',
      etag: `"${rng.chars(27)}"`,
      ...(items.length ? { items } : {}),
    });
  }

  // ---- Slack ----
  const scopes = (names, tokenType) =>
    names.map((name) => ({
      name,
      description: SLACK_SCOPE_INFO[name]?.[1] ?? name,
      is_sensitive: SLACK_SCOPE_INFO[name]?.[0] ?? false,
      token_type: tokenType,
    }));
  const approved = world.identities
    .filter((i) => i.provider === 'slack')
    .map((i) => {
      const id = i.id.replace(/^slack:/, '');
      const thirdParty = i.meta.thirdParty === true;
      return {
        app: {
          id,
          name: i.agents[0] === 'glean-enterprise-search' ? 'Glean' : (i.agents[0] ?? id),
          description: thirdParty ? 'Enterprise search across your workplace apps' : 'Acme support assistant',
          help_url: '',
          privacy_policy_url: thirdParty ? 'https://www.glean.example/privacy' : '',
          app_homepage_url: thirdParty ? 'https://www.glean.example' : 'https://support.acme.test',
          app_directory_url: thirdParty ? `https://slack.com/apps/${id}` : '',
          is_app_directory_approved: thirdParty,
          is_internal: !thirdParty,
          additional_info: '',
          icons: {},
        },
        scopes: thirdParty
          ? [...scopes(i.meta.scopes.slice(0, 2), 'user'), ...scopes(i.meta.scopes.slice(2), 'bot')]
          : scopes(i.meta.scopes, 'bot'),
        date_updated: Math.floor(Date.parse(rng.daysAgo(rng.int(20, 300))) / 1000),
        last_resolved_by: { actor_id: `W${rng.upper(10)}`, actor_type: 'user' },
      };
    });
  out.json('slack/admin.apps.approved.list.json', {
    ok: true,
    approved_apps: approved,
    response_metadata: { next_cursor: '' },
  });
  out.json('slack/admin.apps.restricted.list.json', {
    ok: true,
    restricted_apps: [
      {
        app: {
          id: `A0${rng.upper(9)}`,
          name: 'MeetingMind AI Notes',
          description: 'Records and summarises huddles',
          help_url: '',
          privacy_policy_url: '',
          app_homepage_url: 'https://meetingmind.example',
          app_directory_url: '',
          is_app_directory_approved: false,
          is_internal: false,
          additional_info: '',
        },
        scopes: [...scopes(['calls:read', 'im:history'], 'user'), ...scopes(['chat:write'], 'bot')],
        date_updated: Math.floor(Date.parse(rng.daysAgo(15)) / 1000),
        last_resolved_by: { actor_id: `W${rng.upper(10)}`, actor_type: 'user' },
      },
    ],
    response_metadata: { next_cursor: '' },
  });
}
