/**
 * The local-only Passport in Chromium, through the production router and VaultService: create, fill
 * personal details with inline validation, lock, a wrong password, unlock, edit, delete. Afterwards the
 * app's data folder holds none of the typed values in plaintext.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SECURE_VALUE_TYPE_NAMES, SECURE_VALUE_TYPES } from '../../electron/common/passport/secure-value-types';
import { openAppPage } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';

const shots = resultsDir('e2e');
const PASSWORD = 'correct horse battery staple';
const typed = { first_name: 'Grace', last_name: 'Hopper', city: 'Arlington' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

describe('a local-only Passport', () => {
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

  test('create: the two passwords must match, then all 13 types are listed in their groups', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=choose-local]').click();
    await page.locator('[data-test=new-password]').fill(PASSWORD);
    await page.locator('[data-test=confirm-password]').fill('something else');
    assert.equal(await page.locator('[data-test=create]').isDisabled(), true);
    await page.locator('[data-test=confirm-password]').fill(PASSWORD);
    await page.locator('[data-test=create]').click();
    await page.locator('[data-test=group-identity]').waitFor();
    assert.equal(await page.locator('[data-test^=doc-]').count(), SECURE_VALUE_TYPE_NAMES.length);
    for (const t of SECURE_VALUE_TYPE_NAMES) {
      assert.equal(await page.locator(`[data-test=group-${SECURE_VALUE_TYPES[t].group}] [data-test=doc-${t}]`).count(), 1, t);
    }
  });

  test('personal details: inline errors from the shared schema, then a save', async () => {
    await page.locator('[data-test=doc-personal_details] a').click();
    await page.locator('[data-test=editor]').waitFor();
    await page.locator('#first_name').fill('Grace ✓');
    await page.locator('[data-test=save]').click();
    assert.ok((await page.locator('[data-test=field-first_name] [data-test=field-error]').count()) === 1, 'Latin-only rule');
    assert.ok((await page.locator('[data-test=field-birth_date] [data-test=field-error]').count()) === 1, 'date required');
    await page.screenshot({ path: join(shots, 'vault-editor-errors.png') });

    await page.locator('#first_name').fill(typed.first_name);
    await page.locator('#last_name').fill(typed.last_name);
    await page.locator('#birth_date').fill('1906-12-09');
    await page.locator('#gender').selectOption('female');
    await page.locator('#country_code').selectOption('US');
    await page.locator('#residence_country_code').selectOption('US');
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
    assert.equal(await page.locator('[data-test=field-error]').count(), 0);
    await page.screenshot({ path: join(shots, 'vault-editor-saved.png') });
  });

  test('an address too, and the list shows both as added', async () => {
    await page.locator('.back').click();
    await page.locator('[data-test=doc-address] a').click();
    await page.locator('#street_line1').fill('1 Navy Way');
    await page.locator('#city').fill(typed.city);
    await page.locator('#country_code').selectOption('US');
    await page.locator('#post_code').fill('22201');
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
    await page.locator('.back').click();
    await page.locator('[data-test=doc-address] [data-test=status][data-state=complete]', { hasText: 'Complete' }).waitFor();
    assert.match((await page.locator('[data-test=doc-personal_details] [data-test=status]').textContent()) ?? '', /Complete/);
    assert.match((await page.locator('[data-test=doc-passport] [data-test=status]').textContent()) ?? '', /Not added/);
    await page.screenshot({ path: join(shots, 'vault-documents.png') });
  });

  test('lock, a wrong password, then unlock and the values are back', async () => {
    await page.locator('[data-test=lock]').click();
    await page.locator('[data-test=unlock-form]').waitFor();
    await page.locator('[data-test=unlock-password]').fill('not my password');
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=error]', { hasText: 'Wrong password' }).waitFor();
    await page.screenshot({ path: join(shots, 'vault-locked.png') });
    // Locked means locked in main too: a direct read is refused.
    const code = await page.evaluate(async () => {
      const r = await window.passportVault.vault.read({ type: 'personal_details' });
      return r.ok ? 'ok' : r.error.code;
    });
    assert.equal(code, 'VAULT_LOCKED');
    await page.locator('[data-test=unlock-password]').fill(PASSWORD);
    const entries = await page.evaluate(() => history.length);
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=group-identity]').waitFor();
    // The list replaces the lock screen: no history entry leads back to it.
    assert.equal(await page.evaluate(() => history.length), entries);
    await page.locator('[data-test=doc-personal_details] a').click();
    assert.equal(await page.locator('#last_name').inputValue(), typed.last_name);
    assert.equal(await page.locator('#birth_date').inputValue(), '1906-12-09');
  });

  test('delete one document after confirming', async () => {
    await page.locator('.back').click();
    await page.locator('[data-test=doc-address] a').click();
    await page.locator('[data-test=delete]').click();
    await page.locator('[data-test=confirm-delete]').click();
    await page.locator('[data-test=doc-address] [data-test=status]', { hasText: 'Not added' }).waitFor();
  });

  test('the data folder holds no typed value in plaintext', () => {
    const files = filesUnder(host.dataDir);
    assert.ok(files.length > 0, 'the vault wrote files');
    for (const f of files) {
      const text = readFileSync(f).toString('latin1');
      for (const v of Object.values(typed)) assert.ok(!text.includes(v), `${v} found in ${f}`);
    }
  });

  test('Settings shows what is kept here, and Forget everything removes it after the typed confirmation', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('[data-test=cached-vault]', { hasText: 'Local Passport: yes' }).waitFor();
    await page.locator('[data-test=forget]').click();
    await page.locator('[data-test=forget-confirmation]').fill('forget');
    assert.equal(await page.locator('[data-test=forget-confirm]').isDisabled(), true);
    await page.locator('[data-test=forget-confirmation]').fill('FORGET');
    await page.screenshot({ path: join(shots, 'vault-forget.png') });
    await page.locator('[data-test=forget-confirm]').click();
    await page.locator('[data-test=forget-result]').waitFor();
    assert.match((await page.locator('[data-test=forget-result]').textContent()) ?? '', /1 local Passport\./);
    // The card re-reads what is kept after showing the result: waited for, not read at once (it raced under load).
    await page.locator('[data-test=cached-vault]', { hasText: 'Local Passport: no' }).waitFor();
    assert.deepEqual(filesUnder(host.dataDir), [], 'no file of the vault is left');
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.locator('[data-test=setup]').waitFor();
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
