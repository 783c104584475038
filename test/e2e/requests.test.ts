/**
 * The Requests view in Chromium through the production router and AuthorizationService: a Passport link
 * pasted as the JS SDK builds it, shown in words; a malformed one named precisely; review needs sign-in;
 * declining opens the service's callback with tg_passport=cancel. With the encrypted history: while locked
 * the view says to unlock (not an error), a decline made then shows up in the history after the unlock.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { EncryptedHistoryStore } from '../../electron/main/authorization/history-store';
import { openAppPage } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';
import { SPKI_PEM, jsSdkLink } from '../support/link-samples';

const shots = resultsDir('e2e');

describe('Passport requests from services', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 820 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('a malformed link gets a precise error', async () => {
    await page.goto(`${host.url}#/requests`);
    await page.locator('[data-test=requests-empty]').waitFor();
    await page.locator('[data-test=link]').fill('tg://resolve?domain=telegrampassport&bot_id=abc&scope=%7B%7D&public_key=x&nonce=n');
    await page.locator('[data-test=open]').click();
    const error = page.locator('[data-test=link-error]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /bot_id/);
  });

  test('a JS SDK link is shown in words: one_of, selfie, translation', async () => {
    const url = jsSdkLink({
      bot_id: '543260180',
      scope: { data: ['id_document', { type: 'address_document', translation: true }, { type: 'personal_details', native_names: true }], v: 1 },
      public_key: SPKI_PEM,
      nonce: 'b5a6f0e2-nonce',
      callback_url: 'https://shop.example/passport/done',
    });
    await page.locator('[data-test=link]').fill(url);
    await page.locator('[data-test=open]').click();
    const asks = page.locator('[data-test=asks] li');
    await asks.first().waitFor();
    const items = (await asks.allTextContents()).map((t) => t.trim());
    assert.deepEqual(items, [
      'One of: Passport / Driver license / Identity card',
      'One of: Utility bill (with a translation) / Bank statement (with a translation) / Rental agreement (with a translation)',
      'Personal details (with names in the native language)',
    ]);
    assert.match((await page.locator('[data-test^=request-]').textContent()) ?? '', /shop\.example/);
    await page.screenshot({ path: join(shots, 'requests-open.png') });
  });

  test('reviewing needs Telegram (none is configured in this host, and the page says so); declining tells the service', async () => {
    await page.locator('[data-test=review]').click();
    await page.locator('[data-test=form-error]').waitFor();
    assert.match((await page.locator('[data-test=form-error]').textContent()) ?? '', /api_id and api_hash/);
    await page.screenshot({ path: join(shots, 'requests-needs-telegram.png') });
    await page.locator('[data-test=cancel]').click();
    await page.locator('[data-test=closed]').waitFor();
    assert.equal(host.openedInBrowser.length, 1);
    const cb = new URL(host.openedInBrowser[0] ?? '');
    assert.equal(cb.host, 'shop.example');
    assert.match(cb.href, /tg_passport=cancel/);
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe('the sharing history, encrypted under the Passport', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const historyDir = mkdtempSync(join(tmpdir(), 'pv-e2e-history-'));
  const passportSecret = randomBytes(32);
  // The vault stand-in: locked (null) until the test unlocks it.
  let unlocked = false;

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT, historyStore: new EncryptedHistoryStore(historyDir, () => (unlocked ? passportSecret : null)) });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 820 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    rmSync(historyDir, { recursive: true, force: true });
  });

  test('locked: "Unlock to see the history", no error', async () => {
    await page.goto(`${host.url}#/requests`);
    const card = page.locator('[data-test=history-locked]');
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /Unlock to see the history/);
    assert.equal(await page.locator('[role=alert]').count(), 0);
    await card.screenshot({ path: join(shots, 'requests-history-locked.png') });
  });

  test('a decline while locked reaches the history once unlocked', async () => {
    const url = jsSdkLink({ bot_id: '543260180', scope: { data: ['passport'], v: 1 }, public_key: SPKI_PEM, nonce: 'n-locked', callback_url: 'https://shop.example/done' });
    await page.locator('[data-test=link]').fill(url);
    await page.locator('[data-test=open]').click();
    await page.locator('[data-test=cancel]').click();
    await page.locator('[data-test=closed]').waitFor();
    assert.match(host.openedInBrowser[0] ?? '', /tg_passport=cancel/);
    await page.locator('[data-test=history-locked]').waitFor();
    unlocked = true;
    await page.reload();
    const history = page.locator('[data-test=history] li');
    await history.first().waitFor();
    const lines = await history.allTextContents();
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /Bot 543260180: declined \(Passport\)/);
    await page.screenshot({ path: join(shots, 'requests-history.png') });
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
