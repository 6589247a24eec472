import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';
import { isObj, note, ptr, skip, str, type Obj } from '../github/json-fields.js';

/**
 * Key hints as the providers return them: OpenAI `redacted_value` ("sk-proj-****abcd" or
 * "sk-abc...wxyz") and Anthropic `partial_key_hint` ("sk-ant-api03-R2D...igAA"). Only the visible
 * prefix and suffix are kept, each capped, so a full key pasted into an export is never stored.
 */
export function parseHint(value: string | undefined): { prefix: string; suffix: string } | undefined {
  if (!value) return undefined;
  const m = /^([^*.…]*)(?:\*{2,}|\.{3}|…)+(.*)$/.exec(value);
  if (!m) return undefined;
  const prefix = m[1]!.slice(0, 16);
  const suffix = m[2]!.replace(/^[*.…]+/, '').slice(-8);
  return { prefix, suffix };
}

/** A value that should have been redacted but is not: handled as a leak (fingerprint + note). */
export function unredacted(value: string | undefined): boolean {
  return value !== undefined && value.length >= 20 && parseHint(value) === undefined;
}

/**
 * Users lists (`/v1/organization/users`, `/v1/organizations/users`) map ids to emails; `prepare`
 * records them in the import's shared map under `PREFIX:ID` so key files imported in the same run
 * name their creator by email. Keys here never collide with the absolute config paths also kept there.
 */
export function userKey(provider: string, id: string): string {
  return `${provider}:user:${id}`;
}

export async function collectUsers(
  file: SourceFile,
  provider: string,
  owners: Map<string, string>,
): Promise<void> {
  const json = await file.json();
  const list = isObj(json) && Array.isArray(json.data) ? json.data : Array.isArray(json) ? json : [];
  for (const u of list) {
    if (!isObj(u)) continue;
    const id = str(u.id);
    const email = str(u.email);
    if (id && email) owners.set(userKey(provider, id), email.toLowerCase());
  }
}

/** Owner records from a provider's users list: no status, so they never override a people list's. */
export function* ownersFromUsers(list: unknown[], base: string, provider: string): Generator<ImportItem> {
  for (let i = 0; i < list.length; i++) {
    const u = list[i];
    if (!isObj(u)) {
      yield { type: 'skip', value: { pointer: `${base}/${i}`, reason: 'user is not an object' } };
      continue;
    }
    const email = str(u.email);
    if (!email) {
      yield { type: 'skip', value: { pointer: `${base}/${i}`, reason: 'user has no "email"' } };
      continue;
    }
    const value: { ref: string; email: string; name?: string; attributes: Record<string, unknown> } = {
      ref: email.toLowerCase(),
      email: email.toLowerCase(),
      attributes: { [`${provider}UserId`]: str(u.id), [`${provider}Role`]: str(u.role) },
    };
    const name = str(u.name);
    if (name) value.name = name;
    yield { type: 'owner', value };
  }
}

/**
 * Each record of an admin-API list page that is an object with an `id`, with its JSON pointer;
 * any other record comes back as the skipped item that reports it.
 */
export function* recordsWithId(
  list: unknown[],
  base: string,
): Generator<{ item: Obj; id: string; at: string } | { skip: ImportItem }> {
  for (let i = 0; i < list.length; i++) {
    const at = `${base}${ptr(i)}`;
    const item = list[i];
    if (!isObj(item)) yield { skip: skip(at, 'record is not an object') };
    else {
      const id = str(item.id);
      if (id) yield { item, id, at };
      else yield { skip: skip(at, 'record has no "id"') };
    }
  }
}

export function leakNote(pointer: string, field: string): ImportItem {
  return note(
    pointer,
    `${field} holds what looks like a full, unredacted key: only its salted fingerprint is kept; rotate it`,
  );
}
