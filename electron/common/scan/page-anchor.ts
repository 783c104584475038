/**
 * Page detection with the MRZ zone known (page-detect.ts): the document's four sides are looked for where the
 * zone says they must be, each among its own few lines. ICAO 9303 puts the zone along the bottom of every
 * TD1, TD2 and TD3 document, its lines spanning nearly the whole width: the bottom side runs just under the
 * zone, the left and right sides pass close to its ends, the top lies most of a line's length beyond.
 *
 * Why not the strongest lines of the photo, paired (page-quad.ts `bestQuad`): a texture of one direction
 * (wood grain, a cloth's checks, a keyboard's rows) gives dozens of long lines that outvote a card's short
 * sides, and the card's outline was then never among the candidates at all. Here each side picks from the
 * lines at its own place and angle, so the table can crowd out no side but its own neighbours there; and
 * among those, an outline about as wide as the zone wins over a wider one through the table's lines.
 */
import { isConvexClockwise, quadArea, type Point, type Quad } from './homography';
import type { Edges } from './page-edges';
import { type Line, angleBetween, houghLines, intersect, refineLines } from './page-lines';
import { fitsZone, orderCorners, scoreOutline, interiorAnglesOk, type Candidate, type DocumentAspect, type ZoneHint } from './page-quad';

/** Lines kept for each side, strongest first: a cloth's checks put several of its lines in each side's band. */
const PER_SIDE = 8;
/** How far a side's direction may turn from the zone's (perspective, the zone's own skew measured roughly). */
const ALONG_TURN = (20 * Math.PI) / 180;
const ACROSS_TURN = (35 * Math.PI) / 180;
/**
 * The zone's outline spans about the document's width along it (0.86-1.15 of it on the generated photos:
 * the locator's margins about match the document's), so the width over the zone's length is scored on a
 * log scale of this tolerance: 15% off keeps 0.73 of the score, 30% off 0.33. Not stricter: a card one check
 * of a cloth narrower than its zone must still beat the outline a check wider when its sides are better seen.
 */
const WIDTH_TOLERANCE = 0.25;
const WIDTH_EXPECTED = 1.04;

/** How well the document's width along the zone fits the zone's length (see WIDTH_TOLERANCE), 0-1. */
export function widthFit(quad: Quad, hint: ZoneHint): number {
  const len = Math.hypot(hint.to[0] - hint.from[0], hint.to[1] - hint.from[1]);
  const ux = (hint.to[0] - hint.from[0]) / len;
  const uy = (hint.to[1] - hint.from[1]) / len;
  const along = quad.map(([x, y]) => x * ux + y * uy);
  const off = Math.log((Math.max(...along) - Math.min(...along)) / len / WIDTH_EXPECTED) / WIDTH_TOLERANCE;
  return Math.exp(-off * off);
}

/**
 * A side's band takes, beyond its PER_SIDE strongest lines, up to OTHER_DIRECTIONS more of directions it does
 * not already hold PER_DIRECTION of (within SAME_DIRECTION): a striped cloth's or a ruled sheet's parallel lines,
 * all stronger than the card's side, filled the band and the side itself, a few degrees off their direction, was
 * never a candidate. The strongest stay first (a cloth's checks along the card's own sides are among them).
 */
const OTHER_DIRECTIONS = 3;
const PER_DIRECTION = 3;
const SAME_DIRECTION = (8 * Math.PI) / 180;
const FULL = PER_SIDE + OTHER_DIRECTIONS;

function takes(band: readonly Placed[], line: Line): boolean {
  if (band.length < PER_SIDE) return true;
  if (band.length >= FULL) return false;
  let same = 0;
  for (const p of band) if (angleBetween(p.line, line) < SAME_DIRECTION && ++same >= PER_DIRECTION) return false;
  return true;
}

interface Placed {
  readonly line: Line;
  /** Bottom/top: the offset across the zone at its middle; left/right: where it crosses the zone's line; in zone lengths. */
  readonly at: number;
}

/**
 * The best outline that holds the zone, from the lines at each side's place (`e`: the edges around the zone,
 * page-detect.ts `aroundZone`); null when none can.
 */
