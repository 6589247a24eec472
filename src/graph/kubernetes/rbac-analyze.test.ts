import { describe, expect, it } from 'vitest';
import { analyzeKubernetes, parseK8sText, type K8sEscalation } from './index.js';

// Objects in the shapes of the Kubernetes API (https://kubernetes.io/docs/reference/access-authn-authz/rbac/).
type Obj = Record<string, unknown>;
const RBAC = 'rbac.authorization.k8s.io/v1';
const sa = (namespace: string, name: string, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace },
  ...extra,
});
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): Obj => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames ? { resourceNames } : {}),
});
const role = (namespace: string, name: string, rules: Obj[]): Obj => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name, namespace },
  rules,
});
const clusterRole = (name: string, rules: Obj[], labels?: Record<string, string>): Obj => ({
  apiVersion: RBAC,
  kind: 'ClusterRole',
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
});
const saSubject = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });
const roleBinding = (
  namespace: string,
  name: string,
  roleRef: { kind: string; name: string },
  subjects: Obj[],
): Obj => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects,
});
const crb = (name: string, roleName: string, subjects: Obj[]): Obj => ({
  apiVersion: RBAC,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects,
});
const pod = (namespace: string, name: string, serviceAccountName: string, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { serviceAccountName, containers: [{ name: 'app', image: 'app:1' }], ...extra },
});
const tokenSecret = (namespace: string, name: string, account: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/service-account-token',
  metadata: { name, namespace, annotations: { 'kubernetes.io/service-account.name': account } },
});

/** A cluster with a privileged account `ops/admin-sa` (cluster-admin) and the attacker `ci/attacker`. */
function analyse(grants: Obj[], extra: Obj[] = []): Map<string, K8sEscalation> {
  const items = [
    sa('ops', 'admin-sa'),
    crb('ops-admin', 'cluster-admin', [saSubject('ops', 'admin-sa')]),
    sa('ci', 'attacker'),
    ...grants,
    ...extra,
  ];
  const objs = parseK8sText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }), 'list.json');
  return new Map(analyzeKubernetes(objs).rows.map((r) => [r.principal, r]));
}
const ATT = 'system:serviceaccount:ci:attacker';
const ADMIN = 'system:serviceaccount:ops:admin-sa';
/** Grants `rules` to the attacker cluster-wide, or in namespace `ns` through a RoleBinding. */
function grant(rules: Obj[], ns?: string): Obj[] {
  if (!ns)
    return [
      clusterRole('attacker-role', rules),
      crb('attacker-crb', 'attacker-role', [saSubject('ci', 'attacker')]),
    ];
  return [
    role(ns, 'attacker-role', rules),
    roleBinding(ns, 'attacker-rb', { kind: 'Role', name: 'attacker-role' }, [saSubject('ci', 'attacker')]),
  ];
}
function expectEscalates(rows: Map<string, K8sEscalation>, technique: string, path?: string[]) {
  const r = rows.get(ATT);
  expect(r, 'attacker row').toBeDefined();
  expect(r!.escalates).toBe(true);
  expect(r!.technique).toBe(technique);
  if (path) expect(r!.path).toEqual(path);
}
function expectNot(rows: Map<string, K8sEscalation>) {
  const r = rows.get(ATT)!;
  expect(r.escalates).toBe(false);
  expect(r.path).toEqual([]);
}

describe('kubernetes RBAC: admin-equivalence', () => {
  it('cluster-admin through a ClusterRoleBinding is admin, with 0 hops', () => {
    const r = analyse([]).get(ADMIN)!;
    expect(r).toMatchObject({
      escalates: true,
      technique: 'already-admin',
      hops: 0,
      path: [ADMIN],
      admin: true,
    });
  });
  it('cluster-admin bound by a RoleBinding only gives one namespace', () => {
    const rows = analyse([
      roleBinding('ci', 'ns-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [
        saSubject('ci', 'attacker'),
      ]),
    ]);
    expectNot(rows);
  });
  it('group subjects: system:serviceaccounts:NS gives every account of the namespace', () => {
    const rows = analyse([
      crb('all-ci', 'cluster-admin', [
        { kind: 'Group', name: 'system:serviceaccounts:ci', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ]);
    expect(rows.get(ATT)!.admin).toBe(true);
    expect(rows.get('system:serviceaccount:ci:default')!.admin).toBe(true);
  });
  it('group subject of another namespace does not apply', () => {
    expectNot(
      analyse([crb('all-x', 'cluster-admin', [{ kind: 'Group', name: 'system:serviceaccounts:other' }])]),
    );
  });
  it('aggregated ClusterRoles collect the rules of the roles their selectors match', () => {
    const agg = {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'agg' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'x/agg': 'true' } }] },
      rules: [],
    };
    const part = clusterRole('part', [rule([''], ['pods'], ['create'])], { 'x/agg': 'true' });
    const rows = analyse([
      agg,
      part,
      roleBinding('ops', 'b', { kind: 'ClusterRole', name: 'agg' }, [saSubject('ci', 'attacker')]),
    ]);
    expectEscalates(rows, 'create-pods', [ATT, ADMIN]);
  });
});

