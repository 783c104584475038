/**
 * Page detection, step 1c: the strongest lines paired into candidate quadrilaterals, each scored by how much of
 * its outline an edge of the right orientation really follows (so the document's outline beats any line inside it).
 */
import { isConvexClockwise, quadArea, sideFrame, type Point, type Quad } from './homography';
import type { Edges } from './page-edges';
import { type Line, angleBetween, intersect } from './page-lines';

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
  /**
   * The side's contrast turns once along it, in two long stretches (see TWO_TONE_RUN): a document's side beside a
   * dark band printed along that edge of it (a passport's state band), darker than the table there and brighter
   * beside the rest. A cloth's line turns at every check.
   */
  readonly twoTone: boolean;
}

/** A stretch of one contrast along a side counts when it holds at least this share of the side's samples (and 3). */
const TWO_TONE_RUN = 0.1;
/** The two stretches of a two-toned side hold at least this share of its edge samples. */
const TWO_TONE_HELD = 0.7;

/**
 * How much of the segment a→b, from fraction `s0` to `s1` of the way (beyond 0..1: past its ends), follows
 * thinned edges whose gradient is across it.
 */
function sideSupport(e: Edges, a: Point, b: Point, centre: Point, s0 = 0.06, s1 = 0.94): SideSupport {
  const { len, nx, ny } = sideFrame(a, b, centre); // (nx, ny): the outward normal
  const n = Math.max(12, Math.floor((len * (s1 - s0)) / 1.8));
  const cosTol = Math.cos((14 * Math.PI) / 180);
  let hits = 0;
  let inward = 0;
  // Stretches of one contrast along the side, in samples (gaps without an edge do not end one).
  const runs: number[] = [];
  let last = 0;
  for (let k = 0; k < n; k++) {
    const s = s0 + ((s1 - s0) * (k + 0.5)) / n;
    const px = a[0] + (b[0] - a[0]) * s;
    const py = a[1] + (b[1] - a[1]) * s;
    for (const d of [0, -1, 1, -2, 2]) {
      const x = Math.floor(px + nx * d);
      const y = Math.floor(py + ny * d);
      if (x < 0 || y < 0 || x >= e.width || y >= e.height) continue;
      const i = y * e.width + x;
      if (e.mag[i] === 0) continue;
      const c = e.gcos[i]! * nx + e.gsin[i]! * ny;
      if (Math.abs(c) < cosTol) continue;
      hits++;
      // The gradient points towards brighter: against the outward normal means a brighter inside.
      if (c < 0) inward++;
      const sign = c < 0 ? 1 : -1;
      if (sign === last) runs[runs.length - 1]! += 1;
      else runs.push(1);
      last = sign;
      break;
    }
  }
  // Short stretches (noise, a letter touching the side) do not count; the two long ones hold most of the edge seen.
  // Stretches alternate in contrast, so two of opposite contrast are an odd number of stretches apart.
  const min = Math.max(3, TWO_TONE_RUN * n);
  const long = runs.map((length, r) => ({ length, r })).filter((x) => x.length >= min);
  const twoTone = long.length === 2 && (long[1]!.r - long[0]!.r) % 2 === 1 && long[0]!.length + long[1]!.length >= TWO_TONE_HELD * hits;
  return { support: hits / n, brighterInside: hits === 0 ? 0.5 : inward / hits, twoTone };
}

/**
 * Beyond each end of each side, how far the same straight edge goes on (0-1, the mean of the eight): a
 * document's sides end at its corners, while the lines of a patterned cloth, a sheet's ruling or a
 * table's boards run on past any four of their crossings.
 */
function runsOn(e: Edges, quad: Quad, centre: Point): number {
  let sum = 0;
  for (let k = 0; k < 4; k++) {
    const p = quad[k]!;
    const q = quad[(k + 1) % 4]!;
    // From a little past the corner (rounded card corners, the corner's own blur) to a sixth of the side beyond.
    sum += sideSupport(e, p, q, centre, 1.04, 1.16).support + sideSupport(e, p, q, centre, -0.16, -0.04).support;
  }
  return sum / 8;
}

export interface Candidate {
  readonly quad: Quad;
  readonly score: number;
  readonly support: number;
  /** True when the document is brighter than what surrounds it. */
  readonly brighterInside: boolean;
}

