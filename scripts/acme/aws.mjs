// Acme's AWS exports, as the AWS CLI (v2, JSON output) writes them:
//   aws/iam/authorization-details.json   aws iam get-account-authorization-details
//   aws/iam/access-keys.json             aws iam list-access-keys --user-name U, for every user (array of outputs)
//   aws/iam/credential-report.csv        aws iam get-credential-report --query Content --output text | base64 -d
//   aws/iam/get-credential-report.json   aws iam get-credential-report (base64 Content)
//   aws/lambda/list-functions.json, aws/ec2/describe-instances.json, aws/ssm/describe-instance-information.json,
//   aws/cloudformation/describe-stacks.json, aws/glue/get-dev-endpoints.json,
//   aws/sagemaker/describe-notebook-instance.json, aws/codebuild/batch-get-projects.json,
//   aws/ecs/describe-task-definition-<family>.json, aws/secretsmanager/list-secrets.json,
//   resource policies (aws/s3, aws/kms, aws/lambda/get-policy-*.json: see aws-resource-policies.mjs)
//   aws/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<id>.json.gz
// Shapes: https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html ,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html ,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// and each service's API reference for the listings.
//
// The story in these files: jsmith-dev (a departed developer, admin through the `admins` group,
// two never-rotated keys) is the profile claude-code-platform runs with (CloudTrail user agent
// `claude-code/...`); ops-orchestrator-role may pass any role to a Lambda it creates, and
// legacy/lambda-admin (AdministratorAccess, trusts Lambda) is there to be passed (and was, once);
// github-deploy trusts GitHub's OIDC provider without a `sub` condition; kb-search-role holds
// s3:PutObject/DeleteObject it never uses; procurement-bot belongs to a retired agent and is
// still used.
import { gzipSync } from 'node:zlib';
import { writeResourcePolicies } from './aws-resource-policies.mjs';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const S3RO = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

