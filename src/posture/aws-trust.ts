/** Reading AWS role trust policies as the store keeps them (rules on who may assume a role). */

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
export const TRUST_POLICY_KEYS = ['trustPolicy', 'assumeRolePolicyDocument', 'AssumeRolePolicyDocument'];
