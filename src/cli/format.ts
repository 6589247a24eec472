/** Small helpers for terminal tables: fixed columns, truncated cells, no colour when not a TTY. */
export function table(
  rows: readonly (readonly string[])[],
  options: { indent?: string; max?: number[] } = {},
): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  const cells = rows.map((r) =>
    r.map((c, i) => {
      const max = options.max?.[i] ?? 60;
      const s = c.length > max ? c.slice(0, max - 1) + '…' : c;
      widths[i] = Math.max(widths[i] ?? 0, s.length);
      return s;
    }),
  );
  return (
    cells
      .map(
        (r) =>
          (options.indent ?? '') +
          r
            .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
            .join('  ')
            .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '-';
}

export function plural(n: number, word: string, many?: string): string {
  return `${n} ${n === 1 ? word : (many ?? (word.endsWith('y') ? word.slice(0, -1) + 'ies' : word + 's'))}`;
}
