import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { CONNECTORS, importPaths } from '../../connectors/index.js';
import { Store } from '../../store/index.js';
import { loadSnapshot } from '../snapshot.js';
import { analyzeKubernetes, parseK8sText } from './index.js';
import { rbacObjectsFromStore } from './store-adapter.js';

/*
 * The same manifests analysed twice: read raw, and rebuilt from what the Kubernetes connector
 * stored. Both must give the same rows, so `warden escalations` agrees with and without inputs.
 */
const MANIFESTS = `apiVersion: v1
kind: ServiceAccount
metadata: {name: ops-admin, namespace: ops}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: ops}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci}
---
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: ops-admin-token
  namespace: ops
  annotations: {kubernetes.io/service-account.name: ops-admin}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: ops-admin, namespace: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader-secrets, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects: [{kind: ServiceAccount, name: reader, namespace: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: exec, namespace: ops}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builder-exec, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reader-app, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: reader
      containers: [{name: app, image: app:1}]
`;

describe('Kubernetes RBAC from the store', () => {
  it('rebuilds the RBAC objects the connector stored and reaches the same verdicts as the raw manifests', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-k8s-'));
    writeFileSync(path.join(dir, 'cluster.yaml'), MANIFESTS);
    const store = await Store.open(path.join(dir, 'w.db'));
    try {
      const report = await importPaths({
        store,
        config: loadConfig({ env: {}, cwd: dir }),
        connectors: CONNECTORS,
        paths: [path.join(dir, 'cluster.yaml')],
      });
      expect(report.files[0]!.status).toBe('imported');
      const s = await loadSnapshot(store);
      const clusters = [...rbacObjectsFromStore(s.identities, s.resources).values()];
      expect(clusters).toHaveLength(1);
      const fromStore = analyzeKubernetes(clusters[0]!).rows.map(({ cluster: _c, ...r }) => r);
      const raw = analyzeKubernetes(parseK8sText(MANIFESTS, 'cluster.yaml')).rows.map(
        ({ cluster: _c, ...r }) => r,
      );
      expect(fromStore).toEqual(raw);
      const by = new Map(raw.map((r) => [r.principal, r]));
      expect(by.get('system:serviceaccount:ops:reader')).toMatchObject({
        escalates: true,
        technique: 'read-token-secret',
        path: ['system:serviceaccount:ops:reader', 'system:serviceaccount:ops:ops-admin'],
      });
      // builder can exec into reader's pod, then read the admin's token secret: two hops.
      expect(by.get('system:serviceaccount:ci:builder')).toMatchObject({
        escalates: true,
        technique: 'pods-exec -> read-token-secret',
        hops: 2,
      });
    } finally {
      await store.close();
    }
  });
});
