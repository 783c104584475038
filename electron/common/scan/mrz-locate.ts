/**
 * Finds the machine-readable zone in a photo without OpenCV: on a small grayscale copy it marks ink
 * (pixels clearly darker than their neighbourhood), finds the text skew that makes ink rows sharpest,
 * splits the ink into text lines along that angle, and picks the bottom-most run of 2-3 long lines of
 * equal length and height: what an MRZ looks like (ICAO 9303: fixed pitch, full width, at the bottom).
 * The result is an upright crop of the zone from the full-resolution image, ready for OCR.
 */
import { downscale, sample, type GrayImage } from './gray-image';

export interface MrzRegion {
  /** Skew of the text lines in degrees, clockwise. */
  readonly angle: number;
  /** Number of text lines found in the zone (2 for passports, 3 for ID cards). */
  readonly lines: number;
  /** The zone's corners in the input image: top-left, top-right, bottom-right, bottom-left. */
  readonly corners: readonly (readonly [number, number])[];
  /** Typical text line height in input pixels. */
  readonly lineHeight: number;
}

interface Line {
  readonly v0: number;
  readonly v1: number;
  readonly u0: number;
  readonly u1: number;
  readonly ink: number;
}

const WORK_SIZE = 900;

/** Ink mask: darker than 88% of the local mean (15×15 box, via an integral image). */
function inkPoints(img: GrayImage): { xs: Int32Array; ys: Int32Array; n: number } {
  const { width: w, height: h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      integral[(y + 1) * (w + 1) + x + 1] = (integral[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  const r = 7;
  const xs = new Int32Array(w * h);
  const ys = new Int32Array(w * h);
  let n = 0;
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum =
        (integral[y1 * (w + 1) + x1] ?? 0) - (integral[y0 * (w + 1) + x1] ?? 0) - (integral[y1 * (w + 1) + x0] ?? 0) + (integral[y0 * (w + 1) + x0] ?? 0);
      const mean = sum / ((x1 - x0) * (y1 - y0));
      const v = data[y * w + x] ?? 255;
      if (v < mean * 0.88 && v < mean - 12) {
        xs[n] = x;
        ys[n] = y;
        n++;
      }
    }
  }
  return { xs, ys, n };
}

/** Sum of squared row counts of the ink projected at `deg`: largest when rows align with text lines. */
function skewScore(p: { xs: Int32Array; ys: Int32Array; n: number }, deg: number, size: number): number {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const offset = size;
  const bins = new Int32Array(size * 3);
  for (let i = 0; i < p.n; i++) bins[Math.round(-(p.xs[i] ?? 0) * s + (p.ys[i] ?? 0) * c) + offset]! += 1;
  let score = 0;
  for (const b of bins) score += b * b;
  return score;
}

function bestSkew(p: { xs: Int32Array; ys: Int32Array; n: number }, size: number, maxDeg: number): number {
  let best = 0;
  let bestScore = -1;
  for (let d = -maxDeg; d <= maxDeg; d += 0.5) {
    const sc = skewScore(p, d, size);
    if (sc > bestScore) [best, bestScore] = [d, sc];
  }
  const coarse = best;
  for (let d = coarse - 0.5; d <= coarse + 0.5; d += 0.1) {
    const sc = skewScore(p, d, size);
    if (sc > bestScore) [best, bestScore] = [d, sc];
  }
  return best;
}

/** Text lines along the skew: runs of rows with enough ink, with the horizontal extent of their ink. */
function textLines(p: { xs: Int32Array; ys: Int32Array; n: number }, deg: number, size: number): Line[] {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const offset = size;
  const rows = new Int32Array(size * 3);
  const vs = new Int32Array(p.n);
  const us = new Float32Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const x = p.xs[i] ?? 0;
    const y = p.ys[i] ?? 0;
    const v = Math.round(-x * s + y * c) + offset;
    vs[i] = v;
    us[i] = x * c + y * s;
    rows[v]! += 1;
  }
  let max = 0;
  for (const r of rows) max = Math.max(max, r);
  const threshold = Math.max(4, max * 0.12);
  const runs: [number, number][] = [];
  let start = -1;
  for (let v = 0; v <= rows.length; v++) {
    const on = v < rows.length && (rows[v] ?? 0) >= threshold;
    if (on && start < 0) start = v;
    if (!on && start >= 0) {
      if (v - start >= 3) runs.push([start, v]);
      start = -1;
    }
  }
  return runs.map(([v0, v1]) => {
    const inRun: number[] = [];
    for (let i = 0; i < p.n; i++) if ((vs[i] ?? 0) >= v0 && (vs[i] ?? 0) < v1) inRun.push(us[i] ?? 0);
    inRun.sort((x, y) => x - y);
    // 1st-99th percentile: a stray mark does not stretch the line.
    const u0 = inRun[Math.floor(inRun.length * 0.01)] ?? 0;
    const u1 = inRun[Math.floor(inRun.length * 0.99)] ?? 0;
    return { v0: v0 - offset, v1: v1 - offset, u0, u1, ink: inRun.length };
  });
}

