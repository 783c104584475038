/**
 * The scan worker's steps in Node, end to end: corners, orientation and quality from one cut, the
 * straight document, its MRZ read from the bottom part (scanDocumentMrz). Photos in perspective and
 * upside down must read as well as flat, upright ones; every value right.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { correctDocument, grayOfRaster, inspectDocument, scanDocumentMrz } from '../../../electron/common/scan/correct';
import type { Quad } from '../../../electron/common/scan/homography';
import { toPassportValues } from '../../../electron/common/scan/mrz-to-passport';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { readPhotoMrz } from '../../../electron/common/scan/scan-photo';
import { composeMrz, makeFixture, photograph, photoOptions, randomIdentity, renderDocument, type Fixture } from '../../support/scan-fixtures';
import { judge } from '../../support/scan-fixtures/evaluate';
import { createNodeOcr, grayOf, type NodeOcr } from '../../support/scan-fixtures/node-ocr';

describe('detect, correct, read', () => {
  let ocr: NodeOcr;
  before(async () => {
    ocr = await createNodeOcr();
  });
  after(async () => {
    await ocr?.terminate();
  });

  async function read(f: Pick<Fixture, 'identity' | 'photo'>): Promise<{ quarterTurns: number; fullyCorrect: boolean; issues: readonly string[]; mrzBottom: number | null; height: number }> {
    const gray = await grayOf(f.photo.jpeg);
    const found = detectPage(gray);
    assert.ok(found !== null, 'document not found');
    const inspection = inspectDocument(gray, found.corners);
    const doc = grayOfRaster(correctDocument({ ...gray, channels: 1 }, found.corners, inspection.quarterTurns, 2048));
    const scan = await scanDocumentMrz(doc, ocr);
    const verdict = judge(f.identity, scan.reading === null ? null : toPassportValues(scan.reading));
    assert.deepEqual(verdict.wrongSilent, []);
    const mrzBottom = scan.region === null ? null : Math.max(...scan.region.corners.map((c) => c[1]));
    return { quarterTurns: inspection.quarterTurns, fullyCorrect: verdict.fullyCorrect, issues: inspection.quality.issues, mrzBottom, height: doc.height };
  }

  test('a card whose guilloche spans the straightened picture (it fooled the MRZ locator on the whole card)', async () => {
    const r = await read(await makeFixture(1053, 'TD1', 'clean'));
    assert.ok(r.fullyCorrect);
    assert.deepEqual(r.issues, []);
    // The zone's outline is given in the whole document's pixels, at its bottom.
    assert.ok(r.mrzBottom !== null && r.mrzBottom > r.height * 0.8 && r.mrzBottom <= r.height + 1, `${r.mrzBottom} of ${r.height}`);
  });

  test('in perspective, and upside down', async () => {
    for (const [seed, kind, options, turns] of [
      [401, 'TD3', { tilt: 0.14, angle: -8 }, 0],
      [402, 'TD1', { tilt: 0.08, angle: 181, docFraction: 0.6 }, 2],
    ] as const) {
      const identity = randomIdentity(seed, kind);
      const doc = await renderDocument(identity, composeMrz(identity), seed);
      const photo = await photograph(doc, { ...photoOptions(seed, 'degraded'), ...options });
      const r = await read({ identity, photo });
      assert.equal(r.quarterTurns, turns, `seed ${seed}`);
      assert.ok(r.fullyCorrect, `seed ${seed}`);
    }
  });
});

describe('the document outline and the whole photo', () => {
  test('an outline that cuts the zone\'s first characters off gives way to the whole photo when a check digit fails there', async () => {
    // svg-100-0007 (tools/mrz-photos/svg, seed 100, hard), cropped around the card and scaled to 700 px; the
    // corners are the page detector's, its bottom-left inside the card, left of which the zone's "P" and most
    // of the "8" below it lie. The corrected document then read "I676702868" (the 8's right edge, and
    // I and 8 weigh the same in the check digit) with the dates and the composite passing: three check
    // digits were "enough", and the whole photo, which shows the zone uncut, was not read.
    const ocr = await createNodeOcr();
    try {
      const photo = await grayOf(readFileSync(new URL('./fixtures/td3-document-cut-zone.jpg', import.meta.url)));
      const corners: Quad = [[-27.9, 170.5], [492.3, 95.1], [578.6, 462.3], [79, 568.7]];
      const mrz = await readPhotoMrz(photo, corners, 0, ocr);
      assert.equal(mrz.regionIn, 'photo');
      assert.deepEqual(mrz.scan.reading?.lines, ['PDSGPOBI<<DAGNY<INES<HANNAH<<<<<<<<<<<<<<<<<', '8676702868SGP9804289F2109147<<<<<<<<<<<<<<<0']);
    } finally {
      await ocr.terminate();
    }
  });

  test('an outline whose zone\'s print reaches its edge gives way to the whole photo even when every check digit passes', async () => {
    // The same photo, the outline's bottom-left 20 px further out: the corrected document now shows the "P" and
    // the "8", half a pitch from its left edge, and reads right with every check digit passing. An outline a
    // little further in cuts a character off and can still pass (look-alikes compensating each other over the
    // shifted line), so a zone within a pitch of the document's edge is not taken as read whole: the whole
    // photo, where the zone lies well inside, is read too and wins at equal checks.
    const ocr = await createNodeOcr();
    try {
      const photo = await grayOf(readFileSync(new URL('./fixtures/td3-document-cut-zone.jpg', import.meta.url)));
      const corners: Quad = [[-27.9, 170.5], [492.3, 95.1], [578.6, 462.3], [59, 572.7]];
      const mrz = await readPhotoMrz(photo, corners, 0, ocr);
      assert.equal(mrz.regionIn, 'photo');
      assert.ok(mrz.scan.edgeRoom !== null && mrz.scan.edgeRoom > 1, `room ${mrz.scan.edgeRoom}`);
      assert.deepEqual(mrz.scan.reading?.lines, ['PDSGPOBI<<DAGNY<INES<HANNAH<<<<<<<<<<<<<<<<<', '8676702868SGP9804289F2109147<<<<<<<<<<<<<<<0']);
    } finally {
      await ocr.terminate();
    }
  });
});
