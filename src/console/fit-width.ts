/**
 * The end-of-run text fits a 100-column terminal: prose lines wrap under their label,
 * tables too wide are cut into column blocks that each repeat the row labels. Nothing
 * is abbreviated or dropped; summary.json keeps every figure anyway. Pure.
 */

/** Columns the end-of-run text may use. */
export const TEXT_WIDTH = 100;

/**
 * Which columns go together when a table is too wide: each block starts with column 0
 * (the row labels), then as many columns as fit. `widths` are the columns' widths,
 * `gap` the spaces between two columns.
 */
export function columnBlocks(widths: readonly number[], gap: number, maxWidth: number): number[][] {
  const [first = 0, ...rest] = widths;
  const blocks: number[][] = [];
  let block: number[] = [0];
  let used = first;
  rest.forEach((width, offset) => {
    const column = offset + 1;
    if (block.length > 1 && used + gap + width > maxWidth) {
      blocks.push(block);
      block = [0];
      used = first;
    }
    block.push(column);
    used += gap + width;
  });
  blocks.push(block);
  return blocks;
}

/** Where a wrapped line's continuation starts: under the value after a label like "load      ". */
function hangingIndent(line: string): number {
  const labelled = /^(\S+(?: \S+)?\s{2,})\S/.exec(line);
  if (labelled?.[1] && labelled[1].length <= 16) return labelled[1].length;
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

/** Wraps one line at spaces, preferring a break after " · ", ";" or ",". */
export function wrapLine(line: string, maxWidth = TEXT_WIDTH): string[] {
  if (line.length <= maxWidth) return [line];
  const indent = hangingIndent(line);
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  let rest = line;
  let prefix = '';
  while ((prefix + rest).length > maxWidth) {
    const room = maxWidth - prefix.length;
    let cut = -1;
    const floor = prefix === '' ? indent : 0;
    // Break at a separator if one lies in the last quarter of the room, else at the last space.
    for (let i = Math.min(room, rest.length - 1); i > floor; i--) {
      if (rest[i] !== ' ') continue;
      const before = rest.slice(Math.max(0, i - 1), i);
      if (/[·;,]/.test(before) && i >= room * 0.75) {
        cut = i;
        break;
      }
      if (cut === -1) cut = i;
      if (i < room * 0.75) break;
    }
    if (cut <= 0) break; // one word longer than the room: leave it whole
    lines.push((prefix + rest.slice(0, cut)).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = pad;
  }
  lines.push(prefix + rest);
  return lines;
}

/** Every line of `text` wrapped to `maxWidth`. */
export function fitWidth(text: string, maxWidth = TEXT_WIDTH): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, maxWidth))
    .join('\n');
}
