/**
 * TEST ONLY — how far found page corners are from the truth, the way the photo set's scorer (score.py) judges them.
 */
import type { Point, Quad } from '../../../electron/common/scan/homography';

/** The largest corner error as a share of the document's diagonal, corners in the same order (the scorer allows 2%). */
export function offBy(found: Quad, truth: readonly Point[]): number {
  const diagonal = Math.hypot(truth[2]![0] - truth[0]![0], truth[2]![1] - truth[0]![1]);
  return Math.max(...found.map((c, i) => Math.hypot(c[0] - truth[i]![0], c[1] - truth[i]![1]))) / diagonal;
}
