/**
 * Connected groups of marked pixels ("blobs") in a raster, by flood fill: the one walk behind the
 * reader's clean-ups (specks before Tesseract, solid squares of a patterned table, dark areas that are
 * not print). Pure: no `node:`, no DOM.
 */

/** A blob's pixels (indices y·w + x) and its bounding box, inclusive. */
export interface Blob {
  /** Reused between calls: valid only while `visit` runs. */
  readonly members: readonly number[];
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  /** 1 for every pixel the walk has reached so far (this blob's and earlier ones'), else 0. */
  readonly reached: Uint8Array;
}

/**
 * Calls `visit` once per blob of pixels for which `marked(i)` holds, 4-connected (edges) or 8-connected
 * (corners too), in the order of each blob's first pixel. `marked` is asked when a pixel is reached, so
 * a `visit` that clears pixels of later blobs takes them out of those.
 */
export function forEachBlob(w: number, h: number, connectivity: 4 | 8, marked: (i: number) => boolean, visit: (blob: Blob) => void): void {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const members: number[] = [];
  const corners = connectivity === 8;
  for (let start = 0; start < w * h; start++) {
    if (seen[start] === 1 || !marked(start)) continue;
    seen[start] = 1;
    stack.push(start);
    members.length = 0;
    let [x0, x1, y0, y1] = [w, 0, h, 0];
    while (stack.length > 0) {
      const p = stack.pop()!;
      members.push(p);
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || (!corners && dx !== 0 && dy !== 0)) continue;
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (seen[q] === 0 && marked(q)) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    visit({ members, x0, x1, y0, y1, reached: seen });
  }
}
