import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnBlocks, fitWidth, wrapLine } from '../../src/console/fit-width.js';
import { textTable } from '../../src/console/text-table.js';

test('a long labelled line wraps under its value, at a separator when one is near the end, nothing lost', () => {
  const line = `load      ${Array.from({ length: 12 }, (_, i) => `item ${i} of the load`).join(' · ')}`;
  const lines = wrapLine(line, 100);
  assert.ok(lines.length > 1);
  assert.ok(
    lines.every((l) => l.length <= 100),
    lines.join('\n'),
  );
  assert.ok(
    lines.slice(1).every((l) => l.startsWith('          ') && l[10] !== ' '),
    'continuations under the value',
  );
  assert.ok(
    lines.slice(0, -1).every((l) => l.endsWith('·')),
    'breaks after a separator',
  );
  assert.equal(
    lines
      .map((l) => l.trim())
      .join(' ')
      .replace(/\s+/g, ' '),
    line.replace(/\s+/g, ' '),
  );
});

test('short lines and a single word longer than the width are left alone', () => {
  assert.deepEqual(wrapLine('results   /tmp/x', 100), ['results   /tmp/x']);
  const word = 'x'.repeat(120);
  assert.deepEqual(wrapLine(word, 100), [word]);
  assert.equal(fitWidth('a\n\nb\n'), 'a\n\nb\n');
});

test('a table wider than 100 columns is cut into blocks that each repeat the row labels', () => {
  assert.deepEqual(columnBlocks([10, 40, 40, 40], 3, 100), [
    [0, 1, 2],
    [0, 3],
  ]);
  const header = ['case', ...Array.from({ length: 10 }, (_, i) => `figure_number_${i}_ms`)];
  const row = ['c01-batch-1', ...Array.from({ length: 10 }, (_, i) => String(i * 1000))];
  const text = textTable([header, row]);
  const lines = text.split('\n');
  assert.ok(
    lines.every((line) => line.length <= 100),
    text,
  );
  const blocks = text.split('\n\n');
  assert.ok(blocks.length > 1);
  for (const block of blocks) assert.match(block, /^case .*\nc01-batch-1 /);
  for (const cell of [...header, ...row]) assert.ok(text.includes(cell), cell);
  // A narrow table is as it was.
  assert.equal(
    textTable([
      ['a', 'bb'],
      ['ccc', 'd'],
    ]),
    'a     bb\nccc    d',
  );
});
