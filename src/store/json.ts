/** JSON columns: written as text on both dialects, read back as text (SQLite) or parsed (PostgreSQL). */
export function toJson(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return JSON.stringify(v);
}

export function parseJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  }
  return v as T;
}

export function bool(v: boolean | undefined): number | null {
  return v === undefined ? null : v ? 1 : 0;
}
