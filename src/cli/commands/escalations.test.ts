import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { run } from '../run.js';

/*
 * End to end through run(): real-format exports written to a temporary folder, analysed by
 * `warden escalations`, `warden blast-radius` and `warden paths` (each imports them into a
 * temporary store first).
 */
const ACCOUNT = '111122223333';
const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
const doc = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const date = '2024-01-01T00:00:00Z';

/** `aws iam get-account-authorization-details` output: an admin role, and a user that can create keys for the admin user. */
function authorizationDetails() {
  const user = (name: string, policy: unknown) => ({
    Path: '/',
    UserName: name,
    UserId: 'AIDA' + name.toUpperCase().padEnd(17, 'X').slice(0, 17),
    Arn: arn('user', name),
    CreateDate: date,
    UserPolicyList: policy ? [{ PolicyName: `${name}-inline`, PolicyDocument: policy }] : [],
    GroupList: [],
    AttachedManagedPolicies: [],
    Tags: [],
  });
  return {
    UserDetailList: [
      user('admin', doc([{ Effect: 'Allow', Action: '*', Resource: '*' }])),
      user(
        'keymaker',
        doc([{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: arn('user', 'admin') }]),
      ),
      user('reader', doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])),
    ],
    GroupDetailList: [],
    RoleDetailList: [],
    Policies: [],
  };
}

function kubernetesList() {
  const rbac = 'rbac.authorization.k8s.io/v1';
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ops-admin', namespace: 'ops' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: 'ci' } },
      {
        apiVersion: rbac,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'ops-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'ServiceAccount', name: 'ops-admin', namespace: 'ops' }],
      },
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: 'deployer', namespace: 'ops' },
        rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'get'] }],
      },
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'builder-deploys', namespace: 'ops' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
        subjects: [{ kind: 'ServiceAccount', name: 'builder', namespace: 'ci' }],
      },
    ],
  };
}

function agentsYaml() {
  return [
    'agents:',
    '  - name: ci-bot',
    '    kind: pipeline',
    '    owner: dana@example.com',
    '    purpose: builds and deploys',
    '    environment: production',
    '    identities:',
    '      - provider: kubernetes',
    '        nativeId: system:serviceaccount:ci:builder',
    '    invokers:',
    '      - person: intern@example.com',
    '',
  ].join('\n');
}

function fixture(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-esc-'));
  mkdirSync(path.join(dir, 'aws'));
  writeFileSync(
    path.join(dir, 'aws', 'authorization-details.json'),
    JSON.stringify(authorizationDetails(), null, 2),
  );
  writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify(kubernetesList(), null, 2));
  writeFileSync(path.join(dir, 'agents.yaml'), agentsYaml());
  return dir;
}

type Row = { principal: string; escalates: boolean; technique: string | null; hops: number; path: string[] };

