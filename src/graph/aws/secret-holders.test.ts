/**
 * Secret holders: from stored records (attributes or fingerprints) onto the AWS environment.
 * Fingerprints are built at test time from seeded parts (never a realistic credential).
 */
import { describe, expect, it } from 'vitest';
import { fingerprintSecret } from '../../model/index.js';
import { parseAwsEnvironment } from './parse-environment.js';
import { secretHoldersFromRecords, setSecretHolders } from './secret-holders.js';
import { ACCT, AuthBuilder, userArn } from './test-utils/auth-builder.js';

const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:ci/deployer-AbCdEf`;
const OTHER_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCT}:secret:ci/other-XyZ123`;
const KEY_ID = ['AKIA', 'TEST', 'KEY', 'ID', '0001'].join('');

describe('secretHoldersFromRecords', () => {
  it('reads holds / credentialOf refs, resolves access keys to their user, matches fingerprints', () => {
    const fp = fingerprintSecret(`seed-${KEY_ID.length}-value`, 'salt');
    const holders = secretHoldersFromRecords(
      [
        { provider: 'aws', nativeId: SECRET, attributes: { holds: { provider: 'aws', nativeId: KEY_ID } } },
        {
          provider: 'aws',
          nativeId: OTHER_SECRET,
          attributes: { credentialOf: [{ provider: 'aws', nativeId: userArn('builder') }], fingerprint: fp },
        },
        // Not a Secrets Manager secret, or not an AWS identity: ignored.
        {
          provider: 'aws',
          nativeId: 'arn:aws:s3:::bucket',
          attributes: { holds: { provider: 'aws', nativeId: userArn('x') } },
        },
        {
          provider: 'aws',
          nativeId: SECRET,
          attributes: { holds: { provider: 'github', nativeId: 'github:org/pat/1' } },
        },
      ],
      [
        { provider: 'aws', nativeId: KEY_ID, attributes: { parent: userArn('deployer') } },
        { provider: 'aws', nativeId: userArn('ops'), fingerprint: fp },
      ],
    );
    expect(holders).toEqual([
      { secret: SECRET, holder: userArn('deployer') },
      { secret: OTHER_SECRET, holder: userArn('builder') },
      { secret: OTHER_SECRET, holder: userArn('ops') },
    ]);
  });
});

describe('setSecretHolders', () => {
  it('adds holders to a listed secret (keeping its key) and lists an unlisted one', () => {
    const env = parseAwsEnvironment([
      new AuthBuilder().user('deployer').build(),
      { SecretList: [{ ARN: SECRET, Name: 'ci/deployer', KmsKeyId: 'alias/ci' }] },
    ]);
    const n = setSecretHolders(env, [
      { secret: SECRET, holder: userArn('deployer') },
      { secret: SECRET, holder: userArn('deployer') },
      { secret: OTHER_SECRET, holder: userArn('ops') },
      { secret: 'not-an-arn', holder: userArn('ops') },
    ]);
    expect(n).toBe(2);
    const inv = new Map(env.inventory!.map((r) => [r.arn, r]));
    expect(inv.get(SECRET)).toMatchObject({ kmsKeyId: 'alias/ci', holds: [userArn('deployer')] });
    expect(inv.get(OTHER_SECRET)).toMatchObject({
      account: ACCT,
      sensitivity: 'high',
      holds: [userArn('ops')],
    });
  });
});
