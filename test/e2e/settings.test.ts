/**
 * The tg: links opt-in in Settings, in Chromium through the production router and SettingsService, with
 * the OS replaced by a recording fake: off by default (applied at start), turning it on asks the OS and
 * shows what it answered, the choice survives a reload (settings.json), turning it off lets go; an OS that
 * keeps tg: with Telegram is shown as such, with a way to try again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openAppPage } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';

const shots = resultsDir('e2e');

/** What settings.json in the host's data folder says about tg: links. */
function savedTgLinks(host: BridgeHost): unknown {
  return (JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')) as { handleTgLinks?: unknown }).handleTgLinks;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('Settings: tg:// links opt-in', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 1000 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('off by default; the start-up applied it (off) and the card says who has tg:', async () => {
    await page.goto(`${host.url}#/settings`);
    const toggle = page.locator('[data-test=tg-links-toggle]');
    await page.locator('[data-test=tg-links-status]').waitFor();
    assert.equal(await toggle.isChecked(), false);
    assert.equal(await text(page, '[data-test=tg-links] label'), 'Open tg:// Passport links with Passport Vault');
    assert.match(await text(page, '[data-test=tg-links] .hint'), /Telegram’s own app may be handling them/);
    assert.equal(await text(page, '[data-test=tg-links-status]'), 'tg:// links open in Telegram Desktop.');
    assert.deepEqual(host.tgProtocolCalls, [false]);
  });

  test('turning it on asks the OS, shows that it worked, and is saved', async () => {
    await page.locator('[data-test=tg-links-toggle]').check();
    await page.locator('[data-test=tg-links-badge]', { hasText: 'On' }).waitFor();
    assert.equal(await text(page, '[data-test=tg-links-status]'), 'On tg:// links open in Passport Vault.');
    assert.deepEqual(host.tgProtocolCalls, [false, true]);
    assert.equal(savedTgLinks(host), true);
    await page.locator('[data-test=tg-links]').screenshot({ path: join(shots, 'settings-tg-links-on.png') });
    await page.screenshot({ path: join(shots, 'settings-tg-links.png'), fullPage: true });
  });

  test('the choice survives a reload; turning it off lets go', async () => {
    await page.reload();
    await page.locator('[data-test=tg-links-badge]', { hasText: 'On' }).waitFor();
    assert.equal(await page.locator('[data-test=tg-links-toggle]').isChecked(), true);
    await page.locator('[data-test=tg-links-toggle]').uncheck();
    await page.locator('[data-test=tg-links-status]', { hasText: 'Telegram Desktop' }).waitFor();
    assert.equal(await page.locator('[data-test=tg-links-badge]').count(), 0);
    assert.deepEqual(host.tgProtocolCalls, [false, true, false]);
    assert.equal(savedTgLinks(host), false);
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe('Settings: an OS that keeps tg: with Telegram', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-e2e-settings-'));

  before(async () => {
    // Saved on from an earlier run: the start-up applies it, and this OS refuses.
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ version: 1, handleTgLinks: true }));
    host = await startBridgeHost({
      root: REPO_ROOT,
      dataDir,
      tgProtocol: () => ({ registered: false, owner: 'Telegram Desktop', reason: 'The system kept tg: links with another application.' }),
    });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 1000 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the card says it did not work, and why; Try again asks again', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.locator('[data-test=tg-links-badge]', { hasText: 'Not registered' }).waitFor();
    assert.equal(await page.locator('[data-test=tg-links-toggle]').isChecked(), true, 'the choice stays as saved');
    assert.match(await text(page, '[data-test=tg-links-status]'), /The system kept tg: links with another application\. tg:\/\/ links open in Telegram Desktop\./);
    assert.deepEqual(host.tgProtocolCalls, [true]);
    await page.locator('[data-test=tg-links]').screenshot({ path: join(shots, 'settings-tg-links-refused.png') });
    await page.locator('[data-test=tg-links-retry]').click();
    await until(() => host.tgProtocolCalls.length === 2);
    assert.deepEqual(host.tgProtocolCalls, [true, true]);
    await page.locator('[data-test=tg-links-retry]').waitFor(); // still refused: still offered
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe('Settings: updates, off until allowed', () => {
  // The updater is a fake (test/support/bridge/fake-updater.ts): there is no Electron binary here, and
  // electron-updater needs one. The UpdateController, the settings and the IPC in front of it are real.
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const savedAutoUpdate = (): unknown => (JSON.parse(readFileSync(join(host.dataDir, 'settings.json'), 'utf8')) as { autoUpdate?: unknown }).autoUpdate;

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 1000 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('off by default: "Updates: off", and nothing is checked', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.locator('[data-test=updates-status]', { hasText: 'Updates: off' }).waitFor();
    assert.equal(await page.locator('[data-test=updates-toggle]').isChecked(), false);
    assert.equal(await page.locator('[data-test=updates-check]').count(), 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(host.updater.checks, 0);
  });

  test('turned on: saved, "Checking…", then "Version 0.2.0 ready — restart to install"; installed only on the click', async () => {
    await page.locator('[data-test=updates-toggle]').check();
    await page.locator('[data-test=updates-status]', { hasText: 'Checking…' }).waitFor();
    assert.equal(savedAutoUpdate(), true);
    assert.equal(host.updater.checks, 1);
    assert.ok(host.updater.answer());
    await page.locator('[data-test=updates-status]', { hasText: 'Version 0.2.0 ready — restart to install' }).waitFor();
    assert.equal(host.updater.installs, 0);
    await page.locator('[data-test=updates]').screenshot({ path: join(shots, 'settings-updates-ready.png') });
    await page.locator('[data-test=updates-install]').click();
    await until(() => host.updater.installs === 1);
  });

  test('turned off: "Updates: off" again, saved, and the ready update can no longer be installed', async () => {
    await page.locator('[data-test=updates-toggle]').uncheck();
    await page.locator('[data-test=updates-status]', { hasText: 'Updates: off' }).waitFor();
    assert.equal(savedAutoUpdate(), false);
    assert.equal(await page.locator('[data-test=updates-install]').count(), 0);
    const r = await page.evaluate(async () => {
      const api = (window as unknown as { passportVault: { update: { install(): Promise<{ ok: boolean; error?: { code: string } }> } } }).passportVault;
      return api.update.install();
    });
    assert.deepEqual([r.ok, r.error?.code], [false, 'UPDATE_NOT_READY']);
    assert.equal(host.updater.installs, 1);
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
