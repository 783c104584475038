/** Page detection, step 1a: blur, Sobel gradients and thin edges (non-maximum suppression) of the work-size copy. */
import type { GrayImage } from './gray-image';

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

function gaussianBlur(img: GrayImage, sigma: number): Float32Array {
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

/**
 * Sobel gradients, thinned to one pixel across (non-maximum suppression), weak ones dropped: those under
 * `relative` of the photo's strong edges, and under a floor: a fixed one (12), or with `floor: 'noise'` one set by the
 * photo's own noise (NOISE_FACTOR), which lets a card's faint side through in a dim, flat photo (an underexposed
 * card on paper: the fixed floor was over twice the noise there and dropped the side).
 */
export function edges(img: GrayImage, relative = 0.1, floor: 'fixed' | 'noise' = 'fixed'): Edges {
  const { width: w, height: h } = img;
  const b = gaussianBlur(img, 1.2);
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
  // Threshold relative to the photo's strong edges (99th percentile), with a floor above sensor noise.
  let p99 = HIST - 1;
  for (let seen = 0, target = w * h * 0.01; p99 > 0; p99--) if ((seen += histogram[p99]!) >= target) break;
  let median = 0;
  for (let seen = 0, target = w * h * 0.5; median < HIST - 1; median++) if ((seen += histogram[median]!) >= target) break;
  const threshold = Math.max(floor === 'noise' ? Math.max(4, NOISE_FACTOR * median) : 12, relative * p99);
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
