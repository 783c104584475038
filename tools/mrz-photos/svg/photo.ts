/**
 * The SVG family's camera: its own pose and homography code, the document warped by inverse mapping with
 * bilinear sampling in TypeScript, light and glare in one pass, then sharp (libvips) for motion (convolve),
 * defocus (blur), saturation (modulate), contrast (linear), sharpening and JPEG (mozjpeg's encoder), with
 * sensor noise added in between by our own PRNG. Nothing here is shared with the Python family's code.
 */
import sharp from 'sharp';
import type { Raster } from './raster';
import type { Rng } from './rng';

export type Severity = 'mild' | 'hard';

interface Params {
  fill: [number, number];
  tilt: [number, number];
  roll: number;
  hfov: [number, number];
  blur: [number, number];
  motionP: number;
  motionPx: [number, number];
  exposure: [number, number];
  gradient: [number, number];
  vignette: [number, number];
  shadowP: number;
  warmP: number;
  glareP: number;
  glareMrzP: number;
  noise: [number, number];
  jpeg: [number, number];
  cropP: number;
}

/** The ranges, as in the Python family (README.md), applied by this code. */
export const SEVERITY: Record<Severity, Params> = {
  mild: { fill: [0.55, 0.85], tilt: [0, 8], roll: 5, hfov: [50, 75], blur: [0.3, 0.9], motionP: 0.1, motionPx: [0.5, 1.5], exposure: [0.82, 1.08],
    gradient: [0, 0.2], vignette: [0.05, 0.2], shadowP: 0.1, warmP: 0.2, glareP: 0.35, glareMrzP: 0, noise: [0.4, 1.0], jpeg: [75, 90], cropP: 0.03 },
  hard: { fill: [0.4, 0.75], tilt: [5, 20], roll: 15, hfov: [45, 78], blur: [0.8, 1.8], motionP: 0.3, motionPx: [1, 3], exposure: [0.55, 1.05],
    gradient: [0.15, 0.45], vignette: [0.15, 0.4], shadowP: 0.4, warmP: 0.4, glareP: 0.7, glareMrzP: 0.45, noise: [1.0, 2.5], jpeg: [55, 80], cropP: 0.08 },
};

export const SIZES: [number, number][] = [[1600, 1200], [2048, 1536], [2592, 1944], [2560, 1440], [3000, 2250], [3264, 2448], [3840, 2160], [4000, 3000]];

type Vec3 = [number, number, number];
type Mat3 = [Vec3, Vec3, Vec3];
type Pt = [number, number];

function mul(a: Mat3, b: Mat3): Mat3 {
  const row = (r: Vec3): Vec3 => [
    r[0] * b[0][0] + r[1] * b[1][0] + r[2] * b[2][0],
    r[0] * b[0][1] + r[1] * b[1][1] + r[2] * b[2][1],
    r[0] * b[0][2] + r[1] * b[1][2] + r[2] * b[2][2],
  ];
  return [row(a[0]), row(a[1]), row(a[2])];
}

const dot = (r: Vec3, v: Vec3): number => r[0] * v[0] + r[1] * v[1] + r[2] * v[2];
const apply = (m: Mat3, v: Vec3): Vec3 => [dot(m[0], v), dot(m[1], v), dot(m[2], v)];

