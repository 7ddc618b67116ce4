import { TEXT_WIDTH, columnBlocks } from './fit-width.js';

const GAP = 3;

/**
 * Aligned plain-text tables: first column left, the rest right-aligned. A table wider
 * than `maxWidth` is cut into blocks of columns, each repeating the first column. Pure.
 */
export function textTable(rows: ReadonlyArray<ReadonlyArray<string>>, indent = '', maxWidth = TEXT_WIDTH): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const render = (columns: readonly number[]): string =>
    rows
      .map(
        (row) =>
          indent +
          columns
            .filter((i) => i < row.length)
            .map((i) => (i === 0 ? (row[i] ?? '').padEnd(widths[i] ?? 0) : (row[i] ?? '').padStart(widths[i] ?? 0)))
            .join(' '.repeat(GAP))
            .trimEnd(),
      )
      .join('\n');
  return columnBlocks(widths, GAP, maxWidth - indent.length)
    .map(render)
    .join('\n\n');
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatCount = (n: number): string => integer.format(n);
export const formatRate = (n: number): string => oneDecimal.format(n);
export const formatMs = (n: number): string => n.toFixed(3);
