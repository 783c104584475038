/**
 * The Scan screen in Chromium against the BUILT renderer: a generated passport photo and ID card photo
 * opened through the file input, the MRZ read in the page's worker (template matcher + tesseract.js
 * with its WebAssembly core and data served from the app's origin, under the production CSP), fields
 * with their check-digit status, and the photo prepared by main through scan.prepare.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium } from '../support/browser';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';
import { makeFixture } from '../support/scan-fixtures';
import { expectedValues } from '../support/scan-fixtures/evaluate';

const shots = resultsDir('e2e');

describe('Scan screen in Chromium', () => {
  let host: BridgeHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleProblems: string[] = [];
  const requests: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'out/renderer/index.html')), 'out/renderer is missing: run "npm run build" first');
    host = await startBridgeHost({ root: REPO_ROOT });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript({ content: host.pageScript });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleProblems.push(`pageerror: ${e.message}`));
    // Workers' requests too: everything must come from the app's own origin.
    context.on('request', (r) => requests.push(r.url()));
  });

  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('the scanner is not in the first load: its code and assets arrive only when Scan opens', async () => {
    await page.goto(host.url);
    await page.locator('h1', { hasText: 'Documents' }).waitFor();
    assert.equal(requests.filter((u) => /ScanView|mrz-worker|tesseract|traineddata/.test(u)).length, 0, requests.join('\n'));
    await page.getByRole('link', { name: 'Scan' }).click();
    await page.locator('h1', { hasText: 'Scan a document' }).waitFor();
    assert.ok(requests.some((u) => /ScanView/.test(u)));
  });

  test('a passport photo: MRZ read in the page, every field with its check-digit status, photo prepared by main', async () => {
    const f = await makeFixture(1004, 'TD3', 'degraded');
    const want = expectedValues(f.identity);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await page.locator('[data-test=scan-preview]').waitFor();
    // First scan loads Tesseract (10 MB of data, 4.7 MB of WebAssembly) from the app's origin.
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 90_000 });
    const row = (k: string) => page.locator(`[data-test=scan-field-${k}]`);
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), f.mrz.join(''));
    assert.equal(await page.locator('[data-test=mrz-valid]').innerText(), 'all check digits pass');
    assert.match(await row('document_no').innerText(), new RegExp(want.document_no));
    assert.match(await row('last_name').innerText(), new RegExp(want.last_name));
    assert.match(await row('birth_date').innerText(), new RegExp(want.birth_date.replace(/\./g, '\\.')));
    assert.match(await row('expiry_date').innerText(), new RegExp(want.expiry_date.replace(/\./g, '\\.')));
    // Check digits: dates and number pass; names have none and must be compared by the person.
    for (const k of ['birth_date', 'expiry_date', 'document_no']) assert.match(await row(k).locator('[data-test=status]').innerText(), /check digit passes/);
    assert.match(await row('last_name').locator('[data-test=status]').innerText(), /no check digit/);
    assert.equal(await row('last_name').locator('[data-test=confirm-last_name]').count(), 1);
    // Dates read the same by the matcher and Tesseract: no confirmation asked.
    assert.match(await row('birth_date').locator('[data-test=status]').innerText(), /two readers agree/);
    assert.equal(await row('birth_date').locator('input[type=checkbox]').count(), 0);
    await page.locator('[data-test=mrz-outline]').waitFor();
    // Main re-encoded it: at most 2048 px, JPEG.
    await page.locator('figcaption', { hasText: 'ready for upload as 1600×1200 JPEG' }).waitFor();
    await page.screenshot({ path: join(shots, 'scan-passport.png'), fullPage: true });

    // "Use these values" waits until every "?" value is ticked.
    const use = page.locator('[data-test=use-values]');
    assert.equal(await use.isDisabled(), true);
    for (const box of await page.locator('[data-test^=confirm-]').all()) await box.check();
    assert.equal(await use.isDisabled(), false);
    await use.click();
    await page.locator('[data-test=used]').waitFor();
    // The app's origin, and blob: URLs the page made itself (the preview) of that origin: nothing else.
    const foreign = requests.filter((u) => !u.startsWith(host.url) && !u.startsWith(`blob:${host.url}`));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => /tessdata-[^/]+\/eng\.traineddata\.gz$/.test(u)) && requests.some((u) => /tesseract-core-simd\.wasm-[^/]+\.js$/.test(u)), 'Tesseract came from the app');
  });

  test('an ID card photo (TD1) is read too; a photo without a document says no MRZ was found', async () => {
    const f = await makeFixture(1003, 'TD1', 'degraded');
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'id-card.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 30_000 });
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), f.mrz.join(''));
    assert.match(await page.locator('[data-test=scan-field-document_no]').innerText(), new RegExp(f.identity.documentNumber));
    await page.screenshot({ path: join(shots, 'scan-id-card.png'), fullPage: true });

    const blank = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6b5a48' } }).png().toBuffer();
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'table.png', mimeType: 'image/png', buffer: blank });
    await page.locator('[data-test=no-mrz]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'scan-no-mrz.png'), fullPage: true });
  });

  test('no CSP violation or error in the console while scanning', () => {
    assert.deepEqual(consoleProblems, []);
  });
});