export function interiorAnglesOk(q: Quad): boolean {
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

/**
 * Where a document must be, from its MRZ found first in the whole photo (in the same pixels as the
 * edges): the zone's centre line, from its left end to its right end.
 */
export interface ZoneHint {
  readonly from: Point;
  readonly to: Point;
}

function inside(q: Quad, p: Point): boolean {
  for (let k = 0; k < 4; k++) {
    const a = q[k]!;
    const b = q[(k + 1) % 4]!;
    // Clockwise on screen (y down): a point inside is on the right of every side.
    if ((b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) < 0) return false;
  }
  return true;
}

/**
 * Whether a quadrilateral can be the document whose MRZ the hint outlines: the zone's middle inside it,
 * and the document about as wide as the zone says (ICAO 9303: an MRZ line spans 87-89% of a TD1, TD2 or
 * TD3 document; the zone's outline adds about as much again in margins; perspective changes widths along
 * the way).
 */
export function fitsZone(q: Quad, hint: ZoneHint): boolean {
  const at = (s: number): Point => [hint.from[0] + (hint.to[0] - hint.from[0]) * s, hint.from[1] + (hint.to[1] - hint.from[1]) * s];
  if (![0.15, 0.5, 0.85].every((s) => inside(q, at(s)))) return false;
  const zone = Math.hypot(hint.to[0] - hint.from[0], hint.to[1] - hint.from[1]);
  // The document's extent along the zone's direction.
  const ux = (hint.to[0] - hint.from[0]) / zone;
  const uy = (hint.to[1] - hint.from[1]) / zone;
  const along = q.map(([x, y]) => x * ux + y * uy);
  const width = Math.max(...along) - Math.min(...along);
  if (width < zone * 0.8 || width > zone * 1.3) return false;
  // Across the zone: the MRZ sits at the bottom of the document (its middle 0.07-0.13 of a line's length
  // above the edge in ICAO 9303's layouts), and the top edge is 0.58-0.72 of a line's length beyond.
  const [mx, my] = at(0.5);
  const across = q.map(([x, y]) => -(x - mx) * uy + (y - my) * ux);
  const lo = -Math.min(...across);
  const hi = Math.max(...across);
  return Math.min(lo, hi) <= 0.18 * zone && Math.max(lo, hi) >= 0.42 * zone && Math.max(lo, hi) <= 0.9 * zone;
}

/** log-ratio scale of `shapeFit`: 6% off keeps 0.78 of the score, 15% off 0.26. */
const SHAPE_TOLERANCE = 0.12;

/** How much an outline whose sides all run on past its corners loses (see `runsOn`). */
const RUN_ON_PENALTY = 0.7;

/**
 * How well the photo's edges follow an outline (see `bestQuad`); null when it cannot beat `toBeat`
 * (the costlier checks are then skipped).
 */
export function scoreOutline(e: Edges, quad: Quad, toBeat = -1, aspect: DocumentAspect | null = null): Candidate | null {
  const centre: Point = [(quad[0][0] + quad[2][0]) / 2, (quad[0][1] + quad[2][1]) / 2];
  const shape = aspect === null ? 1 : shapeFit(quad, aspect);
  const lengths = [0, 1, 2, 3].map((k) => Math.hypot(quad[(k + 1) % 4]![0] - quad[k]![0], quad[(k + 1) % 4]![1] - quad[k]![1]));
  let unseen = lengths[0]! + lengths[1]! + lengths[2]! + lengths[3]!;
  let weighted = 0;
  let minSupport = 1;
  let inside = 0;
  let outside = 0;
  for (let k = 0; k < 4; k++) {
    const s = sideSupport(e, quad[k]!, quad[(k + 1) % 4]!, centre);
    weighted += s.support * lengths[k]!;
    unseen -= lengths[k]!;
    minSupport = Math.min(minSupport, s.support);
    // A two-toned side (see SideSupport) agrees with either contrast.
    if (!s.twoTone && s.brighterInside >= 0.5) inside++;
    else if (!s.twoTone) outside++;
    // The most the outline can still score (the sides not yet measured fully followed): most lose here.
    if ((weighted + unseen) * Math.min(1, minSupport / 0.6) ** 2 * shape <= toBeat) return null;
  }
  // A document's four sides all show the same contrast against the background (or, beside a band printed along
  // one of them, that contrast for part of it), and all are seen.
  const polarity = inside === 0 || outside === 0 ? 1 : 0.6;
  let score = weighted * Math.min(1, minSupport / 0.6) ** 2 * polarity * shape;
  // The penalty only lowers a score: not worth measuring for an outline that loses anyway.
  if (score <= toBeat) return null;
  score *= 1 - RUN_ON_PENALTY * runsOn(e, quad, centre);
  return score <= toBeat ? null : { quad, score, support: minSupport, brighterInside: inside >= outside };
}

/**
 * A document's shape, long over short side; several when the zone leaves more than one document possible
 * (zone-shape.ts: two lines that may be a TD1's first two or a passport's whole zone).
 */
export type DocumentAspect = number | readonly number[];

/**
 * How well an outline's shape fits a document of `aspect` (long over short side; the best of several), 0-1:
 * perspective up to ~20° makes the sides' ratio a few per cent off, an outline through a header band or a photo's
 * edge 15% and more.
 */
function shapeFit(quad: Quad, aspect: DocumentAspect): number {
  const side = (k: number): number => Math.hypot(quad[(k + 1) % 4]![0] - quad[k]![0], quad[(k + 1) % 4]![1] - quad[k]![1]);
  const a = side(0) + side(2);
  const b = side(1) + side(3);
  let fit = 0;
  for (const one of typeof aspect === 'number' ? [aspect] : aspect) {
    const off = Math.log(Math.max(a, b) / Math.min(a, b) / one) / SHAPE_TOLERANCE;
    fit = Math.max(fit, Math.exp(-off * off));
  }
  return fit;
}

/** `aspect`: the document's shape when known (long over short side), see `shapeFit`. */
export function bestQuad(e: Edges, lines: readonly Line[], hint: ZoneHint | null = null, aspect: DocumentAspect | null = null): Candidate | null {
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
      if (hint !== null && !fitsZone(quad, hint)) continue;
      const toBeat: number = best === null ? -1 : best.score;
      best = scoreOutline(e, quad, toBeat, aspect) ?? best;
    }
  }
  return best;
}
