/** Reads uPlot's minified script and CSS from its installed package, to inline them in report.html. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartAssets } from './report-html.js';

const require = createRequire(import.meta.url);

export function readChartAssets(): ChartAssets {
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}
