/**
 * Is this photo of a document good enough to keep? Four checks, each with the reason a person can act
 * on: too small in the frame, blurry, too dark, glare. They run on the document only (the corrected
 * rectangle), at a fixed working size so that the numbers do not depend on the camera's resolution.
 *
 * The thresholds were measured on generated photos (test/support/scan-fixtures; the measurement is
 * repeated by test/unit/scans/quality.test.ts and printed by `npx tsx bench/scan-quality.ts`):
 * every "clean" and "degraded" photo — the ones the MRZ reader reads — must pass, and each
 * deliberately bad photo must fail for its own reason (15 TD3 + 15 TD1 per set: all 180 judged as
 * meant), with each threshold put where the MRZ reader starts failing. The numbers are below.
 */
import type { GrayImage } from './gray-image';
import { rectifiedSize, warpQuad, type Quad, type Raster } from './homography';

/** The corrected document is measured at this long side (smaller documents at their own size). */
export const QUALITY_WORK_SIZE = 1000;
/**
 * A tile's Laplacian is divided by its own contrast (a dim photo is not a blurry one), but never by
 * less than this: plain paper's few grey levels of noise must not be magnified into "detail".
 */
const TILE_CONTRAST_FLOOR = 80;

export const QUALITY_THRESHOLDS = {
  /**
   * Long side of the document in the photo, in pixels. Measured (3 TD3 + 3 TD1 per size, read through
   * detection, correction and the MRZ reader): clean photos read 6/6 down to 420 px, but degraded ones
   * (blur σ 0.8-1.7, dim, JPEG 45-65) 3/6 at 480-640 px, 5/6 at 720 and 6/6 from 800. Main refuses a
   * short side under 300 px anyway (an ID-1 card under 476 px long).
   */
  minLongSide: 760,
  /**
   * Sharpness: the Laplacian's variance in the sharper tiles of the document (95th percentile of 50 px
   * tiles, each over its own contrast squared, ×1000). Measured: clean 11.3-14.9, degraded 4.0-10.1,
   * blurry set (σ 2.8-4.2 px) 0.6-1.7; on the reader: σ 2.2 px 2.5-3.6 (all still read), σ 2.6 1.6-2.4
   * (the reader starts failing: 5/6), σ 3 1.1-1.7 (3/6).
   */
  minSharpness: 2.0,
  /**
   * Mean luminance of the document (0-255). Measured: clean 215-228, degraded 142-189, dark set
   * 50-70; on the reader: exposure ×0.5 107-113 (all read), ×0.4 86-90 (4/6 read), ×0.3 64-68.
   */
  minLuminance: 100,
  /**
   * Share of the document blown out to white (5×5 local mean ≥ 253). Measured: clean and degraded 0%
   * (the white band's noise never averages that high); the glare set (a lamp's reflection) 7.5-14%.
   */
  maxGlare: 0.01,
} as const;

export type QualityIssue = 'small' | 'blurry' | 'dark' | 'glare';

export interface QualityMetrics {
  /** Long side of the document in the photo (pixels). */
  readonly longSide: number;
  readonly sharpness: number;
  readonly luminance: number;
  /** 0-1. */
  readonly glare: number;
}

export interface QualityReport {
  readonly metrics: QualityMetrics;
  /** Empty when the photo passes; otherwise in the order a person should fix them. */
  readonly issues: readonly QualityIssue[];
}

/** What the screen says for each issue: what is wrong, and what to do. */
export const QUALITY_ADVICE: Readonly<Record<QualityIssue, { readonly title: string; readonly advice: string }>> = {
  small: { title: 'The document is too small in the photo', advice: 'Move closer, so that the document fills most of the frame.' },
  blurry: { title: 'The photo is blurry', advice: 'Hold the camera steady and let it focus on the text before you take the photo.' },
  dark: { title: 'The photo is too dark', advice: 'Turn on a light or move to a brighter place; avoid your own shadow.' },
  glare: { title: 'Light is reflecting off the document', advice: 'Tilt the document slightly or move the lamp, so that no part of it shines white.' },
};

