// Writes a CloudTrail log tree as delivered to S3 (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
// <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<id>.json.gz, each `{"Records":[...]}`), with the
// record fields of the documented record contents and userIdentity shapes
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html):
// S3, DynamoDB and SQS data events by assumed roles and IAM users. Records are built as text from
// templates (JSON.stringify of ten million objects would dominate generation).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const HEX = '0123456789abcdef';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/s3.cp',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#6.1.79 lang/js md/nodejs#20.11.1 api/dynamodb#3.540.0',
];
const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36';

/**
 * Generates the tree under `dir` once (a `.complete` marker keeps it for later runs).
 * `principal(r)` picks the acting principal: `{ arn, role: boolean, id }` with `arn` the IAM user or
 * role ARN (path included); `r` is the caller's seeded generator.
 */
export function writeCloudTrailTree({ dir, files, perFile, account, region, start, spanMs, rng, principal }) {
  const marker = path.join(dir, '.complete');
  if (existsSync(marker)) return;
  rmSync(dir, { recursive: true, force: true });
  const r = rng;
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[(r() * 16) | 0];
    return s;
  };
  const b32 = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += B32[(r() * 32) | 0];
    return s;
  };
  const step = spanMs / files;
  for (let f = 0; f < files; f++) {
    const base = start + f * step;
    const parts = [];
    for (let i = 0; i < perFile; i++) {
      const t = new Date(base + (i * step) / perFile).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const p = principal(r);
      const key = p.role ? `ASIA${b32(16)}` : `AKIA${b32(16)}`;
      let identity;
      if (p.role) {
        const name = p.arn.slice(p.arn.lastIndexOf('/') + 1);
        const session = `${name}-session-${(r() * 4) | 0}`;
        identity = `{"type":"AssumedRole","principalId":"${p.id}:${session}","arn":"arn:aws:sts::${account}:assumed-role/${name}/${session}","accountId":"${account}","accessKeyId":"${key}","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"${p.id}","arn":"${p.arn}","accountId":"${account}","userName":"${name}"},"webIdFederationData":{},"attributes":{"creationDate":"${t}","mfaAuthenticated":"false"}}}`;
      } else {
        const name = p.arn.slice(p.arn.lastIndexOf('/') + 1);
        identity = `{"type":"IAMUser","principalId":"${p.id}","arn":"${p.arn}","accountId":"${account}","accessKeyId":"${key}","userName":"${name}"}`;
      }
      const k = r();
      const bucket = `bucket-${p.n % 7}`;
      let source;
      let name;
      let params;
      let resources;
      let readOnly;
      if (k < 0.55) {
        const obj = `k${(r() * 3) | 0}`;
        const put = r() < 0.3;
        source = 's3';
        name = put ? 'PutObject' : 'GetObject';
        readOnly = !put;
        params = `{"bucketName":"${bucket}","Host":"${bucket}.s3.${region}.amazonaws.com","key":"${obj}"}`;
        resources = `[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::${bucket}/${obj}"},{"accountId":"${account}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${bucket}"}]`;
      } else if (k < 0.65) {
        source = 's3';
        name = 'ListObjects';
        readOnly = true;
        params = `{"bucketName":"${bucket}","Host":"${bucket}.s3.${region}.amazonaws.com","list-type":"2","prefix":""}`;
        resources = `[{"accountId":"${account}","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::${bucket}"}]`;
      } else if (k < 0.85) {
        const put = r() < 0.4;
        const table = `table-${p.n % 5}`;
        source = 'dynamodb';
        name = put ? 'PutItem' : 'GetItem';
        readOnly = !put;
        params = `{"tableName":"${table}","key":{"pk":"HIDDEN_DUE_TO_SECURITY_REASONS"}}`;
        resources = `[{"accountId":"${account}","type":"AWS::DynamoDB::Table","ARN":"arn:aws:dynamodb:${region}:${account}:table/${table}"}]`;
      } else {
        const queue = `queue-${p.n % 3}`;
        source = 'sqs';
        name = 'SendMessage';
        readOnly = false;
        params = `{"queueUrl":"https://sqs.${region}.amazonaws.com/${account}/${queue}"}`;
        resources = `[{"accountId":"${account}","type":"AWS::SQS::Queue","ARN":"arn:aws:sqs:${region}:${account}:${queue}"}]`;
      }
      const denied = r() < 0.02;
      const ua = p.browser ? BROWSER : AGENTS[(r() * AGENTS.length) | 0];
      parts.push(
        `{"eventVersion":"1.09","userIdentity":${identity},"eventTime":"${t}","eventSource":"${source}.amazonaws.com","eventName":"${name}","awsRegion":"${region}","sourceIPAddress":"198.51.100.${(r() * 250) | 0}","userAgent":"${ua}",${denied ? '"errorCode":"AccessDenied","errorMessage":"User is not authorized to perform this operation",' : ''}"requestParameters":${params},"responseElements":null,"additionalEventData":{"SignatureVersion":"SigV4","CipherSuite":"TLS_AES_128_GCM_SHA256","bytesTransferredIn":0,"AuthenticationMethod":"AuthHeader","x-amz-id-2":"${hex(40)}","bytesTransferredOut":512},"requestID":"${hex(16).toUpperCase()}","eventID":"${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}","readOnly":${readOnly},"resources":${resources},"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"${account}","eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"${source}.${region}.amazonaws.com"}}`,
      );
    }
    const d = new Date(base).toISOString();
    const rel = `AWSLogs/${account}/CloudTrail/${region}/${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/${account}_CloudTrail_${region}_${d.slice(0, 16).replace(/[-:]/g, '')}Z_${hex(16)}.json.gz`;
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), gzipSync(`{"Records":[${parts.join(',')}]}`, { level: 1 }));
  }
  writeFileSync(marker, '');
}
