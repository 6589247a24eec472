// Acme's EKS cluster, in the two shapes teams hand over:
//   kubernetes/manifests/namespace-<ns>.yaml  the manifests applied from the platform repo (multi-document YAML)
//   kubernetes/cluster-rbac.json            kubectl get clusterroles,clusterrolebindings -o json (a `List`)
// Shapes: https://kubernetes.io/docs/reference/kubernetes-api/ (ServiceAccount, Secret, Role,
// ClusterRole, RoleBinding, ClusterRoleBinding, Deployment, CronJob). Every object carries the
// `warden.io/cluster` annotation so Warden knows which cluster it describes.
import { stringify } from 'yaml';

export function generate(world, out) {
  const { rng, k8s, aws } = world;
  const cluster = k8s.cluster;
  const meta = (name, namespace, extra = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    ...(extra.labels ? { labels: extra.labels } : {}),
    annotations: { 'warden.io/cluster': cluster, ...(extra.annotations ?? {}) },
    creationTimestamp: rng.daysAgo(extra.ageDays ?? rng.int(30, 400)).replace(/\.\d{3}Z$/, 'Z'),
    uid: rng.uuid(),
  });
  const b64 = (s) => Buffer.from(s).toString('base64');
  const byNs = new Map();
  const put = (ns, obj) => {
    if (!byNs.has(ns)) byNs.set(ns, []);
    byNs.get(ns).push(obj);
  };
  const deployment = (name, ns, sa, labels, image, extra = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, ns, { labels: { app: name, ...labels } }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(sa ? { serviceAccountName: sa } : {}),
          ...extra,
          containers: [{ name, image, ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  });

  // Service accounts from the world: the agents' ones (labelled Deployments, IRSA, a token Secret)
  // and the background services'.
  const kIdentities = world.identities.filter((i) => i.provider === 'kubernetes');
  for (const idn of kIdentities) {
    const [, , ns, name] = idn.id.split(':');
    const agent = idn.agents[0];
    const roleArn = agent ? `arn:aws:iam::${aws.accountId}:role/agents/${agent}-role` : undefined;
    const irsa =
      roleArn !== undefined && world.identities.some((i) => i.provider === 'aws' && i.id === roleArn);
    put(ns, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta(name, ns, { annotations: irsa ? { 'eks.amazonaws.com/role-arn': roleArn } : {} }),
    });
    if (idn.meta.tokenSecret) {
      // A long-lived token Secret, as created by hand before Kubernetes 1.24 made them optional.
      const fakeJwt = [
        b64('{"alg":"RS256","kid":"' + rng.chars(43) + '"}'),
        b64('{"iss":"kubernetes/serviceaccount","sub":"' + idn.id + '"}'),
        rng.chars(342),
      ]
        .join('.')
        .replace(/=+/g, '');
      put(ns, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: meta(`${name}-token`, ns, {
          annotations: {
            'kubernetes.io/service-account.name': name,
            'kubernetes.io/service-account.uid': rng.uuid(),
          },
          ageDays: 500,
        }),
        data: { namespace: b64(ns), token: b64(fakeJwt) },
      });
    }
    const app = agent ?? name;
    put(
      ns,
      deployment(
        app,
        ns,
        name,
        agent ? { 'warden.io/agent': agent } : {},
        `${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/${app}:${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
      ),
    );
    put(ns, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(app, ns),
      spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
    });
  }

  // Workloads without their own service account: they run as `default` with its token mounted.
  put('agents', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default', 'agents') });
  put('agents', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('ticket-digest', 'agents', { labels: { agent: 'triage-orchestrator' } }),
    spec: {
      schedule: '0 6 * * *',
      jobTemplate: {
        spec: {
          template: {
            metadata: { labels: { app: 'ticket-digest' } },
            spec: {
              restartPolicy: 'OnFailure',
              containers: [
                {
                  name: 'digest',
                  image: `${aws.accountId}.dkr.ecr.${aws.region}.amazonaws.com/ticket-digest:1.2.0`,
                },
              ],
            },
          },
        },
      },
    },
  });
  put(
    'agents',
    deployment('agent-dashboard', 'agents', undefined, {}, 'nginx:1.27', {
      automountServiceAccountToken: false,
    }),
  );
  put('agents', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: meta('agents-read-config', 'agents'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:agents' },
    ],
  });

  for (const [ns, objs] of byNs) {
    out.text(
      `kubernetes/manifests/namespace-${ns}.yaml`,
      `# Namespace ${ns} of ${cluster} (platform repo)\n` +
        objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'),
    );
  }

  // Cluster-wide RBAC as exported by kubectl: an aggregated role that gathers secret reading and
  // pod creation, bound to the MCP server and the orchestrator.
  const role = (name, rules, labels, aggregationRule) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: meta(name, undefined, labels ? { labels } : {}),
    ...(aggregationRule ? { aggregationRule } : {}),
    rules,
  });
  const aggLabel = { 'rbac.acme.test/aggregate-to-agent-operator': 'true' };
  const items = [
    role(
      'secret-reader',
      [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
      aggLabel,
    ),
    role(
      'pod-manager',
      [
        { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list'] },
        { apiGroups: [''], resources: ['pods/exec', 'pods/log'], verbs: ['create', 'get'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'patch', 'update'] },
      ],
      aggLabel,
    ),
    role('agent-operator', [], undefined, { clusterRoleSelectors: [{ matchLabels: aggLabel }] }),
    // Kubernetes' default user-facing roles (abridged): https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles
    role(
      'view',
      [
        {
          apiGroups: ['', 'apps', 'batch'],
          resources: ['configmaps', 'pods', 'services', 'deployments', 'jobs', 'cronjobs'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
      {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
    ),
    role(
      'edit',
      [
        {
          apiGroups: [''],
          resources: ['pods', 'services', 'configmaps', 'secrets', 'serviceaccounts'],
          verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        },
        {
          apiGroups: ['apps', 'batch'],
          resources: ['deployments', 'statefulsets', 'jobs', 'cronjobs'],
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        },
      ],
      { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
    ),
  ];
  for (const idn of kIdentities.filter((i) => i.meta.clusterRole)) {
    const [, , ns, name] = idn.id.split(':');
    items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(`${name}-${idn.meta.clusterRole}`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: idn.meta.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
  }
  items.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta('platform-oncall-operator'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agent-operator' },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform-oncall' },
      { kind: 'ServiceAccount', name: 'ops-orchestrator', namespace: 'agents' },
    ],
  });
  out.json('kubernetes/cluster-rbac.json', {
    apiVersion: 'v1',
    items,
    kind: 'List',
    metadata: { resourceVersion: '' },
  });
}