export function anchoredQuad(e: Edges, hint: ZoneHint, aspect: DocumentAspect | null): Candidate | null {
  const { width: w, height: h } = e;
  const cx = w / 2;
  const cy = h / 2;
  const len = Math.hypot(hint.to[0] - hint.from[0], hint.to[1] - hint.from[1]);
  if (len < 8) return null;
  const ux = (hint.to[0] - hint.from[0]) / len;
  const uy = (hint.to[1] - hint.from[1]) / len;
  const vx = -uy;
  const vy = ux;
  const mid: Point = [(hint.from[0] + hint.to[0]) / 2, (hint.from[1] + hint.to[1]) / 2];
  const bottoms: Placed[] = [];
  const tops: Placed[] = [];
  const lefts: Placed[] = [];
  const rights: Placed[] = [];
  // Strongest first: each side's band then keeps its strongest lines.
  for (const line of houghLines(e, 400, Math.max(10, 0.05 * len), 3)) {
    const nx = Math.cos(line.theta);
    const ny = Math.sin(line.theta);
    const nv = nx * vx + ny * vy;
    const nu = nx * ux + ny * uy;
    if (Math.abs(nv) >= Math.cos(ALONG_TURN)) {
      // Where the line crosses the normal through the zone's middle, in zone lengths across.
      const d = (line.rho - ((mid[0] - cx) * nx + (mid[1] - cy) * ny)) / nv / len;
      const band = Math.abs(d) <= 0.25 ? bottoms : Math.abs(d) >= 0.35 && Math.abs(d) <= 1 ? tops : null;
      if (band !== null && takes(band, line)) band.push({ line, at: d });
    } else if (Math.abs(nu) >= Math.cos(ACROSS_TURN)) {
      const a = (line.rho - ((hint.from[0] - cx) * nx + (hint.from[1] - cy) * ny)) / nu / len;
      const band = a >= -0.3 && a <= 0.25 ? lefts : a >= 0.75 && a <= 1.3 ? rights : null;
      if (band !== null && takes(band, line)) band.push({ line, at: a });
    }
    if (bottoms.length >= FULL && tops.length >= FULL && lefts.length >= FULL && rights.length >= FULL) break;
  }
  if (bottoms.length === 0 || tops.length === 0 || lefts.length === 0 || rights.length === 0) return null;
  const refined = refineLines(e, [...bottoms, ...tops, ...lefts, ...rights].map((p) => p.line));
  const pick = (band: Placed[], offset: number): (Placed & { fit: Line })[] => band.map((p, k) => ({ ...p, fit: refined[offset + k]! }));
  const b = pick(bottoms, 0);
  const t = pick(tops, bottoms.length);
  const l = pick(lefts, bottoms.length + tops.length);
  const r = pick(rights, bottoms.length + tops.length + lefts.length);
  const tolX = w * 0.03;
  const tolY = h * 0.03;
  const minArea = 0.3 * len * len * 0.5;
  let best: Candidate | null = null;
  let bestScore = -1;
  for (const bottom of b) {
    for (const top of t) {
      // The zone lies between the top and the bottom, nearer the bottom.
      if (Math.sign(top.at) === Math.sign(bottom.at) && Math.abs(bottom.at) > 0.02) continue;
      for (const left of l) {
        for (const right of r) {
          const pts = [intersect(bottom.fit, left.fit, cx, cy), intersect(bottom.fit, right.fit, cx, cy), intersect(top.fit, left.fit, cx, cy), intersect(top.fit, right.fit, cx, cy)];
          if (pts.some((p) => p === null || p[0] < -tolX || p[1] < -tolY || p[0] > w + tolX || p[1] > h + tolY)) continue;
          const quad = orderCorners(pts as Point[]);
          if (!isConvexClockwise(quad) || quadArea(quad) < minArea || !interiorAnglesOk(quad) || !fitsZone(quad, hint)) continue;
          const prior = widthFit(quad, hint);
          if (prior <= 0) continue;
          const c = scoreOutline(e, quad, bestScore / prior, aspect);
          if (c === null) continue;
          const score = c.score * prior;
          if (score > bestScore) {
            bestScore = score;
            best = { ...c, score };
          }
        }
      }
    }
  }
  return best;
}
