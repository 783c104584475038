/**
 * Sign-in in Chromium: the built renderer → test bridge → production router and AccountService →
 * mtcute → the loopback Telegram server over real MTProto. Wrong code, wrong password, a FLOOD_WAIT with
 * its countdown, the 2FA password with its hint, and sign-out.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loopbackConfig } from '../../electron/main/telegram/config';
import { DEMO_ACCOUNT, startLoopbackTelegram, type LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { openAppPage } from '../support/app-page';
import { goToSignIn } from '../support/flows';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';

const shots = resultsDir('e2e');

describe('sign-in against the loopback Telegram server', () => {
  let server: LoopbackTelegram;
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    server = await startLoopbackTelegram({ port: 0 });
    host = await startBridgeHost({ root: REPO_ROOT, telegram: loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, overrides: { requestTimeoutMs: 10_000 } }) });
    ({ browser, page, pageErrors } = await openAppPage(host));
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    await server?.close();
  });

  test('the set-up card offers sign-in; bad numbers are caught in the form, then by Telegram', async () => {
    await page.goto(host.url);
    await goToSignIn(page);
    await page.locator('[data-test=country-code]').fill('+999');
    await page.locator('[data-test=phone-number]').fill('1');
    await page.locator('[data-test=send-code]').click();
    // Same zod schema as main's contract, checked before anything is sent.
    assert.match((await page.locator('[data-test=phone-error]').textContent()) ?? '', /digits, spaces and dashes only/);
    await page.locator('[data-test=phone-number]').fill('123');
    await page.locator('[data-test=send-code]').click();
    await page.locator('[data-test=error]').waitFor();
    assert.match((await page.locator('[data-test=error]').textContent()) ?? '', /does not recognise this phone number/);
  });

  test('phone → code (a wrong one first) → password (a wrong one first, hint shown) → signed in, on to the lock screen', async () => {
    await page.locator('[data-test=country-code]').fill('+999');
    await page.locator('[data-test=phone-number]').fill('66 2 1234');
    await page.locator('[data-test=send-code]').click();
    await page.locator('[data-test=code-step]').waitFor();
    await page.screenshot({ path: join(shots, 'sign-in-code.png') });

    await page.locator('[data-test=code]').fill('11111');
    await page.locator('[data-test=submit-code]').click();
    await page.locator('[data-test=error]', { hasText: 'not right' }).waitFor();

    await page.locator('[data-test=code]').fill(DEMO_ACCOUNT.code);
    await page.locator('[data-test=submit-code]').click();
    await page.locator('[data-test=password-step]').waitFor();
    assert.equal((await page.locator('[data-test=password-hint]').textContent())?.trim(), `Hint: ${DEMO_ACCOUNT.hint}`);

    await page.locator('[data-test=password]').fill('not-the-password');
    await page.locator('[data-test=submit-password]').click();
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor();
    await page.screenshot({ path: join(shots, 'sign-in-password.png') });

    await page.locator('[data-test=password]').fill(DEMO_ACCOUNT.password);
    await page.locator('[data-test=submit-password]').click();
    // Signed in: straight on to the Passport, whose lock screen offers the password just typed.
    await page.locator('[data-test=lock-screen] [data-test=sign-in-offer]').waitFor();
    await page.screenshot({ path: join(shots, 'sign-in-done.png') });
  });

  test('the password never reaches the page’s storage, and sign-out from Settings works', async () => {
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!stored.includes(DEMO_ACCOUNT.password));
    await page.goto(`${host.url}#/settings`);
    // The number as people write it (libphonenumber-js; Telegram's test numbers have no real country code).
    await page.locator('[data-test=account-line]', { hasText: '+999 66 2 1234' }).waitFor();
    await page.locator('[data-test=sign-out]').click();
    await page.locator('[data-test=account] >> text=Not signed in.').waitFor();
    // No Passport on this device any more: the way back in is the set-up card's (and Settings' own).
    await page.locator('[data-test=go-sign-in]').waitFor({ state: 'detached' });
  });

  test('a FLOOD_WAIT is explained with a live countdown', async () => {
    server.faults.injectFloodWait('auth.sendCode', 120);
    await page.goto(`${host.url}#/documents`);
    await goToSignIn(page);
    await page.locator('[data-test=country-code]').fill('+999');
    await page.locator('[data-test=phone-number]').fill('66 2 1234');
    await page.locator('[data-test=send-code]').click();
    const error = page.locator('[data-test=error]', { hasText: 'wait' });
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Telegram asks you to wait.*Try again in [12]:\d\d/s);
    assert.equal(await page.locator('[data-test=send-code]').isDisabled(), true);
    await page.screenshot({ path: join(shots, 'sign-in-flood-wait.png') });
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