function invert(m: Mat3): Mat3 {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Rotation by `angle` about a unit axis (Rodrigues). */
function rotation(axis: Vec3, angle: number): Mat3 {
  const [x, y, z] = axis;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
}

export interface Plan {
  severity: Severity;
  p: Params;
  w: number;
  h: number;
  hfov: number;
  f: number;
  roll: number;
  upsideDown: boolean;
  tilt: number;
  tiltAxis: number;
  fill: number;
  crop: { side: string; fraction: number } | null;
  R: Mat3;
  T: Vec3;
  pageMm: [number, number];
}

export function project(pl: Plan, X: number, Y: number): Pt {
  const P = apply(pl.R, [X, Y, 0]);
  const z = P[2] + pl.T[2];
  return [(pl.f * (P[0] + pl.T[0])) / z + pl.w / 2, (pl.f * (P[1] + pl.T[1])) / z + pl.h / 2];
}

export function pageCorners(pl: Plan): Pt[] {
  const [w, h] = pl.pageMm;
  return [project(pl, -w / 2, -h / 2), project(pl, w / 2, -h / 2), project(pl, w / 2, h / 2), project(pl, -w / 2, h / 2)];
}

const bbox = (q: Pt[]): [number, number, number, number] => [Math.min(...q.map((p) => p[0])), Math.min(...q.map((p) => p[1])), Math.max(...q.map((p) => p[0])), Math.max(...q.map((p) => p[1]))];

export function makePlan(rng: Rng, severity: Severity, pageMm: [number, number], sizes?: [number, number][]): Plan {
  const p = SEVERITY[severity];
  let [w, h] = rng.pick(sizes ?? SIZES);
  if (!sizes && rng.chance(0.3)) [w, h] = [h, w];
  const hfov = rng.uniform(...p.hfov);
  const f = Math.max(w, h) / 2 / Math.tan(((hfov / 2) * Math.PI) / 180);
  const upsideDown = rng.chance(0.1);
  const roll = rng.uniform(-p.roll, p.roll);
  const tilt = rng.uniform(...p.tilt);
  const tiltAxis = rng.uniform(0, 2 * Math.PI);
  const R = mul(rotation([Math.cos(tiltAxis), Math.sin(tiltAxis), 0], (tilt * Math.PI) / 180), rotation([0, 0, 1], ((roll + (upsideDown ? 180 : 0)) * Math.PI) / 180));
  const fill = rng.uniform(...p.fill);
  const pl: Plan = { severity, p, w, h, hfov, f, roll, upsideDown, tilt, tiltAxis, fill, crop: null, R, T: [0, 0, (f * pageMm[0]) / (fill * w)], pageMm };
  for (let k = 0; k < 4; k++) {
    const [x0, y0, x1, y1] = bbox(pageCorners(pl));
    pl.T[2] *= Math.max((x1 - x0) / w, (y1 - y0) / h) / fill;
  }
  const [x0, y0, x1, y1] = bbox(pageCorners(pl));
  const bw = x1 - x0;
  const bh = y1 - y0;
  const m = 0.015 * Math.min(w, h);
  const tx = m + bw / 2 + Math.max(0, w - bw - 2 * m) * (rng.next() + rng.next()) / 2;
  const ty = m + bh / 2 + Math.max(0, h - bh - 2 * m) * (rng.next() + rng.next()) / 2;
  const centreAt = (cx: number, cy: number): Vec3 => {
    const T: Vec3 = [pl.T[0], pl.T[1], pl.T[2]];
    const probe: Plan = { ...pl, T };
    for (let k = 0; k < 3; k++) {
      const [a0, b0, a1, b1] = bbox(pageCorners(probe));
      T[0] += ((cx - (a0 + a1) / 2) * T[2]) / f;
      T[1] += ((cy - (b0 + b1) / 2) * T[2]) / f;
    }
    return T;
  };
  let T = centreAt(tx, ty);
  if (rng.chance(p.cropP)) {
    // Partly out of the frame across one side, the MRZ (a generous box) kept inside: smaller shifts, then other sides.
    const [pw, ph] = pageMm;
    const zh = pageMm[0] < 90 ? 17.5 : 12.5;
    const zone: Pt[] = [[-pw / 2 + 2.5, ph / 2 - zh], [pw / 2 - 2.5, ph / 2 - zh], [pw / 2 - 2.5, ph / 2 - 1.5], [-pw / 2 + 2.5, ph / 2 - 1.5]];
    const first = rng.int(0, 4);
    const amount = rng.uniform(0.03, 0.12);
    const edge = 0.005 * Math.min(w, h);
    search: for (const side of [first, ...[0, 1, 2, 3].filter((s) => s !== first)]) {
      for (const fraction of [amount, amount / 2, amount / 4]) {
        const cx = side === 0 ? bw / 2 - fraction * bw : side === 1 ? w - bw / 2 + fraction * bw : tx;
        const cy = side === 2 ? bh / 2 - fraction * bh : side === 3 ? h - bh / 2 + fraction * bh : ty;
        const Tc = centreAt(cx, cy);
        const probe: Plan = { ...pl, T: Tc };
        if (zone.every(([x, y]) => {
          const [u, v] = project(probe, x, y);
          return u >= edge && u <= w - edge && v >= edge && v <= h - edge;
        })) {
          T = Tc;
          pl.crop = { side: ['left', 'right', 'top', 'bottom'][side] ?? 'left', fraction: Number(fraction.toFixed(4)) };
          break search;
        }
      }
    }
  }
  pl.T = T;
  return pl;
}

/** Photo px -> canvas px, for a canvas at `px` px/mm whose page's top-left is at offMm. */
function photoToCanvas(pl: Plan, px: number, offMm: Pt): Mat3 {
  const K: Mat3 = [[pl.f, 0, pl.w / 2], [0, pl.f, pl.h / 2], [0, 0, 1]];
  const RT: Mat3 = [[pl.R[0][0], pl.R[0][1], pl.T[0]], [pl.R[1][0], pl.R[1][1], pl.T[1]], [pl.R[2][0], pl.R[2][1], pl.T[2]]];
  const A: Mat3 = [[1 / px, 0, -(offMm[0] + pl.pageMm[0] / 2)], [0, 1 / px, -(offMm[1] + pl.pageMm[1] / 2)], [0, 0, 1]];
  return invert(mul(mul(K, RT), A));
}

/** Signed distance (px) inside a clockwise convex quad (min over its edges; negative outside), as a function. */
function insideDistance(q: Pt[]): (x: number, y: number) => number {
  const edges = q.map((a, i) => {
    const b = q[(i + 1) % 4]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return [a[0], a[1], -(b[1] - a[1]) / len, (b[0] - a[0]) / len] as const;
  });
  return (x, y) => {
    let d = Infinity;
    for (const [ax, ay, nx, ny] of edges) d = Math.min(d, (x - ax) * nx + (y - ay) * ny);
    return d;
  };
}

/** Composites the document raster over the scene (RGB, 3 channels), with a soft contact shadow. */
export function layDown(pl: Plan, scene: Buffer, doc: Raster, px: number, offMm: Pt, rng: Rng): Float32Array {
  const { w, h } = pl;
  const Hi = photoToCanvas(pl, px, offMm);
  const [cw, ch] = [doc.width, doc.height];
  const canvasQuad: Pt[] = [[0, 0], [cw, 0], [cw, ch], [0, ch]].map(([u, v]) => {
    const X = (u as number) / px - (offMm[0] + pl.pageMm[0] / 2);
    const Y = (v as number) / px - (offMm[1] + pl.pageMm[1] / 2);
    return project(pl, X, Y);
  });
  const scale = Math.hypot(canvasQuad[1]![0] - canvasQuad[0]![0], canvasQuad[1]![1] - canvasQuad[0]![1]) / (cw / px);
  // Contact shadow: the quad nudged and softened, darkening what is under it.
  const sdx = rng.normal() * 0.5 * scale;
  const sdy = (0.3 + rng.normal() * 0.3) * scale;
  const soft = Math.max(1, scale * 0.6);
  const dark = rng.uniform(0.25, 0.45);
  const shadowQuad = canvasQuad.map(([x, y]) => [x + sdx, y + sdy] as Pt);
  const inShadow = insideDistance(shadowQuad);
  const mask = new Float32Array(w * h);
  const [bx0, by0, bx1, by1] = bbox(shadowQuad.concat(canvasQuad));
  const X0 = Math.max(0, Math.floor(bx0 - 3 * soft));
  const Y0 = Math.max(0, Math.floor(by0 - 3 * soft));
  const X1 = Math.min(w, Math.ceil(bx1 + 3 * soft));
  const Y1 = Math.min(h, Math.ceil(by1 + 3 * soft));
  const data = doc.data;
  const nc = doc.channels;
  for (let y = Y0; y < Y1; y++) {
    for (let x = X0; x < X1; x++) {
      const o = (y * w + x) * 3;
      const sd = inShadow(x + 0.5, y + 0.5);
      if (sd > -2 * soft) {
        const s = 1 - dark * Math.min(1, Math.max(0, (sd + 2 * soft) / (3 * soft)));
        scene[o] = scene[o]! * s;
        scene[o + 1] = scene[o + 1]! * s;
        scene[o + 2] = scene[o + 2]! * s;
      }
      const zx = Hi[0][0] * (x + 0.5) + Hi[0][1] * (y + 0.5) + Hi[0][2];
      const zy = Hi[1][0] * (x + 0.5) + Hi[1][1] * (y + 0.5) + Hi[1][2];
      const zz = Hi[2][0] * (x + 0.5) + Hi[2][1] * (y + 0.5) + Hi[2][2];
      const u = zx / zz - 0.5;
      const v = zy / zz - 0.5;
      if (u < -1 || v < -1 || u > cw || v > ch) continue;
      const iu = Math.floor(u);
      const iv = Math.floor(v);
      const fu = u - iu;
      const fv = v - iv;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < 4; k++) {
        const su = iu + (k & 1);
        const sv = iv + (k >> 1);
        if (su < 0 || sv < 0 || su >= cw || sv >= ch) continue;
        const wgt = ((k & 1) ? fu : 1 - fu) * ((k >> 1) ? fv : 1 - fv);
        const q = (sv * cw + su) * nc;
        const al = (data[q + 3]! / 255) * wgt;
        r += data[q]! * al;
        g += data[q + 1]! * al;
        b += data[q + 2]! * al;
        a += al;
      }
      if (a <= 0) continue;
      scene[o] = r + scene[o]! * (1 - a);
      scene[o + 1] = g + scene[o + 1]! * (1 - a);
      scene[o + 2] = b + scene[o + 2]! * (1 - a);
      mask[y * w + x] = a;
    }
  }
  return mask;
}

