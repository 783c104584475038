/**
 * Finds the four corners of a document in a photo. Not with OpenCV: `@techstark/opencv-js` 4.12 is one
 * 10.4 MB file (3.4 MB gzipped) that would take the app archive from ~17 to ~28 MB, and its embind
 * glue builds functions with `new Function`, which the renderer's CSP forbids (script-src has
 * 'wasm-unsafe-eval' only) — in the worker as on the page. This file is a few hundred lines, and on the
 * generated photos it finds corners to within a pixel (test/unit/scans/page-detect.test.ts, and the
 * "corners px" column of bench/scan.ts).
 *
 * 1. Coarse, on a copy about 640 px across: blur, Sobel gradients, thin edges (non-maximum
 *    suppression), and a Hough transform in which each edge pixel votes only for lines across its
 *    own gradient direction (text and texture then add little). The strongest lines, each refitted to
 *    its own edge pixels, are paired into candidate quadrilaterals; each candidate is scored by how much of its outline an edge of the
 *    right orientation really follows, so the document's outline beats any line inside it (a
 *    bigger quad wins only if its sides are as well supported).
 * 2. Fine, on the full-resolution photo: along each side, the strongest step of brightness across the
 *    side (sub-pixel), robust straight-line fit, corners where adjacent lines meet. Rounded card
 *    corners do not matter: the lines meet where the corner would be.
 *
 * Coordinates are pixel-edge based: (0, 0) is the top-left corner of the top-left pixel.
 */
import { downscale, sample, type GrayImage } from './gray-image';
import { isConvexClockwise, quadArea, type Point, type Quad } from './homography';

export interface PageDetection {
  /** Top-left, top-right, bottom-right, bottom-left, in the input's pixels. */
  readonly corners: Quad;
  /** Share of the outline (0-1) that follows an edge in the photo: the weakest side's. */
  readonly support: number;
}

const WORK_SIZE = 640;
/** Hough: 1° steps; each edge pixel votes within ±VOTE_SPREAD° of its gradient direction. */
const THETA_BINS = 180;
const VOTE_SPREAD = 3;
const MAX_LINES = 28;

interface Line {
  /** Normal direction, radians in [0, π). */
  readonly theta: number;
  /** Signed distance of the line from the image centre along its normal (work pixels). */
  readonly rho: number;
  readonly votes: number;
}

interface Edges {
  readonly width: number;
  readonly height: number;
  /** Gradient magnitude where an edge was kept, 0 elsewhere. */
  readonly mag: Float32Array;
  /** Gradient direction (radians, -π..π) of kept edges. */
  readonly dir: Float32Array;
}

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

/** Sobel gradients, thinned to one pixel across (non-maximum suppression), weak ones dropped. */
function edges(img: GrayImage): Edges {
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
  const threshold = Math.max(12, 0.1 * p99);
  const mag = new Float32Array(w * h);
  const dir = new Float32Array(w * h);
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
    }
  }
  return { width: w, height: h, mag, dir };
}

