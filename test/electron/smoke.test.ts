/**
 * The real-Electron smoke run (`npm run test:electron`, scripts/test-electron.mjs): the app as packaged,
 * launched in Electron by playwright-core's `_electron.launch`, against the loopback Telegram server over
 * real MTProto. The flows are the Chromium e2e tests' own (test/support/flows.ts); only the transport
 * differs: the preload's Electron IPC instead of the HTTP test bridge.
 *
 * window sandboxed with the preload API, sign in (code + 2FA), first unlock creates the Passport secret,
 * a passport with a JPEG scan, lock, unlock remembering the Passport in the OS keychain.
 *
 * PV_ELECTRON_BIN: the Electron executable; PV_ELECTRON_APP: what it runs (the packaged app.asar, or the
 * repo after `npm run build`). The script sets both, or reports "skipped: no Electron binary".
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { addPassport, createPassportOnFirstUnlock, hashNav, lockAndUnlock, rememberedOnDevice, signInThroughUi, type AppNav } from '../support/flows';
import { resultsDir } from '../support/paths';
import { testJpeg } from '../support/test-jpeg';

const ELECTRON = process.env['PV_ELECTRON_BIN'];
const APP = process.env['PV_ELECTRON_APP'];
const PHONE = '9996679201';
const PASSWORD = 'electron smoke two-step';
const shots = resultsDir('electron');

describe('the packaged app in real Electron, against the loopback server', { timeout: 300_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-electron-'));
  let server: LoopbackTelegram;
  let app: ElectronApplication | undefined;
  let page: Page;
  let nav: AppNav;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(ELECTRON !== undefined && APP !== undefined, 'run through npm run test:electron (it finds Electron and the packaged app)');
    server = await startLoopbackTelegram({ port: 0 });
    server.createAccount({ phone: PHONE, firstName: 'Smoke', password: PASSWORD, hint: 'smoke' });
    const keyFile = join(tmp, 'server-key.pem');
    writeFileSync(keyFile, server.publicKeyPem);
    app = await _electron.launch({
      executablePath: ELECTRON,
      args: [APP, `--user-data-dir=${join(tmp, 'user-data')}`],
      env: { ...process.env, PASSPORT_VAULT_SERVER: `127.0.0.1:${server.port}`, PASSPORT_VAULT_SERVER_KEY: keyFile },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    nav = hashNav(page);
  });

  after(async () => {
    if (app !== undefined) {
      await page?.screenshot({ path: join(shots, 'smoke-last.png') }).catch(() => undefined);
      await app.close();
    }
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('the window is sandboxed, isolated, without Node, and the preload API is there', async () => {
    const main = await app?.evaluate(({ app: electronApp, BrowserWindow }) => {
      // getLastWebPreferences is Electron's, left out of its type declarations.
      const wc = BrowserWindow.getAllWindows()[0]?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null } | undefined;
      const p = wc?.getLastWebPreferences() ?? null;
      const tabs = electronApp.getAppMetrics().filter((m) => m.type === 'Tab');
      return { sandbox: p?.['sandbox'], contextIsolation: p?.['contextIsolation'], nodeIntegration: p?.['nodeIntegration'], tabsSandboxed: tabs.map((t) => t.sandboxed) };
    });
    assert.ok(main !== undefined);
    assert.deepEqual({ sandbox: main.sandbox, contextIsolation: main.contextIsolation, nodeIntegration: main.nodeIntegration }, { sandbox: true, contextIsolation: true, nodeIntegration: false });
    // Electron reports the OS-level sandbox on macOS and Windows only.
    if (process.platform === 'darwin' || process.platform === 'win32') assert.ok(main.tabsSandboxed.length > 0 && main.tabsSandboxed.every((s) => s === true), JSON.stringify(main.tabsSandboxed));
    const inPage = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      return { api: typeof g['passportVault'], require: typeof g['require'], process: typeof g['process'], protocol: (g['location'] as { protocol: string }).protocol };
    });
    assert.deepEqual(inPage, { api: 'object', require: 'undefined', process: 'undefined', protocol: 'app:' });
  });

  test('sign in with the code and the 2FA password; the first unlock creates the Passport secret', async () => {
    await signInThroughUi(page, null, server, { phone: PHONE, password: PASSWORD });
    await createPassportOnFirstUnlock(nav, PASSWORD);
    const user = [...server.state.users.values()].find((u) => u.phone === PHONE);
    assert.ok(user?.password?.secure !== undefined, 'a passport secret was stored on Telegram');
  });

  test('a passport with a JPEG scan is saved to Telegram', async () => {
    const jpeg = await testJpeg(7, 900, 600, { look: 'photo', quality: 90 });
    await addPassport(nav, { docNo: 'E1234567', expiry: '2035-01-31', frontSide: { name: 'front.jpg', mimeType: 'image/jpeg', buffer: jpeg } }, {
      onFailure: () => page.screenshot({ path: join(shots, 'smoke-save-failed.png') }).then(() => undefined),
    });
    const user = [...server.state.users.values()].find((u) => u.phone === PHONE);
    assert.ok(user?.secureValues.get('secureValueTypePassport')?.frontSide !== undefined, 'Telegram holds the passport with its scan');
  });

  test('lock, then unlock remembering the Passport in the OS keychain', async () => {
    await lockAndUnlock(page, PASSWORD, { remember: true });
    assert.match(await rememberedOnDevice(nav), /remembered: yes$/);
    await page.screenshot({ path: join(shots, 'smoke-settings.png') });
    assert.deepEqual(pageErrors, []);
  });
});
