/** Reading AWS role trust policies as the store keeps them (rules on who may assume a role). */
import { agentsOf, attr, indexOf, isLive, nameOf } from './posture-index.js';
import type { PostureInput, RawFinding } from './posture-types.js';

export interface TrustStatement {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** A trust policy's statements: documents arrive as objects (CLI) or URL-encoded JSON strings (raw Query API). */
export function trustStatements(v: unknown): TrustStatement[] {
  const d = parseDoc(v);
  return asArray(d?.Statement).filter((s): s is TrustStatement => !!s && typeof s === 'object');
}

function parseDoc(v: unknown): { Statement?: unknown } | undefined {
  if (v && typeof v === 'object') return v as { Statement?: unknown };
  if (typeof v !== 'string') return undefined;
  for (const s of [v, safeDecode(v)]) {
    try {
      return JSON.parse(s) as { Statement?: unknown };
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The trust policy a role identity carries, under any of the names connectors store it. */
const TRUST_POLICY_KEYS = ['trustPolicy', 'assumeRolePolicyDocument', 'AssumeRolePolicyDocument'];

/**
 * One finding per live AWS role whose trust policy `judge` finds open (its reason), with the
 * command that replaces the policy; `describe` words the message and evidence.
 */
export function openTrustFindings(
  input: PostureInput,
  judge: (doc: unknown) => string | undefined,
  describe: (name: string, reason: string) => { message: string; evidence: Record<string, unknown> },
): RawFinding[] {
  const ix = indexOf(input);
  const out: RawFinding[] = [];
  for (const i of input.identities) {
    if (!isLive(i) || i.provider !== 'aws') continue;
    const doc = attr(i, ...TRUST_POLICY_KEYS);
    if (doc === undefined) continue;
    const reason = judge(doc);
    if (!reason) continue;
    const role = /:role\/(?:.*\/)?([^/]+)$/.exec(i.nativeId)?.[1];
    out.push({
      subjectType: 'identity',
      subjectId: i.id,
      subject: i.nativeId,
      agentIds: agentsOf(ix, i.id),
      ...describe(nameOf(i), reason),
      exposure: { public: true },
      ...(role
        ? { fix: `aws iam update-assume-role-policy --role-name ${role} --policy-document file://trust.json` }
        : {}),
    });
  }
  return out;
}