function houghLines(e: Edges): Line[] {
  const { width: w, height: h } = e;
  const cx = w / 2;
  const cy = h / 2;
  const rmax = Math.ceil(Math.hypot(w, h) / 2) + 1;
  const rbins = 2 * rmax + 1;
  const acc = new Float32Array(THETA_BINS * rbins);
  const cos = new Float64Array(THETA_BINS);
  const sin = new Float64Array(THETA_BINS);
  for (let t = 0; t < THETA_BINS; t++) {
    cos[t] = Math.cos((t * Math.PI) / THETA_BINS);
    sin[t] = Math.sin((t * Math.PI) / THETA_BINS);
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (e.mag[i] === 0) continue;
      let d = e.dir[i]!;
      if (d < 0) d += Math.PI;
      const t0 = Math.round((d / Math.PI) * THETA_BINS);
      const px = x + 0.5 - cx;
      const py = y + 0.5 - cy;
      for (let dt = -VOTE_SPREAD; dt <= VOTE_SPREAD; dt++) {
        const t = (t0 + dt + THETA_BINS) % THETA_BINS;
        const r = Math.round(px * cos[t]! + py * sin[t]!) + rmax;
        acc[t * rbins + r]! += 1;
      }
    }
  }
  // Peaks: local maxima, strongest first, and no two lines nearly the same.
  const minVotes = Math.max(10, 0.08 * Math.min(w, h));
  const peaks: Line[] = [];
  for (let t = 0; t < THETA_BINS; t++) {
    for (let r = 1; r < rbins - 1; r++) {
      const v = acc[t * rbins + r]!;
      if (v < minVotes) continue;
      let max = true;
      for (let dt = -2; dt <= 2 && max; dt++) {
        const tt = t + dt;
        // Across θ = 0/180 the same line has the opposite ρ.
        const [t2, r2] = tt < 0 ? [tt + THETA_BINS, 2 * rmax - r] : tt >= THETA_BINS ? [tt - THETA_BINS, 2 * rmax - r] : [tt, r];
        for (let dr = -2; dr <= 2; dr++) {
          if (dt === 0 && dr === 0) continue;
          const rr = r2 + dr;
          if (rr < 0 || rr >= rbins) continue;
          const u = acc[t2 * rbins + rr]!;
          if (u > v || (u === v && (dt < 0 || (dt === 0 && dr < 0)))) {
            max = false;
            break;
          }
        }
      }
      if (max) peaks.push({ theta: (t * Math.PI) / THETA_BINS, rho: r - rmax, votes: v });
    }
  }
  peaks.sort((a, b) => b.votes - a.votes);
  const lines: Line[] = [];
  for (const p of peaks) {
    if (lines.length >= MAX_LINES) break;
    const near = lines.some((l) => {
      let dt = Math.abs(l.theta - p.theta);
      let dr = Math.abs(l.rho - p.rho);
      if (dt > Math.PI / 2) {
        dt = Math.PI - dt;
        dr = Math.abs(l.rho + p.rho);
      }
      return dt < (4 * Math.PI) / 180 && dr < 5;
    });
    if (!near) lines.push(p);
  }
  return lines;
}

/**
 * Each Hough line fitted to its own edge pixels (those within 2.5 px, with the gradient across it): the
 * accumulator's 1° steps leave a long side up to a few pixels off at its ends, enough to make a true
 * side look partly unsupported next to a shorter line inside the document.
 */
function refineLines(e: Edges, lines: readonly Line[]): Line[] {
  const { width: w, height: h } = e;
  const cx = w / 2;
  const cy = h / 2;
  const cosTol = Math.cos((10 * Math.PI) / 180);
  // The edge pixels once, centred, with their gradient direction: each line then looks at these only.
  const ex: number[] = [];
  const ey: number[] = [];
  const ec: number[] = [];
  const es: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (e.mag[i] === 0) continue;
      ex.push(x + 0.5 - cx);
      ey.push(y + 0.5 - cy);
      ec.push(Math.cos(e.dir[i]!));
      es.push(Math.sin(e.dir[i]!));
    }
  }
  return lines.map((l) => {
    const c = Math.cos(l.theta);
    const s = Math.sin(l.theta);
    let mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < ex.length; k++) {
      const px = ex[k]!;
      const py = ey[k]!;
      if (Math.abs(px * c + py * s - l.rho) > 2.5) continue;
      if (Math.abs(ec[k]! * c + es[k]! * s) < cosTol) continue;
      xs.push(px);
      ys.push(py);
    }
    const n = xs.length;
    if (n < Math.max(10, l.votes * 0.3)) return l;
    for (let k = 0; k < n; k++) {
      mx += xs[k]!;
      my += ys[k]!;
    }
    mx /= n;
    my /= n;
    for (let k = 0; k < n; k++) {
      const dx = xs[k]! - mx, dy = ys[k]! - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    // Direction of the points' spread; the normal is across it, kept on the same side as before.
    const along = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    let theta = along + Math.PI / 2;
    let nc = Math.cos(theta);
    let ns = Math.sin(theta);
    if (nc * c + ns * s < 0) {
      theta += Math.PI;
      nc = -nc;
      ns = -ns;
    }
    if (Math.abs(theta - l.theta) > (3 * Math.PI) / 180 && Math.abs(Math.abs(theta - l.theta) - 2 * Math.PI) > (3 * Math.PI) / 180) return l;
    let rho = mx * nc + my * ns;
    // Back into the accumulator's convention, θ in [0, π): the same line with the opposite normal.
    while (theta < 0) [theta, rho] = [theta + Math.PI, -rho];
    while (theta >= Math.PI) [theta, rho] = [theta - Math.PI, -rho];
    return { theta, rho, votes: l.votes };
  });
}

