import type { OpenResult, Quad } from './protocol';

/** Where the corners start: the document's as the worker found them, else a frame inset from the photo's edges. */
export function startCorners(opened: OpenResult): Quad {
  if (opened.corners !== null) return opened.corners;
  const mx = opened.width * 0.12;
  const my = opened.height * 0.12;
  return [[mx, my], [opened.width - mx, my], [opened.width - mx, opened.height - my], [mx, opened.height - my]];
}
