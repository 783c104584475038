/** One Chromium page on the built renderer, bridged to a BridgeHost: the common start of every e2e test. */
import type { Browser, Page } from 'playwright-core';
import { loopbackConfig } from '../../electron/main/telegram/config';
import { startLoopbackTelegram, type LoopbackOptions, type LoopbackTelegram, type NewAccount } from '../../tools/loopback-telegram/index';
import { auditScreenshots } from './a11y';
import { startBridgeHost, type BridgeHost } from './bridge/host';
import { launchChromium } from './browser';
import { REPO_ROOT } from './paths';

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
  // Every screen a test photographs is also audited with axe (test/support/a11y.ts).
  auditScreenshots(page);
  return { browser, page, pageErrors };
}

export interface TelegramAppPage extends AppPage {
  readonly server: LoopbackTelegram;
  readonly host: BridgeHost;
  /** Closes the browser, the host and the server (the caller removes its temp folder). */
  close(): Promise<void>;
}

/**
 * The common start of the e2e tests against Telegram: a loopback server with one account, the app's
 * handlers on `dataDir` talking to it (15 s request timeout), and a 1180×900 page on the renderer.
 */
export async function openTelegramAppPage(dataDir: string, account: NewAccount, serverOptions: LoopbackOptions = {}): Promise<TelegramAppPage> {
  const server = await startLoopbackTelegram({ port: 0, ...serverOptions });
  server.createAccount(account);
  const host = await startBridgeHost({
    root: REPO_ROOT,
    dataDir,
    telegram: loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, overrides: { requestTimeoutMs: 15_000 } }),
  });
  const app = await openAppPage(host, { width: 1180, height: 900 });
  const close = async (): Promise<void> => {
    await app.browser.close();
    await host.close();
    await server.close();
  };
  return { ...app, server, host, close };
}

// The sign-in flow lives in flows.ts (shared with the Electron smoke run); kept importable from here.
export { signInThroughUi } from './flows';