/** Angle between two line normals, 0..π/2. */
function angleBetween(a: Line, b: Line): number {
  const d = Math.abs(a.theta - b.theta);
  return d > Math.PI / 2 ? Math.PI - d : d;
}

function intersect(a: Line, b: Line, cx: number, cy: number): Point | null {
  const ca = Math.cos(a.theta), sa = Math.sin(a.theta), cb = Math.cos(b.theta), sb = Math.sin(b.theta);
  const det = ca * sb - sa * cb;
  if (Math.abs(det) < 1e-6) return null;
  return [(a.rho * sb - b.rho * sa) / det + cx, (ca * b.rho - cb * a.rho) / det + cy];
}

/** Corners in clockwise screen order, starting with the one whose outgoing side points most nearly rightwards. */
export function orderCorners(points: readonly Point[]): Quad {
  const cx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const cy = points.reduce((s, p) => s + p[1], 0) / points.length;
  const cw = [...points].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
  let start = 0;
  let best = Infinity;
  for (let i = 0; i < 4; i++) {
    const a = cw[i]!;
    const b = cw[(i + 1) % 4]!;
    const off = Math.abs(Math.atan2(b[1] - a[1], b[0] - a[0]));
    if (off < best) [best, start] = [off, i];
  }
  return [cw[start]!, cw[(start + 1) % 4]!, cw[(start + 2) % 4]!, cw[(start + 3) % 4]!];
}

interface SideSupport {
  /** Share of the side with an edge of the right orientation within reach. */
  readonly support: number;
  /** Of those, the share with the inside brighter than the outside. */
  readonly brighterInside: number;
}

/** How much of the segment a→b follows thinned edges whose gradient is across it. */
function sideSupport(e: Edges, a: Point, b: Point, centre: Point): SideSupport {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const tx = (b[0] - a[0]) / len;
  const ty = (b[1] - a[1]) / len;
  let nx = -ty;
  let ny = tx;
  // Outward normal.
  if (nx * ((a[0] + b[0]) / 2 - centre[0]) + ny * ((a[1] + b[1]) / 2 - centre[1]) < 0) [nx, ny] = [-nx, -ny];
  const n = Math.max(12, Math.floor(len / 2));
  const cosTol = Math.cos((14 * Math.PI) / 180);
  let hits = 0;
  let inward = 0;
  for (let k = 0; k < n; k++) {
    // The ends are left out: card corners are rounded, and corners are where lines cross anyway.
    const s = 0.06 + (0.88 * (k + 0.5)) / n;
    const px = a[0] + (b[0] - a[0]) * s;
    const py = a[1] + (b[1] - a[1]) * s;
    for (const d of [0, -1, 1, -2, 2]) {
      const x = Math.floor(px + nx * d);
      const y = Math.floor(py + ny * d);
      if (x < 0 || y < 0 || x >= e.width || y >= e.height) continue;
      const i = y * e.width + x;
      if (e.mag[i] === 0) continue;
      const c = Math.cos(e.dir[i]!) * nx + Math.sin(e.dir[i]!) * ny;
      if (Math.abs(c) < cosTol) continue;
      hits++;
      // The gradient points towards brighter: against the outward normal means a brighter inside.
      if (c < 0) inward++;
      break;
    }
  }
  return { support: hits / n, brighterInside: hits === 0 ? 0.5 : inward / hits };
}

interface Candidate {
  readonly quad: Quad;
  readonly score: number;
  readonly support: number;
  /** True when the document is brighter than what surrounds it. */
  readonly brighterInside: boolean;
}

function interiorAnglesOk(q: Quad): boolean {
  for (let i = 0; i < 4; i++) {
    const p = q[i]!;
    const a = q[(i + 3) % 4]!;
    const b = q[(i + 1) % 4]!;
    const v1x = a[0] - p[0], v1y = a[1] - p[1], v2x = b[0] - p[0], v2y = b[1] - p[1];
    const cos = (v1x * v2x + v1y * v2y) / (Math.hypot(v1x, v1y) * Math.hypot(v2x, v2y));
    // 40°..140°: steeper than that is not a photo anyone would take of a document.
    if (Math.abs(cos) > 0.766) return false;
  }
  return true;
}

