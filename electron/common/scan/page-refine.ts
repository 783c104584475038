/**
 * Page detection, step 2, on the full-resolution photo: along each side, the strongest step of brightness across
 * the side (sub-pixel), a robust straight-line fit, corners where adjacent lines meet.
 */
import { sample, type GrayImage } from './gray-image';
import { centreOf, isConvexClockwise, sideFrame, type Point, type Quad } from './homography';

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
  const { len, tx, ty, nx, ny } = sideFrame(a, b, centre);
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
  const centre = centreOf(quad);
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

/**
 * A passport's data page inside its cover: when just inside a side there is a dark band (the cover's
 * edge, or the gap at the spine) and then a much brighter page, the side moves in onto the page's edge.
 * Sides without such a band stay. The data page, not the booklet, is the document (its MRZ, its corners).
 */
export function innerPage(img: GrayImage, quad: Quad): Quad {
  const centre = centreOf(quad);
  const len = (k: number): number => Math.hypot(quad[(k + 1) % 4]![0] - quad[k]![0], quad[(k + 1) % 4]![1] - quad[k]![1]);
  const lines = [0, 1, 2, 3].map((k) => {
    // A cover shows a few millimetres around the page: up to 5% of the document's size across this side.
    const reach = 4 + 0.05 * (len((k + 1) % 4) + len((k + 3) % 4)) / 2;
    return pageInside(img, quad[k]!, quad[(k + 1) % 4]!, centre, reach);
  });
  if (lines.every((l) => l === null)) return quad;
  const sides = lines.map((l, k) => l ?? lineThrough(quad[k]!, quad[(k + 1) % 4]!));
  const out: Point[] = [];
  for (let k = 0; k < 4; k++) {
    const p = meet(sides[(k + 3) % 4]!, sides[k]!);
    if (p === null) return quad;
    out.push(p);
  }
  const q = out as unknown as Quad;
  return isConvexClockwise(q) ? q : quad;
}

function lineThrough(a: Point, b: Point): { px: number; py: number; dx: number; dy: number } {
  const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
  return { px: a[0], py: a[1], dx: (b[0] - a[0]) / l, dy: (b[1] - a[1]) / l };
}

/** The page's edge inside the side a→b, behind a dark band (see `innerPage`); null when there is none. */
function pageInside(img: GrayImage, a: Point, b: Point, centre: Point, reach: number): { px: number; py: number; dx: number; dy: number } | null {
  const { len, tx, ty, nx, ny } = sideFrame(a, b, centre);
  const samples = Math.max(16, Math.min(80, Math.floor(len / 12)));
  const steps = Math.ceil(reach);
  const profile = new Float64Array(steps + 1);
  const xs: number[] = [];
  const ys: number[] = [];
  const along = [-2, -1, 0, 1, 2];
  for (let k = 0; k < samples; k++) {
    const s = 0.1 + (0.8 * (k + 0.5)) / samples;
    const bx = a[0] + (b[0] - a[0]) * s - 0.5;
    const by = a[1] + (b[1] - a[1]) * s - 0.5;
    // Inwards from the side, one pixel a step.
    for (let j = 0; j <= steps; j++) {
      let v = 0;
      for (const t of along) v += sample(img, bx - nx * j + tx * t, by - ny * j + ty * t);
      profile[j] = v / along.length;
    }
    // The strongest rise inwards past the first couple of pixels (the side itself is a step down into the band).
    let bestJ = -1;
    let bestD = 0;
    for (let j = 3; j <= steps - 3; j++) {
      const d = profile[j + 1]! - profile[j - 1]!;
      if (d > bestD) [bestD, bestJ] = [d, j];
    }
    if (bestJ < 0) continue;
    let band = 0;
    for (let j = 1; j <= bestJ - 2; j++) band += profile[j]!;
    band /= Math.max(1, bestJ - 2);
    const page = (profile[Math.min(steps, bestJ + 2)]! + profile[Math.min(steps, bestJ + 3)]!) / 2;
    // A dark cover against a bright page, not a printed tint or a shadow's soft edge.
    if (page - band < 60 || band > 0.55 * page || bestD < 20) continue;
    xs.push(bx + 0.5 - nx * bestJ);
    ys.push(by + 0.5 - ny * bestJ);
  }
  if (xs.length < samples * 0.5) return null;
  return fitLine(xs, ys);
}
