/**
 * The Telegram Passport in Chromium, end to end: the built renderer → test bridge → production router,
 * VaultService and TelegramPassport → mtcute → the loopback Telegram server over real MTProto.
 * Sign in, create the Passport (first unlock makes its secret), personal details, a passport with front
 * side and selfie, an address and a utility bill with two scans, phone and e-mail verified by code,
 * lock, unlock, edit (reorder and an undone removal), delete one value. Afterwards the server's stored
 * state and the app's data folder hold no typed field value and no image bytes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PassportVaultApi } from '../../electron/common/ipc/api';
import type { LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { allBytesUnder, assertNoPlaintext } from '../support/plaintext-scan';
import { openTelegramAppPage, type TelegramAppPage } from '../support/app-page';
import { addPassport, createPassportOnFirstUnlock, lockAndUnlock, openEditor, saveAndWait as saveAndWaitOn, signInThroughUi, submitUnlock, urlNav, type AppNav } from '../support/flows';
import type { BridgeHost } from '../support/bridge/host';
import { resultsDir } from '../support/paths';
import { testJpeg } from '../support/test-jpeg';

const shots = resultsDir('e2e');
const PHONE = '9996679101';
const PASSWORD = 'tg-e2e two-step';
const typed = { first: 'Katherine', last: 'Johnson', docNo: 'K7351946', docNo2: 'K7351947', street: '42 Orbital Drive', city: 'Hampton' };
const OTHER_PHONE = '9996615555';
const EMAIL = 'katherine.j@example.org';

const photo = (seed: number, width = 900, height = 600): Promise<Buffer> => testJpeg(seed, width, height, { look: 'photo', quality: 90 });

describe('the Telegram Passport, end to end against the loopback server', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-e2e-tg-vault-'));
  let app: TelegramAppPage | undefined;
  let server: LoopbackTelegram;
  let host: BridgeHost;
  let page: Page;
  let nav: AppNav;
  let pageErrors: string[] = [];
  const images: Buffer[] = [];

  before(async () => {
    mkdirSync(join(tmp, 'server'));
    // The hint is not a typed value: the server may keep it.
    app = await openTelegramAppPage(join(tmp, 'app-data'), { phone: PHONE, firstName: 'KJ', password: PASSWORD, hint: 'the usual' }, { stateFile: join(tmp, 'server', 'state.json') });
    ({ server, host, page, pageErrors } = app);
    nav = urlNav(page, host.url);
    for (let i = 1; i <= 5; i++) images.push(await photo(i));
  });

  after(async () => {
    await app?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const user = () => [...server.state.users.values()].find((u) => u.phone === PHONE);
  const onServer = (tlType: string) => user()?.secureValues.get(tlType);
  const file = (i: number) => ({ name: `scan-${i}.jpg`, mimeType: 'image/jpeg', buffer: images[i] as Buffer });
  const open = (type: string): Promise<void> => openEditor(nav, type);
  const failed = async (): Promise<void> => {
    await page.screenshot({ path: join(shots, 'tg-vault-save-failed.png') });
    console.error(`page errors: ${JSON.stringify(pageErrors)}`);
  };
  const saveAndWait = (): Promise<void> => saveAndWaitOn(page, failed);

  test('sign in, then the first unlock with the 2FA password creates the Passport', async () => {
    await signInThroughUi(page, host.url, server, { phone: PHONE, password: PASSWORD });

    await page.goto(`${host.url}#/documents`);
    await page.locator('[data-test=unlock-form]').waitFor();
    assert.equal((await page.locator('[data-test=hint]').textContent())?.trim(), 'Hint: the usual');
    await page.screenshot({ path: join(shots, 'tg-vault-unlock.png') });
    await submitUnlock(page, 'not it');
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor();
    await createPassportOnFirstUnlock(nav, PASSWORD);
    assert.ok(user()?.password?.secure !== undefined, 'a passport secret was stored on Telegram');
  });

  test('personal details, and a passport with front side and selfie (uploaded with previews)', async () => {
    await open('personal_details');
    await page.locator('#first_name').fill(typed.first);
    await page.locator('#last_name').fill(typed.last);
    await page.locator('#birth_date').fill('1918-08-26');
    await page.locator('#gender').selectOption('female');
    await page.locator('#country_code').selectOption('US');
    await page.locator('#residence_country_code').selectOption('US');
    await saveAndWait();

    // After the save the tiles show previews decrypted in main from what was stored (addPassport waits for them).
    await addPassport(nav, { docNo: typed.docNo, expiry: '2034-05-01', frontSide: file(0), selfie: file(1) }, {
      beforeSave: async () => assert.equal(await page.locator('[data-test=unsaved]').count(), 1, 'scans are staged until Save'),
      onFailure: failed,
    });
    await page.screenshot({ path: join(shots, 'tg-vault-passport.png') });
    const stored = onServer('secureValueTypePassport');
    assert.ok(stored?.frontSide !== undefined && stored.selfie !== undefined, 'Telegram holds the passport with both files');

    // The full-size view decrypts on request.
    await page.locator('[data-test=slot-front_side] [data-test=tile]').click();
    await page.locator('[data-test=viewer-image]').waitFor();
    await page.locator('[data-test=viewer-close]').click();
  });

  test('an address, and a utility bill with two scans; the list shows each document’s state', async () => {
    await open('address');
    await page.locator('#street_line1').fill(typed.street);
    await page.locator('#city').fill(typed.city);
    await page.locator('#country_code').selectOption('US');
    await page.locator('#post_code').fill('23666');
    await saveAndWait();

    await open('utility_bill');
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=error]').waitFor();
    assert.match((await page.locator('[data-test=error]').textContent()) ?? '', /at least one scan/);
    await page.locator('[data-test=input-files]').setInputFiles([file(2), file(3)]);
    await page.locator('[data-test=slot-files] [data-test=list-item]').nth(1).waitFor();
    await saveAndWait();
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]').count(), 2);

    await page.goto(`${host.url}#/documents`);
    await page.locator('[data-test=doc-utility_bill] [data-test=status][data-state=complete]', { hasText: '2 scans' }).waitFor();
    assert.equal(await page.locator('[data-test=doc-passport] [data-test=status]').getAttribute('data-state'), 'complete');
    assert.equal(await page.locator('[data-test=doc-personal_details] [data-test=status]').getAttribute('data-state'), 'complete');
    await page.screenshot({ path: join(shots, 'tg-vault-list.png') });
  });

  test('phone and e-mail are verified by code, then saved as the Passport’s', async () => {
    await open('phone_number');
    await page.locator('[data-test=verify-address]').fill(`+${OTHER_PHONE}`);
    await page.locator('[data-test=verify-send]').click();
    await page.locator('[data-test=verify-code]').fill('00000');
    await page.locator('[data-test=verify-confirm]').click();
    await page.locator('[data-test=verify-error]').waitFor();
    await page.locator('[data-test=verify-code]').fill(server.lastCode(OTHER_PHONE) ?? 'none');
    await page.locator('[data-test=verify-confirm]').click();
    // Shown as people write it (a Telegram test number: +999 66 X YYYY).
    await page.locator('[data-test=verified-value]', { hasText: '+999 66 1 5555' }).waitFor();

    await open('email');
    await page.locator('[data-test=verify-address]').fill(EMAIL);
    await page.locator('[data-test=verify-send]').click();
    await page.locator('[data-test=verify-sent]').waitFor();
    await page.locator('[data-test=verify-code]').fill(server.lastEmailCode(EMAIL) ?? 'none');
    await page.locator('[data-test=verify-confirm]').click();
    await page.locator('[data-test=verified-value]', { hasText: EMAIL }).waitFor();
    await page.screenshot({ path: join(shots, 'tg-vault-email.png') });
    assert.deepEqual([...(user()?.secureValues.keys() ?? [])].sort(), [
      'secureValueTypeAddress',
      'secureValueTypeEmail',
      'secureValueTypePassport',
      'secureValueTypePersonalDetails',
      'secureValueTypePhone',
      'secureValueTypeUtilityBill',
    ]);
  });

  test('lock, unlock, edit (a removal undone, a reorder, a new number), delete one value', async () => {
    await lockAndUnlock(page, PASSWORD);

    await open('utility_bill');
    await page.locator('[data-test=slot-files] [data-test=list-item] [data-test=thumb]').nth(1).waitFor();
    const idsBefore = onServer('secureValueTypeUtilityBill')?.files ?? [];
    assert.equal(idsBefore.length, 2);
    await page.locator('[data-test=slot-files] [data-test=remove-item]').first().click();
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]').count(), 1);
    await page.locator('[data-test=undo]').click();
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]').count(), 2);
    await page.locator('[data-test=slot-files] [data-test=move-later]').first().click();
    await saveAndWait();
    assert.deepEqual(onServer('secureValueTypeUtilityBill')?.files, [...idsBefore].reverse(), 'the same two files (by id), swapped: nothing uploaded again');

    await open('passport');
    await page.locator('#document_no').fill(typed.docNo2);
    await saveAndWait();
    await open('passport');
    assert.equal(await page.locator('#document_no').inputValue(), typed.docNo2);

    await open('address');
    await page.locator('[data-test=delete]').click();
    await page.locator('[data-test=confirm-delete]').click();
    await page.locator('[data-test=doc-address] [data-test=status]', { hasText: 'Not added' }).waitFor();
    assert.equal(onServer('secureValueTypeAddress'), undefined, 'deleted on Telegram');
    await page.screenshot({ path: join(shots, 'tg-vault-after-edit.png') });
    assert.deepEqual(pageErrors, []);
  });

  test('the server’s stored state and the app’s data folder hold no typed value and no image bytes', async () => {
    // The images as stored: main re-encodes every scan, so take the decrypted bytes back from the app.
    const stored = await page.evaluate(async () => {
      const api = (window as unknown as { passportVault: PassportVaultApi }).passportVault;
      const out: number[][] = [];
      for (const type of ['passport', 'utility_bill'] as const) {
        const r = await api.vault.read({ type });
        if (!r.ok || r.value === null) throw new Error(`cannot read ${type}`);
        for (const f of [r.value.frontSide, r.value.selfie, ...r.value.files]) {
          if (f === null) continue;
          const img = await api.vault.file({ type, fileHash: f.fileHash, size: 'full' });
          if (!img.ok) throw new Error(img.error.message);
          out.push(Array.from(img.value.bytes));
        }
      }
      return out;
    });
    const plainImages = stored.map((b) => Buffer.from(b));
    assert.equal(plainImages.length, 4);
    assert.ok(plainImages.every((b) => b[0] === 0xff && b[1] === 0xd8 && b.length > 20_000), 'real JPEGs came back');
    await server.close(); // flushes the state file
    const texts = [typed.first, typed.last, typed.docNo, typed.docNo2, typed.street, typed.city];
    // The server keeps only what a real one would: ciphertext (phone and e-mail are plain on Telegram by design).
    assertNoPlaintext(allBytesUnder(join(tmp, 'server')), texts, [...plainImages, ...images.slice(0, 4)], 'the server state');
    assertNoPlaintext(allBytesUnder(join(tmp, 'app-data')), texts, [...plainImages, ...images.slice(0, 4)], 'the app data folder');
  });
});