describe('kubernetes RBAC: workload techniques', () => {
  it('create pods in the namespace of a privileged account', () => {
    const rows = analyse(grant([rule([''], ['pods'], ['create'])], 'ops'));
    expectEscalates(rows, 'create-pods', [ATT, ADMIN]);
    expect(rows.get(ATT)!.hops).toBe(1);
  });
  it('near miss: create pods in a namespace without a privileged account', () => {
    expectNot(analyse(grant([rule([''], ['pods'], ['create'])], 'ci')));
  });
  it('near miss: resourceNames never match create', () => {
    expectNot(analyse(grant([rule([''], ['pods'], ['create'], ['x'])], 'ops')));
  });
  it('near miss: a Role in another namespace', () => {
    const objs = [
      role('ops', 'r', [rule([''], ['pods'], ['create'])]),
      roleBinding('ci', 'b', { kind: 'Role', name: 'r' }, [saSubject('ci', 'attacker')]),
    ];
    expectNot(analyse(objs));
  });
  for (const [technique, group, resource] of [
    ['create-deployments', 'apps', 'deployments'],
    ['create-daemonsets', 'apps', 'daemonsets'],
    ['create-statefulsets', 'apps', 'statefulsets'],
    ['create-replicasets', 'apps', 'replicasets'],
    ['create-jobs', 'batch', 'jobs'],
    ['create-cronjobs', 'batch', 'cronjobs'],
    ['create-replicationcontrollers', '', 'replicationcontrollers'],
  ] as const) {
    it(`${technique}, and the wrong API group is a near miss`, () => {
      expectEscalates(analyse(grant([rule([group], [resource], ['create'])], 'ops')), technique);
      expectNot(analyse(grant([rule(['extensions-wrong'], [resource], ['create'])], 'ops')));
    });
  }
  it('pods/exec into a pod running as the privileged account', () => {
    expectEscalates(
      analyse(grant([rule([''], ['pods/exec'], ['create'])], 'ops'), [pod('ops', 'web', 'admin-sa')]),
      'pods-exec',
    );
  });
  it('near miss: pods/exec with no pod of the privileged account, or its token not mounted, or another pod name', () => {
    expectNot(analyse(grant([rule([''], ['pods/exec'], ['create'])], 'ops')));
    expectNot(
      analyse(grant([rule([''], ['pods/exec'], ['create'])], 'ops'), [
        pod('ops', 'web', 'admin-sa', { automountServiceAccountToken: false }),
      ]),
    );
    expectNot(
      analyse(grant([rule([''], ['pods/exec'], ['create'], ['other'])], 'ops'), [
        pod('ops', 'web', 'admin-sa'),
      ]),
    );
    expectEscalates(
      analyse(grant([rule([''], ['pods/exec'], ['create'], ['web'])], 'ops'), [
        pod('ops', 'web', 'admin-sa'),
      ]),
      'pods-exec',
    );
  });
  it('an account that disables automount is still mounted when the pod asks for it', () => {
    const rows = analyse(grant([rule([''], ['pods/attach'], ['create'])], 'ops'), [
      pod('ops', 'web', 'admin-sa', { automountServiceAccountToken: true }),
    ]);
    expectEscalates(rows, 'pods-attach');
  });
  it('ephemeral containers (update pods/ephemeralcontainers)', () => {
    expectEscalates(
      analyse(grant([rule([''], ['pods/ephemeralcontainers'], ['patch'])], 'ops'), [
        pod('ops', 'web', 'admin-sa'),
      ]),
      'ephemeral-container',
    );
    expectNot(
      analyse(grant([rule([''], ['pods/ephemeralcontainers'], ['get'])], 'ops'), [
        pod('ops', 'web', 'admin-sa'),
      ]),
    );
  });
  it('modify an existing deployment of the namespace', () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'ops' },
      spec: { template: { spec: { serviceAccountName: 'default', containers: [] } } },
    };
    expectEscalates(
      analyse(grant([rule(['apps'], ['deployments'], ['patch'], ['api'])], 'ops'), [dep]),
      'modify-workload',
    );
    expectNot(analyse(grant([rule(['apps'], ['deployments'], ['patch'], ['other'])], 'ops'), [dep]));
  });
  it('nodes/proxy reaches pods on every node', () => {
    expectEscalates(
      analyse(grant([rule([''], ['nodes/proxy'], ['get'])]), [pod('ops', 'web', 'admin-sa')]),
      'nodes-proxy',
    );
    // A RoleBinding cannot grant a cluster-scoped resource.
    expectNot(analyse(grant([rule([''], ['nodes/proxy'], ['get'])], 'ops'), [pod('ops', 'web', 'admin-sa')]));
  });
});

