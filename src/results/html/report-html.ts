/**
 * report.html: one self-contained page (uPlot, its CSS, the data and the drawing script
 * inlined), so it opens from disk with no network and can be attached to a ticket.
 * Pure: data and the chart library's text in, the page's text out.
 */
import type { ReportData } from './report-source.js';
import { PAGE_SCRIPT } from './report-page.js';

/** The chart library's files, read by the caller (chart-assets.ts). */
export interface ChartAssets {
  readonly script: string;
  readonly css: string;
}

const PAGE_CSS =
  `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 12px 20px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 18px; border-bottom: 1px solid #ccc; margin-top: 28px; } ` +
  `h3 { font-size: 15px; } h4 { font-size: 13px; margin: 6px 0; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: right; } ` +
  `th:first-child, td:first-child { text-align: left; }
.banner { padding: 6px 10px; margin: 6px 0; border-radius: 4px; }
.interrupted { background: #fde2e1; border: 1px solid #d62728; font-weight: bold; }
.clientbound { background: #fff3cd; border: 1px solid #e0a800; }
.ok { background: #e6f4ea; border: 1px solid #2ca02c; }
.note, .where { color: #666; font-size: 12px; margin: 2px 0; }
.target { margin: 4px 0; }
.chart { margin: 10px 0 18px; }
details { margin: 8px 0; } summary { cursor: pointer; font-weight: bold; }
`;

/** Text inside <script> or <style>: a closing tag in the data must not end it. */
function inert(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function reportHtml(data: ReportData, assets: ChartAssets): string {
  // JSON in a data block: '<' escaped so no "</script>" or "<!--" can appear in it.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network at all: the page may only use what is inlined.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src ` +
      `'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${inert(assets.css)}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(data.title)}</h1>`,
    `<p class="note">drawn by kbench ${escapeHtml(data.kbenchVersion)} at ${escapeHtml(data.generatedAt)}; all ` +
      `times in seconds since each run started, rates in records/s, latencies in ms</p>`,
    '<main id="report"></main>',
    `<script type="application/json" id="kbench-data">${json}</script>`,
    `<script>${inert(assets.script)}</script>`,
    `<script>${inert(PAGE_SCRIPT)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
