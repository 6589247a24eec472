import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import type { ImportItem } from '../../store/index.js';
import { DIALECTS, hasPostgres, openTestStore } from '../../store/test-utils/dialects.js';
import type { ConnectorContext } from '../core/types.js';
import { SourceFile } from '../core/source-file.js';
import { importPaths } from '../import-service.js';
import { connectors } from './index.js';
import { ruleLevel, selectorMatches } from './k8s-rbac.js';

const dir = mkdtempSync(path.join(tmpdir(), 'warden-k8s-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = '2026-11-26T00:00:00.000Z';
const ctx: ConnectorContext = {
  config: ConfigSchema.parse({}),
  salt: 's',
  now: NOW,
  configOwners: new Map(),
};
const connector = connectors[0]!;
// A token value made at test time (never a committed secret); the connector must never emit it.
const TOKEN_B64 = randomBytes(48).toString('base64');

function write(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function readAll(file: string): Promise<ImportItem[]> {
  const f = new SourceFile(file, dir);
  expect(connector.detect(f)).toBeGreaterThan(0.5);
  const out: ImportItem[] = [];
  for await (const i of connector.read(f, ctx)) out.push(i);
  return out;
}
type ValueOf<T extends ImportItem['type']> =
  Extract<ImportItem, { type: T }> extends { value: infer V } ? V : never;
function of<T extends ImportItem['type']>(items: ImportItem[], t: T): ValueOf<T>[] {
  return items.filter((i) => i.type === t).map((i) => i.value) as unknown as ValueOf<T>[];
}

const MANIFEST = `# agents namespace
apiVersion: v1
kind: ServiceAccount
metadata:
  name: support-bot
  namespace: agents
  labels:
    team: support
  annotations:
    warden.io/cluster: acme-prod-eks
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/support-bot
---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: support-bot-token
  namespace: agents
  annotations:
    kubernetes.io/service-account.name: support-bot
data:
  token: ${TOKEN_B64}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: agent-operator
aggregationRule:
  clusterRoleSelectors:
    - matchLabels:
        acme.example/aggregate-to-agent-operator: "true"
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-reader
  labels:
    acme.example/aggregate-to-agent-operator: "true"
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pod-creator
  labels:
    acme.example/aggregate-to-agent-operator: "true"
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["create", "delete"]
  - apiGroups: [""]
    resources: ["pods/exec"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: support-bot-operator
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: agent-operator
subjects:
  - kind: ServiceAccount
    name: support-bot
    namespace: agents
  - kind: User
    name: dana@acme.example
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: all-sas-read-secrets
  namespace: agents
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: secret-reader
subjects:
  - kind: Group
    name: system:serviceaccounts:agents
    apiGroup: rbac.authorization.k8s.io
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: support-bot
  namespace: agents
  labels:
    warden.io/agent: support-bot
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: support-bot
    spec:
      serviceAccountName: support-bot
      containers:
        - name: bot
          image: registry.acme.example/support-bot:1.4.2
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
  namespace: agents
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            agent: report-writer
        spec:
          automountServiceAccountToken: false
          restartPolicy: OnFailure
          containers:
            - name: r
              image: registry.acme.example/report:2
---
apiVersion: v1
kind: Service
metadata:
  name: support-bot
  namespace: agents
spec:
  ports: [{port: 80}]
`;

describe('kubernetes connector', () => {
  it('reads a multi-document manifest: SAs, token secrets, aggregated roles, bindings, workloads, links', async () => {
    const items = await readAll(write('agents.yaml', MANIFEST));
    expect(JSON.stringify(items)).not.toContain(TOKEN_B64);
    const ids = of(items, 'identity');
    const sa = ids.find(
      (i) =>
        i.nativeId === 'system:serviceaccount:agents:support-bot' && i.kind === 'service-account' && i.name,
    );
    expect(sa).toMatchObject({
      account: 'acme-prod-eks',
      attributes: { namespace: 'agents', tags: { team: 'support' } },
    });
    expect(ids.find((i) => i.kind === 'session-token')).toMatchObject({
      nativeId: 'secret:agents/support-bot-token',
      account: 'acme-prod-eks',
      attributes: { parent: 'system:serviceaccount:agents:support-bot', longLived: true },
    });
    const resources = of(items, 'resource');
    const agg = resources.find((r) => r.nativeId === 'clusterrole/agent-operator')!;
    expect(agg.attributes).toMatchObject({
      aggregatedFrom: ['secret-reader', 'pod-creator'],
      level: 'admin',
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { 'acme.example/aggregate-to-agent-operator': 'true' } }],
      },
    });
    expect((agg.attributes!.rules as unknown[]).length).toBe(3);
    const grants = of(items, 'grant');
    const direct = grants.filter((g) => g.via?.startsWith('ClusterRoleBinding'));
    expect(direct.map((g) => [g.actions.join(','), g.resources[0], g.level])).toEqual([
      ['get,list,watch', '*/core/secrets', 'read'],
      ['create,delete', '*/core/pods', 'write'],
      ['create', '*/core/pods/exec', 'admin'],
    ]);
    const viaGroup = grants.filter((g) => g.via?.includes('group system:serviceaccounts:agents'));
    expect(viaGroup).toHaveLength(1);
    expect(viaGroup[0]).toMatchObject({
      identity: { nativeId: 'system:serviceaccount:agents:support-bot' },
      resources: ['agents/core/secrets'],
      sensitivity: 'high',
    });
    const edges = of(items, 'edge');
    expect(
      edges.find((e) => e.kind === 'member-of' && e.key === 'clusterrolebinding/support-bot-operator'),
    ).toMatchObject({ to: { nativeId: 'clusterrole/agent-operator' } });
    expect(edges.find((e) => e.kind === 'can-assume')).toMatchObject({
      to: { provider: 'aws', nativeId: 'arn:aws:iam::111122223333:role/support-bot' },
      technique: 'eks-irsa',
    });
    const deploy = resources.find((r) => r.nativeId === 'workload/agents/Deployment/support-bot')!;
    expect(deploy.attributes).toMatchObject({
      serviceAccount: 'system:serviceaccount:agents:support-bot',
      tokenMounted: true,
      images: ['registry.acme.example/support-bot:1.4.2'],
    });
    const cron = resources.find((r) => r.nativeId === 'workload/agents/CronJob/nightly-report')!;
    expect(cron.attributes).toMatchObject({
      serviceAccount: 'system:serviceaccount:agents:default',
      tokenMounted: false,
      tokenMountSource: 'pod',
    });
    expect(edges.filter((e) => e.kind === 'runs-as')).toHaveLength(2);
    const links = of(items, 'link');
    expect(links).toEqual([
      expect.objectContaining({
        agent: 'support-bot',
        source: 'workload',
        confidence: 0.9,
        identity: { provider: 'kubernetes', nativeId: 'system:serviceaccount:agents:support-bot' },
      }),
      expect.objectContaining({
        agent: 'report-writer',
        identity: { provider: 'kubernetes', nativeId: 'system:serviceaccount:agents:default' },
      }),
    ]);
    expect(links[1]!.evidence).toMatch(/token not mounted/);
    expect(of(items, 'note').map((n) => n.reason)).toEqual([
      expect.stringMatching(/kind Service \(1 object\)/),
    ]);
  });

  it('reads kubectl get -o json Lists and typed lists; the SA automount setting decides the token', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'indexer', namespace: 'rag', creationTimestamp: '2025-03-01T00:00:00Z' },
          automountServiceAccountToken: false,
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: 'indexer-0',
            namespace: 'rag',
            ownerReferences: [{ kind: 'StatefulSet', name: 'indexer' }],
          },
          spec: { serviceAccountName: 'indexer', containers: [{ name: 'c', image: 'i' }] },
        },
        {
          apiVersion: 'v1',
          kind: 'ServiceAccountList',
          items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace: 'rag' } }],
        },
        { kind: 'Pod', metadata: { name: 'no-api-version' } },
        'not an object',
      ],
    };
    const items = await readAll(write('cluster.json', JSON.stringify(list, null, 2)));
    expect(of(items, 'identity').find((i) => i.name === 'indexer')).toMatchObject({
      createdAt: '2025-03-01T00:00:00.000Z',
      attributes: { automountServiceAccountToken: false },
    });
    expect(of(items, 'resource').find((r) => r.type === 'k8s-workload')!.attributes).toMatchObject({
      tokenMounted: false,
      tokenMountSource: 'serviceaccount',
      ownerReferences: ['StatefulSet/indexer'],
    });
    expect(of(items, 'identity').some((i) => i.nativeId === 'system:serviceaccount:rag:x')).toBe(true);
    expect(
      of(items, 'skip')
        .map((s) => s.pointer)
        .sort(),
    ).toEqual(['/items/3', '/items/4']);
  });

  it('reads kubectl get -o yaml with line numbers in skips', async () => {
    const yaml = `apiVersion: v1
kind: List
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata:
    name: broken
    namespace: agents
  roleRef:
    kind: Secret
    name: x
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: ok
    namespace: agents
`;
    const items = await readAll(write('list.yaml', yaml));
    expect(of(items, 'skip')).toEqual([
      { pointer: 'line 4', reason: 'RoleBinding broken: roleRef needs kind Role|ClusterRole and name' },
    ]);
    expect(of(items, 'identity')[0]!.nativeId).toBe('system:serviceaccount:agents:ok');
  });

  it('bad input: YAML syntax error with its line, truncated JSON, unknown kinds as notes', async () => {
    const bad = write(
      'bad.yaml',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n',
    );
    await expect(readAll(bad)).rejects.toThrow(/bad\.yaml:\d+:\d+: YAML syntax error/);
    await expect(
      readAll(write('trunc.json', '{"apiVersion": "v1", "kind": "List", "items": [{"kind":')),
    ).rejects.toThrow(/trunc\.json:1/);
    const items = await readAll(
      write('crd.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'),
    );
    expect(of(items, 'note')).toEqual([{ pointer: 'line 1', reason: expect.stringMatching(/kind Widget/) }]);
  });

  it('selectors: matchLabels match exactly the label maps that contain them (property)', () => {
    const labels = fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[a-z0-9]{0,3}$/), {
      minKeys: 1,
    });
    fc.assert(
      fc.property(labels, fc.nat(), (l, n) => {
        const keys = Object.keys(l);
        const subset = Object.fromEntries(keys.slice(0, 1 + (n % keys.length)).map((k) => [k, l[k]!]));
        expect(selectorMatches({ matchLabels: subset }, l)).toBe(true);
        const k0 = keys[0]!;
        expect(selectorMatches({ matchLabels: { ...subset, [k0]: `${l[k0]}x` } }, l)).toBe(false);
        expect(selectorMatches({ matchExpressions: [{ key: k0, operator: 'DoesNotExist' }] }, l)).toBe(false);
      }),
    );
  });

  it('rule levels and selectors', () => {
    expect(ruleLevel({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }).level).toBe('admin');
    expect(
      ruleLevel({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] })
        .level,
    ).toBe('admin');
    expect(ruleLevel({ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }).level).toBe('list');
    expect(
      ruleLevel({ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }).level,
    ).toBe('admin');
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, { a: '1' }),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' }),
    ).toBe(false);
    expect(selectorMatches({}, { a: '1' })).toBe(false);
  });

  it('cross-file bindings keep an edge; ServiceAccount subjects of a ClusterRoleBinding need a namespace', async () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: uses-view, namespace: agents}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: support-bot}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: bad}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: nobody}
