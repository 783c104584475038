/**
 * Finds the four corners of a document in a photo. Not with OpenCV: `@techstark/opencv-js` 4.12 is one
 * 10.4 MB file (3.4 MB gzipped) that would take the app archive from ~17 to ~28 MB, and its embind
 * glue builds functions with `new Function`, which the renderer's CSP forbids (script-src has
 * 'wasm-unsafe-eval' only) — in the worker as on the page. These files come to a few hundred lines, and on the
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
 * The steps: page-edges.ts, page-lines.ts, page-quad.ts (1), page-refine.ts (2); this file runs them.
 */
import { downscale, type GrayImage } from './gray-image';
import type { Quad } from './homography';
import { edges } from './page-edges';
import { houghLines, refineLines } from './page-lines';
import { bestQuad } from './page-quad';
import { refineQuad } from './page-refine';

export interface PageDetection {
  /** Top-left, top-right, bottom-right, bottom-left, in the input's pixels. */
  readonly corners: Quad;
  /** Share of the outline (0-1) that follows an edge in the photo: the weakest side's. */
  readonly support: number;
}

const WORK_SIZE = 640;

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
