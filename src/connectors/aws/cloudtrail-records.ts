import { invalid, isObject } from './aws-common.js';
import type { SourceFile } from '../core/source-file.js';

/**
 * The `Records` array of a CloudTrail log file. Fast path: one `JSON.parse` of the whole file.
 * When that fails, a tolerant scan splits the array into its elements (string-aware bracket
 * matching) and parses each alone, so one corrupt record is skipped with its pointer and the others
 * are read; a file that ends before the array closes is truncated: a file error.
 */
export function recordsOf(
  text: string,
  file: SourceFile,
): { records: unknown[]; corrupt: { index: number; reason: string }[]; doc?: Record<string, unknown> } {
  try {
    const doc: unknown = JSON.parse(text);
    if (!isObject(doc) || !Array.isArray(doc.Records))
      throw invalid(file, 'expected a CloudTrail log file {"Records": [...]}');
    return { records: doc.Records, corrupt: [], doc };
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    return scanRecords(text, file, e.message);
  }
}

function scanRecords(
  text: string,
  file: SourceFile,
  parseError: string,
): { records: unknown[]; corrupt: { index: number; reason: string }[] } {
  const m = /"Records"\s*:\s*\[/.exec(text);
  if (!m) throw invalid(file, `invalid JSON (${parseError}) and no "Records" array`);
  let i = m.index + m[0].length;
  const records: unknown[] = [];
  const corrupt: { index: number; reason: string }[] = [];
  const n = text.length;
  for (;;) {
    while (i < n && /[\s,]/.test(text[i]!)) i++;
    if (i >= n)
      throw invalid(file, `truncated: the Records array does not end (after record ${records.length - 1})`);
    if (text[i] === ']') break;
    const start = i;
    const end = elementEnd(text, start);
    const index = records.length;
    if (end < 0) {
      // Unbalanced: resynchronise on the next record start if there is one, else it is truncated.
      const next = nextRecordStart(text, start + 1);
      if (next < 0) throw invalid(file, `truncated: /Records/${index} does not end`);
      corrupt.push({ index, reason: 'corrupt record (unbalanced JSON)' });
      records.push(CORRUPT);
      i = next;
      continue;
    }
    const chunk = text.slice(start, end);
    try {
      records.push(JSON.parse(chunk));
    } catch (e) {
      corrupt.push({ index, reason: `corrupt record (${(e as Error).message})` });
      records.push(CORRUPT);
      // A broken record may have swallowed the ones after it: resume at the next record start.
      const next = nextRecordStart(text, start + 1);
      if (next > 0 && next < end) {
        i = next;
        continue;
      }
    }
    i = end;
  }
  return { records, corrupt };
}

/** Where the next record starts (CloudTrail writes `eventVersion` first in every record). */
function nextRecordStart(text: string, from: number): number {
  const re = /\{\s*"eventVersion"/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : -1;
}

/** Marks a record the scan could not parse; the connector reports it as skipped. */
export const CORRUPT = Symbol('corrupt');

/** Index just past the JSON value starting at `start` (object, array, string or scalar), or -1. */
function elementEnd(text: string, start: number): number {
  const n = text.length;
  const c = text[start];
  if (c !== '{' && c !== '[') {
    let j = start;
    if (c === '"') {
      j++;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      return j < n ? j + 1 : -1;
    }
    while (j < n && !/[,\]]/.test(text[j]!)) j++;
    return j < n ? j : -1;
  }
  let depth = 0;
  for (let j = start; j < n; j++) {
    const ch = text.charCodeAt(j);
    if (ch === 34 /* " */) {
      j++;
      while (j < n && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= n) return -1;
    } else if (ch === 123 || ch === 91) depth++;
    else if (ch === 125 || ch === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}
