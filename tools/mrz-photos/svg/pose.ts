/**
 * The SVG family's camera geometry: its own pose and homography code (no code shared with the Python family).
 * SEVERITY holds the ranges, applied by this code.
 */
import type { Rng } from './rng';

export type Severity = 'mild' | 'hard';

export interface Params {
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

export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];
export type Pt = [number, number];

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

export const bbox = (q: Pt[]): [number, number, number, number] => [Math.min(...q.map((p) => p[0])), Math.min(...q.map((p) => p[1])), Math.max(...q.map((p) => p[0])), Math.max(...q.map((p) => p[1]))];

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
export function photoToCanvas(pl: Plan, px: number, offMm: Pt): Mat3 {
  const K: Mat3 = [[pl.f, 0, pl.w / 2], [0, pl.f, pl.h / 2], [0, 0, 1]];
  const RT: Mat3 = [[pl.R[0][0], pl.R[0][1], pl.T[0]], [pl.R[1][0], pl.R[1][1], pl.T[1]], [pl.R[2][0], pl.R[2][1], pl.T[2]]];
  const A: Mat3 = [[1 / px, 0, -(offMm[0] + pl.pageMm[0] / 2)], [0, 1 / px, -(offMm[1] + pl.pageMm[1] / 2)], [0, 0, 1]];
  return invert(mul(mul(K, RT), A));
}
