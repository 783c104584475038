/**
 * Page detection, step 1b: a Hough transform in which each edge pixel votes only for lines across its own
 * gradient direction (text and texture then add little); the strongest lines, each refitted to its own edge pixels.
 */
import type { Point } from './homography';
import type { Edges } from './page-edges';

/** Hough: 1° steps; each edge pixel votes within ±VOTE_SPREAD° of its gradient direction. */
const THETA_BINS = 180;
const VOTE_SPREAD = 3;
const MAX_LINES = 28;

export interface Line {
  /** Normal direction, radians in [0, π). */
  readonly theta: number;
  /** Signed distance of the line from the image centre along its normal (work pixels). */
  readonly rho: number;
  readonly votes: number;
}

/**
 * `minGap`: lines closer than this (work px, and 4°) to a stronger one are the same line (its votes spread over
 * neighbouring bins); a passport's page and its cover's edge can be 4 px apart at the work size.
 */
export function houghLines(e: Edges, maxLines = MAX_LINES, minVotes = Math.max(10, 0.08 * Math.min(e.width, e.height)), minGap = 5): Line[] {
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
    if (lines.length >= maxLines) break;
    const near = lines.some((l) => {
      let dt = Math.abs(l.theta - p.theta);
      let dr = Math.abs(l.rho - p.rho);
      if (dt > Math.PI / 2) {
        dt = Math.PI - dt;
        dr = Math.abs(l.rho + p.rho);
      }
      return dt < (4 * Math.PI) / 180 && dr < minGap;
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
export function refineLines(e: Edges, lines: readonly Line[]): Line[] {
  const { width: w, height: h } = e;
  const cx = w / 2;
  const cy = h / 2;
  const cosTol = Math.cos((10 * Math.PI) / 180);
  // The edge pixels once, centred, with their gradient direction: each line then looks at these only.
  let count = 0;
  for (let i = 0; i < w * h; i++) if (e.mag[i] !== 0) count++;
  const ex = new Float32Array(count);
  const ey = new Float32Array(count);
  const ec = new Float32Array(count);
  const es = new Float32Array(count);
  for (let y = 0, n = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (e.mag[i] === 0) continue;
      ex[n] = x + 0.5 - cx;
      ey[n] = y + 0.5 - cy;
      ec[n] = e.gcos[i]!;
      es[n++] = e.gsin[i]!;
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
export function angleBetween(a: Line, b: Line): number {
  const d = Math.abs(a.theta - b.theta);
  return d > Math.PI / 2 ? Math.PI - d : d;
}

export function intersect(a: Line, b: Line, cx: number, cy: number): Point | null {
  const ca = Math.cos(a.theta), sa = Math.sin(a.theta), cb = Math.cos(b.theta), sb = Math.sin(b.theta);
  const det = ca * sb - sa * cb;
  if (Math.abs(det) < 1e-6) return null;
  return [(a.rho * sb - b.rho * sa) / det + cx, (ca * b.rho - cb * a.rho) / det + cy];
}