/** Lines that look alike (length, height, position) and sit at a regular spacing form an MRZ. */
function pickMrz(lines: readonly Line[]): Line[] | null {
  let best: Line[] | null = null;
  let bestScore = 0;
  for (let i = 0; i < lines.length; i++) {
    for (const count of [3, 2]) {
      const group = lines.slice(i, i + count);
      if (group.length !== count) continue;
      const widths = group.map((l) => l.u1 - l.u0);
      const heights = group.map((l) => l.v1 - l.v0);
      const wMax = Math.max(...widths);
      const wMin = Math.min(...widths);
      const hMed = [...heights].sort((a, b) => a - b)[Math.floor(count / 2)] ?? 1;
      if (wMin < wMax * 0.85 || wMax < hMed * 12) continue;
      if (group.some((l) => Math.abs(l.u0 - (group[0]?.u0 ?? 0)) > hMed * 1.5)) continue;
      if (heights.some((h) => h > hMed * 1.5 || h < hMed * 0.65)) continue;
      // Printed characters leave gaps; a shadow or the document's edge is a solid band of "ink".
      if (group.some((l) => l.ink / Math.max(1, (l.u1 - l.u0) * (l.v1 - l.v0)) > 0.5)) continue;
      const gaps = group.slice(1).map((l, k) => l.v0 - (group[k]?.v1 ?? 0));
      if (gaps.some((g) => g > hMed * 2.2)) continue;
      // Long, many-lined, and low on the page wins; a longer group beats its own sub-groups.
      const score = wMax * count + (group[count - 1]?.v1 ?? 0) * 0.05;
      if (score > bestScore) [best, bestScore] = [group, score];
    }
  }
  return best;
}

export function locateMrz(img: GrayImage, options: { maxSkewDeg?: number } = {}): MrzRegion | null {
  const factor = Math.max(1, Math.ceil(Math.max(img.width, img.height) / WORK_SIZE));
  const small = downscale(img, factor);
  const ink = inkPoints(small);
  if (ink.n < 100) return null;
  const size = small.width + small.height;
  const angle = bestSkew(ink, size, options.maxSkewDeg ?? 15);
  const group = pickMrz(textLines(ink, angle, size));
  if (group === null) return null;
  const first = group[0] as Line;
  const last = group[group.length - 1] as Line;
  const lineHeight = (group.reduce((s, l) => s + (l.v1 - l.v0), 0) / group.length) * factor;
  // A margin of about one line height around the ink, in input pixels.
  const m = lineHeight / factor;
  const u0 = Math.min(...group.map((l) => l.u0)) - m;
  const u1 = Math.max(...group.map((l) => l.u1)) + m;
  const v0 = first.v0 - m * 0.8;
  const v1 = last.v1 + m * 0.8;
  const a = (angle * Math.PI) / 180;
  const toImage = (u: number, v: number): [number, number] => [(u * Math.cos(a) - v * Math.sin(a)) * factor, (u * Math.sin(a) + v * Math.cos(a)) * factor];
  return { angle, lines: group.length, lineHeight, corners: [toImage(u0, v0), toImage(u1, v0), toImage(u1, v1), toImage(u0, v1)] };
}

/**
 * The zone cut out upright, scaled so a text line is about `lineHeightPx` high (Tesseract's legacy
 * engine reads best with capitals ~30 px tall).
 */
export function extractRegion(img: GrayImage, region: MrzRegion, lineHeightPx = 34): GrayImage {
  const [tl, tr, , bl] = region.corners as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
  const srcW = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]);
  const srcH = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  const scale = Math.min(3, Math.max(0.3, lineHeightPx / region.lineHeight));
  const width = Math.max(1, Math.round(srcW * scale));
  const height = Math.max(1, Math.round(srcH * scale));
  const ux = (tr[0] - tl[0]) / width;
  const uy = (tr[1] - tl[1]) / width;
  const vx = (bl[0] - tl[0]) / height;
  const vy = (bl[1] - tl[1]) / height;
  const data = new Uint8Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      data[j * width + i] = Math.round(sample(img, tl[0] + i * ux + j * vx, tl[1] + i * uy + j * vy));
    }
  }
  return { width, height, data };
}
