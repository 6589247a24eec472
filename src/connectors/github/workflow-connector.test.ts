import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseWorkflow } from './workflow-analysis.js';
import { githubWorkflowConnector } from './workflow-connector.js';
import { ofType, readAll, sourceFile, tempDir, write } from './test-utils/connector-harness.js';
import { WORKFLOW_OIDC, WORKFLOW_STATIC } from './test-utils/github-fixtures.js';
import { parse } from 'yaml';

describe('github workflow connector: golden', () => {
  const dir = tempDir();
  const oidc = write(dir, 'acme-corp/infra/.github/workflows/deploy.yml', WORKFLOW_OIDC);
  const stat = write(dir, 'acme-corp/etl/.github/workflows/nightly.yaml', WORKFLOW_STATIC);

  it('detects workflow files by their folder, and workflow-shaped YAML elsewhere', () => {
    expect(githubWorkflowConnector.detect(sourceFile(oidc, dir))).toBe(0.95);
    expect(githubWorkflowConnector.detect(sourceFile(write(dir, 'ci/deploy.yml', WORKFLOW_OIDC), dir))).toBe(
      0.6,
    );
    expect(
      githubWorkflowConnector.detect(
        sourceFile(write(dir, 'k8s/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\n'), dir),
      ),
    ).toBe(0);
  });

  it('maps id-token: write and role-to-assume to a can-assume edge to the AWS role', async () => {
    const items = await readAll(githubWorkflowConnector, oidc, { root: dir });
    const [res] = ofType(items, 'resource');
    expect(res).toMatchObject({
      provider: 'github',
      nativeId: 'github:acme-corp/infra/workflow/.github/workflows/deploy.yml',
      type: 'workflow',
      name: 'deploy',
      account: 'acme-corp',
    });
    expect(res!.attributes).toMatchObject({
      idTokenWrite: true,
      idTokenJobs: ['deploy', 'gcp'],
      repository: 'acme-corp/infra',
    });
    const assume = ofType(items, 'edge').filter((e) => e.kind === 'can-assume');
    expect(assume).toHaveLength(2);
    const aws = assume.find((e) => e.to.type === 'identity' && e.to.provider === 'aws')!;
    expect(aws.to).toEqual({
      type: 'identity',
      provider: 'aws',
      nativeId: 'arn:aws:iam::210987654321:role/agents/github-deploy',
    });
    expect(aws.attributes).toMatchObject({
      via: 'github-oidc',
      jobs: ['deploy'],
      environments: ['production'],
      'aws-region': 'eu-west-1',
    });
    expect(aws.attributes?.subjects).toEqual(['repo:acme-corp/infra:environment:production']);
    const gcp = assume.find((e) => e.to.type === 'identity' && e.to.provider === 'gcp')!;
    expect(gcp.attributes?.subjects).toEqual(['repo:acme-corp/infra:ref:refs/heads/main']);
    expect(res!.attributes?.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(gcp.to).toMatchObject({ nativeId: 'deployer@acme-ml-prod.iam.gserviceaccount.com' });
  });

  it('exposes each referenced secret (environment, repository and organisation candidates), not GITHUB_TOKEN', async () => {
    const items = await readAll(githubWorkflowConnector, oidc, { root: dir });
    const exposes = ofType(items, 'edge').filter((e) => e.kind === 'exposes');
    expect(exposes.map((e) => (e.to.type === 'identity' ? e.to.nativeId : '')).sort()).toEqual([
      'github:acme-corp/infra/env/production/secret/OPENAI_API_KEY',
      'github:acme-corp/infra/secret/OPENAI_API_KEY',
      'github:acme-corp/secret/OPENAI_API_KEY',
    ]);
    expect(exposes[0]!.attributes).toMatchObject({ usedAs: ['env:OPENAI_API_KEY'], jobs: ['deploy'] });
    expect(exposes[0]!.confidence).toBeCloseTo(1 / 3);
    expect(ofType(items, 'resource')[0]!.attributes?.usesGithubToken).toBe(true);
  });

  it('flags static cloud keys from secrets, in a login action and in env', async () => {
    const items = await readAll(githubWorkflowConnector, stat, { root: dir });
    const res = ofType(items, 'resource')[0]!;
    expect(res.attributes).toMatchObject({
      idTokenWrite: false,
      staticCloudKeys: ['aws'],
      pullRequestTarget: true,
      triggers: ['schedule', 'pull_request_target'],
    });
    const secrets = [
      ...new Set(
        ofType(items, 'edge')
          .filter((e) => e.kind === 'exposes')
          .map((e) => e.attributes?.secret),
      ),
    ].sort();
    expect(secrets).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AZURE_CLIENT_ID',
      'ETL_KEY_ID',
      'ETL_SECRET',
    ]);
    const keyEdge = ofType(items, 'edge').find((e) => e.attributes?.secret === 'AWS_ACCESS_KEY_ID')!;
    expect(keyEdge.attributes?.usedAs).toEqual(['with:aws-access-key-id']);
    // The Azure client id is given by reference: noted, no edge to a guessed identity.
    expect(ofType(items, 'note').some((n) => n.pointer === '/jobs/upload/steps/1/with/client-id')).toBe(true);
    expect(ofType(items, 'edge').filter((e) => e.kind === 'can-assume')).toHaveLength(0);
  });

  it('takes owner and repository from the git remote before the folders', async () => {
    const d = tempDir();
    const f = write(d, 'checkout/.github/workflows/ci.yml', WORKFLOW_OIDC);
    mkdirSync(path.join(d, 'checkout', '.git'));
    writeFileSync(
      path.join(d, 'checkout', '.git', 'config'),
      '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:acme-corp/real-name.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    );
    const res = ofType(await readAll(githubWorkflowConnector, f, { root: d }), 'resource')[0]!;
    expect(res.nativeId).toBe('github:acme-corp/real-name/workflow/.github/workflows/ci.yml');
  });
});

