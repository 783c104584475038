/**
 * Perspective correction: the homography that takes an upright rectangle to the document's four
 * corners in the photo, and the inverse-mapped warp that cuts the document out of the photo with it.
 *
 * Plain TypeScript (no canvas, no `node:`): the scan worker runs it on RGBA pixels from an
 * OffscreenCanvas, the tests and the bench on pixels decoded by sharp.
 */
import { downscale } from './gray-image';

export type Point = readonly [number, number];
/** Corners in the order top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/** Row-major 3×3 matrix with h[8] = 1. */
export type Homography = readonly number[];

/** Solves A·x = b (n×n, row-major) by Gaussian elimination with partial pivoting; null if singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / a[col]![col]!;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= a[r]![c]! * x[c]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** The homography H with H·from[i] ≃ to[i] for the four point pairs (direct linear transform). */
export function homographyFrom(from: Quad, to: Quad): Homography {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const h = solve(a, b);
  if (h === null) throw new RangeError('degenerate quadrilateral: three corners on a line');
  return [...h, 1];
}

export function applyHomography(h: Homography, [x, y]: Point): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}

const dist = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The mean of some corners (a quad's, a zone outline's): where its middle is. */
export function centreOf(points: readonly Point[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const [px, py] of points) {
    x += px;
    y += py;
  }
  return [x / points.length, y / points.length];
}

/** Signed area (shoelace); positive for corners going clockwise on screen (y down). */
export function quadArea(q: Quad): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    const [x0, y0] = q[i]!;
    const [x1, y1] = q[(i + 1) % 4]!;
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

/** Convex and clockwise (the order the screen's handles keep): a quad a warp can use. */
export function isConvexClockwise(q: Quad): boolean {
  for (let i = 0; i < 4; i++) {
    const [ax, ay] = q[i]!;
    const [bx, by] = q[(i + 1) % 4]!;
    const [cx, cy] = q[(i + 2) % 4]!;
    if ((bx - ax) * (cy - by) - (by - ay) * (cx - bx) <= 0) return false;
  }
  return true;
}

/**
 * Width/height ratios of the documents people scan, portrait and landscape: ID-1 cards (85.6 × 54 mm),
 * ID-2/ID-3 (passport pages, 125 × 88 mm; A4 has the same ratio within 0.5%) and US Letter.
 */
const KNOWN_ASPECTS = [85.6 / 54, 125 / 88, 11 / 8.5];
/** A measured ratio this close to a known one is taken to be it (perspective makes measures a few % off). */
const SNAP = 0.06;

/**
 * The size of the corrected rectangle: the longer of each pair of opposite sides (a side seen at a
 * slant looks shorter than it is), the ratio snapped to a known document format when it is close,
 * the longest side at most `maxLongSide` (never enlarged beyond what the photo holds).
 */
export function rectifiedSize(q: Quad, maxLongSide: number): { width: number; height: number } {
  const [tl, tr, br, bl] = q;
  const w = Math.max(dist(tl, tr), dist(bl, br));
  const h = Math.max(dist(tl, bl), dist(tr, br));
  let aspect = w / Math.max(1, h);
  const landscape = aspect >= 1;
  const ratio = landscape ? aspect : 1 / aspect;
  const known = KNOWN_ASPECTS.find((k) => Math.abs(ratio / k - 1) <= SNAP);
  if (known !== undefined) aspect = landscape ? known : 1 / known;
  const long = Math.min(maxLongSide, Math.round(Math.max(w, h)));
  return landscape
    ? { width: long, height: Math.max(1, Math.round(long / aspect)) }
    : { width: Math.max(1, Math.round(long * aspect)), height: long };
}

/** Corners turned by quarter turns clockwise: the warped picture comes out turned the same way. */
export function rotateQuad(q: Quad, quarterTurns: number): Quad {
  const k = ((quarterTurns % 4) + 4) % 4;
  // Turning the output clockwise makes the former bottom-left corner the new top-left.
  return [q[(4 - k) % 4]!, q[(5 - k) % 4]!, q[(6 - k) % 4]!, q[(7 - k) % 4]!];
}

export interface Raster {
  readonly width: number;
  readonly height: number;
  /** Row-major, `channels` bytes per pixel. */
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly channels: 1 | 3 | 4;
}

/** Area-average downscale by an integer factor, any channel count (anti-aliasing before a big shrink). */
export function shrink(src: Raster, factor: number): Raster {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return src;
  const { channels: ch } = src;
  if (ch === 1) {
    // Gray: the plain per-byte version (the photo is shrunk this way for the quality checks).
    const g = downscale({ width: src.width, height: src.height, data: new Uint8Array(src.data.buffer, src.data.byteOffset, src.width * src.height) }, f);
    return { width: g.width, height: g.height, data: g.data, channels: 1 };
  }
  const width = Math.floor(src.width / f);
  const height = Math.floor(src.height / f);
  const data = new Uint8ClampedArray(width * height * ch);
  const sums = new Float64Array(width * ch);
  const area = f * f;
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy++) {
      const row = (y * f + dy) * src.width * ch;
      for (let x = 0; x < width; x++) {
        let p = row + x * f * ch;
        for (let dx = 0; dx < f; dx++) for (let c = 0; c < ch; c++) sums[x * ch + c]! += src.data[p++]!;
      }
    }
    for (let i = 0; i < width * ch; i++) data[y * width * ch + i] = sums[i]! / area;
  }
  return { width, height, data, channels: ch };
}

