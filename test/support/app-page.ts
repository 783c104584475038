/** One Chromium page on the built renderer, bridged to a BridgeHost: the common start of every e2e test. */
import type { Browser, Page } from 'playwright-core';
import type { BridgeHost } from './bridge/host';
import { launchChromium } from './browser';

export interface AppPage {
  readonly browser: Browser;
  readonly page: Page;
  /** Uncaught exceptions in the page; every e2e suite ends by asserting there were none. */
  readonly pageErrors: string[];
}

export async function openAppPage(host: BridgeHost, viewport = { width: 1180, height: 780 }): Promise<AppPage> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport });
  await context.addInitScript({ content: host.pageScript });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { browser, page, pageErrors };
}
