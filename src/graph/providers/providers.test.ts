import { describe, expect, it } from 'vitest';
import { recordId, type Edge, type Grant, type Identity, type Resource } from '../../model/index.js';
import {
  analyseAgent,
  blastRadius,
  buildGraphFromSnapshot,
  emptySnapshot,
  graphRows,
  type Snapshot,
} from '../index.js';

/*
 * Snapshots shaped like what the connectors store (src/connectors/gcp, entra, github), so the
 * provider analyses are tested on the records they will really meet.
 */
function identity(
  provider: string,
  nativeId: string,
  kind: Identity['kind'],
  extra: Partial<Identity> = {},
): Identity {
  return { id: recordId.identity(provider, nativeId), provider, nativeId, kind, status: 'active', ...extra };
}
function resource(provider: string, nativeId: string, type: string, extra: Partial<Resource> = {}): Resource {
  return {
    id: recordId.resource(provider, nativeId),
    provider,
    nativeId,
    type,
    sensitivity: 'medium',
    ...extra,
  };
}
let n = 0;
function grant(
  i: Identity,
  actions: string[],
  resources: string[],
  level: Grant['level'],
  extra: Partial<Grant> = {},
): Grant {
  return { id: `g${n++}`, identityId: i.id, effect: 'allow', actions, resources, level, ...extra };
}
function edge(kind: Edge['kind'], fromId: string, toId: string, extra: Partial<Edge> = {}): Edge {
  return { id: `e${n++}`, kind, fromId, toId, confidence: 1, ...extra };
}
function snap(p: Partial<Snapshot>): Snapshot {
  return { ...emptySnapshot(), ...p };
}
const rowsOf = (s: Snapshot) =>
  new Map(graphRows(buildGraphFromSnapshot(s).graph).map((r) => [r.principal, r]));

describe('GCP', () => {
  const P = 'acme-prod';
  const ci = identity('gcp', `ci@${P}.iam.gserviceaccount.com`, 'service-account', { account: P });
  const admin = identity('gcp', `admin@${P}.iam.gserviceaccount.com`, 'service-account', { account: P });
  const project = resource('gcp', `projects/${P}`, 'gcp-project', { account: P });
  const ownerGrant = grant(admin, ['roles/owner', 'iam.serviceAccounts.actAs'], [`projects/${P}`], 'admin');
  const tokenCreator = [
    'roles/iam.serviceAccountTokenCreator',
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.signJwt',
  ];

  it('project-level token creator reaches every SA of the project, and through the owner SA the project', () => {
    const s = snap({
      identities: [ci, admin],
      resources: [project],
      grants: [ownerGrant, grant(ci, tokenCreator, [`projects/${P}`], 'admin')],
      edges: [
        edge('can-assume', ci.id, project.id, {
          technique: 'gcp-impersonation',
          attributes: { role: 'roles/iam.serviceAccountTokenCreator', permissions: tokenCreator.slice(1) },
        }),
      ],
    });
    const rows = rowsOf(s);
    expect(rows.get(admin.nativeId)).toMatchObject({ escalates: true, technique: 'already-admin', hops: 0 });
    expect(rows.get(ci.nativeId)).toMatchObject({
      escalates: true,
      technique: 'gcp-get-access-token',
      hops: 1,
      path: [ci.nativeId, admin.nativeId],
    });
  });
  it('actAs alone is conditional: no escalation reported', () => {
    const s = snap({
      identities: [ci, admin],
      resources: [project],
      grants: [
        ownerGrant,
        grant(
          ci,
          ['roles/iam.serviceAccountUser', 'iam.serviceAccounts.actAs'],
          [`projects/${P}/serviceAccounts/${admin.nativeId}`],
          'write',
        ),
      ],
    });
    const r = rowsOf(s).get(ci.nativeId)!;
    expect(r.escalates).toBe(false);
    expect(r.conditional).toBe(true);
  });
  it('actAs with a role that creates compute is an escalation; projectIamAdmin sets the policy', () => {
    const s = snap({
      identities: [ci, admin],
      resources: [project],
      grants: [
        ownerGrant,
        grant(
          ci,
          ['roles/iam.serviceAccountUser', 'iam.serviceAccounts.actAs'],
          [`projects/${P}/serviceAccounts/${admin.nativeId}`],
          'write',
        ),
        grant(ci, ['roles/compute.instanceAdmin.v1'], [`projects/${P}`], 'write'),
      ],
    });
    expect(rowsOf(s).get(ci.nativeId)).toMatchObject({ escalates: true, technique: 'gcp-act-as' });
    const iamAdmin = snap({
      identities: [ci],
      resources: [project],
      grants: [grant(ci, ['roles/resourcemanager.projectIamAdmin'], [`projects/${P}`], 'admin')],
    });
    expect(rowsOf(iamAdmin).get(ci.nativeId)).toMatchObject({
      escalates: true,
      technique: 'gcp-set-iam-policy',
      hops: 1,
    });
  });
  it('near miss: a viewer escalates nowhere', () => {
    const s = snap({
      identities: [ci, admin],
      resources: [project],
      grants: [ownerGrant, grant(ci, ['roles/viewer'], [`projects/${P}`], 'read')],
    });
    expect(rowsOf(s).get(ci.nativeId)).toMatchObject({ escalates: false, technique: null, path: [] });
  });
});

