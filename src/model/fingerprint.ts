import { createHmac } from 'node:crypto';

/**
 * Salted fingerprint of a secret value: HMAC-SHA-256 keyed by the installation's salt, so equal
 * secrets match across sources without the value ever being stored, and a stolen database cannot
 * be checked against a list of known keys without the salt.
 */
export function fingerprintSecret(value: string, salt: string): string {
  return `fp1:${createHmac('sha256', salt).update(value, 'utf8').digest('base64url').slice(0, 32)}`;
}

/**
 * Masks a secret for display: a short prefix that names the kind (e.g. `sk-proj-`), never more
 * than a quarter of the value, and the length.
 *
 * @example maskSecret('ghp_abcdefghijklmnopqrstuvwxyz0123456789') // 'ghp_****…(40)'
 */
export function maskSecret(value: string): string {
  const m = /^[A-Za-z]{2,10}[-_](?:[a-z]{2,8}[-_])?/.exec(value);
  let keep = m ? m[0].length : 0;
  keep = Math.min(keep, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}****…(${value.length})`;
}
