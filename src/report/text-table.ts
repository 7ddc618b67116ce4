/** Aligned plain-text tables: first column left, the rest right-aligned. Pure. */
export function textTable(rows: ReadonlyArray<ReadonlyArray<string>>, indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      indent +
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (n: number): string => integer.format(n);
export const formatRate = (n: number): string => oneDecimal.format(n);
export const formatMs = (n: number): string => n.toFixed(3);