describe('Entra', () => {
  const T = 'tenant-1';
  const app = identity('azure', '11111111-1111-1111-1111-111111111111', 'oauth-app', { account: T });
  const mgr = identity('azure', '22222222-2222-2222-2222-222222222222', 'oauth-app', { account: T });
  const helper = identity('azure', '33333333-3333-3333-3333-333333333333', 'oauth-app', { account: T });
  const roleMgmt = (extra: Partial<Grant> = {}) =>
    grant(mgr, ['RoleManagement.ReadWrite.Directory'], ['Microsoft Graph'], 'admin', {
      conditions: { permissionType: 'application' },
      ...extra,
    });
  it('an app with RoleManagement.ReadWrite.Directory is tenant admin; its owner app becomes it', () => {
    const s = snap({ identities: [app, mgr], grants: [roleMgmt()], edges: [edge('owns', app.id, mgr.id)] });
    const rows = rowsOf(s);
    expect(rows.get(mgr.nativeId)).toMatchObject({
      escalates: true,
      technique: 'entra-role-management',
      hops: 1,
    });
    expect(rows.get(app.nativeId)).toMatchObject({
      escalates: true,
      technique: 'entra-owner-add-credential -> entra-role-management',
      hops: 2,
      path: [app.nativeId, mgr.nativeId, 'azure:tenant-1:tenant-admin'],
    });
  });
  it('a permission only requested (no consent) is not an escalation', () => {
    const s = snap({
      identities: [mgr],
      grants: [roleMgmt({ conditions: { permissionType: 'application', requestedOnly: true } })],
    });
    expect(rowsOf(s).get(mgr.nativeId)!.escalates).toBe(false);
  });
  it('Application.ReadWrite.All adds credentials to any app of the tenant', () => {
    const s = snap({
      identities: [app, mgr, helper],
      grants: [
        roleMgmt(),
        grant(helper, ['Application.ReadWrite.All'], ['Microsoft Graph'], 'admin', {
          conditions: { permissionType: 'application' },
        }),
      ],
    });
    expect(rowsOf(s).get(helper.nativeId)).toMatchObject({
      escalates: true,
      path: [helper.nativeId, mgr.nativeId, 'azure:tenant-1:tenant-admin'],
    });
  });
  it('a person who owns the app is a node that reaches the tenant admin', () => {
    const owner = {
      id: recordId.owner('dev@example.com'),
      ref: 'dev@example.com',
      status: 'active' as const,
    };
    const s = snap({
      identities: [mgr],
      owners: [owner],
      grants: [roleMgmt()],
      edges: [edge('owns', owner.id, mgr.id)],
    });
    const { graph } = buildGraphFromSnapshot(s);
    expect(blastRadius(graph, graph.find(owner.id)).summary.admin).toEqual(['azure:tenant-1:tenant-admin']);
  });
});

