/**
 * Perspective correction: the homography solve, the warp (against the test generator's own,
 * independently written projective drawing), the output size and the quarter turns.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { correctDocument } from '../../../electron/common/scan/correct';
import { applyHomography, homographyFrom, isConvexClockwise, rectifiedSize, rotateQuad, warpQuad, type Quad, type Raster } from '../../../electron/common/scan/homography';
import { composeMrz, photograph, photoOptions, randomIdentity, renderDocument } from '../../support/scan-fixtures';

const square: Quad = [[0, 0], [1, 0], [1, 1], [0, 1]];

describe('homography', () => {
  test('maps the four corners exactly, for any convex quadrilateral', () => {
    const coord = fc.double({ min: -50, max: 50, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(coord, coord, coord, coord, coord, coord, coord, coord), ([a, b, c, d, e, f, g, h]) => {
        const to: Quad = [[100 + a, 100 + b], [900 + c, 100 + d], [900 + e, 700 + f], [100 + g, 700 + h]];
        const H = homographyFrom([[0, 0], [800, 0], [800, 600], [0, 600]], to);
        ([[0, 0], [800, 0], [800, 600], [0, 600]] as const).forEach((p, i) => {
          const [x, y] = applyHomography(H, p);
          assert.ok(Math.abs(x - to[i]![0]) < 1e-6 && Math.abs(y - to[i]![1]) < 1e-6, `${i}: ${x},${y} vs ${to[i]!.join(",")}`);
        });
      }),
      { numRuns: 200 },
    );
  });

  test('three corners on a line are refused', () => {
    assert.throws(() => homographyFrom([[0, 0], [1, 0], [2, 0], [0, 1]], square), /degenerate/);
  });

  test('convexity and winding: the order the screen keeps', () => {
    assert.equal(isConvexClockwise([[0, 0], [10, 0], [10, 10], [0, 10]]), true);
    assert.equal(isConvexClockwise([[0, 0], [0, 10], [10, 10], [10, 0]]), false, 'anticlockwise');
    assert.equal(isConvexClockwise([[0, 0], [10, 0], [2, 2], [0, 10]]), false, 'dented');
    assert.equal(isConvexClockwise([[0, 0], [10, 10], [10, 0], [0, 10]]), false, 'crossed');
  });
});

describe('output size', () => {
  test('close to a known document ratio, the ratio is snapped; otherwise kept', () => {
    // An ID-1 card seen slightly at a slant: 1000 × 650 measured (1.54), snapped to 85.6/54 = 1.585.
    assert.deepEqual(rectifiedSize([[0, 0], [1000, 0], [990, 650], [10, 640]], 2048), { width: 1000, height: 631 });
    // A passport page, portrait.
    assert.deepEqual(rectifiedSize([[0, 0], [700, 0], [700, 1000], [0, 1000]], 2048), { width: 704, height: 1000 });
    // A receipt: 1:3, nothing known near it.
    assert.deepEqual(rectifiedSize([[0, 0], [300, 0], [300, 900], [0, 900]], 2048), { width: 300, height: 900 });
  });

  test('the long side is capped (Telegram: 2048) and never enlarged', () => {
    assert.deepEqual(rectifiedSize([[0, 0], [3000, 0], [3000, 1892], [0, 1892]], 2048), { width: 2048, height: 1292 });
    const small = rectifiedSize([[0, 0], [640, 0], [640, 451], [0, 451]], 2048);
    assert.equal(small.width, 640);
  });
});

describe('warp', () => {
  const tiny: Raster = { width: 3, height: 2, channels: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
  const whole: Quad = [[0, 0], [3, 0], [3, 2], [0, 2]];

  test('the identity quad gives the picture back, pixel for pixel', () => {
    assert.deepEqual([...warpQuad(tiny, whole, 3, 2).data], [1, 2, 3, 4, 5, 6]);
  });

  test('quarter turns rotate the output clockwise', () => {
    // 1 2 3        4 1        6 5 4        3 6
    // 4 5 6   →    5 2   ,    3 2 1   ,    2 5
    //              6 3                     1 4
    const turned = (k: number): number[] => {
      const r = correctDocument(tiny, whole, k, 100);
      return [r.width, r.height, ...r.data];
    };
    assert.deepEqual(turned(1), [2, 3, 4, 1, 5, 2, 6, 3]);
    assert.deepEqual(turned(2), [3, 2, 6, 5, 4, 3, 2, 1]);
    assert.deepEqual(turned(3), [2, 3, 3, 6, 2, 5, 1, 4]);
    assert.deepEqual(rotateQuad(whole, 4), whole);
  });

  test('a document photographed at an angle and tilted comes back as drawn', async () => {
    // The generator draws the flat document into the photo with its own projective map (Heckbert's
    // closed form); warping that photo along the true corners must give the flat document again.
    const seed = 41;
    const id = randomIdentity(seed, 'TD3');
    const doc = await renderDocument(id, composeMrz(id), seed);
    const options = { ...photoOptions(seed, 'clean'), angle: 7, tilt: 0.12, noise: 0, jpegQuality: 97, docFraction: 0.8 };
    const photo = await photograph(doc, options);
    const { data, info } = await sharp(photo.jpeg).grayscale().raw().toBuffer({ resolveWithObject: true });
    const w = Math.round(options.photoWidth * options.docFraction);
    const h = Math.round((doc.height / doc.width) * w);
    const flat = await sharp(doc.png).resize(w, h).grayscale().raw().toBuffer();
    const out = warpQuad({ width: info.width, height: info.height, channels: 1, data }, photo.corners as unknown as Quad, w, h);
    // Mean absolute difference against the flat document, shifted by (dx, dy): least with no shift.
    const mad = (dx: number, dy: number): number => {
      let s = 0;
      let n = 0;
      for (let y = 20; y < h - 20; y++) {
        for (let x = 20; x < w - 20; x++) {
          s += Math.abs(out.data[y * w + x]! - flat[(y + dy) * w + x + dx]!);
          n++;
        }
      }
      return s / n;
    };
    const aligned = mad(0, 0);
    assert.ok(aligned < 6, `mean difference ${aligned.toFixed(2)} grey levels`);
    for (const [dx, dy] of [[2, 0], [-2, 0], [0, 2], [0, -2]] as const) {
      assert.ok(mad(dx, dy) > aligned * 1.3, `a 2 px shift (${dx},${dy}) should match worse: ${mad(dx, dy).toFixed(2)} vs ${aligned.toFixed(2)}`);
    }
  });
});
