/**
 * The layer rule (.dependency-cruiser.cjs, docs/architecture.md) bites: the real config,
 * run on a small tree with an upward import and a cycle, reports both by rule name, and
 * the real src/ has no violation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Cruises `folder` under `baseDir` with the project's own rules; returns what they caught. */
async function violations(baseDir: string, folder: string): Promise<Violation[]> {
  const options: ICruiseOptions = {
    ...(await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'))),
    baseDir,
  };
  const tsConfig: unknown = extractTSConfig(join(ROOT, 'tsconfig.json'));
  const { output } = await cruise([folder], options, undefined, { tsConfig });
  assert.equal(typeof output, 'object', 'cruise returns its result as an object');
  return (output as ICruiseResult).summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

function writeTree(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kbench-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('an upward import, a type-only one, a cycle and a folder outside the tiers are each reported by their rule', async () => {
  const dir = writeTree({
    // measure/ sits below app/: importing from it is upward.
    'src/measure/a.ts': "import { b } from '../app/b.js';\nexport const a = b + 1;\n",
    'src/app/b.ts': 'export const b = 1;\n',
    // A type alone ties the layers too.
    'src/model/c.ts': "import type { D } from '../run/d.js';\nexport type C = D;\n",
    'src/run/d.ts': 'export interface D { readonly d: number }\n',
    // Same folder, so no layer is crossed, but the two files form a cycle.
    'src/workload/e.ts': "import { f } from './f.js';\nexport const e = (): number => f();\n",
    'src/workload/f.ts': "import { e } from './e.js';\nexport const f = (): number => e();\n",
    'src/nowhere/g.ts': "import { b } from '../app/b.js';\nexport const g = b;\n",
  });
  try {
    const found = await violations(dir, 'src');
    const has = (rule: string, from: string, to: string): boolean =>
      found.some((v) => v.rule === rule && v.from === from && v.to === to);
    assert.ok(has('layer-measure', 'src/measure/a.ts', 'src/app/b.ts'), JSON.stringify(found));
    assert.ok(has('layer-model', 'src/model/c.ts', 'src/run/d.ts'), JSON.stringify(found));
    assert.ok(has('no-circular', 'src/workload/e.ts', 'src/workload/f.ts'), JSON.stringify(found));
    assert.ok(has('no-folder-outside-tiers', 'src/nowhere/g.ts', 'src/app/b.ts'), JSON.stringify(found));
    assert.equal(found.length, 4, JSON.stringify(found));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a downward import is allowed, and blocks/ sits between run/ and measure/', async () => {
  const dir = writeTree({
    'src/app/a.ts': "import { b } from '../blocks/b.js';\nexport const a = b;\n",
    'src/blocks/b.ts': "import { c } from '../measure/c.js';\nexport const b = c;\n",
    'src/measure/c.ts': "import { d } from '../errors/d.js';\nexport const c = d;\n",
    'src/errors/d.ts': 'export const d = 1;\n',
    'src/blocks/e.ts': "import { f } from '../run/f.js';\nexport const e = f;\n",
    'src/run/f.ts': 'export const f = 1;\n',
  });
  try {
    const found = await violations(dir, 'src');
    assert.deepEqual(found, [{ rule: 'layer-blocks', from: 'src/blocks/e.ts', to: 'src/run/f.ts' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("kbench's own src/ keeps the layer rule", async () => {
  assert.deepEqual(await violations(ROOT, 'src'), []);
});
