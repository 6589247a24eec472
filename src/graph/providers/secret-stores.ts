import { recordId, type Identity } from '../../model/index.js';
import type { Snapshot } from '../snapshot.js';
import { emptyDerived, type Derived } from './derived.js';

/*
 * Secret stores: reading a secret that holds another identity's credential makes that identity
 * reachable (`reads-secret-of`, needs read on the secret). Sources say which identity a secret
 * holds in its attributes (`holds`, `credentialOf` or `identity`: {provider, nativeId} or a list of
 * them), or Warden matches the salted fingerprint of the secret's value to an identity's.
 */
const KEYS = ['holds', 'credentialOf', 'identity', 'holdsIdentity'] as const;

function refs(v: unknown): { provider: string; nativeId: string }[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter(
    (x): x is { provider: string; nativeId: string } =>
      !!x &&
      typeof x === 'object' &&
      typeof (x as { provider?: unknown }).provider === 'string' &&
      typeof (x as { nativeId?: unknown }).nativeId === 'string',
  );
}

export function secretStorePivots(s: Snapshot): Derived {
  const out = emptyDerived();
  const byFingerprint = new Map<string, Identity[]>();
  for (const i of s.identities)
    if (i.fingerprint)
      (byFingerprint.get(i.fingerprint) ?? byFingerprint.set(i.fingerprint, []).get(i.fingerprint)!).push(i);
  const known = new Set(s.identities.map((i) => i.id));
  for (const r of s.resources) {
    const a = r.attributes ?? {};
    for (const k of KEYS) {
      for (const ref of refs(a[k])) {
        const id = recordId.identity(ref.provider, ref.nativeId);
        if (!known.has(id))
          out.notes.push(
            `${r.nativeId} holds ${ref.provider} ${ref.nativeId}, which is not in the inventory`,
          );
        out.edges.push({
          from: r.id,
          to: id,
          kind: 'reads-secret-of',
          level: 'read',
          note: `${r.nativeId} holds the credential of ${ref.nativeId}`,
        });
      }
    }
    const fp = typeof a.fingerprint === 'string' ? a.fingerprint : undefined;
    for (const i of (fp && byFingerprint.get(fp)) || []) {
      out.edges.push({
        from: r.id,
        to: i.id,
        kind: 'reads-secret-of',
        level: 'read',
        confidence: 0.9,
        note: `${r.nativeId} holds a value with the fingerprint of ${i.nativeId}`,
      });
    }
  }
  return out;
}
