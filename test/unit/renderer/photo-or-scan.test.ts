/** Which pictures added to a slot get the offer to straighten and crop (renderer/src/scanning/photo-or-scan.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { judgePicture } from '../../../renderer/src/scanning/photo-or-scan';

const W = 1600;
const H = 1200;
const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as const;
/** A w × h rectangle centred in the picture, turned by `deg`. */
function turned(w: number, h: number, deg: number) {
  const r = (deg * Math.PI) / 180;
  return ([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]] as const).map(([x, y]) => [W / 2 + x * Math.cos(r) - y * Math.sin(r), H / 2 + x * Math.sin(r) + y * Math.cos(r)] as const);
}

describe('photo or flat scan', () => {
  test('no document found: no offer', () => {
    assert.deepEqual(judgePicture(W, H, null), { photo: false });
  });
  test("a box on the page (the holder's photo on a flat scan of a card, found as the page's best outline): no offer", () => {
    // Where the detector finds it on a flat scan of a generated ID card (1027×648): 72,132 to 288,428.
    assert.deepEqual(judgePicture(1027, 648, rect(72, 132, 288, 428)), { photo: false });
    assert.deepEqual(judgePicture(W, H, turned(W * 0.4, H * 0.4, 8)), { photo: false });
  });
  test('a scan cropped to the page (edges at or just inside the frame, square on): no offer', () => {
    assert.deepEqual(judgePicture(W, H, rect(0, 0, W, H)), { photo: false });
    assert.deepEqual(judgePicture(W, H, rect(20, 15, W - 25, H - 10)), { photo: false });
    assert.deepEqual(judgePicture(W, H, turned(W * 0.97, H * 0.97, 1.5)), { photo: false });
  });
  test('a document in part of the picture (a photo on a table, a scanner bed): offered', () => {
    assert.deepEqual(judgePicture(W, H, rect(300, 250, 1300, 950)), { photo: true, why: 'part' });
    assert.deepEqual(judgePicture(W, H, turned(W * 0.7, H * 0.7, 4)), { photo: true, why: 'part' });
  });
  test('nearly filling the picture but at an angle or in perspective: offered', () => {
    assert.deepEqual(judgePicture(W, H, turned(W * 0.93, H * 0.93, 5)), { photo: true, why: 'angle' });
    const keystone = [[120, 10], [W - 120, 10], [W, H], [0, H]] as const;
    assert.deepEqual(judgePicture(W, H, keystone), { photo: true, why: 'angle' });
  });
});
