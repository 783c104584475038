/** One Chromium page on the built renderer, bridged to a BridgeHost: the common start of every e2e test. */
import type { Browser, Page } from 'playwright-core';
import type { LoopbackTelegram } from '../../tools/loopback-telegram/index';
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

/**
 * Signs in through the UI on the loopback server's test numbers (+999 …): phone, the code the server
 * sent, the 2FA password; ends on the signed-in screen. The sign-in steps themselves, with their
 * errors, are tested in sign-in.test.ts. `url` null: from the page as it is (it shows the sign-in button).
 */
export async function signInThroughUi(page: Page, url: string | null, server: LoopbackTelegram, account: { phone: string; password: string }): Promise<void> {
  if (url !== null) await page.goto(url);
  await page.locator('[data-test=go-sign-in]').click();
  await page.locator('[data-test=country-code]').fill('+999');
  await page.locator('[data-test=phone-number]').fill(account.phone.slice(3));
  await page.locator('[data-test=send-code]').click();
  await page.locator('[data-test=code-step]').waitFor(); // the code exists only once it was sent
  await page.locator('[data-test=code]').fill(server.lastCode(account.phone) ?? 'none');
  await page.locator('[data-test=submit-code]').click();
  await page.locator('[data-test=password]').fill(account.password);
  await page.locator('[data-test=submit-password]').click();
  await page.locator('[data-test=signed-in]').waitFor();
}
