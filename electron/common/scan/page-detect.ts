/**
 * Finds the four corners of a document in a photo. Not with OpenCV: `@techstark/opencv-js` 4.12 is one
 * 10.4 MB file (3.4 MB gzipped) that would take the app archive from ~17 to ~28 MB, and its embind
 * glue builds functions with `new Function`, which the renderer's CSP forbids (script-src has
 * 'wasm-unsafe-eval' only) — in the worker as on the page. These files come to a few hundred lines, and on the
 * generated photos it finds corners to within a pixel (test/unit/scans/page-detect.test.ts, and the
 * "corners px" column of bench/scan.ts).
 *
 * 1. Coarse, on a copy about 640 px across: blur, Sobel gradients (of brightness, and of colour where the
 *    photo was decoded from colour: gray-image.ts `chroma`), thin edges (non-maximum suppression), and a Hough
 *    transform in which each edge pixel votes only for lines across its own gradient direction (text and texture then add little). The strongest lines, each refitted to
 *    its own edge pixels, are paired into candidate quadrilaterals; each candidate is scored by how much of its outline an edge of the
 *    right orientation really follows, so the document's outline beats any line inside it (a
 *    bigger quad wins only if its sides are as well supported); outlines whose sides run on past their
 *    corners (a cloth's or a table's lines) lose, and with the MRZ zone known, so do outlines not of the
 *    document's ICAO shape. With the zone known, each side is also sought among the lines at its own place
 *    beside the zone (page-anchor.ts), where a table's texture cannot crowd it out, and the outline about as
 *    wide as the zone wins.
 * 2. Fine, on the full-resolution photo: along each side, the strongest step of brightness across the
 *    side (sub-pixel), robust straight-line fit, corners where adjacent lines meet. Rounded card
 *    corners do not matter: the lines meet where the corner would be. An open passport's data page is
 *    then found inside the dark cover that outlines it.
 *
 * Coordinates are pixel-edge based: (0, 0) is the top-left corner of the top-left pixel.
 * The steps: page-edges.ts, page-lines.ts, page-quad.ts, page-anchor.ts (1), page-refine.ts (2); this file runs them.
 */
import { downscale, pageWorkFactor, type GrayImage } from './gray-image';
import type { Quad } from './homography';
import { edges, type Edges } from './page-edges';
import { houghLines, refineLines } from './page-lines';
import { anchoredQuad, widthFit } from './page-anchor';
import { bestQuad, fitsZone, type Candidate, type DocumentAspect, type ZoneHint } from './page-quad';
import { documentAspects } from './zone-shape';
import { innerPage, refineQuad } from './page-refine';

export interface PageDetection {
  /** Top-left, top-right, bottom-right, bottom-left, in the input's pixels. */
  readonly corners: Quad;
  /** Share of the outline (0-1) that follows an edge in the photo: the weakest side's. */
  readonly support: number;
  /**
   * The best outline regardless of the zone, when one that holds the zone was taken instead of it: the
   * zone may be something else (a newspaper's lines beside the card), and only reading tells.
   */
  readonly unhinted?: Quad;
  /**
   * An open passport's outline around the data page (`corners`), when the page was found inside its cover:
   * the MRZ reader reads the page cut along this one faster (the zone then is not at the very edge of the cut).
   */
  readonly cover?: Quad;
}

/** The edge threshold (share of the photo's strong edges) of the second look around the zone. */
const FAINT_EDGES = 0.04;
/** The weakest side of a document's outline follows an edge for at least this share of its length. */
const MIN_SUPPORT = 0.35;
/**
 * Less for an outline that holds the MRZ where a document's is (a thumb over one side, a card that
 * hardly stands out from the table): the zone already says where and how big the document is.
 */
const MIN_SUPPORT_HINTED = 0.2;

/** The MRZ found first (mrz-locate.ts `MrzRegion`): its outline in the photo and its number of lines. */
export interface Zone {
  readonly corners: readonly (readonly [number, number])[];
  readonly lines: number;
}

/**
 * `zone`: the MRZ's outline in the photo when it was found first (mrz-locate.ts). When the best outline
 * cannot hold it (a patterned table's squares, a sheet beside the card, a thumb over one side), the best
 * one that can is looked for among the edges around the zone; when there is none, the best of all stays
 * (the zone may be something else, or the document partly out of frame).
 */
