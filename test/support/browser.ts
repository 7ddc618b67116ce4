/**
 * Headless Chromium for page tests: Debian's chromium package (CI installs it) driven by
 * playwright-core. Offline flags and a fresh profile, so the browser itself makes no
 * network requests and nothing of an earlier run is reused.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['KBENCH_CHROMIUM'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set KBENCH_CHROMIUM)`;
}

export interface PageVisit {
  readonly page: Page;
  readonly consoleErrors: string[];
  /** Every request the page made other than its own file:// URL. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function openPage(file: string): Promise<PageVisit> {
  const profile = mkdtempSync(path.join(tmpdir(), 'kbench-chromium-'));
  let browser: BrowserContext;
  try {
    // A fresh --user-data-dir: playwright takes it as the persistent context's folder.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = browser.pages()[0] ?? (await browser.newPage());
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  const url = `file://${path.resolve(file)}`;
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-rendered]', { timeout: 30_000 });
  const opened = browser;
  return {
    page,
    consoleErrors,
    requests,
    close: async () => {
      await opened.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
