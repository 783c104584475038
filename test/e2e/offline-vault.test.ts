/**
 * The Passport offline, end to end in Chromium: the built renderer → test bridge → production handlers
 * → the loopback Telegram server over real MTProto, with the server stopped and restarted from its state
 * file and the app restarted over the same data folder and keychain (only what is on disk and in the
 * keychain carries over). Sign in and unlock online, create values; the server stops; the app restarts,
 * shows it is offline, unlocks from the local mirror (PBKDF2 on this device), takes an edit as pending;
 * the server comes back and the app sends the edit by itself. Then another device changes a value while
 * this one holds an offline edit of it: the app shows the conflict and keeps what the person chooses.
 * Last, the unlock itself: the list comes from this device's copy at once and says it is checking with
 * Telegram, then shows what another device changed; Telegram gone mid-check, it says it could not check.
 * After every test the app's data folder holds no typed value and no image bytes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { PassportVaultApi } from '../../electron/common/ipc/api';
import { keychainBackedSessionStore } from '../../electron/main/account/session-persistence';
import { probeKeychain } from '../../electron/main/keychain/availability';
import { Keychain } from '../../electron/main/keychain/keychain';
import { checkPassword, sendCode, signIn } from '../../electron/main/telegram/auth';
import { loopbackConfig, type TelegramConfig } from '../../electron/main/telegram/config';
import { TelegramConnection } from '../../electron/main/telegram/connection';
import { MemorySessionStore, type SessionStore } from '../../electron/main/telegram/session-store';
import { TelegramPassport } from '../../electron/main/vault/telegram/telegram-passport';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { openAppPage, signInThroughUi } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { allBytesUnder, assertNoPlaintext } from '../support/plaintext-scan';
import { REPO_ROOT, resultsDir } from '../support/paths';
import { testJpeg } from '../support/test-jpeg';

const shots = resultsDir('e2e');
const PHONE = '9996679102';
const PASSWORD = 'offline e2e two-step';
/** Every value typed in this file: none may ever be found in plaintext on disk. */
const typed = {
  first: 'Augusta',
  last: 'Lovelace',
  offlineLast: 'Lovelace-King',
  theirsLast: 'Byronesque',
  mineLast: 'Babbageworth',
  street: '12 Analytical Row',
  city: 'Marylebone',
  theirsCity: 'Bloomsbury',
};
/** Short timeouts: a request to a stopped server fails (OFFLINE) in 3 s, and the client reconnects quickly. */
const FAST = { requestTimeoutMs: 3000, reconnectBaseMs: 100, reconnectMaxMs: 1000 };
const expectKeychain = process.env['PASSPORT_VAULT_EXPECT_KEYCHAIN'] === '1';

const photo = (seed: number, width = 700, height = 500): Promise<Buffer> => testJpeg(seed, width, height, { look: 'photo', quality: 90 });

