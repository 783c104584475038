/**
 * Pictures added straight to a document's slots (issue 22, items 3 and 10), in Chromium at 1280×800
 * against the BUILT renderer and the production handlers:
 * - a phone photo of a passport chosen for the main page: kept as it is at once, then the Scan screen's
 *   page detector finds the document in part of it, and the slot offers to straighten and crop it; taken,
 *   the Scan screen opens on that photo at its corners, and the straightened page replaces the photo
 *   (Undo brings the photo back);
 * - another photo, the offer declined: the photo stays whole;
 * - a flat scan (the page itself): no offer;
 * - a bill photographed on a table, dropped on the list of scans: the offer under its tile, and the
 *   straightened page takes its place in the list;
 * - a 12.5 MB, 4600×3450 photo: "Checking 1 file…" while main works, then the slot says it was resized
 *   ("Resized to 2048×1536 px, … (was 4600×3450, 12.… MB)").
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { BridgeHost } from '../support/bridge/host';
import { resultsDir } from '../support/paths';
import { makeFixture } from '../support/scan-fixtures';
import { flatScan, largePhoto } from '../support/scan-fixtures/hard-photos';
import { openScanPage, type ScanPage } from '../support/scan-page';

const shots = resultsDir('e2e');
const PASSWORD = 'correct horse battery staple';

describe('Pictures added straight to a slot: the offer to straighten photos, and what main did to them', () => {
  let app: ScanPage;
  let host: BridgeHost;
  let page: Page;

  before(async () => {
    app = await openScanPage(PASSWORD);
    ({ host, page } = app);
  });

  after(async () => {
    await app?.close();
  });

  const size = (thumb: Locator): Promise<number[]> => thumb.evaluate((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]);

  test('a phone photo of a passport for the main page: kept, then offered for straightening; taken, the straightened page replaces it (Undo brings the photo back)', async () => {
    const f = await makeFixture(2220, 'TD3', 'clean');
    await page.goto(`${host.url}#/documents/passport`);
    await page.locator('[data-test=editor]').waitFor();
    await page.locator('[data-test=input-front_side]').setInputFiles({ name: 'IMG_2220.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    const slot = page.locator('[data-test=slot-front_side]');
    // Kept as it is at once: the whole photo.
    await slot.locator('[data-test=thumb]').waitFor();
    assert.deepEqual(await size(slot.locator('[data-test=thumb]')), [1600, 1200]);
    const offer = slot.locator('[data-test=straighten-offer]');
    await offer.waitFor({ timeout: 30_000 });
    assert.equal(await offer.locator('p').innerText(), 'This looks like a photo: the document fills only part of it. Straighten it and crop it to the document?');
    assert.equal(await slot.locator('[data-test=looking]').count(), 0, 'looked at');
    await page.screenshot({ path: join(shots, 'slot-straighten-offer.png') });

    await offer.locator('[data-test=straighten]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('h1', { hasText: 'Scan: Main page' }).waitFor();
    // The photo opened at once at its corners: the ones the generator put the document at.
    await dialog.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    for (let i = 0; i < 4; i++) {
      const c = dialog.locator(`[data-test=corner-${i}]`);
      const [x, y] = [Number(await c.getAttribute('data-x')), Number(await c.getAttribute('data-y'))];
      assert.ok(Math.hypot(x - f.photo.corners[i]![0], y - f.photo.corners[i]![1]) < 4, `corner ${i}`);
    }
    await page.screenshot({ path: join(shots, 'slot-straighten-corners.png') });
    await dialog.locator('[data-test=use-scan]').click();
    await dialog.locator('[data-test=scan-fields]').waitFor({ timeout: 90_000 });
    await dialog.locator('[data-test=put-scan]:enabled').click();
    await dialog.waitFor({ state: 'detached' });

    // The straightened page in the photo's place; the keyboard on its tile; Undo offered.
    const thumb = slot.locator('[data-test=tile].tile-new [data-test=thumb]');
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('[data-test=slot-front_side] [data-test=thumb]');
      return i !== null && i.naturalWidth > 0 && Math.abs(i.naturalWidth / i.naturalHeight - 125 / 88) < 0.02;
    });
    const [w, h] = await size(thumb);
    assert.ok(Math.abs(w! / h! - 125 / 88) < 0.02, `the straightened page: ${w}×${h}`);
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-test=slot-front_side]') !== null && document.activeElement?.getAttribute('data-test') === 'tile'), true);
    assert.equal(await page.locator('[data-test=undo-bar]').innerText().then((t) => t.replace(/\s+/g, ' ').trim()), 'Straightened. Undo');
    assert.equal(await slot.locator('[data-test=straighten-offer]').count(), 0);
    await page.screenshot({ path: join(shots, 'slot-straightened.png') });
    await page.locator('[data-test=undo]').click();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('[data-test=slot-front_side] [data-test=thumb]')?.naturalWidth === 1600);
    await page.locator('[data-test=undo]').waitFor({ state: 'detached' });
  });

  test('another photo, the offer declined: it stays whole; a flat scan gets no offer', async () => {
    const f = await makeFixture(2221, 'TD3', 'clean');
    const slot = page.locator('[data-test=slot-front_side]');
    await slot.locator('[data-test=replace-front_side]').setInputFiles({ name: 'IMG_2221.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    const offer = slot.locator('[data-test=straighten-offer]');
    await offer.waitFor({ timeout: 30_000 });
    await offer.locator('[data-test=keep-as-is]').click();
    await offer.waitFor({ state: 'detached' });
    assert.deepEqual(await size(slot.locator('[data-test=thumb]')), [1600, 1200], 'the photo, whole');
    await page.locator('#document_no').fill(f.identity.documentNumber);
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();

    // A flat scan of an identity card (the page itself, nothing around it): looked at, nothing offered.
    const scan = await flatScan(2222, 'TD1');
    await page.goto(`${host.url}#/documents/identity_card`);
    await page.locator('[data-test=editor]').waitFor();
    const front = page.locator('[data-test=slot-front_side]');
    await front.locator('[data-test=input-front_side]').setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: scan.jpeg });
    await front.locator('[data-test=thumb]').waitFor();
    await front.locator('[data-test=looking]').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await front.locator('[data-test=straighten-offer]').count(), 0, 'a flat scan is not offered for straightening');
    assert.deepEqual(await size(front.locator('[data-test=thumb]')), [scan.width, scan.height]);
    await page.screenshot({ path: join(shots, 'slot-flat-scan.png') });
  });

  test('a bill photographed on a table, dropped on the list of scans: the offer under its tile, and the straightened page takes its place', async () => {
    const f = await makeFixture(2223, 'TD1', 'clean');
    await page.goto(`${host.url}#/documents/utility_bill`);
    await page.locator('[data-test=editor]').waitFor();
    const list = page.locator('[data-test=slot-files]');
    // Dropped as a file from the desktop would be.
    const transfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'bill.jpg', { type: 'image/jpeg' }));
      return dt;
    }, f.photo.jpeg.toString('base64'));
    await list.dispatchEvent('drop', { dataTransfer: transfer });
    const item = list.locator('[data-test=list-item]');
    await item.locator('[data-test=thumb]').waitFor();
    const offer = item.locator('[data-test=straighten-offer]');
    await offer.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'slot-list-offer.png') });
    await offer.locator('[data-test=straighten]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('h1', { hasText: 'Scan: Scans 1' }).waitFor();
    await dialog.locator('[data-test=use-scan]:enabled').click();
    await dialog.locator('[data-test=put-scan]:enabled').click({ timeout: 90_000 });
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await list.locator('[data-test=list-item]').count(), 1, 'in its place, not added');
    await page.waitForFunction(() => {
      const i = document.querySelector<HTMLImageElement>('[data-test=slot-files] [data-test=thumb]');
      return i !== null && i.naturalWidth > 0 && Math.abs(i.naturalWidth / i.naturalHeight - 85.6 / 54) < 0.03;
    });
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
  });

  test('a 12.5 MB, 4600×3450 photo: "Checking 1 file…" while main works, then the slot says it was resized, and to what', async () => {
    const big = await largePhoto(2224);
    await page.goto(`${host.url}#/documents/driver_license`);
    await page.locator('[data-test=editor]').waitFor();
    const slot = page.locator('[data-test=slot-front_side]');
    await slot.locator('[data-test=input-front_side]').setInputFiles({ name: 'IMG_2224.jpg', mimeType: 'image/jpeg', buffer: big.photo.jpeg });
    const adding = page.locator('[data-test=adding]');
    await adding.waitFor();
    assert.equal(await adding.locator('[data-test=busy-text]').innerText(), 'Checking 1 file…');
    assert.equal(await adding.locator('[data-test=spinner]').isVisible(), true);
    const note = slot.locator('[data-test=resize-note]');
    await note.waitFor({ timeout: 60_000 });
    const mb = (big.photo.jpeg.length / 1024 / 1024).toFixed(1);
    assert.match(await note.innerText(), new RegExp(`^Resized to 2048×1536 px, \\d+(\\.\\d)? (KB|MB) \\(was 4600×3450, ${mb.replace('.', '\\.')} MB\\)$`));
    // And it is a photo of the document: the offer too.
    await slot.locator('[data-test=straighten-offer]').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(shots, 'slot-resized-note.png') });
  });

  test('no error in the console', () => {
    assert.deepEqual(app.problems, []);
  });
});