describe('warden escalations', () => {
  it('prints one JSON row per principal, AWS and Kubernetes', async () => {
    const dir = fixture();
    const io = memoryIo({ cwd: dir });
    const code = await run(['escalations', dir, '--format', 'json'], io);
    expect(io.err()).not.toMatch(/Error|internal/i);
    expect(code).toBe(0);
    const rows = JSON.parse(io.out()) as Row[];
    const by = new Map(rows.map((r) => [r.principal, r]));
    for (const r of rows)
      expect(Object.keys(r).sort()).toEqual(['escalates', 'hops', 'path', 'principal', 'technique']);
    expect(by.get('system:serviceaccount:ci:builder')).toEqual({
      principal: 'system:serviceaccount:ci:builder',
      escalates: true,
      technique: 'create-deployments',
      hops: 1,
      path: ['system:serviceaccount:ci:builder', 'system:serviceaccount:ops:ops-admin'],
    });
    expect(by.get('system:serviceaccount:ops:ops-admin')).toMatchObject({ escalates: true, hops: 0 });
    expect(by.get('system:serviceaccount:ci:default')).toMatchObject({ escalates: false, path: [] });
    expect(by.get(arn('user', 'keymaker'))).toMatchObject({
      escalates: true,
      path: [arn('user', 'keymaker'), arn('user', 'admin')],
    });
    expect(by.get(arn('user', 'reader'))).toMatchObject({ escalates: false });
  });

  it('without inputs analyses the configured store (after warden import)', async () => {
    const dir = fixture();
    const db = path.join(dir, 'store.db');
    const imp = memoryIo({ cwd: dir });
    expect(await run(['--db', db, 'import', dir], imp)).toBe(0);
    const io = memoryIo({ cwd: dir });
    expect(await run(['--db', db, 'escalations', '--format', 'json'], io)).toBe(0);
    const by = new Map((JSON.parse(io.out()) as Row[]).map((r) => [r.principal, r]));
    expect(by.get('system:serviceaccount:ci:builder')).toMatchObject({
      escalates: true,
      technique: 'create-deployments',
      hops: 1,
    });
    expect(by.get('system:serviceaccount:ci:default')).toMatchObject({ escalates: false });
    // AWS from the store alone: the stored grants of the admin user (no raw export given).
    expect(by.get(arn('user', 'admin'))).toMatchObject({
      escalates: true,
      technique: 'already-admin',
      hops: 0,
    });
    const table = memoryIo({ cwd: dir });
    expect(await run(['--db', db, 'escalations'], table)).toBe(0);
    expect(table.out()).toMatch(/principals can reach administrator-equivalent access/);
  });

  it('fails with a clear message on an input that does not exist', async () => {
    const io = memoryIo();
    expect(await run(['escalations', '/nonexistent/warden-input', '--format', 'json'], io)).toBe(2);
    expect(io.err()).toContain('/nonexistent/warden-input');
  });
});

describe('warden blast-radius and paths', () => {
  it('shows what an agent reaches through its service account, and who can make it act', async () => {
    const dir = fixture();
    const io = memoryIo({ cwd: dir });
    const code = await run(['blast-radius', 'ci-bot', dir, '--format', 'json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const br = JSON.parse(io.out()) as {
      summary: { admin: string[] };
      identities: { nativeId: string }[];
      confusedDeputies: { invoker: { nativeId: string }; admin: string[] }[];
    };
    expect(br.identities.map((i) => i.nativeId)).toContain('system:serviceaccount:ops:ops-admin');
    expect(br.summary.admin.some((a) => a.startsWith('kubernetes:'))).toBe(true);
    expect(br.confusedDeputies.map((d) => d.invoker.nativeId)).toEqual(['intern@example.com']);

    const dot = memoryIo({ cwd: dir });
    expect(await run(['blast-radius', 'ci-bot', dir, '--format', 'dot'], dot)).toBe(0);
    expect(dot.out()).toMatch(/^digraph blast_radius \{/);
    expect(dot.out()).toContain(
      '"system:serviceaccount:ci:builder" -> "system:serviceaccount:ops:ops-admin"',
    );
  });

  it('finds the path from an AWS user to administrator access', async () => {
    const dir = fixture();
    const io = memoryIo({ cwd: dir });
    expect(
      await run(['paths', '--from', arn('user', 'keymaker'), '--to', 'admin', dir, '--format', 'json'], io),
    ).toBe(0);
    const paths = JSON.parse(io.out()) as { path: string[]; hops: number }[];
    expect(paths.length).toBeGreaterThan(0);
    expect(paths[0]!.path[0]).toBe(arn('user', 'keymaker'));
    expect(paths[0]!.path).toContain(arn('user', 'admin'));
    const none = memoryIo({ cwd: dir });
    expect(await run(['paths', '--from', arn('user', 'reader'), '--to', 'admin', dir], none)).toBe(0);
    expect(none.out()).toContain('No path');
  });
});
