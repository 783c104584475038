/**
 * Backups and the 2FA password lifecycle in Chromium, through the production router and VaultService
 * (the OS file dialogs answered by the test, as FakeDialogs in the rig):
 *  - local Passport: export an encrypted backup from Settings, "delete all" offers the backup as its
 *    own step before the typed confirmation, import reads the backup without a password (types,
 *    dates, counts), a wrong password restores nothing, the right one brings the document back;
 *  - Telegram Passport (loopback server): change the 2FA password in Settings, lock, the old password
 *    fails with "Wrong password", the new one opens; "Forgot password?" on the lock screen says what
 *    is lost; from Settings the recovery offers a backup first, sends the e-mail code (the masked
 *    address shown), recovers with a new password (Telegram drops the Passport, so does this device),
 *    and the backup restores into the new Passport with the password it was made under; a local-only
 *    Passport made before signing in is then copied into the account's ("attach").
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { openAppPage, openTelegramAppPage, signInThroughUi, type TelegramAppPage } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';

const shots = resultsDir('e2e');

async function fillPersonalDetails(page: Page, host: BridgeHost, first: string): Promise<void> {
  await page.goto(`${host.url}#/documents`);
  await page.locator('[data-test=doc-personal_details] a').click();
  await page.locator('[data-test=editor]').waitFor();
  await page.locator('#first_name').fill(first);
  await page.locator('#last_name').fill('Hopper');
  await page.locator('#birth_date').fill('1906-12-09');
  await page.locator('#gender').selectOption('female');
  await page.locator('#country_code').selectOption('US');
  await page.locator('#residence_country_code').selectOption('US');
  await page.locator('[data-test=save]').click();
  await page.locator('[data-test=saved]').waitFor({ timeout: 20_000 });
}

const statusOf = (page: Page, type: string) => page.locator(`[data-test=doc-${type}] [data-test=status]`);

describe('backups of a local Passport', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-e2e-backup-'));
  const PASSWORD = 'backup e2e password';
  const backup = join(tmp, 'passport.pvbackup');
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT, dataDir: join(tmp, 'app-data') });
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 900 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('export from Settings: the file goes where the save dialog says', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=choose-local]').click();
    await page.locator('[data-test=new-password]').fill(PASSWORD);
    await page.locator('[data-test=confirm-password]').fill(PASSWORD);
    await page.locator('[data-test=create]').click();
    await page.locator('[data-test=group-identity]').waitFor();
    await fillPersonalDetails(page, host, 'Grace');

    await page.goto(`${host.url}#/settings`);
    host.dialogs.saveAnswers.push(null); // the person cancels once
    await page.locator('[data-test=export-backup]').click();
    await page.waitForFunction(() => document.querySelector('[data-test=export-backup]')?.hasAttribute('disabled') === false);
    assert.equal(await page.locator('[data-test=export-result]').count(), 0, 'cancelled: nothing saved');
    assert.equal(existsSync(backup), false);
    host.dialogs.saveAnswers.push(backup);
    await page.locator('[data-test=export-backup]').click();
    const result = await page.locator('[data-test=export-result]').textContent();
    // Counted in words, with Intl.PluralRules: "1 document, 0 scans" (it was "1 document(s), 0 scan(s)").
    assert.match(result ?? '', /Saved passport\.pvbackup: 1 document, 0 scans, 1 KB\./);
    assert.ok(existsSync(backup));
    assert.deepEqual(host.dialogs.shown.map((d) => d.kind), ['save', 'save']);
    await page.screenshot({ path: join(shots, 'backup-settings-export.png'), fullPage: true });
  });

  test('delete all: the backup is offered as its own step, before the typed confirmation', async () => {
    await page.goto(`${host.url}#/documents`);
    await page.locator('[data-test=delete-all]').click();
    await page.locator('[data-test=backup-offer]').waitFor();
    assert.equal(await page.locator('[data-test=delete-all-typed]').count(), 0, 'no confirmation before the backup step');
    await page.locator('[data-test=delete-all-card]').screenshot({ path: join(shots, 'backup-offer-delete-all.png') });
    host.dialogs.saveAnswers.push(join(tmp, 'before-delete.pvbackup'));
    await page.locator('[data-test=backup-first]').click();
    await page.locator('[data-test=backup-saved]', { hasText: 'before-delete.pvbackup' }).waitFor();
    assert.ok(existsSync(join(tmp, 'before-delete.pvbackup')));
    await page.locator('[data-test=backup-continue]').click();
    await page.locator('[data-test=delete-all-typed]').fill('DELETE ALL DOCUMENTS');
    await page.locator('[data-test=delete-all-confirm]').click();
    await page.locator('[data-test=delete-all-card]').waitFor({ state: 'detached' });
    assert.equal((await statusOf(page, 'personal_details').textContent())?.trim(), 'Not added');
  });

  test('import: read without a password, a wrong password restores nothing, the right one restores', async () => {
    await page.goto(`${host.url}#/settings`);
    host.dialogs.openAnswers.push(backup);
    await page.locator('[data-test=choose-backup]').click();
    await page.locator('[data-test=backup-inspect]').waitFor();
    assert.equal(await page.locator('[data-test^=backup-entry-]').count(), 1);
    assert.match((await page.locator('[data-test=backup-entry-personal_details]').textContent()) ?? '', /Personal details/);
    await page.locator('[data-test=backups]').screenshot({ path: join(shots, 'backup-import-inspect.png') });
    await page.locator('[data-test=restore-password]').fill('not the password');
    await page.locator('[data-test=restore-backup]').click();
    await page.locator('[data-test=backup-error]', { hasText: 'Wrong password' }).waitFor();
    await page.locator('[data-test=restore-password]').fill(PASSWORD);
    await page.locator('[data-test=restore-backup]').click();
    await page.locator('[data-test=restore-result]', { hasText: 'Restored 1 document.' }).waitFor();
    await page.goto(`${host.url}#/documents`);
    assert.notEqual((await statusOf(page, 'personal_details').textContent())?.trim(), 'Not added');
    await page.locator('[data-test=doc-personal_details] a').click();
    assert.equal(await page.locator('#first_name').inputValue(), 'Grace');
    assert.deepEqual(pageErrors, []);
  });
});

describe('the 2FA password of a Telegram Passport: change, forget, recover', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-e2e-recovery-'));
  const PHONE = '9996679202';
  const EMAIL = 'ada.recovery@example.org';
  const [FIRST, SECOND, THIRD] = ['first two-step', 'second two-step', 'third two-step'];
  const LOCAL = 'the local one';
  const backup = join(tmp, 'before-recovery.pvbackup');
  let app: TelegramAppPage | undefined;
  let server: LoopbackTelegram;
  let host: BridgeHost;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    app = await openTelegramAppPage(join(tmp, 'app-data'), { phone: PHONE, firstName: 'Ada', password: FIRST, hint: 'first', email: EMAIL });
    ({ server, host, page, pageErrors } = app);
  });
  after(async () => {
    await app?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const user = () => [...server.state.users.values()].find((u) => u.phone === PHONE);
  const unlockWith = async (password: string): Promise<void> => {
    await page.locator('[data-test=unlock-password]').fill(password);
    await page.locator('[data-test=unlock]').click();
  };

  test('a local Passport first (one address), then sign in, unlock, one document', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=choose-local]').click();
    await page.locator('[data-test=new-password]').fill(LOCAL);
    await page.locator('[data-test=confirm-password]').fill(LOCAL);
    await page.locator('[data-test=create]').click();
    await page.locator('[data-test=doc-address] a').click();
    await page.locator('#street_line1').fill('1 Navy Way');
    await page.locator('#city').fill('Arlington');
    await page.locator('#country_code').selectOption('US');
    await page.locator('#post_code').fill('22201');
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();

    await signInThroughUi(page, null, server, { phone: PHONE, password: FIRST });
    await page.goto(`${host.url}#/documents`);
    await unlockWith(FIRST);
    await page.locator('[data-test=welcome]').waitFor();
    await fillPersonalDetails(page, host, 'Ada');
  });

  test('change the password in Settings; after a lock the old one fails, the new one opens', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.locator('[data-test=cp-current]').fill('wrong current');
    await page.locator('[data-test=cp-new]').fill(SECOND);
    await page.locator('[data-test=cp-repeat]').fill(SECOND + 'x');
    assert.equal(await page.locator('[data-test=cp-submit]').isDisabled(), true, 'the repeat must match');
    await page.locator('[data-test=cp-repeat]').fill(SECOND);
    await page.locator('[data-test=cp-submit]').click();
    await page.locator('[data-test=cp-error]', { hasText: 'Wrong password' }).waitFor();
    await page.locator('[data-test=cp-current]').fill(FIRST);
    await page.locator('[data-test=cp-hint]').fill('second');
    await page.locator('[data-test=cp-submit]').click();
    await page.locator('[data-test=cp-done]').waitFor({ timeout: 30_000 });
    await page.locator('[data-test=change-password]').screenshot({ path: join(shots, 'password-change-done.png') });

    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=unlock-form]').waitFor();
    assert.equal((await page.locator('[data-test=hint]').textContent())?.trim(), 'Hint: second');
    await unlockWith(FIRST);
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor();
    await unlockWith(SECOND);
    await page.locator('[data-test=group-identity]').waitFor();
    assert.notEqual((await statusOf(page, 'personal_details').textContent())?.trim(), 'Not added', 'the same key: the document still opens');
  });

  test('lock screen: "Forgot password?" says the Passport is lost and why no backup can be made now', async () => {
    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=forgot]').click();
    await page.locator('[data-test=recover-loss]', { hasText: 'deletes your Telegram Passport' }).waitFor();
    await page.locator('[data-test=recover-no-backup]').waitFor();
    await page.screenshot({ path: join(shots, 'recovery-lock-screen.png') });
    await page.locator('[data-test=recover-cancel]').click();
    await unlockWith(SECOND);
    await page.locator('[data-test=group-identity]').waitFor();
  });

  test('recovery from Settings: backup first, the e-mail code, a new password; the backup restores with the password it was made under', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.locator('[data-test=cp-forgot]').click();
    await page.locator('[data-test=recover-next]').click();
    await page.locator('[data-test=backup-offer]').waitFor();
    await page.screenshot({ path: join(shots, 'recovery-backup-offer.png') });
    host.dialogs.saveAnswers.push(backup);
    await page.locator('[data-test=backup-first]').click();
    await page.locator('[data-test=backup-saved]').waitFor();
    await page.locator('[data-test=backup-continue]').click();
    await page.locator('[data-test=recover-pattern]').waitFor();
    const pattern = (await page.locator('[data-test=recover-pattern]').textContent()) ?? '';
    assert.match(pattern, /\*/, 'the address is shown masked');
    assert.equal(pattern.includes(EMAIL), false);
    await page.locator('[data-test=recover-code]').fill(server.lastEmailCode(EMAIL) ?? 'none');
    await page.locator('[data-test=recover-new]').fill(THIRD);
    await page.locator('[data-test=recover-repeat]').fill(THIRD);
    assert.equal(await page.locator('[data-test=recover-confirm]').isDisabled(), true, 'not before "I understand"');
    await page.locator('[data-test=recover-understood]').check();
    await page.screenshot({ path: join(shots, 'recovery-code.png') });
    await page.locator('[data-test=recover-confirm]').click();
    try {
      await page.locator('[data-test=unlock-form]').waitFor({ timeout: 30_000 });
    } catch (e) {
      await page.screenshot({ path: join(shots, 'recovery-failed.png') });
      throw new Error(`no unlock form after recovery: ${await page.locator('main, body').first().innerText()}`, { cause: e });
    }
    assert.equal(user()?.secureValues.size, 0, 'Telegram dropped the Passport');

    await unlockWith(SECOND);
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor();
    await unlockWith(THIRD);
    await page.locator('[data-test=welcome]').waitFor();
    assert.equal((await statusOf(page, 'personal_details').textContent())?.trim(), 'Not added', 'a new, empty Passport');

    await page.goto(`${host.url}#/settings`);
    host.dialogs.openAnswers.push(backup);
    await page.locator('[data-test=choose-backup]').click();
    await page.locator('[data-test=restore-password]').fill(THIRD);
    await page.locator('[data-test=restore-backup]').click();
    await page.locator('[data-test=backup-error]', { hasText: 'Wrong password' }).waitFor();
    await page.locator('[data-test=restore-password]').fill(SECOND);
    await page.locator('[data-test=restore-backup]').click();
    await page.locator('[data-test=restore-result]', { hasText: 'Restored 1 document.' }).waitFor({ timeout: 30_000 });
    assert.equal(user()?.secureValues.size, 1, 'sent to Telegram under the new key');
  });

  test('attach: the local Passport of this device is copied into the account’s', async () => {
    await page.goto(`${host.url}#/settings`);
    await page.locator('[data-test=attach-local]', { hasText: '1 document' }).waitFor();
    await page.locator('[data-test=attach-password]').fill(THIRD);
    await page.locator('[data-test=attach-submit]').click();
    await page.locator('[data-test=attach-error]', { hasText: 'Wrong password' }).waitFor();
    await page.locator('[data-test=attach-password]').fill(LOCAL);
    await page.locator('[data-test=attach-local]').screenshot({ path: join(shots, 'attach-local.png') });
    await page.locator('[data-test=attach-submit]').click();
    await page.locator('[data-test=attach-result]', { hasText: 'Copied 1 document into' }).waitFor({ timeout: 30_000 });
    assert.equal(user()?.secureValues.size, 2, 'the address joined the restored personal details on Telegram');
    await page.goto(`${host.url}#/documents`);
    assert.notEqual((await statusOf(page, 'address').textContent())?.trim(), 'Not added');
  });

  test('a damaged key on Telegram: the reset offers a backup from this device’s copy first (with the password), then the typed confirmation', async () => {
    const pw = user()?.password;
    assert.ok(pw?.secure);
    pw.secure = { ...pw.secure, secret: randomBytes(32) }; // same id, garbage secret: damage, not a wrong password
    await page.locator('[data-test=lock]').click();
    await unlockWith(THIRD);
    await page.locator('[data-test=reset-passport] [data-test=backup-offer]').waitFor();
    assert.equal(await page.locator('[data-test=reset-typed]').count(), 0, 'no confirmation before the backup step');
    await page.screenshot({ path: join(shots, 'reset-backup-offer.png') });
    const saved = join(tmp, 'before-reset.pvbackup');
    host.dialogs.saveAnswers.push(saved);
    await page.locator('[data-test=backup-password]').fill(THIRD);
    await page.locator('[data-test=backup-first]').click();
    await page.locator('[data-test=backup-saved]', { hasText: '2 documents' }).waitFor();
    assert.ok(existsSync(saved));
    await page.locator('[data-test=backup-continue]').click();
    await page.locator('[data-test=reset-understood]').check();
    await page.locator('[data-test=reset-password]').fill(THIRD);
    await page.locator('[data-test=reset-typed]').fill('DELETE MY PASSPORT');
    await page.locator('[data-test=reset-confirm]').click();
    await page.locator('[data-test=group-identity]').waitFor({ timeout: 30_000 });
    assert.deepEqual(pageErrors, []);
  });
});