describe('kubernetes RBAC: credentials and impersonation', () => {
  it('serviceaccounts/token create, scoped by resourceNames', () => {
    expectEscalates(
      analyse(grant([rule([''], ['serviceaccounts/token'], ['create'], ['admin-sa'])], 'ops')),
      'serviceaccount-token',
      [ATT, ADMIN],
    );
    expectNot(analyse(grant([rule([''], ['serviceaccounts/token'], ['create'], ['default'])], 'ops')));
    expectNot(analyse(grant([rule([''], ['serviceaccounts'], ['create'])], 'ops')));
  });
  it('reading the token secret of the privileged account', () => {
    const secret = tokenSecret('ops', 'admin-sa-token', 'admin-sa');
    expectEscalates(
      analyse(grant([rule([''], ['secrets'], ['list'])], 'ops'), [secret]),
      'read-token-secret',
    );
    expectEscalates(
      analyse(grant([rule([''], ['secrets'], ['get'], ['admin-sa-token'])], 'ops'), [secret]),
      'read-token-secret',
    );
    expectNot(analyse(grant([rule([''], ['secrets'], ['get'], ['other'])], 'ops'), [secret]));
    // No token secret exists (Kubernetes 1.24+ does not create them): nothing to read.
    expectNot(analyse(grant([rule([''], ['secrets'], ['list'])], 'ops')));
    expectNot(analyse(grant([rule([''], ['secrets'], ['list'])], 'ci'), [secret]));
  });
  it('impersonating service accounts, users and groups', () => {
    expectEscalates(
      analyse(grant([rule([''], ['serviceaccounts'], ['impersonate'], ['admin-sa'])], 'ops')),
      'impersonate-serviceaccount',
    );
    expectEscalates(analyse(grant([rule([''], ['users'], ['impersonate'])])), 'impersonate-serviceaccount');
    const alice = crb('alice-admin', 'cluster-admin', [{ kind: 'User', name: 'alice' }]);
    expectEscalates(
      analyse(grant([rule([''], ['users'], ['impersonate'], ['alice'])]), [alice]),
      'impersonate-user',
      [ATT, 'alice'],
    );
    expectNot(analyse(grant([rule([''], ['users'], ['impersonate'], ['bob'])]), [alice]));
    expectEscalates(
      analyse(
        grant([
          rule([''], ['groups'], ['impersonate'], ['system:masters']),
          rule([''], ['users'], ['impersonate'], ['nobody']),
        ]),
      ),
      'impersonate-group',
      [ATT, 'group:system:masters'],
    );
    // Group impersonation needs user impersonation as well.
    expectNot(analyse(grant([rule([''], ['groups'], ['impersonate'])])));
  });
});

