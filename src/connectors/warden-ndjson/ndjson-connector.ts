import type { ImportItem } from '../../store/index.js';
import type { Connector } from '../core/types.js';
import { NdjsonRecord } from './ndjson-schema.js';

/** Warden NDJSON: streamed line by line, so a file of millions of records is never held whole. */
export const ndjsonConnector: Connector = {
  id: 'warden-ndjson',
  title: 'Warden NDJSON records',
  detect(file) {
    if (!/\.(ndjson|jsonl)(\.gz)?$/i.test(file.name)) return 0;
    return /^\s*\{\s*"record"\s*:\s*"(identity|agent|owner|link|grant|resource|edge)"/.test(file.head())
      ? 0.9
      : 0;
  },
  async *read(file) {
    for await (const { line, text } of file.lines()) {
      if (!text.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        yield {
          type: 'skip',
          value: { pointer: `line ${line}`, reason: `invalid JSON (${(e as Error).message})` },
        };
        continue;
      }
      const parsed = NdjsonRecord.safeParse(raw);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        yield {
          type: 'skip',
          value: { pointer: `line ${line}`, reason: `${i.path.join('.') || 'record'}: ${i.message}` },
        };
        continue;
      }
      yield toItem(parsed.data);
    }
  },
};

function toItem(r: NdjsonRecord): ImportItem {
  const { record, ...rest } = r;
  // The schema's optional fields are the import types' optional fields; zod leaves absent keys out.
  return { type: record, value: rest } as ImportItem;
}
