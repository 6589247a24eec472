import { hash, randomBytes } from 'node:crypto';

/**
 * Deterministic id for a record that has a natural key (provider + native id), so re-importing the
 * same export, or two sources naming the same identity, land on the same row.
 *
 * @example stableId('idn', 'aws', 'arn:aws:iam::123456789012:user/ci') // 'idn_5f0c…'
 */
export function stableId(prefix: string, ...parts: readonly string[]): string {
  // SHA-256 of each part followed by NUL, UTF-8 encoded. One-shot `hash` of the joined text gives
  // the same digest as feeding the parts to a Hash object, at a third of the cost: imports compute
  // several ids per record, and stored databases rely on these exact values.
  let text = '';
  for (const p of parts) text += `${p}\u0000`;
  return `${prefix}_${hash('sha256', text, 'base64url').slice(0, 22)}`;
}

/** Time-ordered random id (UUIDv7 layout) for records without a natural key. */
export function newId(prefix: string, now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${prefix}_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Normalises any parseable date (ISO string, epoch seconds or ms, Date) to ISO-8601 UTC, or undefined. */
export function toUtc(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let d: Date;
  if (value instanceof Date) d = value;
  else if (typeof value === 'number') d = new Date(value < 1e11 ? value * 1000 : value);
  else if (typeof value === 'string') {
    const s = value.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return toUtc(Number(s));
    d = new Date(s);
  } else return undefined;
  const t = d.getTime();
  return Number.isNaN(t) ? undefined : d.toISOString();
}
