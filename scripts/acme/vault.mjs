// Acme's Vault auth roles as `vault list -format=json` / `vault read -format=json` print them,
// saved under the API path they were read from (the role's name is not in the read output):
//   vault/auth/<mount>/role.json           vault list -format=json auth/<mount>/role  (a JSON array)
//   vault/auth/<mount>/role/<name>.json    vault read -format=json auth/<mount>/role/<name>
// Parameters: https://developer.hashicorp.com/vault/api-docs/auth/approle,
// https://developer.hashicorp.com/vault/api-docs/auth/kubernetes, https://developer.hashicorp.com/vault/api-docs/auth/jwt

export function generate(world, out) {
  const { rng, github } = world;
  const read = (mountType, data) => ({
    request_id: rng.uuid(),
    lease_id: '',
    lease_duration: 0,
    renewable: false,
    data,
    warnings: null,
    mount_type: mountType,
  });
  const tokenParams = (ttl, policies, extra = {}) => ({
    token_bound_cidrs: [],
    token_explicit_max_ttl: 0,
    token_max_ttl: 0,
    token_no_default_policy: false,
    token_num_uses: 0,
    token_period: 0,
    token_policies: policies,
    token_ttl: ttl,
    token_type: 'default',
    ...extra,
  });

  // AppRoles: every vault-role identity of the world (vault-rotator's secret ids never expire).
  const approles = world.identities.filter(
    (i) => i.provider === 'vault' && i.id.startsWith('auth/approle/role/'),
  );
  out.json(
    'vault/auth/approle/role.json',
    approles.map((i) => i.id.split('/').pop()),
  );
  for (const i of approles) {
    const name = i.id.split('/').pop();
    out.json(
      `vault/auth/approle/role/${name}.json`,
      read('approle', {
        bind_secret_id: true,
        local_secret_ids: false,
        secret_id_bound_cidrs: rng.chance(0.3) ? ['10.20.0.0/16'] : null,
        secret_id_num_uses: rng.pick([0, 0, 10]),
        secret_id_ttl: i.meta.secretIdTtl,
        ...tokenParams(i.meta.tokenTtl, i.meta.policies, {
          token_max_ttl: i.meta.tokenTtl ? i.meta.tokenTtl * 4 : 0,
        }),
      }),
    );
  }

  // Kubernetes auth: the MCP server and the orchestrator log in with their service accounts.
  const k8sRoles = {
    'github-mcp': { names: ['github-mcp'], namespaces: ['mcp'], policies: ['github-token-read'], ttl: 1200 },
    'ops-orchestrator': {
      names: ['ops-orchestrator'],
      namespaces: ['agents'],
      policies: ['ops-secrets', 'db-admin'],
      ttl: 0,
    },
  };
  out.json('vault/auth/kubernetes/role.json', Object.keys(k8sRoles));
  for (const [name, r] of Object.entries(k8sRoles)) {
    out.json(
      `vault/auth/kubernetes/role/${name}.json`,
      read('kubernetes', {
        alias_name_source: 'serviceaccount_uid',
        audience: '',
        bound_service_account_names: r.names,
        bound_service_account_namespace_selector: '',
        bound_service_account_namespaces: r.namespaces,
        ...tokenParams(r.ttl, r.policies),
      }),
    );
  }

  // JWT auth for GitHub Actions: bound to the org's audience but to no repository or branch.
  out.json(
    'vault/auth/jwt/role/github-actions.json',
    read('jwt', {
      allowed_redirect_uris: null,
      bound_audiences: [`https://github.com/${github.org}`],
      bound_claims: null,
      bound_claims_type: 'string',
      bound_subject: '',
      claim_mappings: null,
      clock_skew_leeway: 0,
      expiration_leeway: 0,
      groups_claim: '',
      max_age: 0,
      not_before_leeway: 0,
      oidc_scopes: null,
      role_type: 'jwt',
      user_claim: 'repository',
      user_claim_json_pointer: false,
      verbose_oidc_logging: false,
      ...tokenParams(900, ['ci-deploy']),
    }),
  );
}