describe('GitHub and secret stores', () => {
  const ORG = 'acme';
  const deployKey = (readOnly: boolean) => {
    const k = identity('github', `github:${ORG}/api/deploy-key/7`, 'ssh-key', {
      account: ORG,
      attributes: { readOnly },
    });
    return {
      k,
      g: grant(
        k,
        [`contents:${readOnly ? 'read' : 'write'}`],
        [`github:${ORG}/api`],
        readOnly ? 'read' : 'write',
      ),
    };
  };
  const workflow = resource('github', `github:${ORG}/api/workflow/.github/workflows/deploy.yml`, 'workflow', {
    account: ORG,
    attributes: { repository: `${ORG}/api`, file: '.github/workflows/deploy.yml' },
  });
  const role = identity('aws', 'arn:aws:iam::111122223333:role/gh-deploy', 'cloud-role', {
    account: '111122223333',
  });
  const secret = identity('github', `github:${ORG}/api/secret/NPM_TOKEN`, 'ci-secret', { account: ORG });
  const base = (readOnly: boolean) => {
    const { k, g } = deployKey(readOnly);
    return snap({
      identities: [k, role, secret],
      resources: [workflow],
      grants: [g],
      edges: [
        edge('can-assume', workflow.id, role.id, { attributes: { via: 'github-oidc' } }),
        edge('exposes', workflow.id, secret.id),
      ],
    });
  };
  it('a deploy key with write reaches the workflow, its secrets and the role it assumes through OIDC', () => {
    const { graph } = buildGraphFromSnapshot(base(false));
    const br = blastRadius(graph, graph.find(recordId.identity('github', `github:${ORG}/api/deploy-key/7`)));
    expect(br.identities.map((i) => i.nativeId).sort()).toEqual([role.nativeId, secret.nativeId].sort());
    const r = br.identities.find((i) => i.nativeId === role.nativeId)!;
    expect(r.path).toEqual([
      `github:${ORG}/api/deploy-key/7`,
      `github:${ORG}/api`,
      workflow.nativeId,
      role.nativeId,
    ]);
  });
  it('near miss: a read-only deploy key reaches neither', () => {
    const { graph } = buildGraphFromSnapshot(base(true));
    expect(
      blastRadius(graph, graph.find(recordId.identity('github', `github:${ORG}/api/deploy-key/7`)))
        .identities,
    ).toEqual([]);
  });
  it('an app installation on all repositories (github:org/*) reaches each known repository', () => {
    const app = identity('github', `github:${ORG}/app-installation/9`, 'oauth-app', { account: ORG });
    const s = base(true);
    s.identities.push(app);
    s.grants.push(grant(app, ['contents:write'], [`github:${ORG}/*`], 'write'));
    s.resources.push(resource('github', `github:${ORG}/api`, 'repository', { account: ORG }));
    const { graph } = buildGraphFromSnapshot(s);
    expect(blastRadius(graph, graph.find(app.id)).identities.map((i) => i.nativeId)).toContain(role.nativeId);
  });
  it('reading a secret that holds another identity credential reaches that identity', () => {
    const reader = identity('vault', 'auth/approle/role/etl', 'vault-role');
    const target = identity('aws', 'arn:aws:iam::111122223333:user/etl', 'cloud-user');
    const stored = resource('vault', 'secret/data/etl/aws', 'secret', {
      attributes: { holds: { provider: 'aws', nativeId: target.nativeId } },
    });
    const s = snap({
      identities: [reader, target],
      resources: [stored],
      grants: [grant(reader, ['read'], ['secret/data/etl/*'], 'read')],
    });
    const { graph } = buildGraphFromSnapshot(s);
    const br = blastRadius(graph, graph.find(reader.id));
    expect(br.identities.map((i) => i.nativeId)).toEqual([target.nativeId]);
    expect(br.identities[0]!.chain.map((c) => c.kind)).toEqual(['has-permission', 'reads-secret-of']);
    // Listing the store (below read) is not enough.
    const listOnly = snap({
      identities: [reader, target],
      resources: [stored],
      grants: [grant(reader, ['list'], ['secret/data/etl/*'], 'list')],
    });
    const g2 = buildGraphFromSnapshot(listOnly).graph;
    expect(blastRadius(g2, g2.find(reader.id)).identities).toEqual([]);
  });
});

describe('agents from the store', () => {
  it('an agent reaches the union of its identities; a public invoker is a confused deputy', () => {
    const a = {
      id: recordId.agent('helpdesk'),
      name: 'helpdesk',
      environment: 'production' as const,
      status: 'active' as const,
      invokers: [{ kind: 'public' as const, ref: 'anyone' }],
      approvalRequired: false,
      declared: true,
    };
    const k1 = identity('openai', 'key_abc', 'api-key');
    const k2 = identity('github', 'github:acme/pat/1', 'personal-access-token');
    const repo = resource('github', 'github:acme/api', 'repository', { sensitivity: 'high' });
    const s = snap({
      agents: [a],
      identities: [k1, k2],
      resources: [repo],
      grants: [grant(k2, ['contents:write'], ['github:acme/api'], 'write')],
      links: [
        {
          id: 'l1',
          agentId: a.id,
          identityId: k1.id,
          source: 'declared',
          evidence: 'agents.yaml',
          confidence: 1,
        },
        {
          id: 'l2',
          agentId: a.id,
          identityId: k2.id,
          source: 'config',
          evidence: '.cursor/mcp.json',
          confidence: 0.9,
        },
      ],
    });
    const { graph } = buildGraphFromSnapshot(s);
    const an = analyseAgent(graph, graph.find(a.id));
    expect(an.blastRadius.identities.map((i) => i.nativeId).sort()).toEqual(['github:acme/pat/1', 'key_abc']);
    expect(an.blastRadius.resources.map((r) => [r.nativeId, r.level])).toEqual([
      ['github:acme/api', 'write'],
    ]);
    expect(an.blastRadius.resources[0]!.confidence).toBe(0.9);
    expect(an.confusedDeputies).toHaveLength(1);
    expect(an.confusedDeputies[0]!.invoker.nativeId).toBe('public');
  });
});