describe('the Passport offline, end to end: restart without Telegram, unlock, edit, sync, conflict', { timeout: 240_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-e2e-offline-'));
  const dataDir = join(tmp, 'app-data');
  const stateFile = join(tmp, 'server', 'state.json');
  let server: LoopbackTelegram;
  let port: number;
  let rsaKey: string;
  let telegram: TelegramConfig;
  // The device's keychain: one service for this run, shared by every start of the app, emptied at the end.
  const keychain = new Keychain(undefined, { service: `passport-vault-e2e-offline-${randomBytes(6).toString('hex')}` });
  let keychainAvailable = false;
  /** Without a keychain the app keeps its session in memory only; the test then carries it over by hand. */
  const memorySessions = new MemorySessionStore();
  let host: BridgeHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let bill: Buffer;
  /** The scan as main stored it (re-encoded): its bytes must not appear on disk either. */
  let storedBill: Buffer | undefined;
  const other: { conn?: TelegramConnection; passport?: TelegramPassport } = {};

  async function startServer(): Promise<void> {
    server = await startLoopbackTelegram({ port, stateFile, rsaKey });
  }

  /** Starts the app as a person would: new handlers and a new window over the same data folder and keychain. */
  async function startApp(): Promise<void> {
    const sessions: SessionStore = keychainAvailable ? keychainBackedSessionStore(keychain) : memorySessions;
    host = await startBridgeHost({ root: REPO_ROOT, dataDir, telegram, keychain, sessions });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 860 }));
  }

  async function stopApp(): Promise<void> {
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
    await browser?.close();
    await host?.close();
    browser = undefined;
    host = undefined;
  }

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `offline-${name}.png`) });
  const user = () => [...server.state.users.values()].find((u) => u.phone === PHONE);
  const serverHash = (tlType: string): string | undefined => user()?.secureValues.get(tlType)?.hash.toString('base64');
  const connectionShows = (text: string) => page.locator('[data-test=connection]', { hasText: text }).waitFor({ timeout: 30_000 });

  async function openDoc(type: string): Promise<void> {
    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator(`[data-test=doc-${type}] a`).click();
    await page.locator('[data-test=editor]').waitFor();
  }

  async function save(expect: RegExp): Promise<void> {
    await page.locator('[data-test=save]').click();
    try {
      await page.locator('[data-test=saved]', { hasText: expect }).waitFor({ timeout: 20_000 });
    } catch (e) {
      const shown = await page.locator('[data-test=error], [data-test=field-error]').allTextContents();
      await shot('save-failed');
      throw new Error(`save did not finish: ${JSON.stringify(shown)} ${JSON.stringify(pageErrors)}`, { cause: e });
    }
  }

  async function unlock(): Promise<void> {
    await page.locator('[data-test=unlock-form]').waitFor();
    await page.locator('[data-test=unlock-password]').fill(PASSWORD);
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=group-identity]').waitFor({ timeout: 20_000 });
  }

  /** What Telegram holds for the account, decrypted by another device with its own session and mirror. */
  async function otherDevice(): Promise<TelegramPassport> {
    if (other.passport !== undefined) return other.passport;
    // A patient client: after a server restart its first request waits for its reconnect instead of failing.
    const patient = loopbackConfig({ port, publicKeyPem: server.publicKeyPem, overrides: { ...FAST, requestTimeoutMs: 15_000 } });
    const conn = new TelegramConnection(patient, new MemorySessionStore(), { logLevel: 0 });
    other.conn = conn;
    const sent = await sendCode(conn, PHONE);
    const step = await signIn(conn, PHONE, sent.phoneCodeHash, server.lastCode(PHONE) ?? 'none');
    assert.equal(step.status, 'password_needed');
    await checkPassword(conn, PASSWORD);
    const tp = await TelegramPassport.open({ conn, accountId: user()?.id ?? 0n, dir: join(tmp, 'other-device'), keychain: null, autoSync: false });
    other.passport = tp;
    await tp.unlock(PASSWORD);
    return tp;
  }
  async function lastNameOnTelegram(): Promise<string | undefined> {
    const tp = await otherDevice();
    await tp.refresh();
    return (await tp.list()).find((v) => v.type === 'personal_details')?.data?.['last_name'];
  }

  before(async () => {
    mkdirSync(join(tmp, 'server'));
    server = await startLoopbackTelegram({ port: 0, stateFile });
    port = server.port;
    rsaKey = server.privateKeyPem;
    server.createAccount({ phone: PHONE, firstName: 'AL', password: PASSWORD, hint: 'the engine' });
    telegram = loopbackConfig({ port, publicKeyPem: server.publicKeyPem, overrides: FAST });
    const status = await probeKeychain(keychain);
    keychainAvailable = status.available;
    assert.ok(keychainAvailable || !expectKeychain, `PASSPORT_VAULT_EXPECT_KEYCHAIN=1 but no keychain: ${status.reason ?? ''}`);
    bill = await photo(61);
    await startApp();
  });

  after(async () => {
    other.passport?.close();
    await other.conn?.close();
    await browser?.close();
    await host?.close();
    await server?.close();
    if (keychainAvailable) await keychain.forgetAll().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  });

  // The steps build on each other: after a failure the rest would only wait out their timeouts.
  let failed: string | null = null;
  beforeEach(() => {
    if (failed !== null) throw new Error(`not run: an earlier step failed (${failed})`);
  });
  const step = (name: string, fn: () => Promise<void>): void => {
    void test(name, async () => {
      try {
        await fn();
      } catch (e) {
        failed ??= name;
        throw e;
      }
    });
  };

  // The app keeps no temporary files outside its data folder (nothing under electron/main uses os.tmpdir),
  // so the data folder is the whole of what it leaves on disk.
  afterEach(() => {
    assertNoPlaintext(allBytesUnder(dataDir), Object.values(typed), storedBill === undefined ? [bill] : [bill, storedBill], 'the app data folder');
  });

  step('online: sign in, unlock with the 2FA password, create personal details and a bill with a scan', async () => {
    await signInThroughUi(page, host?.url ?? '', server, { phone: PHONE, password: PASSWORD });
    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator('[data-test=unlock-form]').waitFor();
    await page.locator('[data-test=unlock-password]').fill(PASSWORD);
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=welcome]').waitFor();

    await openDoc('personal_details');
    await page.locator('#first_name').fill(typed.first);
    await page.locator('#last_name').fill(typed.last);
    await page.locator('#birth_date').fill('1915-12-10');
    await page.locator('#gender').selectOption('female');
    await page.locator('#country_code').selectOption('GB');
    await page.locator('#residence_country_code').selectOption('GB');
    await save(/Telegram Passport/);

    await openDoc('address');
    await page.locator('#street_line1').fill(typed.street);
    await page.locator('#city').fill(typed.city);
    await page.locator('#country_code').selectOption('GB');
    await page.locator('#post_code').fill('NW1 5LR');
    await save(/Telegram Passport/);

    await openDoc('utility_bill');
    await page.locator('[data-test=input-files]').setInputFiles({ name: 'bill.jpg', mimeType: 'image/jpeg', buffer: bill });
    await page.locator('[data-test=slot-files] [data-test=list-item]').first().waitFor();
    await save(/Telegram Passport/);
    await connectionShows('Online');

    assert.ok(serverHash('secureValueTypePersonalDetails') !== undefined, 'Telegram holds the personal details');
    assert.ok(user()?.secureValues.get('secureValueTypeUtilityBill')?.files?.length === 1, 'and the bill with its scan');
    // The scan as stored (main re-encodes it), to look for its bytes on disk.
    const bytes = await page.evaluate(async () => {
      const api = (window as unknown as { passportVault: PassportVaultApi }).passportVault;
      const r = await api.vault.read({ type: 'utility_bill' });
      const f = r.ok ? r.value?.files[0] : undefined;
      if (f === undefined) throw new Error('no stored scan');
      const img = await api.vault.file({ type: 'utility_bill', fileHash: f.fileHash, size: 'full' });
      if (!img.ok) throw new Error(img.error.message);
      return Array.from(img.value.bytes);
    });
    storedBill = Buffer.from(bytes);
    assert.ok(storedBill[0] === 0xff && storedBill[1] === 0xd8 && storedBill.length > 10_000, 'a real JPEG came back');
  });

  step('Telegram stops, the app restarts: it says it is offline, unlocks from this device, and queues an edit', async () => {
    await server.close();
    await stopApp();
    await startApp();

    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator('[data-test=unlock-form]').waitFor({ timeout: 20_000 });
    await page.locator('[data-test=offline-note]').waitFor({ timeout: 20_000 });
    // The hint was last seen on Telegram before the restart; the mirror kept it.
    assert.equal((await page.locator('[data-test=hint]').textContent())?.trim(), 'Hint: the engine');
    await shot('1-locked-offline');
    await page.locator('[data-test=unlock-password]').fill('not the password');
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor({ timeout: 20_000 });
    await unlock();
    await connectionShows('Offline');
    await page.locator('[data-test=sync-bar]', { hasText: 'Offline' }).waitFor();
    // Everything reads from the mirror, scans included.
    await page.locator('[data-test=doc-utility_bill] [data-test=status]', { hasText: '1 scan' }).waitFor();
    await openDoc('utility_bill');
    await page.locator('[data-test=slot-files] [data-test=list-item] [data-test=thumb]').first().waitFor();

    await openDoc('personal_details');
    assert.equal(await page.locator('#last_name').inputValue(), typed.last);
    await page.locator('#last_name').fill(typed.offlineLast);
    await save(/Saved on this device/);
    await page.locator('[data-test=pending-note]').waitFor();
    await shot('2-editor-pending');
    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator('[data-test=doc-personal_details] [data-test=status][data-state=pending]').waitFor();
    await page.locator('[data-test=pending]', { hasText: '1 change' }).waitFor();
    await shot('3-list-offline-pending');
  });

  step('Telegram comes back: the app reconnects and sends the queued edit by itself', async () => {
    const before = serverHash('secureValueTypePersonalDetails');
    await openDoc('personal_details');
    await page.locator('[data-test=pending-note]').waitFor();
    await startServer();
    // No click: the connection returns, the queue goes out, the open editor, the list and the indicator follow.
    await page.locator('[data-test=pending-note]').waitFor({ state: 'detached', timeout: 45_000 });
    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator('[data-test=doc-personal_details] [data-test=status][data-state=complete]').waitFor({ timeout: 15_000 });
    await page.locator('[data-test=sync-bar]').waitFor({ state: 'detached', timeout: 15_000 });
    await connectionShows('Online');
    await shot('4-synced');
    const after = serverHash('secureValueTypePersonalDetails');
    assert.ok(after !== undefined && after !== before, 'Telegram holds a new version of the value');
    assert.equal(await lastNameOnTelegram(), typed.offlineLast, 'which another device decrypts to the edit made offline');
  });

  step('a value changed on another device while this one holds an offline edit is a conflict; the person’s choice is kept and synced', async () => {
    await server.close();
    await openDoc('personal_details');
    await page.locator('#last_name').fill(typed.mineLast);
    await save(/Saved on this device/);
    // The app is locked while away; the edit stays queued (encrypted) on disk.
    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=unlock-form]').waitFor();

    await startServer();
    const tp = await otherDevice();
    await tp.refresh();
    const theirs = (await tp.list()).find((v) => v.type === 'personal_details')?.data ?? {};
    assert.equal((await tp.save({ type: 'personal_details', data: { ...theirs, last_name: typed.theirsLast } })).status, 'saved');
    const theirHash = serverHash('secureValueTypePersonalDetails');

    await unlock();
    await page.locator('[data-test=doc-personal_details] [data-test=status][data-state=conflict]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test=conflicts]').waitFor();
    await shot('5-list-conflict');
    assert.equal(serverHash('secureValueTypePersonalDetails'), theirHash, 'nothing was overwritten');
    assert.equal(await lastNameOnTelegram(), typed.theirsLast);

    await openDoc('personal_details');
    await page.locator('[data-test=conflict]').waitFor();
    assert.equal(await page.locator('#last_name').inputValue(), typed.mineLast, 'the editor shows this device’s version');
    // Side by side, what differs: this device's edit and the other device's version (decrypted in main).
    const diff = page.locator('[data-test=other-version] [data-test=diff-last_name]');
    await diff.waitFor({ timeout: 20_000 });
    assert.deepEqual(await diff.locator('td').allTextContents(), [typed.mineLast, typed.theirsLast]);
    assert.equal(await page.locator('[data-test=other-version] tbody tr').count(), 1, 'only the field that differs');
    await shot('6-editor-conflict');
    await page.locator('[data-test=keep-mine]').click();
    await page.locator('[data-test=resolved]', { hasText: 'it is now in your Telegram Passport' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-test=conflict]').count(), 0);
    assert.equal(await page.locator('[data-test=pending-note]').count(), 0, 'nothing waits any more');
    assert.equal(await page.locator('#last_name').inputValue(), typed.mineLast);
    await shot('7-resolved');
    assert.notEqual(serverHash('secureValueTypePersonalDetails'), theirHash);
    assert.equal(await lastNameOnTelegram(), typed.mineLast, 'Telegram now holds the version the person kept');
    await page.goto(`${host?.url ?? ''}#/documents`);
    await page.locator('[data-test=doc-personal_details] [data-test=status][data-state=complete]').waitFor();
    assert.equal(await page.locator('[data-test=sync-bar]').count(), 0);
    await connectionShows('Online');
    assert.deepEqual(pageErrors, []);
  });

  step('unlock shows this device’s copy at once while Telegram checks it, then what another device changed; Telegram gone mid-check: it says it could not check', async () => {
    const tp = await otherDevice();
    await tp.refresh();
    const address = (await tp.list()).find((v) => v.type === 'address')?.data ?? {};
    assert.equal((await tp.save({ type: 'address', data: { ...address, city: typed.theirsCity } })).status, 'saved');
    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=unlock-form]').waitFor();
    // A slow Telegram (every packet waits, in order: its check stays well within the 3 s request timeout): the list does not wait for it.
    server.faults.latencyMs = 300;
    await unlock();
    await page.locator('[data-test=checking]', { hasText: 'Checking with Telegram' }).waitFor();
    await page.locator('[data-test=doc-address] [data-test=status][data-state=complete]').waitFor();
    await shot('8-checking');
    await page.locator('[data-test=checking]').waitFor({ state: 'detached', timeout: 30_000 });
    assert.deepEqual(await page.locator('[data-test=unconfirmed]').allTextContents(), [], 'the check confirmed the list');
    server.faults.latencyMs = 0;
    await openDoc('address');
    assert.equal(await page.locator('#city').inputValue(), typed.theirsCity, 'the check brought in the other device’s change');

    // Telegram goes away while the unlock's check waits for it: the copy stays usable, and says so.
    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=unlock-form]').waitFor();
    server.faults.latencyMs = 2500;
    await unlock();
    await page.locator('[data-test=checking]').waitFor();
    // A page that did not start the check (reloaded meanwhile) follows it too: 'Checking' does not stay.
    await page.reload();
    await page.locator('[data-test=doc-address] [data-test=status][data-state=complete]').waitFor();
    await page.locator('[data-test=checking]').waitFor();
    await server.close();
    await page.locator('[data-test=unconfirmed]', { hasText: 'could not be checked with Telegram' }).waitFor({ timeout: 30_000 });
    await page.locator('[data-test=doc-utility_bill] [data-test=status]', { hasText: '1 scan' }).waitFor();
    await shot('9-unconfirmed');
    await openDoc('address');
    assert.equal(await page.locator('#city').inputValue(), typed.theirsCity, 'the copy as it was');
    assert.deepEqual(pageErrors, []);
    // What Telegram keeps of all this is ciphertext too (the state file is written on close).
    assertNoPlaintext(allBytesUnder(join(tmp, 'server')), Object.values(typed), storedBill === undefined ? [bill] : [bill, storedBill], 'the server state');
  });
});
