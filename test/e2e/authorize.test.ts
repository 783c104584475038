/**
 * A Passport authorization in Chromium, end to end against the loopback server and a test bot whose
 * private key the test holds (it plays the service): sign in, unlock, paste a link asking for personal
 * details with native names, one of passport / identity card with a selfie, a utility bill with a
 * translation, and the phone. The utility bill is missing: it is added from the form (its editor, then
 * straight back to the same request); the identity card is chosen over the suggested passport;
 * Authorize. The test then decrypts what the server received with the bot's private key, using the
 * service-side decrypter, and checks every field, every file against the app's own copy, and the nonce.
 * Decline and Telegram's refusals (BOT_INVALID, PUBLIC_KEY_INVALID) open the service's callback with
 * tg_passport=cancel / error&error=CODE.
 * Then the service reports errors of all nine kinds (Bot API setPassportDataErrors); the next form
 * brings them, the Documents list flags the documents and each editor shows every message on its exact
 * field, file or list; fixing one (a field edited, a selfie replaced) clears that error only.
 * One server, one browser, one sign-in for all of it (CI time).
 */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { PassportVaultApi } from '../../electron/common/ipc/api';
import { PassportDataSchema } from '../../electron/common/passport/credentials';
import { decryptFileWithCredentials, decryptPassportData } from '../../electron/main/passport/crypto/index';
import { botRegistry, type LoopbackBot } from '../../tools/loopback-telegram/bots';
import type { LoopbackTelegram } from '../../tools/loopback-telegram/index';
import { botFileBytes } from '../../tools/loopback-telegram/methods/authorization';
import { openTelegramAppPage, signInThroughUi, type TelegramAppPage } from '../support/app-page';
import { jsSdkLink, type Json } from '../support/link-samples';
import type { BridgeHost } from '../support/bridge/host';
import { resultsDir } from '../support/paths';
import { testJpeg } from '../support/test-jpeg';

const shots = resultsDir('e2e');
const PHONE = '9996679301';
const PASSWORD = 'authorize e2e pw';
const NONCE = 'e2e-nonce-7f3a9c';
const CALLBACK = 'https://kyc.example/passport/done?session=42';
const PERSONAL = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  birth_date: '10.12.1985',
  gender: 'female',
  country_code: 'GB',
  residence_country_code: 'GB',
  first_name_native: 'Ада',
  last_name_native: 'Лавлейс',
};
const PASSPORT = { document_no: 'P1234567', expiry_date: '01.01.2035' };
const ID_CARD = { document_no: 'ID998877', expiry_date: '02.02.2033' };
const SCOPE: { data: Json[]; v: number } = {
  data: [{ type: 'personal_details', native_names: true }, { one_of: ['passport', 'identity_card'], selfie: true }, { type: 'utility_bill', translation: true }, 'phone_number'],
  v: 1,
};

const photo = (seed: number, width = 720, height = 480): Promise<Buffer> => testJpeg(seed, width, height, { look: 'photo', quality: 85 });

/** Images as base64 (a string crosses into the page far faster than an array of numbers). */
type Slots = Partial<Record<'frontSide' | 'reverseSide' | 'selfie', string>> & { files?: string[]; translation?: string[] };