describe('kubernetes RBAC: RBAC, certificates and admission', () => {
  const rbac = 'rbac.authorization.k8s.io';
  it('bind + create clusterrolebindings on cluster-admin', () => {
    expectEscalates(
      analyse(
        grant([
          rule([rbac], ['clusterroles'], ['bind'], ['cluster-admin']),
          rule([rbac], ['clusterrolebindings'], ['create']),
        ]),
      ),
      'rbac-bind',
      [ATT, 'clusterrole:cluster-admin'],
    );
    expectNot(
      analyse(
        grant([
          rule([rbac], ['clusterroles'], ['bind'], ['view']),
          rule([rbac], ['clusterrolebindings'], ['create']),
        ]),
      ),
    );
    expectNot(analyse(grant([rule([rbac], ['clusterrolebindings'], ['create'])])));
  });
  it('bind in a namespace is a multi-hop chain through that namespace', () => {
    const rows = analyse(
      grant(
        [rule([rbac], ['clusterroles'], ['bind'], ['edit']), rule([rbac], ['rolebindings'], ['create'])],
        'ops',
      ),
    );
    const r = rows.get(ATT)!;
    expect(r.escalates).toBe(true);
    expect(r.technique).toBe('rbac-bind -> create-pods');
    expect(r.path[0]).toBe(ATT);
    expect(r.path[1]).toBe('clusterrole:edit@ops');
    expect(r.path.at(-1)).toBe(ADMIN);
    expect(r.hops).toBe(2);
  });
  it('patch a binding needs bind on its role too', () => {
    const b = crb('readers', 'cluster-admin', [{ kind: 'User', name: 'carol' }]);
    expectEscalates(
      analyse(
        grant([
          rule([rbac], ['clusterrolebindings'], ['patch'], ['readers']),
          rule([rbac], ['clusterroles'], ['bind']),
        ]),
        [b],
      ),
      'patch-rolebinding',
    );
    expectNot(analyse(grant([rule([rbac], ['clusterrolebindings'], ['patch'], ['readers'])]), [b]));
  });
  it('escalate + update on a ClusterRole bound to oneself', () => {
    expectEscalates(
      analyse(grant([rule([rbac], ['clusterroles'], ['escalate', 'update'], ['attacker-role'])])),
      'rbac-escalate',
    );
    expectNot(analyse(grant([rule([rbac], ['clusterroles'], ['update'], ['attacker-role'])])));
  });
  it('CSR create + approval + signer approve', () => {
    const c = 'certificates.k8s.io';
    const base = [
      rule([c], ['certificatesigningrequests'], ['create']),
      rule([c], ['certificatesigningrequests/approval'], ['update']),
    ];
    expectEscalates(
      analyse(grant([...base, rule([c], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client'])])),
      'csr-approve',
    );
    expectNot(analyse(grant([...base, rule([c], ['signers'], ['approve'], ['example.com/other'])])));
    expectNot(analyse(grant(base)));
  });
  it('mutating and validating webhook configurations', () => {
    expectEscalates(
      analyse(grant([rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['create'])])),
      'mutating-webhook',
    );
    expectEscalates(
      analyse(
        grant([rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['update'])]),
      ),
      'validating-webhook',
    );
    expectNot(
      analyse(
        grant([rule(['admissionregistration.k8s.io'], ['mutatingwebhookconfigurations'], ['get', 'list'])]),
      ),
    );
  });
  it('wildcards: */exec style subresource rules and * verbs', () => {
    expectEscalates(
      analyse(grant([rule([''], ['*/exec'], ['*'])], 'ops'), [pod('ops', 'web', 'admin-sa')]),
      'pods-exec',
    );
  });
});

describe('kubernetes manifests', () => {
  it('reads multi-document YAML and reports bad documents without losing the others', () => {
    const text = [
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: x}',
      'kind: RoleBinding\nmetadata: {name: rb, namespace: x}\nroleRef: {kind: Nope}',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {kind: ServiceAccount, name: a, namespace: x}',
    ].join('\n---\n');
    const objs = parseK8sText(text, 'm.yaml');
    expect(objs.issues).toHaveLength(1);
    expect(objs.issues[0]!.pointer).toContain('m.yaml document 2');
    const rows = analyzeKubernetes(objs).rows;
    expect(rows.find((r) => r.principal === 'system:serviceaccount:x:a')?.admin).toBe(true);
  });
  it('a binding to a role missing from the export is noted and grants nothing', () => {
    const objs = parseK8sText(
      JSON.stringify({ kind: 'List', items: [crb('b', 'ghost', [saSubject('x', 'a')])] }),
      'l.json',
    );
    const res = analyzeKubernetes(objs);
    expect(res.notes[0]).toContain('ghost');
    expect(res.rows.find((r) => r.principal === 'system:serviceaccount:x:a')).toMatchObject({
      escalates: false,
      uncertain: true,
    });
  });
});

describe('technique catalogue', () => {
  it('has each documented technique once, each with a reference and required permissions', async () => {
    const { K8S_TECHNIQUES } = await import('./index.js');
    const names = K8S_TECHNIQUES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      [
        'create-cronjobs',
        'create-daemonsets',
        'create-deployments',
        'create-jobs',
        'create-pods',
        'create-replicasets',
        'create-replicationcontrollers',
        'create-statefulsets',
        'csr-approve',
        'ephemeral-container',
        'impersonate-group',
        'impersonate-serviceaccount',
        'impersonate-user',
        'modify-workload',
        'mutating-webhook',
        'nodes-proxy',
        'patch-rolebinding',
        'pods-attach',
        'pods-exec',
        'rbac-bind',
        'rbac-escalate',
        'read-token-secret',
        'serviceaccount-token',
        'validating-webhook',
      ].sort(),
    );
    for (const t of K8S_TECHNIQUES) {
      expect(t.reference).toMatch(/^https:\/\/kubernetes\.io\//);
      expect(t.requires.length).toBeGreaterThan(0);
    }
  });
});