const dist = (a: readonly [number, number], b: readonly [number, number]): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Long side of the document as the photo shows it: the longer of its longer pair of sides. */
export function documentLongSide(q: Quad): number {
  const [tl, tr, br, bl] = q;
  return Math.max(dist(tl, tr), dist(bl, br), dist(tl, bl), dist(tr, br));
}

function boxMean(img: GrayImage, r: number): Float32Array {
  const { width: w, height: h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x]!;
      integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1]! + row;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const s = integral[y1 * (w + 1) + x1]! - integral[y0 * (w + 1) + x1]! - integral[y1 * (w + 1) + x0]! + integral[y0 * (w + 1) + x0]!;
      out[y * w + x] = s / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/** The metrics of a corrected document raster (gray) whose long side in the photo was `longSide`. */
export function measureQuality(doc: GrayImage, longSide: number): QualityMetrics {
  const { width: w, height: h, data } = doc;
  const n = w * h;
  // Blown-out pixels: glare, and left out of the sharpness below (a reflection has no detail).
  const local = boxMean(doc, 2);
  let blown = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += data[i]!;
    if (local[i]! >= 253) blown++;
  }
  // A 3×3 mean first: sensor noise and JPEG blocks would otherwise count as sharpness. Then the
  // Laplacian's variance per tile, and the sharpness of the document is that of its sharper tiles:
  // plain paper and a reflection have no detail to be sharp with, and must not dilute the measure.
  const smooth = boxMean(doc, 1);
  const tile = 50;
  const tilesX = Math.max(1, Math.floor((w - 4) / tile));
  const tilesY = Math.max(1, Math.floor((h - 4) / tile));
  const tiles: number[] = [];
  for (let ty = 0; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      let ls = 0;
      let ls2 = 0;
      let m = 0;
      let lo = 255;
      let hi = 0;
      for (let y = 2 + ty * tile; y < Math.min(h - 2, 2 + (ty + 1) * tile); y++) {
        for (let x = 2 + tx * tile; x < Math.min(w - 2, 2 + (tx + 1) * tile); x++) {
          const i = y * w + x;
          if (local[i]! >= 253) continue;
          const v = smooth[i]!;
          const l = 4 * v - smooth[i - 1]! - smooth[i + 1]! - smooth[i - w]! - smooth[i + w]!;
          ls += l;
          ls2 += l * l;
          m++;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      const range = Math.max(TILE_CONTRAST_FLOOR, hi - lo);
      if (m > tile * tile * 0.5) tiles.push((1000 * (ls2 / m - (ls / m) ** 2)) / (range * range));
    }
  }
  tiles.sort((a, b) => a - b);
  const sharpness = tiles[Math.floor(tiles.length * 0.95)] ?? 0;
  return { longSide, sharpness, luminance: sum / Math.max(1, n), glare: blown / Math.max(1, n) };
}

export function judgeQuality(metrics: QualityMetrics): QualityReport {
  const t = QUALITY_THRESHOLDS;
  const issues: QualityIssue[] = [];
  if (metrics.longSide < t.minLongSide) issues.push('small');
  if (metrics.luminance < t.minLuminance) issues.push('dark');
  if (metrics.glare > t.maxGlare) issues.push('glare');
  // In the dark, the sensor's noise floor hides detail: "too dark" is the cause to fix, not blur.
  if (metrics.sharpness < t.minSharpness && !issues.includes('dark')) issues.push('blurry');
  return { metrics, issues };
}

/** The checks on the document `corners` outline in `photo` (gray): cut out at the working size, measured, judged. */
export function assessQuality(photo: GrayImage, corners: Quad): QualityReport {
  const size = rectifiedSize(corners, QUALITY_WORK_SIZE);
  const raster: Raster = { width: photo.width, height: photo.height, data: photo.data, channels: 1 };
  const doc = warpQuad(raster, corners, size.width, size.height);
  const gray: GrayImage = { width: doc.width, height: doc.height, data: new Uint8Array(doc.data.buffer, doc.data.byteOffset, doc.data.byteLength) };
  return judgeQuality(measureQuality(gray, documentLongSide(corners)));
}
