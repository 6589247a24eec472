import { describe, expect, it } from 'vitest';
import { agent, edge, grant, identity, link, postureInput } from '../posture/test-utils/posture-fixtures.js';
import { ConfigSchema } from '../config/index.js';
import type { Store } from '../store/index.js';
import { analyseGraph, graphIdentities } from './graph-analysers.js';

const sa = (n: number) =>
  identity({
    provider: 'gcp',
    kind: 'service-account',
    nativeId: `sa-${n}@p.iam.gserviceaccount.com`,
    account: 'p',
  });

describe('graphIdentities', () => {
  it('keeps every identity a relation names and drops the unconnected discovered ones', () => {
    const bot = agent({ name: 'bot' });
    const [linked, granted, edged, held, target, plain, printed] = [1, 2, 3, 4, 5, 6, 7].map(sa) as [
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
      ReturnType<typeof sa>,
    ];
    printed.fingerprint = 'fp';
    const entra = identity({ provider: 'azure', kind: 'oauth-app', nativeId: 'app-1' });
    const aws = identity({ provider: 'aws', kind: 'cloud-role', nativeId: 'arn:aws:iam::1:role/r' });
    const input = postureInput({
      agents: [bot],
      identities: [linked, granted, edged, held, target, plain, printed, entra, aws],
      links: [link(bot, linked)],
      grants: [
        grant(granted, {
          actions: ['iam.serviceAccounts.actAs'],
          resources: [`projects/p/serviceAccounts/${target.nativeId}`],
        }),
      ],
      edges: [edge('member-of', edged.id, 'grp_x')],
    });
    const resources = [{ attributes: { holds: [{ provider: 'gcp', nativeId: held.nativeId }] } }];
    const kept = graphIdentities(input, resources).map((i) => i.nativeId);
    expect(kept).toEqual([linked, granted, edged, held, target, printed, entra, aws].map((i) => i.nativeId));
    expect(kept).not.toContain(plain.nativeId);
  });

  it('keeps every GCP service account when project-level impersonation is in play', () => {
    const [a, b] = [1, 2].map(sa) as [ReturnType<typeof sa>, ReturnType<typeof sa>];
    const input = postureInput({
      identities: [a, b],
      edges: [edge('can-assume', 'idn_x', 'res_project', { technique: 'gcp-impersonation' })],
    });
    expect(graphIdentities(input, [])).toHaveLength(2);
    expect(graphIdentities(postureInput({ identities: [a, b] }), [])).toHaveLength(0);
  });
});

describe('analyseGraph without the unconnected identities', () => {
  it('finds the same blast radius, deputies and escalations as with all of them', async () => {
    const bot = agent({ name: 'bot', invokers: [{ kind: 'person', ref: 'eve@acme.test' }] });
    const role = identity({
      provider: 'gcp',
      kind: 'service-account',
      nativeId: 'deployer@p.iam.gserviceaccount.com',
    });
    const target = sa(99);
    const input = postureInput({
      agents: [bot],
      identities: [role, target, ...[1, 2, 3, 4, 5].map(sa)],
      links: [link(bot, role)],
      grants: [
        grant(role, {
          actions: ['storage.objects.create'],
          resources: ['projects/p/buckets/b'],
          level: 'write',
        }),
        grant(role, {
          actions: ['iam.serviceAccounts.getAccessToken'],
          resources: [`projects/p/serviceAccounts/${target.nativeId}`],
          level: 'admin',
        }),
      ],
    });
    const ctx = {
      store: { listResources: async () => [] } as unknown as Store,
      config: ConfigSchema.parse({}),
      paths: [],
      input,
      importReport: { files: [], issues: [] } as never,
    };
    expect(graphIdentities(input, [])).toHaveLength(2);
    const trimmed = await analyseGraph(ctx);
    const full = await analyseGraph(ctx, { allIdentities: true });
    expect(trimmed.blastRadius.get(bot.id)).toBeDefined();
    expect([...trimmed.blastRadius]).toEqual([...full.blastRadius]);
    expect([...trimmed.deputies]).toEqual([...full.deputies]);
    expect(trimmed.escalations).toEqual(full.escalations);
    expect(trimmed.notes).toEqual(full.notes);
  });
});
