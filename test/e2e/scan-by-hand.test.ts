/**
 * The Scan screen when it cannot read the values, and how it fits the window (issue 22, items 1 and 6),
 * in Chromium at 1280×800 against the BUILT renderer and the production handlers:
 * - a passport whose machine-readable zone is smeared: the screen says the app could not read it (not
 *   that the photo is bad), shows the part it tried, and the straightened scan goes into a Passport's
 *   main page, where the values are typed by hand and saved;
 * - from an identity card's slot, a card with no zone at all: "Put in Front side and type the values",
 *   and the keyboard lands in the form's first empty field;
 * - a portrait photo: the photo and its four corner handles fit the window, on the Scan screen and over
 *   an editor, and still after the window shrinks;
 * - the keyboard: the slot's file input and the Scan button are reached with Tab and show a focus ring,
 *   the Scan dialog keeps the focus inside and gives it back on Escape.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { BridgeHost } from '../support/bridge/host';
import { resultsDir } from '../support/paths';
import { portraitPhoto, unreadableMrzPhoto } from '../support/scan-fixtures/hard-photos';
import { openScanPage, type ScanPage } from '../support/scan-page';

const shots = resultsDir('e2e');
const PASSWORD = 'correct horse battery staple';
const VIEWPORT = { width: 1280, height: 800 };

describe('Scan screen: values typed by hand when the MRZ cannot be read; the photo fits the window; the keyboard', () => {
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

  test('a passport whose MRZ is smeared: "could not be read", the part it tried shown, and the scan goes into a Passport where the values are typed by hand and saved', async () => {
    const { identity, photo } = await unreadableMrzPhoto(2201, 'TD3', 'blurred');
    await page.goto(`${host.url}#/scan`);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
    await page.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await page.locator('[data-test=use-scan]').click();
    const panel = page.locator('[data-test=no-mrz]');
    await panel.waitFor({ timeout: 90_000 });
    // The reader's failure, said as such: no advice to take the photo again, which was a good one.
    assert.equal(await panel.locator('h2').innerText(), 'The machine-readable zone could not be read');
    const said = await panel.innerText();
    assert.match(said, /Passport Vault could not read the machine-readable zone/);
    assert.match(said, /type the values from the document yourself/);
    assert.doesNotMatch(said, /straight on|take the photo|blurry|too dark/i);
    // The part it tried: the zone, cut from the straightened scan and shown large.
    const tried = panel.locator('[data-test=mrz-tried] svg');
    await tried.waitFor();
    const box = await tried.boundingBox();
    assert.ok(box !== null && box.width > 300, `the tried part is shown large: ${JSON.stringify(box)}`);
    const viewBox = (await tried.getAttribute('viewBox'))?.split(' ').map(Number) ?? [];
    const scanHeight = await page.locator('[data-test=scan-preview]').evaluate((i) => (i as HTMLImageElement).naturalHeight);
    assert.ok(viewBox.length === 4 && viewBox[1]! > 0.5 * scanHeight && viewBox[3]! < 0.4 * scanHeight, `the bottom of the page, where the zone is: ${viewBox.join(' ')} of ${scanHeight}`);
    // The keyboard is at the result, not lost on the button that went away.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-test')), 'result-heading');
    await page.screenshot({ path: join(shots, 'scan-by-hand-not-read.png') });

    // Into a Passport's main page (the first choice), its form opened to type the values.
    assert.equal(await panel.locator('[data-test=side-target] option:checked').innerText(), 'Passport · Main page');
    await panel.locator('[data-test=to-document]:enabled').click();
    await page.locator('h1', { hasText: 'Passport' }).waitFor();
    await page.locator('[data-test=slot-front_side] [data-test=tile].tile-new [data-test=thumb]').waitFor();
    assert.match(await page.locator('[data-test=file-add-note]').innerText(), /The scan is in Main page \(not saved yet\)\. Type the values from the document above, then Save\./);
    const thumb = await page.locator('[data-test=slot-front_side] [data-test=thumb]').evaluate((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]);
    assert.ok(Math.abs(thumb[0]! / thumb[1]! - 125 / 88) < 0.02, `the straightened page, not the photo: ${thumb.join('×')}`);
    await page.locator('#document_no').fill(identity.documentNumber);
    const expiry = `20${identity.expiry.slice(0, 2)}-${identity.expiry.slice(2, 4)}-${identity.expiry.slice(4, 6)}`;
    await page.locator('#expiry_date').fill(expiry);
    await page.screenshot({ path: join(shots, 'scan-by-hand-typed.png') });
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
    // Saved: opened again, the scan is the vault's and the typed values stayed.
    await page.goto(`${host.url}#/documents`);
    await page.goto(`${host.url}#/documents/passport`);
    await page.locator('[data-test=slot-front_side] [data-test=tile]:not(.tile-new) [data-test=thumb]').waitFor();
    assert.equal(await page.locator('#document_no').inputValue(), identity.documentNumber);
    assert.equal(await page.locator('#expiry_date').inputValue(), expiry);
  });

  test("from an identity card's slot, a card with no MRZ at all: put in Front side, the keyboard in the form's first empty field, typed by hand and saved", async () => {
    const { identity, photo } = await unreadableMrzPhoto(2202, 'TD1', 'missing');
    await page.goto(`${host.url}#/documents/identity_card`);
    await page.locator('[data-test=editor]').waitFor();
    await page.locator('[data-test=scan-front_side]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'card.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
    await dialog.locator('[data-test=use-scan]:enabled').click();
    await dialog.locator('[data-test=no-mrz]').waitFor({ timeout: 90_000 });
    assert.match(await dialog.locator('[data-test=mrz-not-found]').innerText(), /found no such lines on the straightened scan/);
    const put = dialog.locator('[data-test=put-scan]');
    assert.equal(await put.innerText(), 'Put in Front side and type the values');
    await page.screenshot({ path: join(shots, 'scan-by-hand-slot.png') });
    await put.and(page.locator(':enabled')).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-test=slot-front_side] [data-test=tile].tile-new').waitFor();
    // Where the typing starts: the first empty field of the form.
    await page.waitForFunction(() => document.activeElement?.id === 'document_no');
    await page.keyboard.type(identity.documentNumber);
    assert.equal(await page.locator('#document_no').inputValue(), identity.documentNumber);
    assert.match(await page.locator('[data-test=file-add-note]').innerText(), /The scan is in Front side\. Type the values/);
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
  });

  /** The handles' and the photo's boxes, in the window's coordinates. */
  async function editorBoxes(scope: Page | Locator): Promise<{ photo: { x: number; y: number; width: number; height: number }; handles: { x: number; y: number; width: number; height: number }[] }> {
    const photo = await scope.locator('[data-test=scan-photo]').boundingBox();
    assert.ok(photo !== null);
    const handles = [];
    for (let i = 0; i < 4; i++) {
      const h = await scope.locator(`[data-test=corner-${i}]`).boundingBox();
      assert.ok(h !== null);
      handles.push(h);
    }
    return { photo, handles };
  }

  async function assertFits(scope: Page | Locator, what: string): Promise<void> {
    const viewport = page.viewportSize()!;
    const { photo, handles } = await editorBoxes(scope);
    assert.ok(photo.y >= 0 && photo.y + photo.height <= viewport.height, `${what}: the photo (${Math.round(photo.y)}-${Math.round(photo.y + photo.height)}) within the window's ${viewport.height} px`);
    for (const [i, h] of handles.entries()) {
      assert.ok(h.x >= 0 && h.y >= 0 && h.x + h.width <= viewport.width && h.y + h.height <= viewport.height, `${what}: corner ${i} at ${Math.round(h.x)},${Math.round(h.y)} within ${viewport.width}×${viewport.height}`);
    }
    // Portrait, as it was taken, and not shrunk to nothing.
    assert.ok(photo.height > photo.width && photo.height > viewport.height * 0.5, `${what}: ${Math.round(photo.width)}×${Math.round(photo.height)}`);
  }

  test('a portrait photo: the photo and its four corner handles fit the 1280×800 window, on the Scan screen and over an editor, also after the window shrinks', async () => {
    const { photo } = await portraitPhoto(2203);
    await page.goto(`${host.url}#/scan`);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
    await page.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await page.locator('[data-test=corrected-preview]').waitFor();
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'nothing scrolled');
    await assertFits(page, 'Scan screen');
    await page.screenshot({ path: join(shots, 'scan-portrait-fits.png') });
    // Dragging the bottom-right handle works where it is.
    const h = (await editorBoxes(page)).handles[2]!;
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x - 30, h.y - 30, { steps: 5 });
    await page.mouse.up();
    const moved = await page.locator('[data-test=corner-2]').boundingBox();
    assert.ok(moved !== null && moved.x < h.x - 20, 'the lower corner was dragged');

    await page.setViewportSize({ width: 1280, height: 680 });
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-test=scan-photo]');
      return img !== null && img.getBoundingClientRect().bottom <= 680;
    });
    await assertFits(page, 'Scan screen at 1280×680');
    await page.setViewportSize(VIEWPORT);

    // Over a document editor (the Scan dialog, which scrolls on its own).
    await page.goto(`${host.url}#/documents/driver_license`);
    await page.locator('[data-test=scan-front_side]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: photo.jpeg });
    await dialog.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await assertFits(dialog, 'Scan dialog');
    await page.screenshot({ path: join(shots, 'scan-portrait-fits-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('the keyboard: Tab reaches the slot file input and the Scan button with a visible focus ring; the Scan dialog keeps the focus and gives it back on Escape', async () => {
    await page.goto(`${host.url}#/documents/driver_license`);
    await page.locator('[data-test=editor]').waitFor();
    /** Tab until `selector` has the focus (at most 40 presses). */
    async function tabTo(selector: string): Promise<void> {
      for (let k = 0; k < 40; k++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) return;
      }
      assert.fail(`Tab never reached ${selector}`);
    }
    /** The outline drawn around the focused control (or, for a file input, its label). */
    const ring = (): Promise<string> =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const shown = el.matches('input[type=file]') ? (el.closest('label') as HTMLElement) : el;
        const s = getComputedStyle(shown);
        return `${s.outlineStyle} ${s.outlineWidth}`;
      });
    await page.locator('#document_no').focus();
    await tabTo('[data-test=input-front_side]');
    assert.match(await ring(), /^solid [2-9]/, 'the "Add a photo" label shows the focus');
    await page.screenshot({ path: join(shots, 'scan-keyboard-add.png') });
    await tabTo('[data-test=scan-front_side]');
    assert.match(await ring(), /^solid [2-9]/);

    await page.keyboard.press('Enter');
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.waitFor();
    const inDialog = (): Promise<boolean> => page.evaluate(() => document.querySelector('[data-test=scan-dialog]')?.contains(document.activeElement) === true);
    assert.equal(await inDialog(), true, 'the focus moved into the dialog');
    for (let k = 0; k < 12; k++) {
      await page.keyboard.press(k % 3 === 2 ? 'Shift+Tab' : 'Tab');
      assert.equal(await inDialog(), true, `Tab ${k + 1} stayed in the dialog`);
    }
    await page.screenshot({ path: join(shots, 'scan-keyboard-dialog.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-test') === 'scan-front_side');
  });

  test('no error in the console', () => {
    assert.deepEqual(app.problems, []);
  });
});
