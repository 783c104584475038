/**
 * From a photo and the document's corners to the upright document: which way up it is (the MRZ is
 * at the bottom), and the perspective-corrected rectangle. Shared by the scan worker, the tests and
 * the bench, so that all three run the same steps.
 */
import type { GrayImage } from './gray-image';
import { rectifiedSize, rotateQuad, warpQuad, type Quad, type Raster } from './homography';
import { locateMrz } from './mrz-locate';

/** The document cut out along `corners`, turned `quarterTurns` clockwise, longest side ≤ maxLongSide. */
export function correctDocument(photo: Raster, corners: Quad, quarterTurns: number, maxLongSide: number): Raster {
  const q = rotateQuad(corners, quarterTurns);
  const { width, height } = rectifiedSize(q, maxLongSide);
  return warpQuad(photo, q, width, height);
}

export function grayOfRaster(r: Raster): GrayImage {
  if (r.channels !== 1) throw new TypeError('expected a one-channel raster');
  return { width: r.width, height: r.height, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.width * r.height) };
}

/** The size at which the orientation is guessed: enough for the MRZ locator, which works at 900 px anyway. */
const ORIENT_SIZE = 1000;

/**
 * Quarter turns (0-3, clockwise) that put the document's MRZ at the bottom, read left to right.
 * Every document with an MRZ is landscape (ICAO 9303: TD1, TD2, TD3 and visas), so only the two
 * landscape turns are looked at: the MRZ at the bottom of one means the other is upside down.
 * 0 when no MRZ is found (an address proof, say): the corners' own order is kept.
 */
export function guessQuarterTurns(photo: GrayImage, corners: Quad): number {
  const raster: Raster = { ...photo, channels: 1 };
  const upright = correctDocument(raster, corners, 0, ORIENT_SIZE);
  const k = upright.width >= upright.height ? 0 : 1;
  const doc = k === 0 ? grayOfRaster(upright) : grayOfRaster(correctDocument(raster, corners, k, ORIENT_SIZE));
  const region = locateMrz(doc, { maxSkewDeg: 8 });
  if (region === null) return 0;
  const [tl, tr] = region.corners as [readonly [number, number], readonly [number, number]];
  // An MRZ runs across nearly the whole document (ICAO 9303: 89% of its width, with margins).
  if (Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) < doc.width * 0.7) return 0;
  const cy = region.corners.reduce((s, c) => s + c[1], 0) / region.corners.length;
  return cy > doc.height / 2 ? k : k + 2;
}