export interface LightInfo {
  exposure: number;
  gradient: number;
  vignette: number;
  shadow: { depth: number; penumbra: number } | null;
  warm: boolean;
  white_balance: Vec3;
  glare: { where: string; centre?: Pt; radius_px?: number; peak?: number };
}

/** Light, white balance and glare over the whole frame, in place. */
export function light(pl: Plan, img: Buffer, cardMask: Float32Array, mrzQuad: Pt[], corners: Pt[], rng: Rng): LightInfo {
  const p = pl.p;
  const { w, h } = pl;
  const exposure = rng.uniform(...p.exposure);
  const gradient = rng.uniform(...p.gradient);
  const ga = rng.uniform(0, 2 * Math.PI);
  const vignette = rng.uniform(...p.vignette);
  const warm = rng.chance(p.warmP);
  const wb: Vec3 = warm ? [rng.uniform(1.04, 1.12), 1, rng.uniform(0.72, 0.88)] : [rng.uniform(0.96, 1.04), 1, rng.uniform(0.95, 1.08)];
  let shadow: LightInfo['shadow'] = null;
  let sa = 0;
  let sc = 0;
  if (rng.chance(p.shadowP)) {
    shadow = { depth: rng.uniform(0.2, 0.5) * (pl.severity === 'mild' ? 0.6 : 1), penumbra: rng.uniform(0.02, 0.1) };
    sa = rng.uniform(0, 2 * Math.PI);
    sc = rng.uniform(-0.25, 0.2);
  }
  // Glare: a Gaussian lobe, saturating away from the MRZ, below saturation on it.
  let glare: LightInfo['glare'] = { where: 'none' };
  let gx = 0;
  let gy = 0;
  let gr = 1;
  let gp = 0;
  if (rng.chance(p.glareP)) {
    const cardW = Math.hypot(corners[1]![0] - corners[0]![0], corners[1]![1] - corners[0]![1]);
    const r = rng.next();
    const lerp = (q: Pt[], a: number, b: number): Pt => [q[0]![0] + a * (q[1]![0] - q[0]![0]) + b * (q[3]![0] - q[0]![0]), q[0]![1] + a * (q[1]![1] - q[0]![1]) + b * (q[3]![1] - q[0]![1])];
    let where = 'card';
    let c: Pt;
    if (r < p.glareMrzP * 0.5) {
      where = 'on_mrz';
      c = lerp(mrzQuad, rng.next(), rng.next());
      gp = rng.uniform(0.2, 0.42);
    } else if (r < p.glareMrzP) {
      where = 'near_mrz';
      c = lerp(mrzQuad, rng.next(), -rng.uniform(0.8, 1.6));
      gp = rng.uniform(0.4, 1.2);
    } else {
      c = lerp(corners, rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.5));
      gp = rng.uniform(0.4, 1.5);
    }
    gr = cardW * rng.uniform(0.04, 0.11);
    [gx, gy] = c;
    glare = { where, centre: [Math.round(gx), Math.round(gy)], radius_px: Math.round(gr), peak: Number(gp.toFixed(3)) };
  }
  const ar = w / h;
  const vnorm = 0.25 * ar * ar + 0.25;
  const cosG = Math.cos(ga) * 1.4 * gradient;
  const sinG = Math.sin(ga) * 1.4 * gradient;
  const cosS = Math.cos(sa);
  const sinS = Math.sin(sa);
  const r2 = gr * gr;
  for (let y = 0; y < h; y++) {
    const ny = y / h - 0.5;
    const rowG = 1 + ny * sinG;
    const rowV = ny * ny;
    const nearGlare = gp > 0 && Math.abs(y - gy) < gr * 3.5;
    for (let x = 0; x < w; x++) {
      const nx = x / w - 0.5;
      let L = exposure * (rowG + nx * cosG) * (1 - (vignette * (nx * nx * ar * ar + rowV)) / vnorm);
      if (shadow) L *= 1 - shadow.depth * Math.min(1, Math.max(0, (nx * cosS + ny * sinS - sc) / shadow.penumbra + 0.5));
      const o = (y * w + x) * 3;
      let add = 0;
      if (nearGlare) {
        const dx = x - gx;
        const dy = y - gy;
        const d2 = (dx * dx + dy * dy) / r2;
        if (d2 < 12) add = 255 * gp * Math.exp(-d2 / 2) * (0.3 + 0.7 * cardMask[y * w + x]!);
      }
      img[o] = Math.min(255, img[o]! * L * wb[0] + add);
      img[o + 1] = Math.min(255, img[o + 1]! * L * wb[1] + add);
      img[o + 2] = Math.min(255, img[o + 2]! * L * wb[2] + add * 0.97);
    }
  }
  return { exposure, gradient, vignette, shadow, warm, white_balance: wb, glare };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** 4096 quantiles of the standard normal: noise from one uniform draw and a lookup. */
