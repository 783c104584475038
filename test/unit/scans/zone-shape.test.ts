/**
 * The zone's own shape tells the document's (zone-shape.ts): two lines as short as a TD1's 30 characters may be
 * two of a card's three, whose outline then has the card's shape, not a passport page's. The failure class (issue
 * 18, "partial zones"): the locator found only two of a TD1's three lines, and the page detector, told the document
 * was a passport, took the outline of a passport's shape through the table's checks around the card.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Point } from '../../../electron/common/scan/homography';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { charsPerLine, documentAspects } from '../../../electron/common/scan/zone-shape';
import { offBy } from '../../support/scan-fixtures/corner-error';
import { grayOf } from '../../support/scan-fixtures/node-ocr';

/** A zone outline `chars` pitches long and `lines` lines high, the locator's way (zone-shape.ts LINE_HEIGHT_IN_PITCHES). */
function zoneOf(chars: number, lines: number): Point[] {
  const pitch = 10;
  const length = chars * pitch;
  const height = lines * 2 * pitch;
  return [
    [0, 0],
    [length, 0],
    [length, height],
    [0, height],
  ];
}

describe('what the zone\'s shape says about the document', () => {
  test('counts the characters of a line from the outline\'s proportions', () => {
    assert.ok(Math.abs(charsPerLine(zoneOf(44, 2), 2)! - 44) < 1e-9);
    assert.ok(Math.abs(charsPerLine(zoneOf(30, 3), 3)! - 30) < 1e-9);
    assert.equal(charsPerLine([[0, 0]], 2), null);
  });

  test('three lines are a card; two a passport, or a card when they are as short as a TD1\'s', () => {
    assert.equal(documentAspects(zoneOf(31, 3), 3), 85.6 / 54);
    assert.equal(documentAspects(zoneOf(44, 2), 2), 125 / 88);
    assert.equal(documentAspects(zoneOf(36, 2), 2), 125 / 88);
    assert.deepEqual(documentAspects(zoneOf(30, 2), 2), [125 / 88, 85.6 / 54]);
    // Shorter than any format's lines: a piece of a longer zone, as likely a passport's as a card's.
    assert.equal(documentAspects(zoneOf(21, 2), 2), 125 / 88);
  });

  test('a TD1 on gingham whose zone was found with two of its three lines: the card\'s outline', async () => {
    // tune-5-0020 (seed 5, tune split), 2592x1944 scaled to 1000x750, gray. At full size the locator outlined only
    // the first two lines (height over length 0.130: ~31 characters a line); scaled down it finds all three, so the
    // zone is the full-size one, scaled.
    const gray = await grayOf(readFileSync(new URL('./fixtures/td1-two-lines-found.jpg', import.meta.url)));
    const truth: Point[] = [
      [82.1, 83.8],
      [847.9, 92.1],
      [808.5, 559.6],
      [111.5, 540.9],
    ];
    const zone: Point[] = [
      [110.8, 402.6],
      [807.8, 420.8],
      [805.4, 511.8],
      [108.4, 493.5],
    ];
    const found = detectPage(gray, { corners: zone, lines: 2 });
    assert.ok(found !== null);
    assert.ok(offBy(found.corners, truth) < 0.02, `corners ${JSON.stringify(found.corners)}`);
  });
});