export function detectPage(img: GrayImage, zone: Zone | null = null): PageDetection | null {
  const factor = pageWorkFactor(img.width, img.height);
  const small = downscale(img, factor);
  // Colour edges too (a pale card on grey paper shows by its tint), in this first look only: the second, fainter
  // look around the zone goes down to the noise, and a dim photo's colour noise is blotchy and strong.
  const e = edges(small, undefined, undefined, img.chroma ?? null);
  // With a zone, the document's shape is known: outlines of other shapes (a header band's edge taken for
  // the top, a board's line beside the card) lose to the one of the right shape.
  const aspect = zone === null ? null : documentAspects(zone.corners, zone.lines);
  let plain = bestQuad(e, refineLines(e, houghLines(e)), null, aspect);
  if (plain !== null && plain.support < MIN_SUPPORT) plain = null;
  const hint = zone === null ? null : zoneHint(zone.corners, factor);
  let found = plain;
  if (hint !== null) {
    const anchored = anchoredOutline(small, e, hint, aspect);
    // The best outline of the photo stays when it holds the zone and the sides found at the zone's places do
    // no better (it is among them, unless the table's lines crowded it out of a side's few). Better counts how well
    // the weakest side is followed too: a score stops rewarding it past 0.6 (page-quad.ts), and an outline through a
    // wood grain line just beyond the page's edge, a little longer, outscored the page whose every side is seen.
    if (anchored !== null && (plain === null || !fitsZone(plain.quad, hint) || anchored.score * anchored.support >= plain.score * plain.support * widthFit(plain.quad, hint))) found = anchored;
  }
  if (found === null) return null;
  const outline = (c: Candidate): Quad => {
    const quad = c.quad.map(([x, y]) => [x * factor, y * factor] as const) as unknown as Quad;
    return refineQuad(img, refineQuad(img, quad, 2 * factor + 6, c.brighterInside), 3, c.brighterInside);
  };
  const around = outline(found);
  const corners = innerPage(img, around);
  return {
    corners,
    support: found.support,
    ...(corners !== around ? { cover: around } : {}),
    ...(plain !== null && plain !== found ? { unhinted: innerPage(img, outline(plain)) } : {}),
  };
}

/**
 * The outline that holds the zone, its sides sought at their places (page-anchor.ts) among the edges around the
 * zone; with fainter edges too when that finds none well followed (a pale card on white paper, in a lamp's shadow,
 * in a dim photo), down to a few times the photo's noise.
 */
function anchoredOutline(small: GrayImage, e: Edges, hint: ZoneHint, aspect: DocumentAspect | null): Candidate | null {
  const found = anchoredQuad(aroundZone(e, hint), hint, aspect);
  if (found !== null && found.support >= MIN_SUPPORT_HINTED) return found;
  const again = anchoredQuad(aroundZone(edges(small, FAINT_EDGES, 'noise'), hint), hint, aspect);
  return again !== null && again.support >= MIN_SUPPORT_HINTED ? again : null;
}

/** The zone's centre line (corners: top-left, top-right, bottom-right, bottom-left) in working pixels. */
function zoneHint(zone: readonly (readonly [number, number])[], factor: number): ZoneHint | null {
  const [tl, tr, br, bl] = zone;
  if (tl === undefined || tr === undefined || br === undefined || bl === undefined) return null;
  return {
    from: [(tl[0] + bl[0]) / 2 / factor, (tl[1] + bl[1]) / 2 / factor],
    to: [(tr[0] + br[0]) / 2 / factor, (tr[1] + br[1]) / 2 / factor],
  };
}

/**
 * The edges within reach of a document holding the zone: along the zone a fifth of its length beyond
 * each end, across it 0.9 of its length on either side (which side is the top is not known yet; a TD3
 * page is 0.7 of its width high, an ID card 0.63), the rest cleared.
 */
function aroundZone(e: Edges, hint: ZoneHint): Edges {
  const [fx, fy] = hint.from;
  const len = Math.hypot(hint.to[0] - fx, hint.to[1] - fy);
  const ux = (hint.to[0] - fx) / len;
  const uy = (hint.to[1] - fy) / len;
  const mag = new Float32Array(e.mag.length);
  for (let y = 0; y < e.height; y++) {
    for (let x = 0; x < e.width; x++) {
      const i = y * e.width + x;
      if (e.mag[i] === 0) continue;
      const along = (x - fx) * ux + (y - fy) * uy;
      const across = -(x - fx) * uy + (y - fy) * ux;
      if (along >= -0.2 * len && along <= 1.2 * len && Math.abs(across) <= 0.9 * len) mag[i] = e.mag[i]!;
    }
  }
  return { ...e, mag };
}