export function generate(world, out) {
  const { rng, aws } = world;
  const acct = aws.accountId;
  const region = aws.region;
  const arn = (t) => `arn:aws:iam::${acct}:${t}`;
  const cli = (iso) => iso.replace(/\.\d{3}Z$/, '+00:00');
  const ids = (p) => p.join('') + rng.upper(16);
  const doc = (...Statement) => ({ Version: '2012-10-17', Statement });
  const awsIds = world.identities.filter((i) => i.provider === 'aws');
  const ownerTag = (i) => (i.owner ? [{ Key: 'owner', Value: i.owner }] : []);
  const tagList = (t = {}) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
  const nameOf = (a) => a.slice(a.lastIndexOf('/') + 1);
  const pathOf = (a) => {
    const res = a.split(':').slice(5).join(':');
    const p = res.slice(res.indexOf('/'), res.lastIndexOf('/') + 1);
    return p || '/';
  };

  // Customer managed policies, one per kind of access the world names.
  const policies = new Map();
  const managed = (name, statements, versions = 1) => {
    const a = arn(`policy/acme/${name}`);
    const created = rng.daysAgo(rng.int(200, 900));
    const list = [];
    for (let v = versions; v >= 1; v--) {
      list.push({
        Document: v === versions ? doc(...statements) : doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
        VersionId: `v${v}`,
        IsDefaultVersion: v === versions,
        CreateDate: cli(created),
      });
    }
    policies.set(a, {
      PolicyName: name,
      PolicyId: ids(['AN', 'PA']),
      Arn: a,
      Path: '/acme/',
      DefaultVersionId: `v${versions}`,
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: cli(created),
      UpdateDate: cli(created),
      PolicyVersionList: list,
    });
    return a;
  };
  const awsManaged = (a, statements) => {
    policies.set(a, {
      PolicyName: nameOf(a),
      PolicyId: ids(['AN', 'PA']),
      Arn: a,
      Path: '/',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      IsAttachable: true,
      CreateDate: '2015-02-06T18:39:46+00:00',
      UpdateDate: '2015-02-06T18:39:46+00:00',
      PolicyVersionList: [
        {
          Document: doc(...statements),
          VersionId: 'v1',
          IsDefaultVersion: true,
          CreateDate: '2015-02-06T18:39:46+00:00',
        },
      ],
    });
    return a;
  };
  awsManaged(ADMIN, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  awsManaged(S3RO, [
    {
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
      Resource: '*',
    },
  ]);
  const table = `arn:aws:dynamodb:${region}:${acct}:table`;
  const ACCESS = {
    admin: [ADMIN],
    's3-read': [S3RO],
    'dynamo-write': [
      managed('dynamo-tickets-rw', [
        {
          Sid: 'Tickets',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
          Resource: [`${table}/tickets`, `${table}/tickets/index/*`],
        },
      ]),
    ],
    sagemaker: [
      managed(
        'sagemaker-scoring',
        [
          { Effect: 'Allow', Action: ['sagemaker:*'], Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-models/*' },
        ],
        2,
      ),
    ],
    etl: [
      managed('etl-pipeline', [{ Effect: 'Allow', Action: ['s3:*', 'glue:*', 'athena:*'], Resource: '*' }]),
    ],
    'passrole-lambda': [
      managed('orchestrator-tools', [
        {
          Effect: 'Allow',
          Action: [
            'lambda:CreateFunction',
            'lambda:InvokeFunction',
            'lambda:UpdateFunctionCode',
            'lambda:GetFunction',
          ],
          Resource: '*',
        },
        { Effect: 'Allow', Action: 'ecs:RunTask', Resource: '*' },
      ]),
    ],
  };
  const attach = (a) => {
    const p = policies.get(a);
    p.AttachmentCount++;
    return { PolicyName: p.PolicyName, PolicyArn: a };
  };
  const TRUST = {
    lambda: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    'ecs-tasks': [
      { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
    ec2: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    sagemaker: [
      { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
    // Meant for a partner's account, written as "*" without aws:PrincipalAccount or sts:ExternalId:
    // any AWS account may assume it.
    'sagemaker-partner': [
      { Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Sid: 'PartnerAnalytics', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
    ],
    // No condition on token.actions.githubusercontent.com:sub: any repository's workflow may assume it.
    'github-oidc-nosub': [
      {
        Effect: 'Allow',
        Principal: { Federated: arn('oidc-provider/token.actions.githubusercontent.com') },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
      },
    ],
  };

  const roles = [];
  const users = [];
  const lastUsed = new Map();
  for (const i of awsIds) {
    const m = i.meta;
    const created = rng.daysAgo(Math.max((m.keyAgeDays ?? 0) + rng.int(10, 90), rng.int(400, 1000)));
    if (i.kind === 'cloud-role') {
      const used = m.unusedDays ? rng.daysAgo(m.unusedDays) : rng.daysAgo(rng.next());
      lastUsed.set(i.id, used);
      const inline = [];
      if (m.unusedGrants)
        inline.push({
          PolicyName: 'index-writer',
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: m.unusedGrants,
            Resource: 'arn:aws:s3:::acme-kb/*',
          }),
        });
      if (m.access === 'passrole-lambda')
        inline.push({
          PolicyName: 'pass-any-role',
          PolicyDocument: doc({
            Sid: 'PassForTools',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: '*',
          }),
        });
      roles.push({
        Path: pathOf(i.id),
        RoleName: nameOf(i.id),
        RoleId: ids(['AR', 'OA']),
        Arn: i.id,
        CreateDate: cli(created),
        AssumeRolePolicyDocument: doc(...(TRUST[m.trust] ?? TRUST.lambda)),
        InstanceProfileList:
          m.trust === 'ec2'
            ? [
                {
                  Path: '/',
                  InstanceProfileName: nameOf(i.id),
                  InstanceProfileId: ids(['AI', 'PA']),
                  Arn: arn(`instance-profile/${nameOf(i.id)}`),
                  CreateDate: cli(created),
                  Roles: [],
                },
              ]
            : [],
        RolePolicyList: inline,
        AttachedManagedPolicies: (ACCESS[m.access] ?? []).map(attach),
        Tags: [...tagList(m.tags), ...ownerTag(i)],
        RoleLastUsed: m.unusedDays && m.unusedDays > 300 ? {} : { LastUsedDate: cli(used), Region: region },
      });
    } else if (i.kind === 'cloud-user') {
      const admin = m.access === 'admin';
      users.push({
        Path: pathOf(i.id),
        UserName: nameOf(i.id),
        UserId: ids(['AI', 'DA']),
        Arn: i.id,
        CreateDate: cli(created),
        GroupList: admin ? ['admins', 'developers'] : [],
        AttachedManagedPolicies: admin ? [] : (ACCESS[m.access] ?? []).map(attach),
        Tags: [...tagList(m.tags), ...ownerTag(i)],
      });
    }
  }
  // Not any agent's: the role an agent that may pass roles to Lambda can borrow.
  const lambdaAdmin = arn('role/legacy/lambda-admin');
  roles.push({
    Path: '/legacy/',
    RoleName: 'lambda-admin',
    RoleId: ids(['AR', 'OA']),
    Arn: lambdaAdmin,
    CreateDate: cli(rng.daysAgo(1300)),
    AssumeRolePolicyDocument: doc(...TRUST.lambda),
    InstanceProfileList: [],
    RolePolicyList: [],
    AttachedManagedPolicies: [attach(ADMIN)],
    Tags: [{ Key: 'owner', Value: world.people.find((p) => p.status === 'departed').email }],
    RoleLastUsed: { LastUsedDate: cli(rng.daysAgo(9)), Region: region },
  });
  const groups = [
    {
      Path: '/',
      GroupName: 'admins',
      GroupId: ids(['AG', 'PA']),
      Arn: arn('group/admins'),
      CreateDate: cli(rng.daysAgo(1400)),
      GroupPolicyList: [],
      AttachedManagedPolicies: [attach(ADMIN)],
    },
    {
      Path: '/',
      GroupName: 'developers',
      GroupId: ids(['AG', 'PA']),
      Arn: arn('group/developers'),
      CreateDate: cli(rng.daysAgo(1400)),
      GroupPolicyList: [
        {
          PolicyName: 'self-service-keys',
          PolicyDocument: doc({
            Effect: 'Allow',
            Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
            Resource: arn('user/${aws:username}'),
          }),
        },
      ],
      AttachedManagedPolicies: [attach(S3RO)],
    },
  ];
  out.json('aws/iam/authorization-details.json', {
    UserDetailList: users,
    GroupDetailList: groups,
    RoleDetailList: roles,
    Policies: [...policies.values()],
  });

  // Access keys: never rotated (created keyAgeDays ago); the developer's first key is the one handed to the coding agent.
  const keys = new Map();
  const keyOutputs = [];
  for (const i of awsIds.filter((x) => x.kind === 'cloud-user')) {
    const m = i.meta;
    const list = [];
    for (let k = 0; k < (m.accessKeys ?? 0); k++) {
      const id = k === 0 && i === world.devUser && m.leakedKeyId ? m.leakedKeyId : world.secrets.awsKeyId();
      const created = rng.daysAgo(k === 0 ? (m.keyAgeDays ?? 100) : Math.floor((m.keyAgeDays ?? 100) / 3));
      list.push({
        UserName: nameOf(i.id),
        AccessKeyId: id,
        Status: k === 1 && rng.chance(0.5) ? 'Inactive' : 'Active',
        CreateDate: cli(created),
      });
    }
    keys.set(i.id, list);
    keyOutputs.push({ AccessKeyMetadata: list });
  }
  out.json('aws/iam/access-keys.json', keyOutputs);

  // Credential report: 22 columns, in the documented order.
  const na = 'N/A';
  const rows = [
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
    [
      '<root_account>',
      `arn:aws:iam::${acct}:root`,
      cli(rng.daysAgo(2000)),
      'not_supported',
      cli(rng.daysAgo(45)),
      'not_supported',
      'not_supported',
      'true',
      'false',
      na,
      na,
      na,
      na,
      'false',
      na,
      na,
      na,
      na,
      'false',
      na,
      'false',
      na,
    ].join(','),
  ];
  for (const u of users) {
    const i = awsIds.find((x) => x.id === u.Arn);
    const m = i.meta;
    const ks = keys.get(u.Arn) ?? [];
    const slot = (k) => {
      if (!k) return ['false', na, na, na, na];
      const unused = m.unusedDays ?? 0;
      const used = k.Status === 'Active' ? cli(rng.daysAgo(unused + rng.next())) : na;
      return [
        k.Status === 'Active' ? 'true' : 'false',
        k.CreateDate,
        used,
        used === na ? na : region,
        used === na ? na : rng.pick(['s3', 's3', 'sts', 'lambda', 'glue']),
      ];
    };
    const pw = Boolean(m.password);
    rows.push(
      [
        u.UserName,
        u.Arn,
        u.CreateDate,
        String(pw),
        pw ? cli(rng.daysAgo(m.consoleLogin ? 3 : 60)) : na,
        pw ? u.CreateDate : na,
        na,
        'false',
        ...slot(ks[0]),
        ...slot(ks[1]),
        'false',
        na,
        'false',
        na,
      ].join(','),
    );
  }
  const csv = rows.join('\n') + '\n';
  out.text('aws/iam/credential-report.csv', csv);
  out.json('aws/iam/get-credential-report.json', {
    Content: Buffer.from(csv).toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: cli(world.asOf),
  });

  writeListings(world, out, { arn, cli, awsIds, nameOf, lambdaAdmin });
  writeCloudTrail(world, out, { arn, keys, awsIds, nameOf, lambdaAdmin });
}

function writeListings(world, out, { arn, cli, awsIds, nameOf, lambdaAdmin }) {
  const { rng, aws } = world;
  const acct = aws.accountId;
  const region = aws.region;
  const role = (agent) => awsIds.find((i) => i.kind === 'cloud-role' && i.agents.includes(agent))?.id;
  const lambdaArn = (n) => `arn:aws:lambda:${region}:${acct}:function:${n}`;
  const fn = (name, roleArn, env) => ({
    FunctionName: name,
    FunctionArn: lambdaArn(name),
    Runtime: rng.pick(['python3.12', 'nodejs20.x']),
    Role: roleArn,
    Handler: 'index.handler',
    CodeSize: rng.int(2000, 9000000),
    Description: '',
    Timeout: 30,
    MemorySize: 512,
    LastModified: cli(rng.daysAgo(rng.int(1, 200))).replace('+00:00', '.000+0000'),
    CodeSha256: Buffer.from(rng.hex(64), 'hex').toString('base64'),
    Version: '$LATEST',
    ...(env ? { Environment: { Variables: env } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: rng.uuid(),
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
  });
  const functions = [
    fn('support-bot-handler', role('support-bot'), {
      TICKETS_TABLE: 'tickets',
      OPENAI_API_KEY: world.sharedOpenai.secret,
    }),
    // Created by ops-orchestrator, running as the admin role it passed: the escalation happened.
    fn('ops-tool-cleanup', lambdaAdmin, { MODE: 'cleanup' }),
  ];
  for (const i of awsIds.filter(
    (x) => x.kind === 'cloud-role' && x.meta.background && x.meta.trust === 'lambda',
  ))
    functions.push(fn(nameOf(i.id).replace(/-role$/, ''), i.id));
  out.json('aws/lambda/list-functions.json', { Functions: functions });
  out.json('aws/lambda/get-function-support-bot-handler.json', {
    Configuration: functions[0],
    Code: {
      RepositoryType: 'S3',
      Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${acct}/support-bot-handler`,
    },
    Tags: { agent: 'support-bot', team: 'support' },
  });

  const ec2Roles = awsIds.filter((x) => x.kind === 'cloud-role' && x.meta.trust === 'ec2');
  const instances = ec2Roles.map((i, n) => ({
    AmiLaunchIndex: 0,
    ImageId: `ami-0${rng.hex(16)}`,
    InstanceId: `i-0${rng.hex(16)}`,
    InstanceType: rng.pick(['t3.medium', 'm6i.large']),
    LaunchTime: cli(rng.daysAgo(rng.int(5, 300))),
    Placement: {
      AvailabilityZone: `${region}${rng.pick(['a', 'b', 'c'])}`,
      GroupName: '',
      Tenancy: 'default',
    },
    PrivateDnsName: `ip-10-0-${n}-${10 + n}.${region}.compute.internal`,
    PrivateIpAddress: `10.0.${n}.${10 + n}`,
    State: { Code: 16, Name: 'running' },
    SubnetId: `subnet-0${rng.hex(16)}`,
    VpcId: `vpc-0${rng.hex(16)}`,
    IamInstanceProfile: { Arn: arn(`instance-profile/${nameOf(i.id)}`), Id: 'AI' + 'PA' + rng.upper(17) },
    MetadataOptions: {
      State: 'applied',
      HttpTokens: n % 2 ? 'required' : 'optional',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
    },
    Tags: [{ Key: 'Name', Value: nameOf(i.id).replace(/-role$/, '') }],
  }));
  out.json('aws/ec2/describe-instances.json', {
    Reservations: instances.map((inst) => ({
      Groups: [],
      Instances: [inst],
      OwnerId: acct,
      ReservationId: `r-0${rng.hex(16)}`,
    })),
  });
  out.json('aws/ssm/describe-instance-information.json', {
    InstanceInformationList: instances.map((inst) => ({
      InstanceId: inst.InstanceId,
      PingStatus: 'Online',
      LastPingDateTime: cli(rng.daysAgo(rng.next() / 10)),
      AgentVersion: '3.3.40.0',
      IsLatestVersion: false,
      PlatformType: 'Linux',
      PlatformName: 'Amazon Linux',
      PlatformVersion: '2023',
      ResourceType: 'EC2Instance',
      IPAddress: inst.PrivateIpAddress,
      ComputerName: inst.PrivateDnsName,
      IamRole: nameOf(inst.IamInstanceProfile.Arn),
      SourceId: inst.InstanceId,
      SourceType: 'AWS::EC2::Instance',
    })),
  });
  out.json('aws/cloudformation/describe-stacks.json', {
    Stacks: [
      {
        StackId: `arn:aws:cloudformation:${region}:${acct}:stack/agents-platform/${rng.uuid()}`,
        StackName: 'agents-platform',
        Description: 'Agent runtime: Lambda, ECS services, roles',
        CreationTime: cli(rng.daysAgo(300)),
        LastUpdatedTime: cli(rng.daysAgo(4)),
        RollbackConfiguration: {},
        StackStatus: 'UPDATE_COMPLETE',
        DisableRollback: false,
        NotificationARNs: [],
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        RoleARN: role('deploy-pipeline'),
        Tags: [{ Key: 'agent', Value: 'deploy-pipeline' }],
        EnableTerminationProtection: false,
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      },
    ],
  });
  const etlRole = awsIds.find(
    (x) => x.kind === 'cloud-role' && x.meta.background && x.meta.access === 's3-read',
  )?.id;
  out.json('aws/glue/get-dev-endpoints.json', {
    DevEndpoints: [
      {
        EndpointName: 'crm-enrichment-dev',
        RoleArn: etlRole,
        SecurityGroupIds: [],
        YarnEndpointAddress: `ip-10-0-9-9.${region}.compute.internal`,
        PublicAddress: `203.0.113.${rng.int(2, 250)}`,
        Status: 'READY',
        GlueVersion: '1.0',
        NumberOfNodes: 5,
        CreatedTimestamp: cli(rng.daysAgo(500)),
        LastModifiedTimestamp: cli(rng.daysAgo(480)),
        PublicKey: `ssh-rsa ${rng.chars(60)} dev@acme`,
      },
    ],
  });
  out.json('aws/sagemaker/describe-notebook-instance.json', {
    NotebookInstanceArn: `arn:aws:sagemaker:${region}:${acct}:notebook-instance/fraud-research`,
    NotebookInstanceName: 'fraud-research',
    NotebookInstanceStatus: 'InService',
    Url: `fraud-research.notebook.${region}.sagemaker.aws`,
    InstanceType: 'ml.t3.medium',
    RoleArn: role('fraud-scoring-endpoint'),
    LastModifiedTime: cli(rng.daysAgo(20)),
    CreationTime: cli(rng.daysAgo(400)),
    DirectInternetAccess: 'Enabled',
    VolumeSizeInGB: 5,
    RootAccess: 'Enabled',
    PlatformIdentifier: 'notebook-al2-v2',
  });
  const cbRole = awsIds.find((x) => x.kind === 'cloud-role' && x.meta.background)?.id;
  out.json('aws/codebuild/batch-get-projects.json', {
    projects: [
      {
        name: 'agent-images',
        arn: `arn:aws:codebuild:${region}:${acct}:project/agent-images`,
        source: {
          type: 'GITHUB',
          location: `https://github.com/${world.github.org}/agent-images.git`,
          buildspec: 'buildspec.yml',
        },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: {
          type: 'LINUX_CONTAINER',
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL',
          privilegedMode: true,
          environmentVariables: [
            { name: 'OPENAI_API_KEY', value: world.sharedOpenai.secret, type: 'PLAINTEXT' },
            { name: 'REGISTRY_PASSWORD', value: 'prod/registry', type: 'SECRETS_MANAGER' },
          ],
        },
        serviceRole: cbRole,
        timeoutInMinutes: 60,
        created: cli(rng.daysAgo(350)),
        lastModified: cli(rng.daysAgo(30)),
        tags: [{ key: 'team', value: 'devex' }],
      },
    ],
    projectsNotFound: [],
  });
  const taskDef = (family, taskRole, agentTag, env) => ({
    taskDefinition: {
      taskDefinitionArn: `arn:aws:ecs:${region}:${acct}:task-definition/${family}:${rng.int(3, 40)}`,
      containerDefinitions: [
        {
          name: family,
          image: `${acct}.dkr.ecr.${region}.amazonaws.com/${family}:latest`,
          cpu: 512,
          memory: 1024,
          essential: true,
          environment: env,
          secrets: [
            {
              name: 'DB_URL',
              valueFrom: `arn:aws:secretsmanager:${region}:${acct}:secret:prod/db/analytics-${rng.chars(6)}`,
            },
          ],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': `/ecs/${family}`,
              'awslogs-region': region,
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
      family,
      taskRoleArn: taskRole,
      executionRoleArn: arn('role/ecsTaskExecutionRole'),
      networkMode: 'awsvpc',
      revision: 7,
      status: 'ACTIVE',
      requiresCompatibilities: ['FARGATE'],
      cpu: '512',
      memory: '1024',
      registeredAt: cli(rng.daysAgo(12)),
    },
    tags: agentTag ? [{ key: 'warden.io/agent', value: agentTag }] : [],
  });
  out.json(
    'aws/ecs/describe-task-definition-kb-search.json',
    taskDef('kb-search', role('kb-search'), 'kb-search', [{ name: 'INDEX', value: 'kb-prod' }]),
  );
  out.json(
    'aws/ecs/describe-task-definition-ops-orchestrator.json',
    taskDef('ops-orchestrator', role('ops-orchestrator'), 'ops-orchestrator', [
      { name: 'MODE', value: 'plan' },
    ]),
  );
  const secret = (name, tags, rotated) => ({
    ARN: `arn:aws:secretsmanager:${region}:${acct}:secret:${name}-${rng.chars(6)}`,
    Name: name,
    ...(rotated
      ? {
          RotationEnabled: true,
          RotationLambdaARN: lambdaArn('secrets-rotator'),
          RotationRules: { AutomaticallyAfterDays: 30 },
          LastRotatedDate: cli(rng.daysAgo(12)),
        }
      : {}),
    LastChangedDate: cli(rng.daysAgo(rotated ? 12 : 400)),
    LastAccessedDate: cli(rng.daysAgo(1).slice(0, 10) + 'T00:00:00.000Z'),
    Tags: tags,
    SecretVersionsToStages: { [rng.uuid()]: ['AWSCURRENT'] },
    CreatedDate: cli(rng.daysAgo(700)),
  });
  out.json('aws/secretsmanager/list-secrets.json', {
    SecretList: [
      secret('prod/support-bot/zendesk', [{ Key: 'agent', Value: 'support-bot' }], false),
      secret('prod/db/analytics', [], true),
      secret('prod/registry', [], false),
      secret(
        'legacy/procurement-portal',
        [{ Key: 'owner', Value: world.people.find((p) => p.status === 'departed').email }],
        false,
      ),
    ],
  });
  writeResourcePolicies(world, out, { arn, role, lambdaArn });
}

function writeCloudTrail(world, out, { arn, keys, awsIds, nameOf, lambdaAdmin }) {
  const { rng, aws } = world;
  const acct = aws.accountId;
  const region = aws.region;
  const byDay = new Map();
  const ua = {
    cli: 'aws-cli/2.17.12 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe sid/0c6e0b3a command/s3.ls',
    claude:
      'claude-code/1.0.83 aws-cli/2.17.12 md/awscrt#0.20.11 ua/2.0 os/macos#24.1.0 md/arch#arm64 lang/python#3.11.9 cfg/retry-mode#standard command/sts.get-caller-identity',
    boto: 'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.35.36',
    gha: 'aws-cli/2.17.12 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.11.9 exec-env/GitHub-Actions cfg/retry-mode#standard command/s3.cp',
    console:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  };
  const add = (daysAgo, rec) => {
    const time = rng.daysAgo(daysAgo).replace(/\.\d{3}Z$/, 'Z');
    const day = time.slice(0, 10);
    if (!byDay.has(day)) byDay.set(day, []);
    byDay.get(day).push({
      ...rec,
      eventTime: time,
      eventID: rng.uuid(),
      requestID: rng.uuid(),
      awsRegion: region,
      recipientAccountId: acct,
      eventVersion: '1.09',
      managementEvent: !/^s3\.|dynamodb/.test(rec.eventSource),
      eventCategory: /^s3\.|dynamodb/.test(rec.eventSource) ? 'Data' : 'Management',
      eventType: rec.eventType ?? 'AwsApiCall',
    });
  };
  const userIdentity = (userArn) => {
    const ks = keys.get(userArn) ?? [];
    return {
      type: 'IAMUser',
      principalId: 'AI' + 'DA' + rng.upper(16),
      arn: userArn,
      accountId: acct,
      accessKeyId: ks[0]?.AccessKeyId ?? 'AS' + 'IA' + rng.upper(16),
      userName: nameOf(userArn),
    };
  };
  const roleIdentity = (roleArn, session) => {
    const rid = 'AR' + 'OA' + rng.upper(17);
    return {
      type: 'AssumedRole',
      principalId: `${rid}:${session}`,
      arn: `arn:aws:sts::${acct}:assumed-role/${nameOf(roleArn)}/${session}`,
      accountId: acct,
      accessKeyId: 'AS' + 'IA' + rng.upper(16),
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: rid,
          arn: roleArn,
          accountId: acct,
          userName: nameOf(roleArn),
        },
        webIdFederationData: {},
        attributes: { creationDate: rng.daysAgo(0).replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
      },
    };
  };
  const call = (identity, source, name, opts = {}) => ({
    userIdentity: identity,
    eventSource: `${source}.amazonaws.com`,
    eventName: name,
    sourceIPAddress: opts.ip ?? `198.51.100.${rng.int(2, 250)}`,
    userAgent: opts.ua ?? ua.cli,
    requestParameters: opts.params ?? null,
    responseElements: opts.response ?? null,
    ...(opts.resources ? { resources: opts.resources } : {}),
    ...(opts.error
      ? {
          errorCode: opts.error,
          errorMessage: `User: ${identity.arn} is not authorized to perform: ${source}:${name}`,
        }
      : {}),
    readOnly: /^(Get|List|Describe|Head)/.test(name),
    ...(opts.extra ?? {}),
  });
  const id = (agent, kind) => awsIds.find((i) => i.kind === kind && i.agents.includes(agent))?.id;
  const dev = world.devUser.id;

  for (let d = 0; d < 30; d++) {
    // claude-code-platform with the developer's keys: broad calls from a laptop.
    for (const [src, name, params] of [
      ['sts', 'GetCallerIdentity', null],
      ['s3', 'ListBuckets', { Host: 's3.amazonaws.com' }],
      ['iam', 'ListRoles', null],
      ['lambda', 'UpdateFunctionCode20150331v2', { functionName: 'support-bot-handler' }],
      ['ec2', 'DescribeInstances', { instancesSet: {}, filterSet: {} }],
    ])
      if (rng.chance(0.7))
        add(
          d + rng.next(),
          call(userIdentity(dev), src, name, { ua: ua.claude, ip: '203.0.113.45', params }),
        );
    if (d % 7 === 2)
      add(
        d + 0.4,
        call({ ...userIdentity(dev), accessKeyId: '' }, 'signin', 'ConsoleLogin', {
          ua: ua.console,
          ip: '203.0.113.45',
          eventType: 'AwsConsoleSignIn',
          response: { ConsoleLogin: 'Success' },
          extra: {
            eventType: 'AwsConsoleSignIn',
            additionalEventData: {
              LoginTo: 'https://console.aws.amazon.com/console/home',
              MobileVersion: 'No',
              MFAUsed: 'No',
            },
          },
        }),
      );
    // support-bot's Lambda (session name = the function name, as Lambda names it).
    const sb = id('support-bot', 'cloud-role');
    for (let k = 0; k < 6; k++)
      add(
        d + rng.next(),
        call(roleIdentity(sb, 'support-bot-handler'), 'dynamodb', rng.pick(['GetItem', 'PutItem', 'Query']), {
          ua: ua.boto,
          ip: '52.48.1.17',
          params: { tableName: 'tickets' },
          resources: [
            {
              accountId: acct,
              type: 'AWS::DynamoDB::Table',
              ARN: `arn:aws:dynamodb:${region}:${acct}:table/tickets`,
            },
          ],
        }),
      );
    // kb-search reads only; its PutObject/DeleteObject grants are never used.
    const kb = id('kb-search', 'cloud-role');
    for (let k = 0; k < 5; k++)
      add(
        d + rng.next(),
        call(roleIdentity(kb, rng.hex(32)), 's3', rng.pick(['GetObject', 'ListObjects']), {
          ua: ua.boto.replace('AWS_Lambda_python3.12', 'AWS_ECS_FARGATE'),
          ip: '10.0.4.21',
          params: { bucketName: 'acme-kb', key: `docs/${rng.hex(8)}.md` },
          resources: [
            { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::acme-kb/docs/x.md` },
            { accountId: acct, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::acme-kb' },
          ],
        }),
      );
    // etl-bot from GitHub Actions runners.
    const etl = id('nightly-etl-llm', 'cloud-user');
    if (etl)
      add(
        d + 0.1,
        call(userIdentity(etl), 's3', 'PutObject', {
          ua: ua.gha,
          ip: `20.${rng.int(1, 200)}.${rng.int(1, 200)}.${rng.int(1, 200)}`,
          params: { bucketName: 'acme-crm-enriched', key: `day=${d}/part-0.parquet` },
        }),
      );
    // The retired procurement agent's user is still in use.
    const proc = id('procurement-browser', 'cloud-user');
    if (proc && d % 3 === 0)
      add(
        d + rng.next(),
        call(userIdentity(proc), 's3', 'GetObject', {
          ua: ua.boto.replace(' exec-env/AWS_Lambda_python3.12', ''),
          ip: '185.220.101.4',
          params: { bucketName: 'acme-invoices', key: 'supplier/latest.pdf' },
        }),
      );
    const inv = id('invoice-extractor', 'cloud-user');
    if (inv)
      add(
        d + rng.next(),
        call(userIdentity(inv), 's3', 'GetObject', {
          ua: ua.boto.replace(' exec-env/AWS_Lambda_python3.12', ''),
          params: { bucketName: 'acme-invoices', key: `in/${rng.hex(6)}.pdf` },
        }),
      );
    const fraud = id('fraud-scoring-endpoint', 'cloud-role');
    if (fraud)
      add(
        d + rng.next(),
        call(roleIdentity(fraud, 'SageMaker'), 's3', 'GetObject', {
          ua: 'aws-sdk-java/1.12.770 Linux/5.10 OpenJDK_64-Bit_Server_VM/17 vendor/Amazon.com_Inc. cfg/retry-mode/standard',
          params: { bucketName: 'acme-models', key: 'fraud/model.tar.gz' },
        }),
      );
    const ops = id('ops-orchestrator', 'cloud-role');
    if (ops)
      add(
        d + rng.next(),
        call(roleIdentity(ops, `ops-orchestrator-${rng.hex(8)}`), 'lambda', 'Invoke', {
          ua: ua.boto.replace('AWS_Lambda_python3.12', 'AWS_ECS_FARGATE'),
          params: { functionName: 'ops-tool-cleanup' },
        }),
      );
    // Background services.
    for (const i of awsIds.filter((x) => x.meta.background && !(x.meta.unusedDays > 0))) {
      if (!rng.chance(0.25)) continue;
      const who = i.kind === 'cloud-role' ? roleIdentity(i.id, rng.hex(16)) : userIdentity(i.id);
      add(
        d + rng.next(),
        call(who, rng.pick(['s3', 'dynamodb', 'sqs']), rng.pick(['GetObject', 'Query', 'SendMessage']), {
          ua: ua.boto,
          error: rng.chance(0.05) ? 'AccessDenied' : undefined,
        }),
      );
    }
  }
  // Nine days ago, ops-orchestrator created a Lambda that runs as the admin role (iam:PassRole), then a denied attempt.
  const ops = id('ops-orchestrator', 'cloud-role');
  add(
    9.2,
    call(roleIdentity(ops, 'ops-orchestrator-7f3a'), 'lambda', 'CreateFunction20150331', {
      ua: ua.boto.replace('AWS_Lambda_python3.12', 'AWS_ECS_FARGATE'),
      params: {
        functionName: 'ops-tool-cleanup',
        role: lambdaAdmin,
        runtime: 'python3.12',
        handler: 'index.handler',
      },
      resources: [
        {
          accountId: acct,
          type: 'AWS::Lambda::Function',
          ARN: `arn:aws:lambda:${region}:${acct}:function:ops-tool-cleanup`,
        },
      ],
    }),
  );
  add(
    9.1,
    call(roleIdentity(ops, 'ops-orchestrator-7f3a'), 'iam', 'AttachRolePolicy', {
      ua: ua.boto,
      params: { roleName: 'ops-orchestrator-role', policyArn: ADMIN },
      error: 'AccessDenied',
    }),
  );
  // github-deploy from any repository's workflow (no sub condition).
  const gh = id('deploy-pipeline', 'cloud-role');
  for (const d of [1, 4, 8, 15, 22]) {
    add(
      d,
      call(
        {
          type: 'WebIdentityUser',
          principalId: `${arn('oidc-provider/token.actions.githubusercontent.com')}:sts.amazonaws.com:repo:${world.github.org}/platform:ref:refs/heads/main`,
          userName: `repo:${world.github.org}/platform:ref:refs/heads/main`,
          identityProvider: 'token.actions.githubusercontent.com',
        },
        'sts',
        'AssumeRoleWithWebIdentity',
        {
          ua: ua.gha,
          ip: '20.51.7.3',
          params: { roleArn: gh, roleSessionName: 'GitHubActions' },
          resources: [{ accountId: acct, type: 'AWS::IAM::Role', ARN: gh }],
        },
      ),
    );
    add(
      d - 0.01,
      call(roleIdentity(gh, 'GitHubActions'), 'cloudformation', 'UpdateStack', {
        ua: ua.gha,
        ip: '20.51.7.3',
        params: { stackName: 'agents-platform' },
      }),
    );
  }

  for (const [day, recs] of [...byDay].sort()) {
    recs.sort((a, b) => (a.eventTime < b.eventTime ? -1 : 1));
    const [y, m, dd] = day.split('-');
    // CloudTrail delivers about every five minutes; one file per half day keeps the example small.
    for (const [half, part] of [
      recs.filter((r) => r.eventTime.slice(11, 13) < '12'),
      recs.filter((r) => r.eventTime.slice(11, 13) >= '12'),
    ].entries()) {
      if (part.length === 0) continue;
      const stamp = `${y}${m}${dd}T${half ? '1205' : '0005'}Z`;
      out.bytes(
        `aws/AWSLogs/${acct}/CloudTrail/${region}/${y}/${m}/${dd}/${acct}_CloudTrail_${region}_${stamp}_${rng.chars(16)}.json.gz`,
        gzipSync(JSON.stringify({ Records: part })),
      );
    }
  }
}
