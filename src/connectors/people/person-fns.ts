import type { PersonStatus } from '../../model/index.js';
import type { ImportItem, OwnerInput } from '../../store/index.js';

const ACTIVE = new Set([
  'active',
  'employed',
  'current',
  'true',
  'yes',
  'y',
  '1',
  'enabled',
  'staged',
  'provisioned',
  'recovery',
  'password_expired',
  'locked_out',
  'on_leave',
]);
const DEPARTED = new Set([
  'departed',
  'left',
  'terminated',
  'inactive',
  'deprovisioned',
  'offboarded',
  'false',
  'no',
  'n',
  '0',
  'disabled',
  'deleted',
  'former',
  'gone',
  'leaver',
]);

/** A people-list status in any common spelling; `unknown` when it says neither. */
export function personStatus(raw: string | undefined): PersonStatus {
  if (!raw) return 'unknown';
  const s = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (ACTIVE.has(s)) return 'active';
  if (DEPARTED.has(s)) return 'departed';
  return 'unknown';
}

/**
 * The owner record of a person, plus one alias record per other handle (a GitHub login, an IdP
 * login that is not the email) carrying the same status and email, so identities whose source
 * names their owner by login resolve to the same person.
 */
export function* ownerItems(person: OwnerInput, aliases: readonly string[]): Generator<ImportItem> {
  yield { type: 'owner', value: person };
  const seen = new Set([person.ref.toLowerCase()]);
  for (const a of aliases) {
    const ref = a.trim().toLowerCase();
    if (!ref || seen.has(ref)) continue;
    seen.add(ref);
    const alias: OwnerInput = {
      ...person,
      ref,
      attributes: { ...(person.attributes ?? {}), aliasOf: person.ref },
    };
    yield { type: 'owner', value: alias };
  }
}
