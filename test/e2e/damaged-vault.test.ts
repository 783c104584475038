/**
 * Issue #21 in Chromium: a local Passport with one scan missing on disk opens and lists as usual;
 * only the document whose scan is gone is marked damaged (list badge and editor), the others read.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LocalVault } from '../../electron/main/vault/local/local-vault';
import { openAppPage } from '../support/app-page';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';

const shots = resultsDir('e2e');
const PASSWORD = 'correct horse battery staple';

describe('a local Passport with a missing scan', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  before(async () => {
    host = await startBridgeHost({ root: REPO_ROOT });
    // The vault is made before the app opens it: personal details, and a passport with one scan, whose blob then goes missing.
    const dir = join(host.dataDir, 'vault');
    const vault = await LocalVault.init(dir, Buffer.from(PASSWORD), null);
    await vault.save({ type: 'personal_details', data: { first_name: 'Grace', last_name: 'Hopper', birth_date: '09.12.1906', gender: 'female', country_code: 'US', residence_country_code: 'US' } });
    await vault.save({ type: 'passport', data: { document_no: 'X1', expiry_date: '' }, frontSide: Buffer.concat([Buffer.of(0xff, 0xd8), randomBytes(20_000)]) });
    vault.close();
    for (const name of readdirSync(join(dir, 'blobs'))) rmSync(join(dir, 'blobs', name));
    ({ browser, page, pageErrors } = await openAppPage(host, { width: 1180, height: 820 }));
  });
  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('the list shows the passport as damaged and the rest as usual', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=unlock-password]').fill(PASSWORD);
    await page.locator('[data-test=unlock]').click();
    await page.locator('[data-test=group-identity]').waitFor();
    await page.locator('[data-test=doc-passport] [data-test=status][data-state=damaged]', { hasText: 'Damaged scan' }).waitFor();
    assert.match((await page.locator('[data-test=doc-personal_details] [data-test=status]').textContent()) ?? '', /Complete/);
    await page.screenshot({ path: join(shots, 'vault-damaged-list.png') });
  });

  test('the editor says which file is damaged; the other document opens with its values', async () => {
    await page.locator('[data-test=doc-passport] a').click();
    await page.locator('[data-test=damaged]', { hasText: 'front side: missing' }).waitFor();
    assert.equal(await page.locator('#document_no').inputValue(), 'X1');
    await page.screenshot({ path: join(shots, 'vault-damaged-editor.png') });
    await page.locator('.back').click();
    await page.locator('[data-test=doc-personal_details] a').click();
    await page.locator('[data-test=editor]').waitFor();
    assert.equal(await page.locator('#last_name').inputValue(), 'Hopper');
    assert.equal(await page.locator('[data-test=damaged]').count(), 0);
  });

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
