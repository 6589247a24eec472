import { parseAllDocuments } from 'yaml';

/**
 * Text hidden behind an encoding in a file, with the place in the file it maps to. The engine
 * scans each part like a file and reports its leaks at `line`/`column` of the original.
 */
export interface DecodedPart {
  text: string;
  /** 1-based line in the original file of the part's first line. */
  line: number;
  column: number;
  /** Each line of the part is its own line in the file (notebook cells as JSON arrays). */
  linesFollow: boolean;
  how: 'notebook' | 'base64' | 'url-encoded';
}

const MAX_DECODE_BYTES = 8 * 1024 * 1024;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Jupyter notebooks (nbformat 4, https://nbformat.readthedocs.io/en/latest/format_description.html):
 * cell `source` and stream/`text/plain` outputs are strings or arrays of lines inside JSON, so
 * quotes are escaped; each cell is decoded and mapped back to the JSON line of its first source line.
 */
export function notebookParts(text: string): DecodedPart[] {
  if (text.length > MAX_DECODE_BYTES) return [];
  let nb: { cells?: { source?: unknown; outputs?: { text?: unknown; data?: Record<string, unknown> }[] }[] };
  try {
    nb = JSON.parse(text) as typeof nb;
  } catch {
    return [];
  }
  const parts: DecodedPart[] = [];
  let cursor = 0;
  const add = (src: unknown) => {
    const lines = Array.isArray(src)
      ? src.filter((s): s is string => typeof s === 'string')
      : typeof src === 'string'
        ? [src]
        : [];
    if (lines.length === 0) return;
    const first = JSON.stringify(lines[0]);
    const at = text.indexOf(first, cursor);
    const offset = at >= 0 ? at : cursor;
    if (at >= 0) cursor = at + 1;
    const ls = text.lastIndexOf('\n', offset - 1) + 1;
    parts.push({
      text: lines.join(Array.isArray(src) ? '' : ''),
      line: lineOf(text, offset),
      column: offset - ls + 2,
      linesFollow: Array.isArray(src),
      how: 'notebook',
    });
  };
  for (const cell of nb.cells ?? []) {
    add(cell.source);
    for (const o of cell.outputs ?? []) {
      add(o.text);
      if (o.data) add(o.data['text/plain']);
    }
  }
  return parts;
}

function b64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]{4,}$/.test(value)) return undefined;
  const s = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
  // Binary payloads (certificates in DER, keystores) are not text to scan.
  // eslint-disable-next-line no-control-regex
  if (s.includes('\uFFFD') || /[\x00-\x08\x0e-\x1f]/.test(s)) return undefined;
  return s;
}

/**
 * Kubernetes Secrets keep values base64-encoded under `data`
 * (https://kubernetes.io/docs/concepts/configuration/secret/); a `.dockerconfigjson` value is a
 * base64 Docker config whose `auth` is base64 `user:password`. Each value is decoded and scanned
 * as `KEY=value`, so name-based rules still see the key, and reported at the key's line.
 */
export function kubernetesSecretParts(text: string): DecodedPart[] {
  if (text.length > MAX_DECODE_BYTES || !/"?kind"?\s*:\s*"?Secret\b/.test(text)) return [];
  const parts: DecodedPart[] = [];
  let docs: unknown[] = [];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false }).map(
      (d) => d.toJS({ maxAliasCount: 50 }) as unknown,
    );
  } catch {
    return [];
  }
  const secrets: Record<string, unknown>[] = [];
  const visit = (d: unknown) => {
    if (!d || typeof d !== 'object') return;
    const o = d as Record<string, unknown>;
    if (o.kind === 'Secret' && o.data && typeof o.data === 'object') secrets.push(o);
    if (Array.isArray(o.items)) o.items.forEach(visit);
  };
  docs.forEach(visit);
  let cursor = 0;
  for (const s of secrets) {
    for (const [key, raw] of Object.entries(s.data as Record<string, unknown>)) {
      if (typeof raw !== 'string') continue;
      const decoded = b64(raw);
      if (decoded === undefined) continue;
      let at = text.indexOf(raw.slice(0, 64), cursor);
      if (at < 0) at = cursor;
      else cursor = at + 1;
      const line = lineOf(text, at);
      const column = at - (text.lastIndexOf('\n', at - 1) + 1) + 1;
      const name = key.replace(/^\./, '');
      parts.push({
        text: decoded.includes('\n') ? decoded : `${name}=${decoded}`,
        line,
        column,
        linesFollow: false,
        how: 'base64',
      });
      if (key === '.dockerconfigjson' || key === '.dockercfg') {
        for (const m of decoded.matchAll(/"auth"\s*:\s*"([A-Za-z0-9+/=]+)"/g)) {
          const pair = b64(m[1]!);
          const colon = pair?.indexOf(':') ?? -1;
          if (pair && colon > 0)
            parts.push({
              text: `password=${pair.slice(colon + 1)}`,
              line,
              column,
              linesFollow: false,
              how: 'base64',
            });
        }
      }
    }
  }
  return parts;
}

/** Percent-encoded tokens (`%2B`, `%3D` in URLs and form bodies), decoded where that changes them. */
export function urlEncodedParts(text: string): DecodedPart[] {
  const parts: DecodedPart[] = [];
  const seen = new Set<string>();
  let i = text.indexOf('%');
  let count = 0;
  let lineNo = 1;
  let lineScan = 0;
  while (i >= 0 && count < 10_000) {
    if (/^%[0-9A-Fa-f]{2}/.test(text.slice(i, i + 3))) {
      let s = i;
      let e = i;
      const stop = (c: string) => c === undefined || /[\s"'<>`]/.test(c);
      while (s > 0 && i - s < 2048 && !stop(text[s - 1]!)) s--;
      while (e < text.length && e - i < 2048 && !stop(text[e]!)) e++;
      const token = text.slice(s, e);
      if (!seen.has(token)) {
        seen.add(token);
        let decoded: string | undefined;
        try {
          decoded = decodeURIComponent(token);
        } catch {
          decoded = undefined;
        }
        if (decoded && decoded !== token) {
          for (let j = text.indexOf('\n', lineScan); j >= 0 && j < s; j = text.indexOf('\n', j + 1)) {
            lineNo++;
            lineScan = j + 1;
          }
          const ls = text.lastIndexOf('\n', s - 1) + 1;
          parts.push({
            text: decoded.replace(/&/g, '\n'),
            line: lineNo,
            column: s - ls + 1,
            linesFollow: false,
            how: 'url-encoded',
          });
          count++;
        }
      }
      i = text.indexOf('%', e);
    } else i = text.indexOf('%', i + 1);
  }
  return parts;
}
