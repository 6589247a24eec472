// Acme's resource-based policies, as the AWS CLI (v2, JSON output) prints them — the policy is
// JSON text inside the output; bucket and key outputs do not name their resource, so the file
// name does (see src/connectors/aws/resource-policy-shapes.ts):
//   aws/s3/s3-bucket-policy-acme-kb.json        aws s3api get-bucket-policy --bucket acme-kb
//   aws/s3/s3-bucket-policy-acme-models.json    aws s3api get-bucket-policy --bucket acme-models
//   aws/kms/kms-key-policy-<key-id>.json        aws kms get-key-policy --key-id <key-id>
//   aws/lambda/get-policy-support-bot-handler.json  aws lambda get-policy --function-name support-bot-handler
// Shapes: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html ,
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html ,
// https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html
//
// The story: acme-kb refuses plain HTTP and lets kb-search-role read it; acme-models is readable by
// anyone coming through the VPC endpoint (conditionally public); the data key's policy is the
// default one (root delegation) plus ops-orchestrator-role as key administrator (kms:Put*: it may
// rewrite the key policy); API Gateway may invoke the support bot.
// No random draws here: adding these files must not shift the seeded values of other exports.

/** Writes the policies; `role(agent)` returns the role ARN an agent runs as. */
export function writeResourcePolicies(world, out, { arn, role, lambdaArn }) {
  const acct = world.aws.accountId;
  const region = world.aws.region;
  const text = (...Statement) => JSON.stringify({ Version: '2012-10-17', Statement });
  const kb = role('kb-search');
  out.json('aws/s3/s3-bucket-policy-acme-kb.json', {
    Policy: text(
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::acme-kb', 'arn:aws:s3:::acme-kb/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      ...(kb
        ? [
            {
              Sid: 'KbSearchRead',
              Effect: 'Allow',
              Principal: { AWS: kb },
              Action: ['s3:GetObject', 's3:ListBucket'],
              Resource: ['arn:aws:s3:::acme-kb', 'arn:aws:s3:::acme-kb/*'],
            },
          ]
        : []),
    ),
  });
  out.json('aws/s3/s3-bucket-policy-acme-models.json', {
    Policy: text({
      Sid: 'ReadThroughVpcEndpoint',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::acme-models/*',
      Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } },
    }),
  });
  const ops = role('ops-orchestrator');
  const keyId = '5f0c2a9e-7d41-4b8e-9a36-2c1d0e8f7b64';
  out.json(`aws/kms/kms-key-policy-${keyId}.json`, {
    Policy: text(
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: arn('root') },
        Action: 'kms:*',
        Resource: '*',
      },
      ...(ops
        ? [
            {
              Sid: 'Allow access for Key Administrators',
              Effect: 'Allow',
              Principal: { AWS: ops },
              Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*'],
              Resource: '*',
            },
          ]
        : []),
    ),
    PolicyName: 'default',
  });
  const fn = lambdaArn('support-bot-handler');
  out.json('aws/lambda/get-policy-support-bot-handler.json', {
    Policy: text({
      Sid: 'apigateway-invoke',
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: fn,
      Condition: {
        ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${region}:${acct}:a1b2c3d4e5/*/POST/tickets` },
      },
    }),
    RevisionId: '9c1f7e2a-4b3d-4e5f-8a6b-7c8d9e0f1a2b',
  });
}
