/** Page detection, step 1a: blur, Sobel gradients and thin edges (non-maximum suppression) of the work-size copy. */
import type { Chroma, GrayImage } from './gray-image';

export interface Edges {
  readonly width: number;
  readonly height: number;
  /** Gradient magnitude where an edge was kept, 0 elsewhere. */
  readonly mag: Float32Array;
  /** Gradient direction (radians, -π..π) of kept edges. */
  readonly dir: Float32Array;
  /** The unit gradient (cos, sin of `dir`) of kept edges: the outline scoring reads these many times over. */
  readonly gcos: Float32Array;
  readonly gsin: Float32Array;
}

/** The faint edges' floor: this many times the photo's median gradient (most pixels are flat: that is its noise). */
const NOISE_FACTOR = 3;

function gaussianBlur(img: { readonly width: number; readonly height: number; readonly data: ArrayLike<number> }, sigma: number): Float32Array {
  const { width: w, height: h, data } = img;
  const r = Math.ceil(sigma * 3);
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  // Edges clamp to the border pixel; the interior runs without bounds checks.
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      if (x >= r && x < w - r) for (let i = -r; i <= r; i++) s += k[i + r]! * data[row + x + i]!;
      else for (let i = -r; i <= r; i++) s += k[i + r]! * data[row + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    const inside = y >= r && y < h - r;
    for (let x = 0; x < w; x++) {
      let s = 0;
      if (inside) for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[(y + i) * w + x]!;
      else for (let i = -r; i <= r; i++) s += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = s;
    }
  }
  return out;
}

/** The median of a histogram of `n` values. */
function histogramMedian(histogram: Uint32Array, n: number): number {
  let median = 0;
  for (let seen = 0; median < histogram.length - 1; median++) if ((seen += histogram[median]!) >= n / 2) break;
  return median;
}

/**
 * Where a colour channel's gradient beats brightness's, it takes its place (turned to agree with brightness's
 * own, so that a side's polarity stays brightness's where there is any). Each channel is measured in units of
 * its own noise against brightness's (the medians' ratio): phone photos' colour noise is blotchy and strong in
 * a dim photo, and would otherwise outline nothing but noise. `histogram` is redone over the result.
 */
function addColour(colour: readonly Float32Array[], w: number, h: number, gx: Float32Array, gy: Float32Array, m: Float32Array, histogram: Uint32Array): void {
  const n = (w - 2) * (h - 2);
  const lumaNoise = histogramMedian(histogram, n);
  for (const ch of colour) {
    const cgx = new Float32Array(w * h);
    const cgy = new Float32Array(w * h);
    const own = new Uint32Array(histogram.length);
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        const cx = ch[i - w + 1]! + 2 * ch[i + 1]! + ch[i + w + 1]! - ch[i - w - 1]! - 2 * ch[i - 1]! - ch[i + w - 1]!;
        const cy = ch[i + w - 1]! + 2 * ch[i + w]! + ch[i + w + 1]! - ch[i - w - 1]! - 2 * ch[i - w]! - ch[i - w + 1]!;
        cgx[i] = cx;
        cgy[i] = cy;
        own[Math.min(own.length - 1, Math.sqrt(cx * cx + cy * cy) | 0)]! += 1;
      }
    }
    const weight = Math.min(1, lumaNoise / Math.max(1, histogramMedian(own, n)));
    for (let i = 0; i < m.length; i++) {
      const cx = cgx[i]! * weight;
      const cy = cgy[i]! * weight;
      const cv = Math.sqrt(cx * cx + cy * cy);
      if (cv <= m[i]!) continue;
      const flip = cx * gx[i]! + cy * gy[i]! < 0 ? -1 : 1;
      gx[i] = flip * cx;
      gy[i] = flip * cy;
      m[i] = cv;
    }
  }
  histogram.fill(0);
  for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) histogram[Math.min(histogram.length - 1, m[y * w + x]! | 0)]! += 1;
}

/**
 * Sobel gradients, thinned to one pixel across (non-maximum suppression), weak ones dropped: those under
 * `relative` of the photo's strong edges, and under a floor: a fixed one (12), or with `floor: 'noise'` one set by the
 * photo's own noise (NOISE_FACTOR), which lets a card's faint side through in a dim, flat photo (an underexposed
 * card on paper: the fixed floor was over twice the noise there and dropped the side). With `chroma` (the
 * photo's colour at this size), a colour step stronger than the brightness step counts (see `addColour`).
 */
export function edges(img: GrayImage, relative = 0.1, floor: 'fixed' | 'noise' = 'fixed', chroma: Chroma | null = null): Edges {
  const { width: w, height: h } = img;
  const b = gaussianBlur(img, 1.2);
  const colour = chroma === null || chroma.width !== w || chroma.height !== h ? null : [chroma.rg, chroma.yb].map((data) => gaussianBlur({ width: w, height: h, data }, 1.2));
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  const m = new Float32Array(w * h);
  // Sobel magnitudes of 8-bit pixels stay below 4·255·√2 ≈ 1443.
  const HIST = 1500;
  const histogram = new Uint32Array(HIST);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const a = b[i - w - 1]!, c = b[i - w + 1]!, g = b[i + w - 1]!, k = b[i + w + 1]!;
      const dx = c + 2 * b[i + 1]! + k - a - 2 * b[i - 1]! - g;
      const dy = g + 2 * b[i + w]! + k - a - 2 * b[i - w]! - c;
      gx[i] = dx;
      gy[i] = dy;
      const v = Math.sqrt(dx * dx + dy * dy);
      m[i] = v;
      histogram[Math.min(HIST - 1, v | 0)]! += 1;
    }
  }
  if (colour !== null) addColour(colour, w, h, gx, gy, m, histogram);
  // Threshold relative to the photo's strong edges (99th percentile), with a floor above sensor noise.
  let p99 = HIST - 1;
  for (let seen = 0, target = w * h * 0.01; p99 > 0; p99--) if ((seen += histogram[p99]!) >= target) break;
  const threshold = Math.max(floor === 'noise' ? Math.max(4, NOISE_FACTOR * histogramMedian(histogram, w * h)) : 12, relative * p99);
  const mag = new Float32Array(w * h);
  const dir = new Float32Array(w * h);
  const gcos = new Float32Array(w * h);
  const gsin = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = m[i]!;
      if (v < threshold) continue;
      // Neighbours along the gradient direction, quantised to 45°.
      const ax = Math.abs(gx[i]!);
      const ay = Math.abs(gy[i]!);
      let o: number;
      if (ay * 2.414 < ax) o = 1;
      else if (ax * 2.414 < ay) o = w;
      else o = gx[i]! * gy[i]! > 0 ? w + 1 : w - 1;
      if (v < m[i - o]! || v <= m[i + o]!) continue;
      mag[i] = v;
      dir[i] = Math.atan2(gy[i]!, gx[i]!);
      gcos[i] = gx[i]! / v;
      gsin[i] = gy[i]! / v;
    }
  }
  return { width: w, height: h, mag, dir, gcos, gsin };
}
