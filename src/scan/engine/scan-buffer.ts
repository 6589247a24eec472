import { fingerprintSecret, maskSecret } from '../../model/index.js';
import type { Leak } from '../leak-types.js';
import type { Ruleset } from './compile-rules.js';
import { kubernetesSecretParts, notebookParts, urlEncodedParts, type DecodedPart } from './decoders.js';
import { nativeIdsFor } from './enrich.js';
import { scanText, type Hit } from './scan-text.js';

/** Bytes looked at to decide whether a file is binary (a NUL byte, as git and ripgrep do). */
const BINARY_SNIFF = 8000;

export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, BINARY_SNIFF);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export interface BufferScanOptions {
  salt: string;
  /** Scan binary content anyway (stdin, blobs the caller already vetted). */
  binary?: boolean;
  /** Skip decoders (notebooks, base64 Secrets, URL-encoding). */
  noDecode?: boolean;
}

/**
 * Scans one file's bytes. Text is read as Latin-1 so every byte is one character: invalid UTF-8
 * can never fail decoding, offsets equal byte offsets, and columns are converted to characters
 * only for lines that hold non-ASCII bytes.
 */
export function scanBuffer(
  buf: Uint8Array,
  path: string,
  rs: Ruleset,
  opts: BufferScanOptions,
): { leaks: Leak[]; skipped?: string } {
  if (!opts.binary && looksBinary(buf)) return { leaks: [], skipped: 'binary' };
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  const text = b.toString('latin1');
  const hits = scanText(text, rs, path, b);
  const leaks = hits.map((h) => toLeak(h, text, hits, path, opts.salt));
  if (!opts.noDecode) {
    const parts: DecodedPart[] = [];
    if (/\.ipynb$/i.test(path)) parts.push(...notebookParts(b.toString('utf8')));
    if (/\.(?:ya?ml|json)$/i.test(path) || /^(?:apiVersion|kind)\s*:/m.test(text.slice(0, 4096)))
      parts.push(...kubernetesSecretParts(text));
    if (text.includes('%')) parts.push(...urlEncodedParts(text));
    if (parts.length) {
      const known = new Set(leaks.map((l) => l.secret));
      for (const part of parts) {
        const ptext = Buffer.from(part.text, 'utf8').toString('latin1');
        const phits = scanText(ptext, rs, path);
        for (const h of phits) {
          if (known.has(h.secret)) continue;
          known.add(h.secret);
          const local = toLeak(h, ptext, phits, path, opts.salt);
          local.line = part.linesFollow ? part.line + local.line - 1 : part.line;
          local.column = part.linesFollow && local.line !== part.line ? local.column : part.column;
          local.decoded = part.how;
          leaks.push(local);
        }
      }
    }
  }
  return { leaks };
}

function toLeak(h: Hit, text: string, all: readonly Hit[], path: string, salt: string): Leak {
  const { line, column } = position(text, h.start);
  const spec = h.rule.spec;
  // The secret as the user wrote it (UTF-8), not its Latin-1 view.
  const secret = /[\x80-\xff]/.test(h.secret) ? Buffer.from(h.secret, 'latin1').toString('utf8') : h.secret;
  return {
    ruleId: spec.id,
    type: spec.title,
    provider: spec.provider,
    kind: spec.kind,
    severity: spec.severity,
    file: path,
    line,
    column,
    secret,
    fingerprint: fingerprintSecret(secret, salt),
    masked: maskSecret(secret),
    nativeIds: nativeIdsFor(h, text, all),
  };
}

/** 1-based line and column (in characters of the UTF-8 text) of a Latin-1 offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let ls = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    ls = i + 1;
  }
  const prefix = text.slice(ls, offset);
  // eslint-disable-next-line no-control-regex
  const column = /[^\x00-\x7f]/.test(prefix)
    ? Buffer.from(prefix, 'latin1').toString('utf8').length + 1
    : prefix.length + 1;
  return { line, column };
}
