import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parse.js';

const quote = (f: string): string => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);

describe('parseCsv (property)', () => {
  it('reads back any table written with RFC 4180 quoting', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const width = rows[0]!.length;
          const table = rows.map((r) => [...r, ...Array<string>(width).fill('')].slice(0, width));
          const text = table.map((r) => r.map(quote).join(',')).join('\r\n') + '\n';
          const parsed = parseCsv(text, ',');
          expect(parsed.unterminatedAt).toBeUndefined();
          expect(parsed.rows.map((r) => r.fields)).toEqual(table);
        },
      ),
    );
  });
});
