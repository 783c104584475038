/**
 * The start of the Scan screen's e2e tests (scan-by-hand, scan-long-steps, scan-slots): the built renderer
 * on a bridge host, one Chromium page at 1280×800 (the window size issue 22 was walked through at), its
 * console errors and warnings collected, and a local Passport created to work in.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startBridgeHost, type BridgeHost } from './bridge/host';
import { launchChromium } from './browser';
import { createLocalPassport } from './flows';
import { REPO_ROOT } from './paths';

export interface ScanPage {
  readonly host: BridgeHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and warnings and uncaught exceptions; each suite ends by asserting there were none. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openScanPage(password: string): Promise<ScanPage> {
  assert.ok(existsSync(join(REPO_ROOT, 'out/renderer/index.html')), 'out/renderer is missing: run "npm run build" first');
  const host = await startBridgeHost({ root: REPO_ROOT });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: host.pageScript });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await createLocalPassport(page, host.url, password);
  return {
    host,
    browser,
    context,
    page,
    problems,
    close: async () => {
      await browser.close();
      await host.close();
    },
  };
}