function bestQuad(e: Edges, lines: readonly Line[]): Candidate | null {
  const { width: w, height: h } = e;
  const cx = w / 2;
  const cy = h / 2;
  const tolX = w * 0.03;
  const tolY = h * 0.03;
  const minArea = 0.04 * w * h;
  const pairs: [Line, Line][] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      if (angleBetween(lines[i]!, lines[j]!) <= (22 * Math.PI) / 180) pairs.push([lines[i]!, lines[j]!]);
    }
  }
  let best: Candidate | null = null;
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) {
      const [a, b] = pairs[i]!;
      const [c, d] = pairs[j]!;
      if (angleBetween(a, c) < (50 * Math.PI) / 180 || angleBetween(b, d) < (50 * Math.PI) / 180) continue;
      const pts = [intersect(a, c, cx, cy), intersect(a, d, cx, cy), intersect(b, c, cx, cy), intersect(b, d, cx, cy)];
      if (pts.some((p) => p === null || p[0] < -tolX || p[1] < -tolY || p[0] > w + tolX || p[1] > h + tolY)) continue;
      const quad = orderCorners(pts as Point[]);
      if (!isConvexClockwise(quad) || quadArea(quad) < minArea || !interiorAnglesOk(quad)) continue;
      const centre: Point = [(quad[0][0] + quad[2][0]) / 2, (quad[0][1] + quad[2][1]) / 2];
      let weighted = 0;
      let minSupport = 1;
      let inside = 0;
      for (let k = 0; k < 4; k++) {
        const p = quad[k]!;
        const q = quad[(k + 1) % 4]!;
        const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
        const s = sideSupport(e, p, q, centre);
        weighted += s.support * len;
        minSupport = Math.min(minSupport, s.support);
        inside += s.brighterInside >= 0.5 ? 1 : 0;
      }
      // A document's four sides all show the same contrast against the background, and all are seen.
      const polarity = inside === 0 || inside === 4 ? 1 : 0.6;
      const score = weighted * Math.min(1, minSupport / 0.6) ** 2 * polarity;
      if (best === null || score > best.score) best = { quad, score, support: minSupport, brighterInside: inside >= 2 };
    }
  }
  return best;
}

