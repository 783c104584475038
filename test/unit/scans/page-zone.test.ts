/**
 * The page detector told where the MRZ is (scan-photo.ts `findDocument`): on a patterned table the best
 * outline in the photo is the table's, not the document's; the one that can hold the zone is the
 * document's. One small fixture (issue 18's failure class "page corners on a busy table"): a gray JPEG
 * of the photo generator's tune split, scaled down, with the corners the generator recorded.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Point } from '../../../electron/common/scan/homography';
import { locateMrz } from '../../../electron/common/scan/mrz-locate';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { offBy } from '../../support/scan-fixtures/corner-error';
import { grayOf } from '../../support/scan-fixtures/node-ocr';

describe('page corners with the MRZ zone as a hint', () => {
  test('a passport data page on a gingham table: the outline that holds the zone, not the table\'s', async () => {
    // tune-12-0000 (seed 12, tune split), 3000x2200 scaled to 1200x880: an open TD3 booklet on gingham.
    const gray = await grayOf(readFileSync(new URL('./fixtures/gingham-td3-page.jpg', import.meta.url)));
    const truth: Point[] = [
      [121.6, 168.1],
      [804.5, 173.6],
      [798.8, 680.5],
      [82.8, 651.2],
    ];
    const plain = detectPage(gray);
    assert.ok(plain !== null && offBy(plain.corners, truth) > 0.1, 'without the zone the table\'s squares outline the best quadrilateral (the failure)');
    const zone = locateMrz(gray);
    assert.ok(zone !== null && zone.lines === 2, 'the zone is found');
    const found = detectPage(gray, zone);
    assert.ok(found !== null);
    assert.ok(offBy(found.corners, truth) < 0.02, `corners ${JSON.stringify(found.corners)}`);
    // The outline regardless of the zone stays available: only reading tells which one is the document.
    assert.ok(found.unhinted !== undefined && offBy(found.unhinted, truth) > 0.1);
  });

  test('a passport page on wood: the outline whose every side is seen, not one through a grain line just beyond it', async () => {
    // tune-6-0007 (seed 6, tune split), 3000x4000 scaled to 1200x1600, gray: a TD3 page upside down on wood, a grain
    // line along the page's far side a little beyond it. Both outlines hold the zone; the one through the grain line,
    // a little longer, scored a little more, though its weakest side is followed for 0.7 of its length and the
    // page's for 0.95.
    const gray = await grayOf(readFileSync(new URL('./fixtures/wood-td3-grain-beyond-side.jpg', import.meta.url)));
    const truth: Point[] = [
      [523.0, 816.5],
      [1022.3, 724.9],
      [1066.5, 1052.1],
      [589.8, 1135.3],
    ];
    const zone = locateMrz(gray);
    assert.ok(zone !== null && zone.lines === 2, 'the zone is found');
    const found = detectPage(gray, zone);
    assert.ok(found !== null);
    assert.ok(offBy(found.corners, truth) < 0.02, `corners ${JSON.stringify(found.corners)}`);
  });
});