const NORMAL = Float32Array.from({ length: 4096 }, (_, i) => inverseNormal((i + 0.5) / 4096));

export interface LensInfo {
  blur_sigma_at_3000: number;
  blur_sigma_px: number;
  motion: { length_px: number; angle_deg: number } | null;
  noise: number;
  saturation: number;
  contrast: number;
  sharpen_sigma: number;
  jpeg_quality: number;
  chroma_subsampling: string;
  mozjpeg: boolean;
}

/** Lens, sensor and the phone's processing: sharp for the filters, our PRNG for the noise. Returns JPEG bytes. */
export async function develop(pl: Plan, img: Buffer, exposure: number, rng: Rng): Promise<{ jpeg: Buffer; info: LensInfo }> {
  const p = pl.p;
  const { w, h } = pl;
  const raw = { raw: { width: w, height: h, channels: 3 as const } };
  const ref = Math.max(w, h) / 3000;
  const sigma = rng.uniform(...p.blur);
  let stage = sharp(img, raw);
  let motion: LensInfo['motion'] = null;
  if (rng.chance(p.motionP)) {
    const len = rng.uniform(...p.motionPx) * ref;
    const ang = rng.uniform(0, Math.PI);
    const size = Math.min(9, 2 * Math.ceil(len / 2) + 1);
    const kernel = new Array<number>(size * size).fill(0);
    const c = (size - 1) / 2;
    for (let s = 0; s <= 32; s++) {
      const t = (s / 32 - 0.5) * len;
      const x = Math.round(c + t * Math.cos(ang));
      const y = Math.round(c + t * Math.sin(ang));
      kernel[y * size + x]! += 1;
    }
    stage = sharp(await stage.convolve({ width: size, height: size, kernel, scale: 33 }).raw().toBuffer(), raw);
    motion = { length_px: Number(len.toFixed(2)), angle_deg: Number(((ang * 180) / Math.PI).toFixed(1)) };
  }
  const sPx = sigma * ref;
  const blurred = sPx >= 0.3 ? await stage.blur(sPx).raw().toBuffer() : await stage.raw().toBuffer();
  // Sensor noise: shot noise grows with the signal, read noise does not; both with the gain of a dark shot.
  const level = rng.uniform(...p.noise);
  const gain = 1 / Math.max(0.3, exposure);
  const shot = 0.0009 * level * gain * 255;
  const read = 0.0035 * level * gain * 255;
  const chroma = 2.2 * level * gain;
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      const cr = NORMAL[(rng.next() * 4096) | 0]! * chroma;
      const cb = NORMAL[(rng.next() * 4096) | 0]! * chroma;
      for (let k = 0; k < 4; k++) {
        const xx = x + (k & 1);
        const yy = y + (k >> 1);
        if (xx >= w || yy >= h) continue;
        const o = (yy * w + xx) * 3;
        const Y = 0.299 * blurred[o]! + 0.587 * blurred[o + 1]! + 0.114 * blurred[o + 2]!;
        const n = NORMAL[(rng.next() * 4096) | 0]! * Math.sqrt(shot * Y + read * read);
        blurred[o] = Math.max(0, Math.min(255, blurred[o]! + n + cr));
        blurred[o + 1] = Math.max(0, Math.min(255, blurred[o + 1]! + n - 0.5 * (cr + cb)));
        blurred[o + 2] = Math.max(0, Math.min(255, blurred[o + 2]! + n + cb));
      }
    }
  }
  const saturation = rng.uniform(1, 1.25);
  const contrast = rng.uniform(1, 1.2);
  const sharpenSigma = rng.uniform(0.6, 1.6) * ref;
  const quality = rng.int(p.jpeg[0], p.jpeg[1] + 1);
  const sub = rng.chance(0.75) ? '4:2:0' : '4:4:4';
  const moz = rng.chance(0.3);
  const jpeg = await sharp(blurred, raw)
    .modulate({ saturation })
    .linear(contrast, -(contrast - 1) * 128)
    .sharpen({ sigma: Math.max(0.3, sharpenSigma), m1: rng.uniform(0.5, 1.5), m2: rng.uniform(1, 3) })
    .jpeg({ quality, chromaSubsampling: sub, mozjpeg: moz })
    .toBuffer();
  return {
    jpeg,
    info: { blur_sigma_at_3000: Number(sigma.toFixed(3)), blur_sigma_px: Number(sPx.toFixed(3)), motion, noise: Number(level.toFixed(3)), saturation: Number(saturation.toFixed(3)),
      contrast: Number(contrast.toFixed(3)), sharpen_sigma: Number(sharpenSigma.toFixed(2)), jpeg_quality: quality, chroma_subsampling: sub, mozjpeg: moz },
  };
}