/** Total-least-squares line through points, refitted without outliers; null if too few stay. */
function fitLine(xs: number[], ys: number[]): { px: number; py: number; dx: number; dy: number } | null {
  let keep = xs.map((_, i) => i);
  let line: { px: number; py: number; dx: number; dy: number } | null = null;
  for (let iter = 0; iter < 4; iter++) {
    if (keep.length < 6) return null;
    let mx = 0, my = 0;
    for (const i of keep) {
      mx += xs[i]!;
      my += ys[i]!;
    }
    mx /= keep.length;
    my /= keep.length;
    let sxx = 0, syy = 0, sxy = 0;
    for (const i of keep) {
      const dx = xs[i]! - mx, dy = ys[i]! - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    line = { px: mx, py: my, dx: Math.cos(angle), dy: Math.sin(angle) };
    const res = keep.map((i) => Math.abs((xs[i]! - mx) * -line!.dy + (ys[i]! - my) * line!.dx));
    const med = [...res].sort((p, q) => p - q)[Math.floor(res.length / 2)]!;
    const limit = Math.max(0.75, 3 * med);
    const next = keep.filter((_, k) => res[k]! <= limit);
    if (next.length === keep.length) break;
    keep = next;
  }
  return keep.length >= Math.max(6, xs.length * 0.35) ? line : null;
}

/**
 * One side moved onto the photo's edge: along the side, the strongest brightness step across it within
 * `reach` pixels, with the expected polarity, located to a fraction of a pixel; then a robust line.
 */
function refineSide(img: GrayImage, a: Point, b: Point, centre: Point, reach: number, brighterInside: boolean): { px: number; py: number; dx: number; dy: number } | null {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const tx = (b[0] - a[0]) / len;
  const ty = (b[1] - a[1]) / len;
  let nx = -ty;
  let ny = tx;
  if (nx * ((a[0] + b[0]) / 2 - centre[0]) + ny * ((a[1] + b[1]) / 2 - centre[1]) < 0) [nx, ny] = [-nx, -ny];
  const samples = Math.max(24, Math.min(160, Math.floor(len / 6)));
  const step = 0.5;
  const steps = Math.ceil(reach / step);
  const profile = new Float64Array(2 * steps + 1);
  const xs: number[] = [];
  const ys: number[] = [];
  const strengths: number[] = [];
  // Averaging along the side over a few pixels: noise and JPEG blocks fade, the edge stays.
  const along = [-2, -1, 0, 1, 2];
  for (let k = 0; k < samples; k++) {
    const s = 0.07 + (0.86 * (k + 0.5)) / samples;
    const bx = a[0] + (b[0] - a[0]) * s - 0.5;
    const by = a[1] + (b[1] - a[1]) * s - 0.5;
    for (let j = -steps; j <= steps; j++) {
      let v = 0;
      for (const t of along) v += sample(img, bx + nx * j * step + tx * t, by + ny * j * step + ty * t);
      profile[j + steps] = v / along.length;
    }
    // Derivative outwards; a brighter inside makes it negative at the edge.
    let bestJ = -1;
    let bestD = 0;
    for (let j = 2; j < profile.length - 2; j++) {
      const d = (profile[j + 2]! - profile[j - 2]!) / (4 * step);
      const signed = brighterInside ? -d : d;
      if (signed > bestD) [bestD, bestJ] = [signed, j];
    }
    if (bestJ < 3 || bestJ > profile.length - 4) continue;
    const dAt = (j: number): number => ((brighterInside ? -1 : 1) * (profile[j + 2]! - profile[j - 2]!)) / (4 * step);
    const y0 = dAt(bestJ - 1), y1 = dAt(bestJ), y2 = dAt(bestJ + 1);
    const denom = y0 - 2 * y1 + y2;
    const frac = denom < 0 ? (0.5 * (y0 - y2)) / denom : 0;
    const off = (bestJ - steps + Math.max(-0.5, Math.min(0.5, frac))) * step;
    xs.push(bx + 0.5 + nx * off);
    ys.push(by + 0.5 + ny * off);
    strengths.push(bestD);
  }
  // Weak steps are text or texture, not the document's edge.
  const strong = [...strengths].sort((p, q) => p - q)[Math.floor(strengths.length * 0.75)] ?? 0;
  const keep = strengths.map((s, i) => (s >= strong * 0.35 ? i : -1)).filter((i) => i >= 0);
  return fitLine(keep.map((i) => xs[i]!), keep.map((i) => ys[i]!));
}

function meet(l: { px: number; py: number; dx: number; dy: number }, m: { px: number; py: number; dx: number; dy: number }): Point | null {
  const det = l.dx * m.dy - l.dy * m.dx;
  if (Math.abs(det) < 1e-6) return null;
  const t = ((m.px - l.px) * m.dy - (m.py - l.py) * m.dx) / det;
  return [l.px + t * l.dx, l.py + t * l.dy];
}

/** Moves each side of `quad` onto the edge in `img` found within `reach` pixels; keeps the quad where a side is not found. */
export function refineQuad(img: GrayImage, quad: Quad, reach: number, brighterInside: boolean): Quad {
  const centre: Point = [(quad[0][0] + quad[1][0] + quad[2][0] + quad[3][0]) / 4, (quad[0][1] + quad[1][1] + quad[2][1] + quad[3][1]) / 4];
  const sides = [0, 1, 2, 3].map((k) => refineSide(img, quad[k]!, quad[(k + 1) % 4]!, centre, reach, brighterInside));
  const out: Point[] = [];
  for (let k = 0; k < 4; k++) {
    const prev = sides[(k + 3) % 4];
    const next = sides[k];
    const p = prev && next ? meet(prev, next) : null;
    const old = quad[k]!;
    // A corner that jumps further than the search reached means a side locked onto something else.
    out.push(p !== null && Math.hypot(p[0] - old[0], p[1] - old[1]) <= reach * 2.5 ? p : old);
  }
  const q = out as unknown as Quad;
  return isConvexClockwise(q) ? q : quad;
}

export function detectPage(img: GrayImage): PageDetection | null {
  const factor = Math.max(1, Math.ceil(Math.max(img.width, img.height) / WORK_SIZE));
  const small = downscale(img, factor);
  const e = edges(small);
  const found = bestQuad(e, refineLines(e, houghLines(e)));
  if (found === null || found.support < 0.35) return null;
  let quad = found.quad.map(([x, y]) => [x * factor, y * factor] as const) as unknown as Quad;
  quad = refineQuad(img, quad, 2 * factor + 6, found.brighterInside);
  quad = refineQuad(img, quad, 3, found.brighterInside);
  return { corners: quad, support: found.support };
}
