/**
 * The Scan screen in Chromium against the BUILT renderer and the production handlers:
 * - a generated passport photo opened as a file: corners found and shown, one dragged off and back
 *   onto the document's corner (and nudged with the keyboard), "Use this scan": the corrected JPEG
 *   prepared by main (scan.prepare), its MRZ read in the page's worker (template matcher +
 *   tesseract.js, WebAssembly and data from the app's origin, under the production CSP), and the
 *   values filled into the Passport and Personal details forms;
 * - a blurry photo: the quality check says so, and Retake opens the file chooser again;
 * - the camera: Chromium's fake camera plays a generated ID card (a .y4m made from a generated photo);
 *   the live outline finds it, the picture is taken, corrected and read;
 * - from a document editor's slot: the Scan screen over the editor refuses HEIC with what to do
 *   instead, and a damaged or password-protected PDF with why; a two-page PDF added to the selfie slot
 *   gives its first page (said so); a passport scanned to PDF is opened in the Scan screen (its first
 *   page drawn by pdf.js in its own worker, loaded only then), its scan lands in the slot and its MRZ
 *   in the form, kept by Save; a utility bill's scan goes into its list.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { auditScreenshots } from '../support/a11y';
import { launchChromium } from '../support/browser';
import { startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT, resultsDir } from '../support/paths';
import { composeMrz, makeFixture, photograph, photoOptions, randomIdentity, renderDocument, type Identity } from '../support/scan-fixtures';
import { expectedValues } from '../support/scan-fixtures/evaluate';
import { qualityFixture } from '../support/scan-fixtures/quality-sets';
import { stillToY4m } from '../support/scan-fixtures/y4m';
import { jpegPagesPdf } from '../support/pdf';

const shots = resultsDir('e2e');
const PASSWORD = 'correct horse battery staple';
const CAMERA = { width: 1280, height: 720 };

describe('Scan screen in Chromium', () => {
  let host: BridgeHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  let cameraId: Identity;
  const consoleProblems: string[] = [];
  const requests: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'out/renderer/index.html')), 'out/renderer is missing: run "npm run build" first');
    // The fake camera's film: an ID card on a table, 1280×720, as a camera would see it.
    dir = mkdtempSync(join(tmpdir(), 'pv-scan-e2e-'));
    const seed = 1203;
    cameraId = randomIdentity(seed, 'TD1');
    const doc = await renderDocument(cameraId, composeMrz(cameraId), seed);
    const still = await photograph(doc, { ...photoOptions(seed, 'clean', CAMERA), docFraction: 0.62, angle: -4, tilt: 0.05 });
    const film = join(dir, 'camera.y4m');
    writeFileSync(film, await stillToY4m(still.jpeg, CAMERA.width, CAMERA.height));

    host = await startBridgeHost({ root: REPO_ROOT });
    browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${film}`]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.addInitScript({ content: host.pageScript });
    page = await context.newPage();
    auditScreenshots(page); // every screen photographed here is also an axe audit (test/support/a11y.ts)
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
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const corner = (i: number): Locator => page.locator(`[data-test=corner-${i}]`);
  async function cornerAt(i: number): Promise<[number, number]> {
    const h = corner(i);
    return [Number(await h.getAttribute('data-x')), Number(await h.getAttribute('data-y'))];
  }
  /** Where photo pixel (x, y) is on the screen. */
  async function screenOf(x: number, y: number): Promise<[number, number]> {
    const img = await page.locator('[data-test=scan-photo]').boundingBox();
    const size = await page.locator('[data-test=scan-photo]').evaluate((e) => [(e as HTMLImageElement).naturalWidth, (e as HTMLImageElement).naturalHeight]);
    assert.ok(img !== null);
    return [img.x + (x / size[0]!) * img.width, img.y + (y / size[1]!) * img.height];
  }
  async function drag(i: number, to: [number, number]): Promise<void> {
    const box = await corner(i).boundingBox();
    assert.ok(box !== null);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(to[0], to[1], { steps: 8 });
    await page.mouse.up();
  }

  test('the scanner is not in the first load; a local Passport is created to fill in later', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=choose-local]').click();
    await page.locator('[data-test=new-password]').fill(PASSWORD);
    await page.locator('[data-test=confirm-password]').fill(PASSWORD);
    await page.locator('[data-test=create]').click();
    await page.locator('[data-test=group-identity]').waitFor(); // created: the list is there
    assert.equal(requests.filter((u) => /ScanView|scan-worker|tesseract|traineddata|pdf/.test(u)).length, 0, requests.join('\n'));
    // Exactly the sidebar's "Scan" (the list's "… scans" rows match a loose name).
    await page.getByRole('link', { name: 'Scan', exact: true }).click();
    await page.locator('h1', { hasText: 'Scan a document' }).waitFor();
    assert.ok(requests.some((u) => /ScanView/.test(u)));
    // pdf.js comes only with a PDF, not with the Scan screen.
    assert.equal(requests.filter((u) => /pdf/.test(u)).length, 0, requests.join('\n'));
    await page.screenshot({ path: join(shots, 'scan-choose.png') });
  });

  test('a passport photo: corners found, one dragged and one nudged, corrected, read, and filled into the forms', async () => {
    const f = await makeFixture(1004, 'TD3', 'degraded');
    const want = expectedValues(f.identity);
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await corner(0).waitFor();
    await page.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    // The detected corners are where the generator put the document (a few photo pixels).
    for (let i = 0; i < 4; i++) {
      const [x, y] = await cornerAt(i);
      const t = f.photo.corners[i]!;
      assert.ok(Math.hypot(x - t[0], y - t[1]) < 3, `corner ${i}: ${x},${y} vs ${t.join(',')}`);
    }
    await page.locator('[data-test=corrected-preview]').waitFor();

    // Drag the top-right corner well off, then back onto the document's corner.
    const t1 = f.photo.corners[1]!;
    const off = await screenOf(t1[0] - 200, t1[1] + 150);
    await drag(1, off);
    const moved = await cornerAt(1);
    assert.ok(Math.hypot(moved[0] - (t1[0] - 200), moved[1] - (t1[1] + 150)) < 6, `dragged to ${moved.join(',')}`);
    await page.screenshot({ path: join(shots, 'scan-corner-dragged.png') });
    await drag(1, await screenOf(t1[0], t1[1]));
    const back = await cornerAt(1);
    assert.ok(Math.hypot(back[0] - t1[0], back[1] - t1[1]) < 6, `dragged back to ${back.join(',')} (truth ${t1.join(',')})`);

    // Keyboard: three steps right, three left; Shift makes steps ten times bigger.
    const before0 = await cornerAt(0);
    await corner(0).focus();
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
    const right = await cornerAt(0);
    assert.ok(right[0] > before0[0] + 2 && Math.abs(right[1] - before0[1]) < 0.01, `nudged to ${right.join(',')}`);
    await page.keyboard.press('Shift+ArrowDown');
    const down = await cornerAt(0);
    assert.ok(down[1] - right[1] > 9 * ((right[0] - before0[0]) / 3), 'Shift: ten steps');
    await page.keyboard.press('Shift+ArrowUp');
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowLeft');
    const home = await cornerAt(0);
    assert.ok(Math.hypot(home[0] - before0[0], home[1] - before0[1]) < 0.01);
    await page.screenshot({ path: join(shots, 'scan-corners.png') });

    await page.locator('[data-test=use-scan]').click();
    // First scan: Tesseract (10 MB of data, 4.7 MB of WebAssembly) from the app's origin, if not yet warm.
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 90_000 });
    const row = (k: string) => page.locator(`[data-test=scan-field-${k}]`);
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), f.mrz.join(''));
    assert.equal(await page.locator('[data-test=mrz-valid]').innerText(), 'all check digits pass');
    assert.match(await row('document_no').innerText(), new RegExp(want.document_no));
    for (const k of ['birth_date', 'expiry_date']) assert.match(await row(k).locator('[data-test=status]').innerText(), /check digit passes/);
    // A name has no check digit: filled silently only when every check digit passes and both readers read it the same.
    assert.match(await row('last_name').locator('[data-test=status]').innerText(), /no check digit: compare|every check digit of the zone passes, two readers agree/);
    await page.locator('[data-test=mrz-outline]').waitFor();
    // The corrected document, re-encoded by main: an ID-3 page (125 × 88 mm), at most 2048 px.
    const caption = await page.locator('[data-test=scan-caption]', { hasText: 'ready for upload' }).innerText();
    const m = /ready for upload as (\d+)×(\d+) JPEG/.exec(caption);
    assert.ok(m !== null, caption);
    const [w, h] = [Number(m[1]), Number(m[2])];
    assert.ok(w <= 2048 && Math.abs(w / h - 125 / 88) < 0.01, `${w}×${h}`);
    await page.screenshot({ path: join(shots, 'scan-passport.png'), fullPage: true });

    const use = page.locator('[data-test=use-values]');
    assert.equal(await use.isDisabled(), true);
    for (const box of await page.locator('[data-test^=confirm-]').all()) await box.check();
    await use.click();
    await page.locator('[data-test=used]').waitFor();

    // Into the forms: the passport's number and expiry, then the personal details.
    await page.locator('[data-test=go-document]').click();
    await page.locator('[data-test=from-scan]').waitFor();
    assert.equal(await page.locator('#document_no').inputValue(), want.document_no);
    const iso = (d: string): string => d.split('.').reverse().join('-');
    assert.equal(await page.locator('#expiry_date').inputValue(), iso(want.expiry_date));
    await page.screenshot({ path: join(shots, 'scan-filled-passport.png') });
    await page.locator('a.back').click();
    await page.locator('[data-test=doc-personal_details] a').click();
    await page.locator('#last_name').waitFor();
    assert.equal(await page.locator('[data-test=from-scan]').count(), 1);
    assert.equal(await page.locator('#last_name').inputValue(), want.last_name);
    assert.equal(await page.locator('#first_name').inputValue(), want.first_name);
    assert.equal(await page.locator('#birth_date').inputValue(), iso(want.birth_date));
  });

  test('a blurry photo is refused with the reason and a Retake, which opens the file chooser again', async () => {
    await page.goto(`${host.url}#/scan`);
    const blurry = await qualityFixture('blurry', 0, 'TD3');
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'blurry.jpg', mimeType: 'image/jpeg', buffer: blurry.photo.jpeg });
    await corner(0).waitFor();
    await page.locator('[data-test=use-scan]').click();
    await page.locator('[data-test=issue-blurry]').waitFor();
    assert.match(await page.locator('[data-test=quality-issues]').innerText(), /blurry/);
    await page.screenshot({ path: join(shots, 'scan-blurry.png') });
    const chooser = page.waitForEvent('filechooser');
    await page.locator('[data-test=retake]').click();
    const clean = await makeFixture(1001, 'TD1', 'clean');
    await (await chooser).setFiles({ name: 'id-card.jpg', mimeType: 'image/jpeg', buffer: clean.photo.jpeg });
    await page.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await page.locator('[data-test=use-scan]').click();
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 60_000 });
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), clean.mrz.join(''));

    // No document at all: the corners start as a frame to drag, and no MRZ is found.
    await page.locator('[data-test=scan-another]').click();
    const blank = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#b8b0a4' } }).png().toBuffer();
    await page.locator('[data-test=scan-file]').setInputFiles({ name: 'table.png', mimeType: 'image/png', buffer: blank });
    await page.locator('[data-test=detect-status]', { hasText: 'were not found' }).waitFor();
    await page.locator('[data-test=use-scan]').click();
    // Plain surface has no detail at all: "blurry". The person may go on anyway.
    await page.locator('[data-test=issue-blurry]').waitFor();
    await page.locator('[data-test=use-anyway]').click();
    await page.locator('[data-test=no-mrz]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'scan-no-mrz.png'), fullPage: true });
  });

  test('the camera: choose it, the live outline finds the card, the picture is taken, corrected and read', async () => {
    await page.locator('[data-test=scan-another]').click();
    await page.locator('[data-test=use-camera]').click();
    await page.locator('[data-test=camera-video]').waitFor();
    await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-test=camera-video]');
      return v !== null && v.videoWidth > 0 && !v.paused;
    });
    const options = await page.locator('[data-test=camera-select] option').allInnerTexts();
    assert.ok(options.length >= 1 && options.every((o) => o.length > 0), JSON.stringify(options));
    assert.deepEqual(await page.locator('[data-test=camera-video]').evaluate((v) => [(v as HTMLVideoElement).videoWidth, (v as HTMLVideoElement).videoHeight]), [CAMERA.width, CAMERA.height]);
    await page.locator('[data-test=camera-outline]').waitFor({ timeout: 20_000 });
    assert.match(await page.locator('[data-test=camera-status]').innerText(), /Document found/);
    await page.screenshot({ path: join(shots, 'scan-camera.png') });

    await page.locator('[data-test=camera-capture]').click();
    await page.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await page.locator('[data-test=use-scan]').click();
    await page.locator('[data-test=scan-fields]').waitFor({ timeout: 60_000 });
    assert.equal((await page.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), composeMrz(cameraId).join(''));
    assert.match(await page.locator('[data-test=scan-field-document_no]').innerText(), new RegExp(cameraId.documentNumber));
    // The camera is off once the picture is taken.
    assert.equal(await page.locator('[data-test=camera-video]').count(), 0);
    await page.screenshot({ path: join(shots, 'scan-camera-result.png'), fullPage: true });
  });

  /** Not a photo we can read: an iPhone HEIC (its ftyp box is all the check reads). */
  const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(2000)]);
  /** PDFs that cannot be read: no page tree; and one encrypted with a user password (its /U entry matches no empty password). */
  const BROKEN_PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  const LOCKED_PDF = Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n' +
      `3 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> /P -4 >>\nendobj\n` +
      `trailer\n<< /Size 4 /Root 1 0 R /Encrypt 3 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>] >>\n%%EOF\n`,
  );

  test("from the passport editor's front-side slot: HEIC and unreadable PDFs explained, a PDF's first page in a slot, a scanned PDF opened: the scan lands in the slot, the MRZ fills the form, Save keeps both", async () => {
    await page.goto(`${host.url}#/documents/passport`);
    await page.locator('[data-test=editor]').waitFor();
    await page.screenshot({ path: join(shots, 'scan-slot-empty.png'), fullPage: true });
    // Something unsaved first (a selfie): the scan must not lose it.
    const selfie = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#9a8f84' } }).jpeg().toBuffer();
    await page.locator('[data-test=input-selfie]').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: selfie });
    await page.locator('[data-test=slot-selfie] [data-test=tile]').waitFor();
    // A HEIC added straight to a slot is explained too, without a trip to main.
    await page.locator('[data-test=slot-selfie] [data-test=remove-selfie]').click();
    await page.locator('[data-test=input-selfie]').setInputFiles({ name: 'IMG_0042.HEIC', mimeType: 'image/heic', buffer: HEIC });
    assert.match(await page.locator('[data-test=file-add-error]').innerText(), /IMG_0042\.HEIC: HEIC is not supported: export the photo as JPEG/);
    // A two-page PDF straight into a slot: its first page (the selfie) is what main gets; the person is told.
    const other = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#203040' } }).jpeg().toBuffer();
    await page.locator('[data-test=input-selfie]').setInputFiles({ name: 'me.pdf', mimeType: 'application/pdf', buffer: await jpegPagesPdf([selfie, other], 150) });
    await page.locator('[data-test=slot-selfie] [data-test=tile]').waitFor();
    assert.match(await page.locator('[data-test=file-add-note]').innerText(), /^me\.pdf: This PDF has 2 pages: the first page is used/);
    const selfieThumb = await page.locator('[data-test=slot-selfie] [data-test=thumb]').evaluate((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]);
    assert.equal(selfieThumb[1], 3000, `the first page (900×1200 at 150 dpi; the second is landscape), drawn with its longest side at 3000 px: ${selfieThumb.join('×')}`);
    assert.ok(Math.abs(selfieThumb[0]! - 2250) <= 1, selfieThumb.join('×'));
    await page.screenshot({ path: join(shots, 'scan-slot-pdf-note.png'), fullPage: true });

    await page.locator('[data-test=scan-front_side]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('h1', { hasText: 'Scan: Main page' }).waitFor();
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'IMG_0042.HEIC', mimeType: 'image/heic', buffer: HEIC });
    assert.match(await dialog.locator('[data-test=scan-error]').innerText(), /^HEIC is not supported: export the photo as JPEG/);
    await page.screenshot({ path: join(shots, 'scan-slot-heic.png') });
    // A HEIC named .jpg is still a HEIC (its bytes decide).
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'renamed.jpg', mimeType: 'image/jpeg', buffer: HEIC });
    assert.match(await dialog.locator('[data-test=scan-error]').innerText(), /^HEIC is not supported/);
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'broken.pdf', mimeType: 'application/pdf', buffer: BROKEN_PDF });
    await dialog.locator('[data-test=scan-error]', { hasText: /^This PDF could not be read: it may be damaged/ }).waitFor();
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'locked.pdf', mimeType: 'application/pdf', buffer: LOCKED_PDF });
    await dialog.locator('[data-test=scan-error]', { hasText: /^This PDF is protected by a password/ }).waitFor();
    await page.screenshot({ path: join(shots, 'scan-slot-pdf-locked.png') });

    // The passport photo, "scanned to PDF" (one page, the JPEG as its image, in an ICC colour space): its first page drawn by pdf.js.
    const srgb = (await sharp(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } }).withIccProfile('srgb').jpeg().toBuffer()).metadata()).icc;
    assert.ok(srgb !== undefined && srgb.length > 0);
    const f = await makeFixture(1012, 'TD3', 'clean');
    const want = expectedValues(f.identity);
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: await jpegPagesPdf([f.photo.jpeg], 300, srgb) });
    await dialog.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    assert.equal(await dialog.locator('[data-test=pdf-note]').count(), 0, 'one page: nothing to say');
    await page.screenshot({ path: join(shots, 'scan-slot-pdf-opened.png') });
    assert.equal(await dialog.locator('[data-test=scan-error]').count(), 0, 'the earlier refusal is gone');
    await dialog.locator('[data-test=use-scan]').click();
    await dialog.locator('[data-test=scan-fields]').waitFor({ timeout: 90_000 });
    assert.equal((await dialog.locator('[data-test=mrz-lines]').innerText()).replace(/\s+/g, ''), f.mrz.join(''));
    for (const box of await dialog.locator('[data-test^=confirm-]').all()) await box.check();
    await dialog.locator('[data-test=use-values]').click();
    await dialog.locator('[data-test=used]', { hasText: 'Filled into the form' }).waitFor();
    const put = dialog.locator('[data-test=put-scan]');
    await put.and(page.locator(':enabled')).waitFor();
    assert.equal(await put.innerText(), 'Put in Main page');
    await page.screenshot({ path: join(shots, 'scan-slot-result.png'), fullPage: true });
    await put.click();
    await dialog.waitFor({ state: 'detached' });

    // In the editor: the scan in its slot (new, unsaved), the selfie still there, the MRZ values in the form.
    await page.locator('[data-test=slot-front_side] [data-test=tile].tile-new').waitFor();
    assert.equal(await page.locator('[data-test=slot-selfie] [data-test=tile]').count(), 1);
    assert.equal(await page.locator('#document_no').inputValue(), want.document_no);
    const iso = (d: string): string => d.split('.').reverse().join('-');
    assert.equal(await page.locator('#expiry_date').inputValue(), iso(want.expiry_date));
    assert.match(await page.locator('[data-test=from-scan]').innerText(), /2 fields filled from your scan/);
    const thumb = await page.locator('[data-test=slot-front_side] [data-test=thumb]').evaluate((i) => [(i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight]);
    assert.ok(thumb[0]! <= 2048 && Math.abs(thumb[0]! / thumb[1]! - 125 / 88) < 0.01, `the straightened page: ${thumb.join('×')}`);
    await page.screenshot({ path: join(shots, 'scan-slot-editor.png'), fullPage: true });

    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
    // Saved: opened again, both scans are the vault's (kept, not new), and the values stayed.
    await page.goto(`${host.url}#/documents`);
    await page.goto(`${host.url}#/documents/passport`);
    await page.locator('[data-test=slot-front_side] [data-test=tile]:not(.tile-new)').waitFor();
    await page.locator('[data-test=slot-selfie] [data-test=tile]:not(.tile-new)').waitFor();
    assert.equal(await page.locator('#document_no').inputValue(), want.document_no);
  });

  test('a scan for a document without an MRZ (a utility bill) goes into its list of scans; no values are offered', async () => {
    await page.goto(`${host.url}#/documents/utility_bill`);
    await page.locator('[data-test=editor]').waitFor();
    await page.locator('[data-test=scan-files]').click();
    const dialog = page.locator('[data-test=scan-dialog]');
    await dialog.locator('h1', { hasText: 'Scan: Scans 1' }).waitFor();
    const f = await makeFixture(1021, 'TD1', 'clean');
    await dialog.locator('[data-test=scan-file]').setInputFiles({ name: 'bill.jpg', mimeType: 'image/jpeg', buffer: f.photo.jpeg });
    await dialog.locator('[data-test=detect-status]', { hasText: "Found the document's edges" }).waitFor();
    await dialog.locator('[data-test=use-scan]').click();
    await dialog.locator('[data-test=put-scan]:enabled').waitFor({ timeout: 90_000 });
    assert.equal(await dialog.locator('[data-test=scan-fields]').count(), 0);
    await dialog.locator('[data-test=put-scan]').click();
    await page.locator('[data-test=slot-files] [data-test=list-item]').waitFor();
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]').count(), 1);
    // Escape closes the Scan screen without touching the slots.
    await page.locator('[data-test=scan-files]').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-test=slot-files] [data-test=list-item]').count(), 1);
    await page.locator('[data-test=save]').click();
    await page.locator('[data-test=saved]').waitFor();
  });

  test('everything came from the app itself, with no CSP violation or error in the console', () => {
    const foreign = requests.filter((u) => !u.startsWith(host.url) && !u.startsWith(`blob:${host.url}`));
    assert.deepEqual(foreign, []);
    assert.ok(requests.some((u) => /tessdata-[^/]+\/eng\.traineddata\.gz$/.test(u)) && requests.some((u) => /tesseract-core-simd\.wasm-[^/]+\.js$/.test(u)), 'Tesseract came from the app');
    assert.ok(requests.some((u) => /\/assets\/pdf\.worker[^/]*\.js$/.test(u)), 'pdf.js worker came from the app');
    assert.ok(requests.some((u) => /\/assets\/pdfjs-wasm\/qcms_bg\.wasm$/.test(u)), "pdf.js's ICC colour module came from the app");
    assert.deepEqual(consoleProblems, []);
  });
});
