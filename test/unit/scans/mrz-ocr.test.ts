/**
 * The MRZ pipeline end to end in Node on generated photos: OCR-B really used, the zone found at the
 * right skew, tesseract.js (legacy engine, data from node_modules, nothing fetched) reading it, and the
 * form values right. Kept to a few images: the accuracy over many lives in `npm run bench:scan`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OCRB_TEMPLATES_PATH, ocrbTemplatesSource } from '../../../build/ocrb-templates';
import { extractRegion, locateMrz } from '../../../electron/common/scan/mrz-locate';
import { scanMrz } from '../../../electron/common/scan/mrz-ocr';
import { readByTemplates } from '../../../electron/common/scan/ocrb-match';
import { toPassportValues } from '../../../electron/common/scan/mrz-to-passport';
import { correctDocument, grayOfRaster } from '../../../electron/common/scan/correct';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { REPO_ROOT } from '../../support/paths';
import { unreadableMrzPhoto } from '../../support/scan-fixtures/hard-photos';
import { composeMrz, makeFixture, photograph, photoOptions, randomIdentity, renderDocument } from '../../support/scan-fixtures';
import { expectedValues, judge } from '../../support/scan-fixtures/evaluate';
import { createNodeOcr, grayOf, type NodeOcr } from '../../support/scan-fixtures/node-ocr';

describe('MRZ from a photo', () => {
  let ocr: NodeOcr;
  before(async () => {
    ocr = await createNodeOcr();
  });
  after(async () => {
    await ocr?.terminate();
  });

  test('the fixtures use the OCR-B font (fonts-ocr-b), not a fallback', async () => {
    const id = randomIdentity(1, 'TD3');
    const mrz = composeMrz(id);
    const a = await sharp((await renderDocument(id, mrz, 1)).png).raw().toBuffer();
    const b = await sharp((await renderDocument(id, mrz, 1, 'No Such Font Family')).png).raw().toBuffer();
    assert.notDeepEqual(a, b, 'OCR-B is missing: apt-get install fonts-ocr-b');
  });

  test('the zone is found at the skew the photo was taken at, with the right number of lines', async () => {
    for (const [seed, kind] of [[11, 'TD3'], [12, 'TD1']] as const) {
      const f = await makeFixture(seed, kind, 'degraded');
      const region = locateMrz(await grayOf(f.photo.jpeg));
      assert.ok(region !== null, `seed ${seed}`);
      assert.ok(Math.abs(region.angle - f.options.angle) <= 0.3, `angle ${region.angle} vs ${f.options.angle}`);
      assert.equal(region.lines, kind === 'TD3' ? 2 : 3);
    }
  });

  test('a smeared zone (no character rhythm left) is still located at the bottom of the page, and nothing from it is filled', async () => {
    // Failure class of issue 18: the rhythm-based locator saw no ink there at its working scale, found no
    // zone, and the person was not shown the part tried. Three times coarser its two lines are bands again.
    const { photo } = await unreadableMrzPhoto(2201, 'TD3', 'blurred');
    const gray = await grayOf(photo.jpeg);
    const found = detectPage(gray);
    assert.ok(found !== null);
    const doc = grayOfRaster(correctDocument({ ...gray, channels: 1 }, found.corners, 0, 2048));
    const region = locateMrz(doc);
    assert.ok(region !== null, 'the smeared zone is located');
    assert.equal(region.lines, 2);
    const ys = region.corners.map(([, y]) => y);
    assert.ok(Math.min(...ys) > doc.height * 0.7 && Math.max(...ys) <= doc.height * 1.01, `at the bottom: ${ys.join(' ')} of ${doc.height}`);
    const scan = await scanMrz(doc, ocr);
    const values = scan.reading === null ? null : toPassportValues(scan.reading);
    const silent = values === null ? [] : Object.entries({ ...values.personalDetails, ...values.idDocument }).filter(([, v]) => !v.confirm);
    assert.deepEqual(silent, [], 'nothing from a smeared zone is filled without asking');
  });

  test('a clean ID card and a degraded passport photo are read and fill every field correctly', async () => {
    // Seeds chosen from the bench's set as ones the reader gets right; the test proves the whole chain works.
    for (const [seed, kind, condition] of [[8, 'TD1', 'clean'], [7, 'TD3', 'degraded']] as const) {
      const f = await makeFixture(seed, kind, condition);
      const scan = await scanMrz(await grayOf(f.photo.jpeg), ocr);
      assert.ok(scan.reading !== null, `seed ${seed}: ${scan.text}`);
      const values = toPassportValues(scan.reading);
      const verdict = judge(f.identity, values);
      assert.deepEqual(verdict.wrongSilent, []);
      assert.ok(verdict.fullyCorrect, `seed ${seed}: ${JSON.stringify({ verdict, text: scan.text, want: expectedValues(f.identity) })}`);
      assert.equal(scan.reader, 'templates');
      assert.deepEqual(scan.templateLines, f.mrz);
      // Tesseract agreed on the dates at least (it reads digits well): those are filled without asking.
      assert.equal(values.personalDetails.birth_date?.confirm, false, scan.text);
      // A name has no check digit: silent only when every check digit passes and Tesseract read it the same.
      assert.equal(values.personalDetails.last_name?.confirm, !(scan.reading.valid && scan.reading.fields.lastName?.secondReader === true));
    }
  });

  test('the shipped OCR-B templates are current (regenerated from the font, byte for byte)', async () => {
    assert.equal(readFileSync(join(REPO_ROOT, OCRB_TEMPLATES_PATH), 'utf8'), await ocrbTemplatesSource(), 'run npx tsx scripts/make-ocrb-templates.ts');
  });

  test('the template matcher reads all 37 MRZ characters from a poor photo, and does not take another font for OCR-B', async () => {
    const id = randomIdentity(3, 'TD3');
    const lines = ['ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<<<', '<<<<<<<<9876543210ZYXWVUTSRQPONMLKJIHGFEDCBA'];
    const read = async (family?: string): Promise<{ lines: readonly string[]; score: number }> => {
      const photo = await photograph(await renderDocument(id, lines, 3, family), photoOptions(3, 'degraded'));
      const gray = await grayOf(photo.jpeg);
      const region = locateMrz(gray);
      assert.ok(region !== null);
      const t = readByTemplates(extractRegion(gray, region, 40), region.lines, 40);
      assert.ok(t !== null);
      return { lines: t.lines, score: t.meanScore };
    };
    const ocrb = await read();
    assert.deepEqual(ocrb.lines, lines);
    const mono = await read('DejaVu Sans Mono');
    assert.notDeepEqual(mono.lines, lines, 'a monospaced sans is not OCR-B: some cells must differ');
    assert.ok(mono.score < ocrb.score - 0.05, `scores: OCR-B ${ocrb.score}, DejaVu Sans Mono ${mono.score}`);
  });

  test('a photo with no document fills nothing', async () => {
    const blank = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6b5a48' } }).jpeg().toBuffer();
    const scan = await scanMrz(await grayOf(blank), ocr);
    const values = scan.reading === null ? null : toPassportValues(scan.reading);
    assert.deepEqual([values?.personalDetails ?? {}, values?.idDocument ?? {}], [{}, {}]);
  });
});
