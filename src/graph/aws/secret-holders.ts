/**
 * Which secrets hold which principals' credentials. AWS itself never says: the fact comes from
 * another source (a scanner that matched a secret's fingerprint, an inventory that records what a
 * secret is for), so the caller attaches it to the parsed environment before `analyzeAws`; the
 * `ReadSecretHoldingCredential` technique then treats reading the secret as becoming the holder.
 */
import { addInventory } from './parse-resource-policies.js';
import type { AwsEnvironment, AwsInventoryResource } from './types.js';

export interface SecretHolder {
  /** Secret ARN (`arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-xxxxxx`). */
  readonly secret: string;
  /** ARN or unique id of the IAM user or role whose credential the secret holds. */
  readonly holder: string;
}

/**
 * Records the holders on the environment's inventory (a secret not listed by `list-secrets` is
 * added, its key unknown, i.e. the AWS managed key). Returns the number of holders recorded;
 * holders that name no principal of the export are kept and ignored by the analysis.
 *
 * @example
 * const env = parseAwsEnvironment(jsons, labels);
 * setSecretHolders(env, [{ secret: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ci-AbCdEf',
 *   holder: 'arn:aws:iam::111122223333:user/deployer' }]);
 * const an = analyzeAws(env);
 */
export function setSecretHolders(env: AwsEnvironment, holders: Iterable<SecretHolder>): number {
  const per = new Map<string, Set<string>>();
  for (const h of holders) {
    if (!h.secret.startsWith('arn:') || !h.holder) continue;
    (per.get(h.secret) ?? per.set(h.secret, new Set()).get(h.secret)!).add(h.holder);
  }
  if (per.size === 0) return 0;
  const inv = env.inventory ?? [];
  let n = 0;
  const seen = new Set<string>();
  const next: AwsInventoryResource[] = inv.map((r) => {
    const add = per.get(r.arn);
    if (!add) return r;
    seen.add(r.arn);
    n += add.size;
    return { ...r, holds: [...new Set([...(r.holds ?? []), ...add])] };
  });
  if (env.inventory) env.inventory.splice(0, env.inventory.length, ...next);
  for (const [arn, add] of per) {
    if (seen.has(arn)) continue;
    n += add.size;
    addInventory(env, {
      arn,
      service: 'secretsmanager',
      type: 'aws-secretsmanager-secret',
      name: arn.split(':')[6] ?? arn,
      account: /^\d{12}$/.test(arn.split(':')[4] ?? '') ? arn.split(':')[4]! : null,
      sensitivity: 'high',
      holds: [...add],
    });
  }
  return n;
}

/** Attribute keys a source uses to say which identity a secret holds (as `providers/secret-stores.ts`). */
const HOLD_KEYS = ['holds', 'credentialOf', 'identity', 'holdsIdentity'] as const;

interface RecordLike {
  readonly provider: string;
  readonly nativeId: string;
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The secret holders the stored records know, for `setSecretHolders`: Secrets Manager secrets
 * (provider `aws`) whose attributes name an AWS identity (`holds`, `credentialOf`, `identity`:
 * `{provider, nativeId}` or a list), or whose salted `fingerprint` attribute is an identity's. An
 * access key (`AKIA...`) stands for its user (`attributes.parent`).
 *
 * @example
 * const snap = await loadSnapshot(store);
 * setSecretHolders(env, secretHoldersFromRecords(snap.resources, snap.identities));
 */
export function secretHoldersFromRecords(
  resources: readonly RecordLike[],
  identities: readonly (RecordLike & { readonly fingerprint?: string | undefined })[],
): SecretHolder[] {
  const aws = new Map<string, RecordLike>();
  const byFingerprint = new Map<string, RecordLike[]>();
  for (const i of identities) {
    if (i.provider !== 'aws') continue;
    aws.set(i.nativeId, i);
    if (i.fingerprint)
      (byFingerprint.get(i.fingerprint) ?? byFingerprint.set(i.fingerprint, []).get(i.fingerprint)!).push(i);
  }
  const principalOf = (nativeId: string): string | null => {
    if (/^arn:aws[a-z-]*:iam::\d{12}:(user|role)\//.test(nativeId)) return nativeId;
    const parent = aws.get(nativeId)?.attributes?.parent;
    return typeof parent === 'string' && parent.startsWith('arn:') ? parent : null;
  };
  const out: SecretHolder[] = [];
  for (const r of resources) {
    if (r.provider !== 'aws' || !/^arn:aws[a-z-]*:secretsmanager:/.test(r.nativeId)) continue;
    const a = r.attributes ?? {};
    const refs: string[] = [];
    for (const k of HOLD_KEYS)
      for (const x of Array.isArray(a[k]) ? (a[k] as unknown[]) : [a[k]]) {
        const ref = x as { provider?: unknown; nativeId?: unknown } | null | undefined;
        if (ref && ref.provider === 'aws' && typeof ref.nativeId === 'string') refs.push(ref.nativeId);
      }
    if (typeof a.fingerprint === 'string')
      for (const i of byFingerprint.get(a.fingerprint) ?? []) refs.push(i.nativeId);
    for (const ref of refs) {
      const holder = principalOf(ref);
      if (holder) out.push({ secret: r.nativeId, holder });
    }
  }
  return out;
}