describe('github workflow connector: bad input', () => {
  it('reports invalid YAML with its line', async () => {
    const f = write(tempDir(), 'o/r/.github/workflows/bad.yml', 'name: x\non: [push\njobs:\n  a: {');
    await expect(readAll(githubWorkflowConnector, f)).rejects.toThrow(/bad\.yml:\d+: invalid YAML/);
  });

  it('notes odd shapes instead of crashing, and an unknown owner', async () => {
    const d = tempDir();
    const f = write(
      d,
      'r/.github/workflows/odd.yml',
      'name: odd\non: push\njobs:\n  a: 3\n  b:\n    runs-on: x\n    steps: [3, {uses: aws-actions/configure-aws-credentials@v4, with: {role-to-assume: my-role}}]\n',
    );
    const items = await readAll(githubWorkflowConnector, f, { root: d });
    expect(ofType(items, 'resource')[0]!.nativeId).toBe(
      'github:unknown/r/workflow/.github/workflows/odd.yml',
    );
    const reasons = ofType(items, 'note').map((n) => n.reason);
    expect(reasons.some((r) => /owner unknown/.test(r))).toBe(true);
    expect(reasons.some((r) => /job is not a mapping/.test(r))).toBe(true);
    expect(reasons.some((r) => /not a full role ARN/.test(r))).toBe(true);
    expect(reasons.some((r) => /without permissions id-token: write/.test(r))).toBe(true);
  });

  it('treats write-all as id-token write and job permissions as overriding the workflow', () => {
    const f = analyseWorkflow(
      parse(
        'on: push\npermissions: write-all\njobs:\n  a: {runs-on: x}\n  b: {runs-on: x, permissions: {contents: read}}\n',
      ),
    );
    expect(f.jobs.map((j) => [j.id, j.idTokenWrite])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});
