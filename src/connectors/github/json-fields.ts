import { WardenError } from '../../errors/index.js';
import { toUtc } from '../../model/index.js';
import type { ImportItem } from '../../store/index.js';
import type { SourceFile } from '../core/source-file.js';

/**
 * Small, dependency-free readers for vendor JSON shared by the GitHub, AI-provider, OAuth, Vault
 * and people connectors: real exports leave optional keys out, use null, or wrap lists differently
 * per tool, so every field is read defensively and every record is addressed by a JSON pointer.
 */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? undefined : s;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v.trim().toLowerCase() : v;
  // Some SCIM servers send "True"/"False" strings.
  if (s === 'true' || s === '1' || s === 1) return true;
  if (s === 'false' || s === '0' || s === 0) return false;
  return undefined;
}

/** Strings of a string-or-array field (both occur in real exports), empties dropped. */
export function strList(v: unknown): string[] {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (!Array.isArray(v)) return [];
  return v.map(str).filter((s): s is string => s !== undefined);
}

/** ISO-8601 UTC or undefined (unix seconds and milliseconds accepted). */
export function time(v: unknown): string | undefined {
  return toUtc(v);
}

/** RFC 6901 JSON pointer from path parts. */
export function ptr(...parts: (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Copies an object without its undefined values, so optional fields that a source does not know
 * stay absent (exactOptionalPropertyTypes) and never erase what another source said.
 */
export function clean<T extends object>(o: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Attributes without undefined or empty-array values. */
export function attrs(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

export function skip(pointer: string, reason: string): ImportItem {
  return { type: 'skip', value: { pointer, reason } };
}

export function note(pointer: string, reason: string): ImportItem {
  return { type: 'note', value: { pointer, reason } };
}

/**
 * The records of a list response: a bare array, or an object holding the array under one of
 * `keys`. Returns the array and the pointer of its container, or throws a precise error.
 */
export function listOf(
  json: unknown,
  keys: readonly string[],
  file: SourceFile,
  what: string,
): { list: unknown[]; base: string } {
  if (Array.isArray(json)) return { list: json, base: '' };
  if (isObj(json)) {
    for (const k of keys) {
      const v = json[k];
      if (Array.isArray(v)) return { list: v, base: ptr(k) };
      if (v === null) return { list: [], base: ptr(k) };
    }
  }
  throw new WardenError(
    'WARDEN_INPUT_INVALID',
    `${file.display}: expected ${what} (an array or an object with ${keys.map((k) => `"${k}"`).join(' or ')}), found ${describe(json)}`,
    { details: { file: file.display, pointer: '' } },
  );
}

export function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObj(v)) return `an object with keys ${Object.keys(v).slice(0, 6).join(', ') || '(none)'}`;
  return v === null ? 'null' : `a ${typeof v}`;
}

/** Whether the head of a JSON file mentions every key (cheap detection on the first 64 KiB). */
export function hasKeys(head: string, ...keys: string[]): boolean {
  return keys.every((k) => head.includes(`"${k}"`));
}

/** Lower-case path segments of a file (absolute path, `/`-separated) for path-based hints. */
export function segments(file: SourceFile): string[] {
  return file.path.split(/[\\/]+/).filter(Boolean);
}

/** Throws the whole-file error connectors use when a detected file has the wrong shape. */
export function wrongShape(file: SourceFile, expected: string, json: unknown): never {
  throw new WardenError(
    'WARDEN_INPUT_INVALID',
    `${file.display}: expected ${expected}, found ${describe(json)}`,
    {
      details: { file: file.display, pointer: '' },
    },
  );
}