describe('Passport authorization and service errors, end to end against the loopback server', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-e2e-authorize-'));
  let app: TelegramAppPage | undefined;
  let server: LoopbackTelegram;
  let host: BridgeHost;
  let page: Page;
  let pageErrors: string[] = [];
  let bot: LoopbackBot;
  let strangerKeyBot: LoopbackBot;
  const images: Buffer[] = [];

  before(async () => {
    app = await openTelegramAppPage(join(tmp, 'app-data'), { phone: PHONE, firstName: 'AL', password: PASSWORD });
    ({ server, host, page, pageErrors } = app);
    const bots = botRegistry(server.state);
    bot = bots.register({ username: 'kyc_e2e_bot', firstName: 'KYC Example', privacyPolicyUrl: 'https://kyc.example/privacy' });
    // A bot whose registered key is not the one its links carry (the link uses `bot`'s key).
    strangerKeyBot = bots.register({ username: 'other_key_bot', firstName: 'Other Key' });
    for (let i = 1; i <= 9; i++) images.push(await photo(i));
  });

  after(async () => {
    await app?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const user = () => server.state.userByPhone(PHONE);
  const onServer = (tl: string) => user()?.secureValues.get(tl);
  const fileHashOnServer = (id: bigint | undefined): string => server.state.secureFiles.get(id ?? -1n)?.fileHash.toString('base64') ?? 'none';
  const file = (i: number) => ({ name: `scan-${i}.jpg`, mimeType: 'image/jpeg', buffer: images[i] as Buffer });
  const link = (over: { bot_id?: string; public_key?: string; nonce?: string } = {}): string =>
    jsSdkLink({ bot_id: over.bot_id ?? bot.id.toString(), scope: SCOPE, public_key: over.public_key ?? bot.publicKeyPem, nonce: over.nonce ?? NONCE, callback_url: CALLBACK });
  const openRequest = async (url: string): Promise<void> => {
    await page.goto(`${host.url}#/requests`);
    await page.locator('[data-test=link]').fill(url);
    await page.locator('[data-test=open]').click();
    await page.locator('[data-test^=request-]').first().waitFor();
  };
  const saveAndWait = async (): Promise<void> => {
    await page.locator('[data-test=save]').click();
    try {
      await page.locator('[data-test=saved]', { hasText: 'Telegram Passport' }).waitFor({ timeout: 20_000 });
    } catch (e) {
      const shown = await page.locator('[data-test=error], [data-test=field-error], [data-test=file-add-error]').allTextContents();
      throw new Error(`save did not finish: ${JSON.stringify(shown)} ${JSON.stringify(pageErrors)}`, { cause: e });
    }
  };
  /** Saves a document through the app's own IPC (production handlers): the setup the form is tested on. */
  const seed = (type: string, data: Record<string, string>, slots: Slots): Promise<void> =>
    page.evaluate(
      // No named functions inside: tsx would wrap them in a helper the page does not have.
      async ({ type, data, slots }) => {
        const api = (window as unknown as { passportVault: PassportVaultApi }).passportVault;
        const req: Record<string, unknown> = { type, data };
        const jobs: [string, number | null, string][] = [];
        for (const k of ['frontSide', 'reverseSide', 'selfie'] as const) if (slots[k]) jobs.push([k, null, slots[k]]);
        for (const k of ['files', 'translation'] as const) (slots[k] ?? []).forEach((b, i) => jobs.push([k, i, b]));
        for (const [k, i, b] of jobs) {
          const r = await api.scan.prepare({ bytes: Uint8Array.from(atob(b), (c) => c.charCodeAt(0)) });
          if (!r.ok) throw new Error(r.error.message);
          if (i === null) req[k] = { scanId: r.value.scanId };
          else ((req[k] ??= []) as unknown[])[i] = { scanId: r.value.scanId };
        }
        const r = await api.vault.save(req as Parameters<PassportVaultApi['vault']['save']>[0]);
        if (!r.ok) throw new Error(`${type}: ${r.error.message}`);
      },
      { type, data, slots },
    );
  const bytes = (i: number): string => (images[i] as Buffer).toString('base64');

  test('sign in, unlock (creates the Passport); personal details, passport and identity card saved; phone from the account', async () => {
    await signInThroughUi(page, host.url, server, { phone: PHONE, password: PASSWORD });
    await page.goto(`${host.url}#/documents`);
    await page.locator('[data-test=unlock-password]').fill(PASSWORD);
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=welcome]').waitFor();

    await seed('personal_details', PERSONAL, {});
    await seed('passport', PASSPORT, { frontSide: bytes(0), selfie: bytes(1) });
    await seed('identity_card', ID_CARD, { frontSide: bytes(2), reverseSide: bytes(3), selfie: bytes(4) });
    const phone = await page.evaluate(async () => {
      const r = await (window as unknown as { passportVault: PassportVaultApi }).passportVault.verify.useAccountPhone();
      return r.ok ? r.value.status : r.error.message;
    });
    assert.equal(phone, 'saved');
    assert.deepEqual([...(user()?.secureValues.keys() ?? [])].sort(), ['secureValueTypeIdentityCard', 'secureValueTypePassport', 'secureValueTypePersonalDetails', 'secureValueTypePhone']);
  });

  test('the form: the missing utility bill is added from it, and the same request comes back with it ready', async () => {
    await openRequest(link());
    await page.locator('[data-test=review]').click();
    const billOption = page.locator('[data-test=option-utility_bill]');
    await billOption.waitFor();
    assert.equal(await page.locator('[data-test=service-name]').textContent(), 'KYC Example');
    assert.equal(await billOption.getAttribute('data-status'), 'missing');
    assert.equal(await page.locator('[data-test=option-personal_details]').getAttribute('data-status'), 'ready');
    assert.equal(await page.locator('[data-test=option-passport]').getAttribute('data-status'), 'ready');
    assert.equal(await page.locator('[data-test=option-identity_card]').getAttribute('data-status'), 'ready');
    assert.equal(await page.locator('[data-test=option-phone_number]').getAttribute('data-status'), 'ready');
    assert.ok(await page.locator('[data-test=authorize]').isDisabled(), 'nothing can be sent while an item is missing');
    await page.screenshot({ path: join(shots, 'authorize-form-missing.png'), fullPage: true });
    const requestCard = await page.locator('[data-test^=request-]').first().getAttribute('data-test');

    await page.locator('[data-test=fill-utility_bill]').click();
    await page.locator('[data-test=for-request]').waitFor();
    await page.locator('[data-test=input-files]').setInputFiles([file(5), file(6)]);
    await page.locator('[data-test=slot-files] [data-test=list-item]').nth(1).waitFor();
    await page.locator('[data-test=input-translation]').setInputFiles([file(7), file(8)]);
    await page.locator('[data-test=slot-translation] [data-test=list-item]').nth(1).waitFor();
    await page.screenshot({ path: join(shots, 'authorize-fill-in-place.png'), fullPage: true });
    await page.locator('[data-test=save]').click();

    // Saving goes straight back to the same request, fetched again: the bill is now ready.
    await page.locator(`[data-test=${requestCard}] [data-test=option-utility_bill][data-status=ready]`).waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('[data-test^=request-]').count(), 1, 'the same request, not a new one');
    assert.equal(onServer('secureValueTypeUtilityBill')?.files?.length, 2);
    assert.equal(onServer('secureValueTypeUtilityBill')?.translation?.length, 2);
    await page.screenshot({ path: join(shots, 'authorize-form-ready.png'), fullPage: true });
  });

  test('choose the identity card over the suggested passport; Authorize sends it and opens the callback', async () => {
    assert.ok(await page.locator('[data-test=choose-passport]').isChecked(), 'the first ready option is suggested');
    await page.locator('[data-test=choose-identity_card]').check();
    assert.equal(bot.received.length, 0, 'nothing is sent before Authorize');
    await page.locator('[data-test=authorize]').click();
    await page.locator('[data-test=closed][data-outcome=shared]').waitFor({ timeout: 20_000 });
    assert.equal(bot.received.length, 1);
    const cb = new URL(host.openedInBrowser.at(-1) ?? '');
    assert.equal(cb.origin + cb.pathname, 'https://kyc.example/passport/done');
    assert.equal(cb.searchParams.get('session'), '42');
    assert.equal(cb.searchParams.get('tg_passport'), 'success');
    const history = page.locator('[data-test=history] li');
    await history.first().waitFor();
    assert.match((await history.first().textContent()) ?? '', /KYC Example: shared \(Personal details, Identity card, Utility bill, Phone number\)/);
    await page.screenshot({ path: join(shots, 'authorize-shared.png'), fullPage: true });
  });

  test('the bot decrypts what Telegram received: every field, every file (against the app’s copy), the nonce', async () => {
    const got = bot.received[0];
    assert.ok(got !== undefined);
    const decrypted = decryptPassportData(PassportDataSchema.parse(got.passportData), createPrivateKey(bot.privateKeyPem ?? ''));
    assert.ok('nonce' in decrypted.credentials && decrypted.credentials.nonce === NONCE, 'the nonce');
    const sd = decrypted.credentials.secure_data;
    assert.deepEqual(Object.keys(sd).sort(), ['identity_card', 'personal_details', 'utility_bill'], 'the chosen values only: no passport, no entry for the plain phone');
    assert.deepEqual(Object.keys(sd.identity_card ?? {}).sort(), ['data', 'front_side', 'reverse_side', 'selfie']);
    assert.deepEqual(Object.keys(sd.utility_bill ?? {}).sort(), ['files', 'translation']);
    const el = new Map(decrypted.elements.map((e) => [e.type, e]));
    assert.deepEqual([...el.keys()].sort(), ['identity_card', 'personal_details', 'phone_number', 'utility_bill']);
    assert.deepEqual(el.get('personal_details')?.data, PERSONAL);
    assert.deepEqual(el.get('identity_card')?.data, ID_CARD);
    assert.equal(el.get('phone_number')?.phone_number, PHONE);
    // Telegram got the values' current hashes, unchanged.
    for (const h of got.valueHashes) assert.deepEqual(h.hash, onServer(h.type)?.hash, h.type);

    // The app's own decrypted copies of the shared files, by file hash.
    const appFiles = await page.evaluate(async () => {
      const api = (window as unknown as { passportVault: PassportVaultApi }).passportVault;
      const out: Record<string, string> = {};
      for (const type of ['identity_card', 'utility_bill'] as const) {
        const r = await api.vault.read({ type });
        if (!r.ok || r.value === null) throw new Error(`cannot read ${type}`);
        for (const f of [r.value.frontSide, r.value.reverseSide, r.value.selfie, ...r.value.files, ...r.value.translation]) {
          if (f === null) continue;
          const img = await api.vault.file({ type, fileHash: f.fileHash, size: 'full' });
          if (!img.ok) throw new Error(img.error.message);
          // Its SHA-256, computed in the page: the images need not cross back to the test.
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', img.value.bytes));
          out[f.fileHash] = Array.from(digest, (x) => x.toString(16).padStart(2, '0')).join('');
        }
      }
      return out;
    });
    assert.equal(Object.keys(appFiles).length, 7);
    const raw = new Map(got.passportData.data.map((e) => [e.type, e]));
    const checked: string[] = [];
    const check = (name: string, fileId: string | undefined, creds: { file_hash: string; secret: string } | undefined): void => {
      assert.ok(fileId !== undefined && creds !== undefined, `${name} was shared`);
      const id = BigInt(fileId.replace('secure:', ''));
      assert.equal(creds.file_hash, fileHashOnServer(id), `${name}: file_hash is the stored file's`);
      const plain = decryptFileWithCredentials(botFileBytes(server, fileId), creds);
      assert.equal(createHash('sha256').update(plain).digest('hex'), appFiles[creds.file_hash], `${name}: the bot's image is the app's`);
      assert.ok(plain[0] === 0xff && plain[1] === 0xd8, `${name}: a JPEG`);
      checked.push(creds.file_hash);
    };
    const ic = raw.get('identity_card');
    check('identity_card.front_side', ic?.front_side?.file_id, sd.identity_card?.front_side);
    check('identity_card.reverse_side', ic?.reverse_side?.file_id, sd.identity_card?.reverse_side);
    check('identity_card.selfie', ic?.selfie?.file_id, sd.identity_card?.selfie);
    const ub = raw.get('utility_bill');
    assert.equal(ub?.files?.length, 2);
    assert.equal(ub?.translation?.length, 2);
    for (let i = 0; i < 2; i++) {
      check(`utility_bill.files.${i}`, ub?.files?.[i]?.file_id, sd.utility_bill?.files?.[i]);
      check(`utility_bill.translation.${i}`, ub?.translation?.[i]?.file_id, sd.utility_bill?.translation?.[i]);
    }
    assert.deepEqual(checked.sort(), Object.keys(appFiles).sort(), 'every shared file checked, each once');
  });

  test('Decline opens the callback with tg_passport=cancel; nothing is sent', async () => {
    await openRequest(link({ nonce: 'nonce-declined' }));
    await page.locator('[data-test=cancel]').click();
    await page.locator('[data-test=closed][data-outcome=cancelled]').first().waitFor();
    const cb = new URL(host.openedInBrowser.at(-1) ?? '');
    assert.equal(cb.searchParams.get('tg_passport'), 'cancel');
    assert.equal(cb.searchParams.get('session'), '42');
    assert.equal(bot.received.length, 1);
  });

  for (const [name, over, code] of [
    ['an unknown bot', () => ({ bot_id: '777000111222' }), 'BOT_INVALID'],
    ['a key that is not the bot’s', () => ({ bot_id: strangerKeyBot.id.toString() }), 'PUBLIC_KEY_INVALID'],
  ] as const) {
    test(`${name}: Telegram refuses (${code}), the page says why, and closing tells the service error=${code}`, async () => {
      const opened = host.openedInBrowser.length;
      await openRequest(link(over()));
      await page.locator('[data-test=review]').click();
      const err = page.locator('[data-test=form-error]');
      await err.waitFor();
      assert.ok(((await err.textContent()) ?? '').length > 10);
      await page.screenshot({ path: join(shots, `authorize-error-${code}.png`), fullPage: true });
      await page.locator('[data-test=cancel]').click();
      await page.locator('[data-test^=request-]').first().waitFor({ state: 'detached' });
      assert.equal(host.openedInBrowser.length, opened + 1);
      const cb = new URL(host.openedInBrowser.at(-1) ?? '');
      assert.equal(cb.searchParams.get('tg_passport'), 'error');
      assert.equal(cb.searchParams.get('error'), code);
    });
  }

  test('service errors of all nine kinds: flagged in the list, each on its exact field, file or list; fixing one clears it', async () => {
    const pd = onServer('secureValueTypePersonalDetails');
    const pp = onServer('secureValueTypePassport');
    const ic = onServer('secureValueTypeIdentityCard');
    const ub = onServer('secureValueTypeUtilityBill');
    assert.ok(pd?.data && pp && ic && ub);
    const ubFiles = (ub.files ?? []).map(fileHashOnServer);
    const ubTr = (ub.translation ?? []).map(fileHashOnServer);
    bot.setPassportDataErrors(user()?.id ?? 0n, [
      { source: 'data', type: 'personal_details', field_name: 'first_name', data_hash: pd.data.dataHash.toString('base64'), message: 'First name does not match the document' },
      { source: 'front_side', type: 'identity_card', file_hash: fileHashOnServer(ic.frontSide), message: 'Front side is blurry' },
      { source: 'reverse_side', type: 'identity_card', file_hash: fileHashOnServer(ic.reverseSide), message: 'Reverse side is cut off' },
      { source: 'selfie', type: 'identity_card', file_hash: fileHashOnServer(ic.selfie), message: 'Face not visible on the selfie' },
      { source: 'file', type: 'utility_bill', file_hash: ubFiles[0] ?? '', message: 'This bill is too old' },
      { source: 'files', type: 'utility_bill', file_hashes: ubFiles, message: 'A page of the bill is missing' },
      { source: 'translation_file', type: 'utility_bill', file_hash: ubTr[1] ?? '', message: 'Translation not certified' },
      { source: 'translation_files', type: 'utility_bill', file_hashes: ubTr, message: 'Translate every page' },
      { source: 'unspecified', type: 'passport', element_hash: pp.hash.toString('base64'), message: 'Passport could not be verified' },
    ]);

    // The service asks again: its form brings the errors.
    await openRequest(link({ nonce: 'nonce-after-errors' }));
    await page.locator('[data-test=review]').click();
    await page.locator('[data-test=option-identity_card][data-status=needs_fix]').waitFor();
    for (const t of ['personal_details', 'passport', 'utility_bill']) assert.equal(await page.locator(`[data-test=option-${t}]`).getAttribute('data-status'), 'needs_fix', t);
    await page.screenshot({ path: join(shots, 'service-errors-form.png'), fullPage: true });

    await page.goto(`${host.url}#/documents`);
    for (const t of ['personal_details', 'passport', 'identity_card', 'utility_bill']) {
      await page.locator(`[data-test=doc-${t}] [data-test=status][data-state=service_error]`).waitFor();
    }
    assert.equal(await page.locator('[data-test=doc-phone_number] [data-test=status]').getAttribute('data-state'), 'complete');
    assert.match((await page.locator('[data-test=doc-utility_bill] [data-test=status]').textContent()) ?? '', /4 fixes requested/);
    await page.screenshot({ path: join(shots, 'service-errors-list.png'), fullPage: true });

    const openDoc = async (type: string): Promise<void> => {
      await page.goto(`${host.url}#/documents`);
      await page.locator(`[data-test=doc-${type}] a`).click();
      await page.locator('[data-test=editor]').waitFor();
    };
    const text = async (selector: string): Promise<string[]> => (await page.locator(selector).allTextContents()).map((s) => s.trim());

    await openDoc('passport');
    assert.match((await page.locator('[data-test=service-errors]').textContent()) ?? '', /Passport could not be verified/);

    await openDoc('identity_card');
    await page.locator('[data-test=slot-selfie] [data-test=file-error]').waitFor();
    assert.deepEqual(await text('[data-test=slot-front_side] [data-test=file-error]'), ['Front side is blurry']);
    assert.deepEqual(await text('[data-test=slot-reverse_side] [data-test=file-error]'), ['Reverse side is cut off']);
    assert.deepEqual(await text('[data-test=slot-selfie] [data-test=file-error]'), ['Face not visible on the selfie']);
    assert.equal(await page.locator('[data-test=service-errors]').count(), 0, 'no error left on the document as a whole');
    await page.screenshot({ path: join(shots, 'service-errors-identity-card.png'), fullPage: true });

    await openDoc('utility_bill');
    await page.locator('[data-test=slot-files] [data-test=list-error]').waitFor();
    assert.deepEqual(await text('[data-test=slot-files] [data-test=list-error]'), ['A page of the bill is missing']);
    assert.deepEqual(await text('[data-test=slot-translation] [data-test=list-error]'), ['Translate every page']);
    assert.deepEqual(await text('[data-test=slot-files] [data-test=list-item]:nth-child(1) [data-test=file-error]'), ['This bill is too old']);
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]:nth-child(2) [data-test=file-error]').count(), 0);
    assert.deepEqual(await text('[data-test=slot-translation] [data-test=list-item]:nth-child(2) [data-test=file-error]'), ['Translation not certified']);
    assert.equal(await page.locator('[data-test=slot-translation] [data-test=list-item]:nth-child(1) [data-test=file-error]').count(), 0);
    await page.screenshot({ path: join(shots, 'service-errors-utility-bill.png'), fullPage: true });

    await openDoc('personal_details');
    assert.deepEqual(await text('[data-test=field-first_name] [data-test=field-service-error]'), ['First name does not match the document']);
    assert.equal(await page.locator('[data-test=field-service-error]').count(), 1, 'on that field only');
    // Fix it: the field edited and saved → the error is gone, here and in the list.
    await page.locator('#first_name').fill('Augusta Ada');
    assert.equal(await page.locator('[data-test=field-service-error]').count(), 0, 'hidden while edited');
    await saveAndWait();
    assert.equal(await page.locator('[data-test=field-service-error]').count(), 0, 'gone after the save');

    // Fix the selfie: replaced → its error is gone, the front and reverse side errors stay.
    await openDoc('identity_card');
    await page.locator('[data-test=remove-selfie]').click();
    await page.locator('[data-test=input-selfie]').setInputFiles(file(8));
    await page.locator('[data-test=slot-selfie] [data-test=thumb]').waitFor();
    await saveAndWait();
    await page.locator('[data-test=slot-selfie] .tile:not(.tile-new) [data-test=thumb]').waitFor();
    assert.equal(await page.locator('[data-test=slot-selfie] [data-test=file-error]').count(), 0);
    assert.deepEqual(await text('[data-test=slot-front_side] [data-test=file-error]'), ['Front side is blurry']);
    assert.deepEqual(await text('[data-test=slot-reverse_side] [data-test=file-error]'), ['Reverse side is cut off']);

    await page.goto(`${host.url}#/documents`);
    await page.locator('[data-test=doc-personal_details] [data-test=status][data-state=complete]').waitFor();
    assert.match((await page.locator('[data-test=doc-identity_card] [data-test=status]').textContent()) ?? '', /2 fixes requested/);
    await page.screenshot({ path: join(shots, 'service-errors-after-fix.png'), fullPage: true });
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
