/**
 * Page detection on generated photos: the document at an angle, in perspective, blurred, dark, on a
 * light desk, JPEG-noisy; the corners found must be within a few pixels of the corners the generator
 * placed it at. Also: which way up (the MRZ at the bottom), and nothing found where there is nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { guessQuarterTurns } from '../../../electron/common/scan/correct';
import { rotateQuad, type Point, type Quad } from '../../../electron/common/scan/homography';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { composeMrz, makeFixture, photograph, photoOptions, randomIdentity, renderDocument, type MrzKind, type PhotoOptions } from '../../support/scan-fixtures';
import { grayOf } from '../../support/scan-fixtures/node-ocr';

/** "Within a few pixels": what the issue asks. Measured: ≤ 1 px on all of these. */
const TOLERANCE_PX = 2;

function worst(found: Quad, truth: readonly Point[]): number {
  return Math.max(...found.map((c, i) => Math.hypot(c[0] - truth[i]![0], c[1] - truth[i]![1])));
}

async function photo(seed: number, kind: MrzKind, options: Partial<PhotoOptions>, condition: 'clean' | 'degraded' = 'degraded') {
  const id = randomIdentity(seed, kind);
  const doc = await renderDocument(id, composeMrz(id), seed);
  return photograph(doc, { ...photoOptions(seed, condition), ...options });
}

describe('page detection', () => {
  test('the bench\'s photos (turned, blurred, dimmed, JPEG 45-65): corners within a few pixels', async () => {
    // 1037: the white MRZ band ends 40 px above the card's edge, a strong line parallel to it; the
    // card's own edge must win (it did not while Hough lines were scored unrefined).
    for (const [seed, kind, condition] of [[1002, 'TD3', 'degraded'], [1007, 'TD1', 'degraded'], [1000, 'TD3', 'clean'], [1037, 'TD1', 'clean'], [5001, 'TD1', 'harsh']] as const) {
      const f = await makeFixture(seed, kind, condition);
      const found = detectPage(await grayOf(f.photo.jpeg));
      assert.ok(found !== null, `seed ${seed}: nothing found`);
      const err = worst(found.corners, f.photo.corners);
      assert.ok(err <= TOLERANCE_PX, `seed ${seed} ${condition}: worst corner ${err.toFixed(2)} px off`);
      assert.ok(found.support > 0.8, `seed ${seed}: support ${found.support}`);
    }
  });

  test('in perspective, on a dark table and on a light desk', async () => {
    const cases: [number, MrzKind, Partial<PhotoOptions>][] = [
      [301, 'TD1', { tilt: 0.15, angle: -9 }],
      [302, 'TD3', { tilt: 0.1, angle: 12, background: 'desk' }],
      [303, 'TD1', { tilt: 0.05, angle: 4, background: 'desk', blurSigma: 1.6, brightness: 0.7 }],
      [304, 'TD3', { tilt: 0.12, angle: -25, docFraction: 0.6, jpegQuality: 40, noise: 10 }],
    ];
    for (const [seed, kind, options] of cases) {
      const p = await photo(seed, kind, options);
      const found = detectPage(await grayOf(p.jpeg));
      assert.ok(found !== null, `seed ${seed}: nothing found`);
      const err = worst(found.corners, p.corners);
      assert.ok(err <= TOLERANCE_PX, `seed ${seed} ${JSON.stringify(options)}: worst corner ${err.toFixed(2)} px off`);
    }
  });

  test('a 3000×2200 photo and a 1280×720 camera frame', async () => {
    for (const [seed, size, fraction] of [[305, [3000, 2200], 0.75], [306, [1280, 720], 0.62]] as const) {
      const p = await photo(seed, 'TD3', { photoWidth: size[0], photoHeight: size[1], docFraction: fraction, tilt: 0.06, angle: 5 });
      const found = detectPage(await grayOf(p.jpeg));
      assert.ok(found !== null);
      const err = worst(found.corners, p.corners);
      assert.ok(err <= TOLERANCE_PX * (size[0] / 1600), `${size.join('×')}: ${err.toFixed(2)} px off`);
    }
  });

  test('a document turned a quarter or half way round is put the right way up by its MRZ', async () => {
    for (const [seed, kind, angle] of [[311, 'TD3', 88], [312, 'TD1', -87], [313, 'TD3', 178], [314, 'TD1', 3]] as const) {
      const p = await photo(seed, kind, { angle, docFraction: 0.5 });
      const gray = await grayOf(p.jpeg);
      const found = detectPage(gray);
      assert.ok(found !== null, `angle ${angle}: nothing found`);
      const upright = rotateQuad(found.corners, guessQuarterTurns(gray, found.corners));
      // The truth is in the document's own order: top-left of the document first.
      const err = worst(upright, p.corners);
      assert.ok(err <= TOLERANCE_PX, `angle ${angle}: ${upright.map((c) => c.map(Math.round).join(',')).join(' ')} vs ${p.corners.map((c) => c.map(Math.round).join(',')).join(' ')}`);
    }
  });

  test('no document, no corners: an empty table, a noisy picture', async () => {
    const table = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6b5a48' } }).jpeg().toBuffer();
    assert.equal(detectPage(await grayOf(table)), null);
    const noise = Buffer.alloc(800 * 600 * 3);
    let s = 7;
    for (let i = 0; i < noise.length; i++) noise[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    const noisy = await sharp(noise, { raw: { width: 800, height: 600, channels: 3 } }).jpeg().toBuffer();
    assert.equal(detectPage(await grayOf(noisy)), null);
  });
});
