import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/index.js';
import { recordId } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { DIALECTS, hasPostgres, openTestStore } from '../../store/test-utils/dialects.js';
import { CONNECTORS } from '../registry.js';
import { importPaths } from '../import-service.js';
import { tempDir, write } from './test-utils/connector-harness.js';
import { githubExports, WORKFLOW_OIDC, WORKFLOW_STATIC } from './test-utils/github-fixtures.js';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !process.env.CI && !safeHasPostgres())(
    `github import through importPaths (${dialect})`,
    () => {
      let store: Store;
      let close: () => Promise<void>;
      beforeEach(async () => {
        ({ store, close } = await openTestStore(dialect));
      });
      afterEach(async () => close());

      it('imports an org export folder, is idempotent, and keeps soft history', async () => {
        const dir = tempDir();
        const ex = githubExports();
        write(dir, 'orgs/acme-corp/installations.json', ex.installations);
        write(dir, 'orgs/acme-corp/personal-access-tokens.json', ex.pats);
        write(dir, 'orgs/acme-corp/credential-authorizations.json', ex.credentialAuthorizations);
        write(dir, 'orgs/acme-corp/actions/secrets.json', ex.orgSecrets);
        write(dir, 'orgs/acme-corp/hooks.json', ex.orgHooks);
        const keys = write(dir, 'repos/acme-corp/agent-runner/keys.json', ex.deployKeys);
        write(dir, 'repos/acme-corp/agent-runner/.github/workflows/deploy.yml', WORKFLOW_OIDC);
        write(dir, 'repos/acme-corp/etl/.github/workflows/nightly.yml', WORKFLOW_STATIC);
        const config = ConfigSchema.parse({});
        const run = () =>
          importPaths({
            store,
            config,
            connectors: CONNECTORS,
            paths: [dir],
            now: '2026-11-26T00:00:00.000Z',
          });

        const first = await run();
        const formats = Object.fromEntries(first.files.map((f) => [f.file, f.format]));
        expect(formats).toMatchObject({
          'orgs/acme-corp/installations.json': 'github-rest',
          'orgs/acme-corp/personal-access-tokens.json': 'github-rest',
          'repos/acme-corp/agent-runner/keys.json': 'github-rest',
          'repos/acme-corp/agent-runner/.github/workflows/deploy.yml': 'github-workflow',
        });
        expect(first.files.every((f) => f.status === 'imported')).toBe(true);
        const pats = first.files.find((f) => f.file === 'orgs/acme-corp/personal-access-tokens.json')!;
        expect(pats.skipped).toEqual([{ pointer: '/2', reason: 'record has no "id"' }]);

        const pat = await store.findIdentity('github', 'github:acme-corp/pat/25381');
        expect(pat).toMatchObject({
          kind: 'personal-access-token',
          ownerRef: 'jsmith-acme',
          status: 'active',
        });
        expect(pat?.attributes?.noExpiry).toBe(true);
        const key = await store.findIdentity('github', 'github:acme-corp/agent-runner/deploy-key/1');
        expect(key?.attributes?.level).toBe('write');
        const wf = recordId.resource(
          'github',
          'github:acme-corp/agent-runner/workflow/.github/workflows/deploy.yml',
        );
        const edges = await store.listEdges({ fromId: wf });
        expect(
          edges.some(
            (e) =>
              e.kind === 'can-assume' &&
              e.toId === recordId.identity('aws', 'arn:aws:iam::210987654321:role/agents/github-deploy'),
          ),
        ).toBe(true);
        expect(
          edges.some(
            (e) =>
              e.kind === 'exposes' &&
              e.toId === recordId.identity('github', 'github:acme-corp/secret/OPENAI_API_KEY'),
          ),
        ).toBe(true);
        const before = await store.counts();

        const second = await run();
        expect(second.files.every((f) => f.status === 'imported' && (f.gone ?? 0) === 0)).toBe(true);
        expect(await store.counts()).toEqual(before);

        // The write deploy key is removed: the next import marks it gone, never deletes it.
        write(dir, 'repos/acme-corp/agent-runner/keys.json', [ex.deployKeys[1]]);
        const third = await run();
        expect(
          third.files.find((f) => f.file === 'repos/acme-corp/agent-runner/keys.json')?.gone,
        ).toBeGreaterThan(0);
        expect(
          await store.findIdentity('github', 'github:acme-corp/agent-runner/deploy-key/1'),
        ).toMatchObject({ goneAt: expect.any(String) });
        void keys;
      });

      it('a truncated file fails alone and leaves the store as it was', async () => {
        const dir = tempDir();
        write(dir, 'orgs/acme-corp/installations.json', githubExports().installations);
        const text = JSON.stringify(githubExports().pats);
        write(dir, 'orgs/acme-corp/personal-access-tokens.json', text.slice(0, 200));
        const res = await importPaths({
          store,
          config: ConfigSchema.parse({}),
          connectors: CONNECTORS,
          paths: [dir],
        });
        const bad = res.files.find((f) => f.file.endsWith('personal-access-tokens.json'))!;
        expect(bad.status).toBe('failed');
        expect(bad.error?.message).toMatch(/personal-access-tokens\.json:1.*invalid JSON/);
        expect(await store.findIdentity('github', 'github:acme-corp/app-installation/25381')).toBeDefined();
        expect(await store.findIdentity('github', 'github:acme-corp/pat/25381')).toBeUndefined();
      });
    },
  );
}

function safeHasPostgres(): boolean {
  try {
    return hasPostgres();
  } catch {
    return false;
  }
}
