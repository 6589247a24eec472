import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../core/source-file.js';
import { CONNECTORS } from '../registry.js';
import { authorizationDetailsConnector } from './authorization-details-connector.js';
import { resourceListingConnectors } from './resource-listings-connector.js';
import { rng, smallAccount, uuid } from './test-utils/aws-fixtures.js';
import { listings } from './test-utils/listing-fixtures.js';
import { context, ofType, readWith, tempDir, write } from './test-utils/run-connector.js';

const acme = smallAccount(3);
const secret = `s3cr3t-${uuid(rng(9))}`;
const files = listings(acme.account, secret);
const role = (n: string) => `arn:aws:iam::${acme.account}:role/${n}`;

async function read(name: string, ctx = context()) {
  const dir = tempDir();
  const file = write(dir, name, files[name]);
  const f = new SourceFile(file, dir);
  const conn = [...CONNECTORS].sort((a, b) => b.detect(f) - a.detect(f))[0]!;
  expect(resourceListingConnectors).toContain(conn);
  return { id: conn.id, items: await readWith(conn, file, ctx) };
}

const runsAs = (items: Awaited<ReturnType<typeof read>>['items']) =>
  ofType(items, 'edge')
    .filter((e) => e.kind === 'runs-as')
    .map((e) => [(e.from as { nativeId: string }).nativeId, (e.to as { nativeId: string }).nativeId, e.key]);

describe('aws resource listings', () => {
  it('lambda list-functions: resource, runs-as the role, env names only, bad entry skipped', async () => {
    const { id, items } = await read('lambda-list-functions.json');
    expect(id).toBe('aws-lambda-functions');
    const fn = ofType(items, 'resource')[0]!;
    expect(fn).toMatchObject({
      type: 'aws-lambda-function',
      name: 'support-bot-handler',
      account: acme.account,
    });
    expect(fn.attributes!.environmentVariableNames).toEqual(['DB_PASSWORD', 'LOG_LEVEL']);
    expect(runsAs(items)).toEqual([[fn.nativeId, role('service-role/agent-runner'), 'execution-role']]);
    expect(ofType(items, 'skip')).toEqual([
      { pointer: '/Functions/1', reason: 'function without FunctionArn' },
    ]);
    expect(JSON.stringify(items)).not.toContain(secret);
  });

  it('lambda get-function: an agent tag links the agent to the role the function runs as', async () => {
    const { items } = await read('lambda-get-function.json');
    expect(ofType(items, 'link')).toEqual([
      {
        agent: 'support-bot',
        identity: { provider: 'aws', nativeId: role('service-role/agent-runner') },
        source: 'tag',
        confidence: 0.8,
        evidence: expect.stringContaining(
          'tag agent=support-bot on aws-lambda-function',
        ) as unknown as string,
      },
    ]);
  });

  it('ec2 describe-instances: the instance profile resolves to its role through authorization details', async () => {
    const ctx = context();
    await readWith(authorizationDetailsConnector, write(tempDir(), 'authz.json', acme.authz()), ctx);
    const { items } = await read('ec2-describe-instances.json', ctx);
    const inst = ofType(items, 'resource')[0]!;
    expect(inst).toMatchObject({
      nativeId: 'i-0abc1234def567890',
      type: 'aws-ec2-instance',
      name: 'rag-worker',
    });
    expect(inst.attributes).toMatchObject({
      arn: `arn:aws:ec2:eu-west-1:${acme.account}:instance/i-0abc1234def567890`,
      httpTokens: 'optional',
      state: 'running',
    });
    expect(runsAs(items)).toEqual([
      ['i-0abc1234def567890', role('service-role/agent-runner'), 'instance-profile'],
    ]);
    expect(ofType(items, 'link').map((l) => [l.agent, l.identity.nativeId, l.source])).toEqual([
      ['rag-indexer', role('service-role/agent-runner'), 'tag'],
    ]);
    // Without authorization details, the same-name convention is used, with lower confidence and a note.
    const alone = await read('ec2-describe-instances.json');
    expect(ofType(alone.items, 'edge')[0]).toMatchObject({
      to: { nativeId: role('agent-runner-profile') },
      confidence: 0.5,
    });
    expect(ofType(alone.items, 'note')).toHaveLength(1);
  });

  it('ssm describe-instance-information meets the EC2 instance by id; a bare role name needs authorization details', async () => {
    const ctx = context();
    await readWith(authorizationDetailsConnector, write(tempDir(), 'authz.json', acme.authz()), ctx);
    const { items } = await read('ssm-describe-instance-information.json', ctx);
    expect(ofType(items, 'resource')[0]).toMatchObject({
      nativeId: 'i-0abc1234def567890',
      attributes: { ssmPingStatus: 'Online', ssmManaged: true },
    });
    expect(runsAs(items)).toEqual([
      ['i-0abc1234def567890', role('service-role/agent-runner'), 'ssm-instance-role'],
    ]);
    const alone = await read('ssm-describe-instance-information.json');
    expect(runsAs(alone.items)).toEqual([]);
    expect(ofType(alone.items, 'note')[0]!.reason).toMatch(/role agent-runner is named without its ARN/);
  });

  it('cloudformation, glue, sagemaker, codebuild, ecs, secrets manager', async () => {
    const cfn = await read('cloudformation-describe-stacks.json');
    expect(cfn.id).toBe('aws-cloudformation-stacks');
    expect(runsAs(cfn.items)[0]!.slice(1)).toEqual([role('cfn-deployer'), 'service-role']);
    const glue = await read('glue-get-dev-endpoints.json');
    expect(ofType(glue.items, 'resource')[0]).toMatchObject({
      nativeId: `arn:aws:glue::${acme.account}:devEndpoint/etl-dev`,
      attributes: { hasPublicKeys: true },
    });
    expect(runsAs(glue.items)[0]![1]).toBe(role('glue-dev'));
    const sm = await read('sagemaker-describe-notebook-instance.json');
    expect(sm.id).toBe('aws-sagemaker-notebooks');
    expect(ofType(sm.items, 'resource')[0]).toMatchObject({
      type: 'aws-sagemaker-notebook-instance',
      attributes: { rootAccess: 'Enabled' },
    });
    expect(runsAs(sm.items)[0]![1]).toBe(role('sagemaker-exec'));
    const cb = await read('codebuild-batch-get-projects.json');
    expect(ofType(cb.items, 'resource')[0]!.attributes).toMatchObject({
      plaintextVariableNames: ['DEPLOY_TOKEN'],
      environmentVariableNames: ['DEPLOY_TOKEN', 'DB'],
    });
    expect(ofType(cb.items, 'link').map((l) => [l.agent, l.identity.nativeId])).toEqual([
      ['deploy-bot', role('codebuild-agent-deploy')],
    ]);
    const ecs = await read('ecs-describe-task-definition.json');
    expect(runsAs(ecs.items).map((r) => r.slice(1))).toEqual([
      [role('chat-task'), 'task-role'],
      [role('ecsTaskExecutionRole'), 'execution-role'],
    ]);
    expect(ofType(ecs.items, 'link').map((l) => l.agent)).toEqual(['chat-assistant', 'chat-assistant']);
    const sec = await read('secretsmanager-list-secrets.json');
    expect(ofType(sec.items, 'resource')[0]).toMatchObject({
      type: 'aws-secretsmanager-secret',
      sensitivity: 'high',
      attributes: { rotationEnabled: false, tags: { agent: 'support-bot' } },
    });
    for (const x of [cb, ecs]) expect(JSON.stringify(x.items)).not.toContain(secret);
    expect(path.extname('x.json')).toBe('.json');
  });
});
