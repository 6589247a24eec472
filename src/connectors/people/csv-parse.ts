/**
 * A small RFC 4180 CSV reader (https://www.rfc-editor.org/rfc/rfc4180): quoted fields with `""`
 * escapes and line breaks inside quotes, CRLF or LF, and `,` `;` or tab as the delimiter (chosen
 * from the header line, as spreadsheet exports in some locales use `;`). Each row keeps the line it
 * starts on, for messages.
 */
export interface CsvRow {
  line: number;
  fields: string[];
}

export function detectDelimiter(headerLine: string): string {
  const counts = [',', ';', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

export function parseCsv(text: string, delimiter?: string): { rows: CsvRow[]; unterminatedAt?: number } {
  const d = delimiter ?? detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  const rows: CsvRow[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let quotedAt = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      inQuotes = true;
      quotedAt = line;
    } else if (c === d) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return inQuotes ? { rows, unterminatedAt: quotedAt } : { rows };
}