/** The corners' bounding box (a `margin` wider, whole `margin`s from the origin) copied out of `src`. */
function around(src: Raster, corners: Quad, margin: number): { raster: Raster; x0: number; y0: number } {
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const x0 = Math.max(0, (Math.floor(Math.min(...xs) / margin) - 1) * margin);
  const y0 = Math.max(0, (Math.floor(Math.min(...ys) / margin) - 1) * margin);
  const x1 = Math.min(src.width, (Math.ceil(Math.max(...xs) / margin) + 1) * margin);
  const y1 = Math.min(src.height, (Math.ceil(Math.max(...ys) / margin) + 1) * margin);
  if (x1 - x0 < margin || y1 - y0 < margin || (x0 === 0 && y0 === 0 && x1 === src.width && y1 === src.height)) return { raster: src, x0: 0, y0: 0 };
  const { channels: ch } = src;
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height * ch);
  const bytes = new Uint8Array(src.data.buffer, src.data.byteOffset, src.data.byteLength);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * src.width + x0) * ch;
    data.set(bytes.subarray(from, from + width * ch), y * width * ch);
  }
  return { raster: { width, height, data, channels: ch }, x0, y0 };
}

/**
 * The document cut out of `src` along `corners` into an upright `width`×`height` raster, bilinear.
 * When the document is at least twice as large in the photo as the output, the photo is first
 * shrunk by area averaging, so fine print does not alias into moiré.
 */
export function warpQuad(src: Raster, corners: Quad, width: number, height: number): Raster {
  const [tl, tr, br, bl] = corners;
  const ratio = Math.min(Math.max(dist(tl, tr), dist(bl, br)) / width, Math.max(dist(tl, bl), dist(tr, br)) / height);
  const f = Math.max(1, Math.floor(ratio));
  // Only the part of the photo the document covers is shrunk (it may fill a third of the frame).
  const { raster: part, x0, y0 } = f === 1 ? { raster: src, x0: 0, y0: 0 } : around(src, corners, f);
  const img = shrink(part, f);
  const scaled = corners.map(([x, y]) => [(x - x0) / f, (y - y0) / f] as const) as unknown as Quad;
  const h = homographyFrom([[0, 0], [width, 0], [width, height], [0, height]], scaled);
  const { channels: ch, width: sw, height: sh } = img;
  // One array type on the hot path (V8 keeps the loop monomorphic): a byte view of the source.
  const s = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  const out = new Uint8ClampedArray(width * height * ch);
  // A plain byte view to write through: a bilinear mix of bytes is always within 0-255, so the clamped
  // array's slower conversion is not needed; `+ 0.5 | 0` rounds.
  const o8 = new Uint8Array(out.buffer);
  const maxX = sw - 1;
  const maxY = sh - 1;
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = h as [number, number, number, number, number, number, number, number, number];
  let o = 0;
  const rowStride = sw * ch;
  for (let y = 0; y < height; y++) {
    const v = y + 0.5;
    // Pixel centres: output (x + 0.5, y + 0.5) maps to a source position measured from pixel corners.
    // Along a row the three projective sums grow by h0, h3, h6 per pixel: added, not recomputed.
    let nx = h0 * 0.5 + h1 * v + h2;
    let ny = h3 * 0.5 + h4 * v + h5;
    let nw = h6 * 0.5 + h7 * v + h8;
    for (let x = 0; x < width; x++, nx += h0, ny += h3, nw += h6) {
      const r = 1 / nw;
      let sx = nx * r - 0.5;
      let sy = ny * r - 0.5;
      sx = sx < 0 ? 0 : sx > maxX ? maxX : sx;
      sy = sy < 0 ? 0 : sy > maxY ? maxY : sy;
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const dx = x0 < maxX ? ch : 0;
      const dy = y0 < maxY ? rowStride : 0;
      const p00 = y0 * rowStride + x0 * ch;
      const p10 = p00 + dx;
      const p01 = p00 + dy;
      const p11 = p01 + dx;
      const w11 = fx * fy;
      const w10 = fx - w11;
      const w01 = fy - w11;
      const w00 = 1 - fx - w01;
      if (ch === 4) {
        o8[o] = (s[p00]! * w00 + s[p10]! * w10 + s[p01]! * w01 + s[p11]! * w11 + 0.5) | 0;
        o8[o + 1] = (s[p00 + 1]! * w00 + s[p10 + 1]! * w10 + s[p01 + 1]! * w01 + s[p11 + 1]! * w11 + 0.5) | 0;
        o8[o + 2] = (s[p00 + 2]! * w00 + s[p10 + 2]! * w10 + s[p01 + 2]! * w01 + s[p11 + 2]! * w11 + 0.5) | 0;
        o8[o + 3] = (s[p00 + 3]! * w00 + s[p10 + 3]! * w10 + s[p01 + 3]! * w01 + s[p11 + 3]! * w11 + 0.5) | 0;
        o += 4;
      } else {
        for (let c = 0; c < ch; c++) o8[o++] = (s[p00 + c]! * w00 + s[p10 + c]! * w10 + s[p01 + c]! * w01 + s[p11 + c]! * w11 + 0.5) | 0;
      }
    }
  }
  return { width, height, data: out, channels: ch };
}

/** Length, unit direction (tx, ty) and unit normal pointing away from `centre` (nx, ny) of the side a→b. */
export function sideFrame(a: Point, b: Point, centre: Point): { len: number; tx: number; ty: number; nx: number; ny: number } {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const tx = (b[0] - a[0]) / len;
  const ty = (b[1] - a[1]) / len;
  let nx = -ty;
  let ny = tx;
  if (nx * ((a[0] + b[0]) / 2 - centre[0]) + ny * ((a[1] + b[1]) / 2 - centre[1]) < 0) [nx, ny] = [-nx, -ny];
  return { len, tx, ty, nx, ny };
}