`;
    const items = await readAll(write('bindings.yaml', yaml));
    expect(of(items, 'grant')).toEqual([]);
    expect(of(items, 'edge')[0]).toMatchObject({
      kind: 'member-of',
      from: { nativeId: 'system:serviceaccount:agents:support-bot' },
      to: { nativeId: 'clusterrole/view' },
      attributes: { scope: 'agents', bindingKind: 'RoleBinding' },
    });
    expect(of(items, 'skip')).toEqual([
      {
        pointer: 'line 8 (ClusterRoleBinding bad subjects/0)',
        reason: 'a ServiceAccount subject of a ClusterRoleBinding needs a namespace',
      },
    ]);
  });
});

function safeHasPostgres(): boolean {
  try {
    return hasPostgres();
  } catch {
    return false;
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !process.env.CI && !safeHasPostgres())(
    `kubernetes import into the store (${dialect})`,
    () => {
      it('imports through importPaths into a store, with workload and tag links, idempotently', async () => {
        const sub = mkdtempSync(path.join(dir, 'imp-'));
        writeFileSync(
          path.join(sub, 'agents.yaml.k8s.yaml'),
          MANIFEST.replace('team: support', 'agent: support-bot'),
        );
        const { store, close } = await openTestStore(dialect);
        try {
          const config = ConfigSchema.parse({});
          const run = () => importPaths({ store, config, connectors, paths: [sub], now: NOW });
          const first = await run();
          expect(first.files[0]).toMatchObject({ status: 'imported', format: 'kubernetes' });
          const sa = await store.findIdentity('kubernetes', 'system:serviceaccount:agents:support-bot');
          expect(sa).toMatchObject({ kind: 'service-account', account: 'acme-prod-eks' });
          const links = await store.listLinks({ identityId: sa!.id });
          expect(links.map((l) => l.source).sort()).toEqual(['tag', 'workload']);
          expect((await store.listGrants({ identityId: sa!.id })).length).toBe(4);
          const before = await store.counts();
          const second = await run();
          expect(second.files[0]!.gone).toBe(0);
          expect(await store.counts()).toEqual(before);
        } finally {
          await close();
        }
      });
    },
  );
}
