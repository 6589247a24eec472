// Acme's Google Cloud exports, as `gcloud ... --format=json` prints them:
//   gcp/service-accounts.json           gcloud iam service-accounts list --project acme-ml-prod
//   gcp/keys/<account>.json             gcloud iam service-accounts keys list --iam-account EMAIL
//   gcp/acme-ml-prod.iam-policy.json    gcloud projects get-iam-policy acme-ml-prod
// Shapes: https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts ,
// .../projects.serviceAccounts.keys and https://cloud.google.com/iam/docs/reference/rest/v1/Policy
// Keys lists carry metadata only (no private key material), like the real command.

const NEVER = '9999-12-31T23:59:59Z';

export function generate(world, out) {
  const { rng, gcp } = world;
  const project = gcp.project;
  const gcloudTime = (iso) => iso.replace(/\.\d{3}Z$/, 'Z');
  const accounts = [];
  const keysByAccount = new Map();
  const bindings = new Map();
  const bind = (role, member) => {
    if (!bindings.has(role)) bindings.set(role, new Set());
    bindings.get(role).add(member);
  };

  const saEntry = (email, displayName, description, disabled = false) => {
    const uniqueId = '1' + rng.digits(20);
    accounts.push({
      ...(description ? { description } : {}),
      ...(disabled ? { disabled: true } : {}),
      displayName,
      email,
      etag: 'MDEwMjE5MjA=',
      name: `projects/${project}/serviceAccounts/${email}`,
      oauth2ClientId: uniqueId,
      projectId: project,
      uniqueId,
    });
  };
  const key = (
    email,
    { userManaged = true, neverExpires = false, createdDaysAgo = 30, disabled = false } = {},
  ) => {
    const created = rng.daysAgo(createdDaysAgo);
    const validBefore = !userManaged
      ? new Date(Date.parse(created) + 14 * 86400e3).toISOString()
      : neverExpires
        ? NEVER
        : new Date(Date.parse(created) + 90 * 86400e3).toISOString();
    const k = {
      ...(disabled ? { disabled: true } : {}),
      keyAlgorithm: 'KEY_ALG_RSA_2048',
      keyOrigin: 'GOOGLE_PROVIDED',
      keyType: userManaged ? 'USER_MANAGED' : 'SYSTEM_MANAGED',
      name: `projects/${project}/serviceAccounts/${email}/keys/${rng.hex(40)}`,
      validAfterTime: gcloudTime(created),
      validBeforeTime: validBefore === NEVER ? NEVER : gcloudTime(validBefore),
    };
    if (!keysByAccount.has(email)) keysByAccount.set(email, []);
    keysByAccount.get(email).push(k);
  };

  // The agents' service accounts from the world (contracts-rag, forecast-endpoint, data-quality-agent).
  for (const idn of world.identities.filter((i) => i.provider === 'gcp')) {
    const local = idn.id.split('@')[0];
    const agent = idn.agents[0];
    saEntry(idn.id, local, agent ? `Runtime identity of ${agent}` : undefined);
    for (const role of idn.meta.roles ?? []) bind(role, `serviceAccount:${idn.id}`);
    key(idn.id, { userManaged: false, createdDaysAgo: 3 });
    for (const k of idn.meta.keys ?? [])
      key(idn.id, { ...k, createdDaysAgo: k.createdDaysAgo ?? rng.int(20, 80) });
  }

  // The rest of the project: defaults, a CI deployer, a disabled leftover, service agents.
  const compute = `${gcp.projectNumber}-compute@developer.gserviceaccount.com`;
  saEntry(compute, 'Compute Engine default service account');
  bind('roles/editor', `serviceAccount:${compute}`);
  key(compute, { userManaged: false, createdDaysAgo: 5 });
  const deployer = `ci-deployer@${project}.iam.gserviceaccount.com`;
  saEntry(deployer, 'ci-deployer', 'Deploys Vertex AI endpoints from CI');
  bind('roles/aiplatform.admin', `serviceAccount:${deployer}`);
  bind('roles/iam.serviceAccountUser', `serviceAccount:${deployer}`);
  key(deployer, { userManaged: true, neverExpires: false, createdDaysAgo: 150 });
  const old = `notebook-poc@${project}.iam.gserviceaccount.com`;
  saEntry(old, 'notebook-poc', 'Proof of concept, 2024', true);
  bind('roles/bigquery.admin', `serviceAccount:${old}`);
  key(old, { userManaged: true, neverExpires: true, createdDaysAgo: 640, disabled: false });
  bind(
    'roles/aiplatform.serviceAgent',
    `serviceAccount:service-${gcp.projectNumber}@gcp-sa-aiplatform.iam.gserviceaccount.com`,
  );

  // People: the project owners (one has left), the data team, and GitHub Actions through federation.
  const owners = world.people.filter((p) => p.team === 'ml' || p.team === 'platform').slice(0, 3);
  for (const p of owners) bind('roles/owner', `user:${p.email}`);
  const leaver = world.people.find((p) => p.status === 'departed');
  bind('roles/owner', `user:${leaver.email}`);
  bind('roles/bigquery.dataViewer', 'group:data@acme.test');
  bind(
    'roles/iam.workloadIdentityUser',
    `principalSet://iam.googleapis.com/projects/${gcp.projectNumber}/locations/global/workloadIdentityPools/github/attribute.repository/${world.github.org}/ml-models`,
  );

  out.json('gcp/service-accounts.json', accounts);
  for (const [email, keys] of keysByAccount) out.json(`gcp/keys/${email.split('@')[0]}.json`, keys);

  const policy = [...bindings.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([role, members]) => ({ members: [...members].sort(), role }));
  // A time-bound grant: the data-quality agent may write to the warehouse until the end of 2026.
  const dq = world.identities.find((i) => i.provider === 'gcp' && i.agents.includes('data-quality-agent'));
  if (dq) {
    policy.push({
      condition: {
        expression: 'request.time < timestamp("2027-01-01T00:00:00Z")',
        title: 'dq-temporary-admin',
        description: 'Backfill project',
      },
      members: [`serviceAccount:${dq.id}`],
      role: 'roles/bigquery.admin',
    });
  }
  out.json(`gcp/${project}.iam-policy.json`, {
    bindings: policy,
    etag: 'BwY' + rng.chars(9) + '=',
    version: 3,
  });
}
