/**
 * Finds the machine-readable zone in a photo without OpenCV: on a small grayscale copy it marks ink
 * (pixels clearly darker than their neighbourhood), finds the text skew that makes ink rows sharpest,
 * splits the ink into text lines along that angle, and picks the bottom-most run of 2-3 long lines of
 * equal length and height: what an MRZ looks like (ICAO 9303: fixed pitch, full width, at the bottom).
 * Rows are found across the whole photo and, apart, strip by strip (`localSegments`), at the photo's skew
 * and at each part's own: a card on a newspaper lies at another skew than the print around it.
 * The result is an upright crop of the zone from the full-resolution image, ready for OCR.
 */
import { forEachBlob } from './blobs';
import { downscale, sample, type GrayImage } from './gray-image';
import { centreOf } from './homography';

export interface MrzRegion {
  /** Skew of the text lines in degrees, clockwise. */
  readonly angle: number;
  /** Number of text lines found in the zone (2 for passports, 3 for ID cards). */
  readonly lines: number;
  /** The zone's corners in the input image: top-left, top-right, bottom-right, bottom-left. */
  readonly corners: readonly (readonly [number, number])[];
  /** Typical text line height in input pixels. */
  readonly lineHeight: number;
  /**
   * Other places in the image that look like a zone, best first, each elsewhere than this one and than
   * each other: a guilloche's rows or a magazine's lines beside the card can outscore the real zone, and
   * when this one reads as nothing the reader tries these (mrz-ocr.ts `scanMrz`). Empty or absent: none.
   */
  readonly others?: readonly MrzRegion[];
}

interface Line {
  readonly v0: number;
  readonly v1: number;
  readonly u0: number;
  readonly u1: number;
  readonly ink: number;
}

const WORK_SIZE = 900;

/**
 * Grayscale max (dilate) or min (erode) over a (2r+1)-wide window along rows or columns, in three
 * comparisons a pixel whatever the window (van Herk / Gil-Werman: running extremes within blocks of the
 * window's width, forwards and backwards, and each window spans exactly two blocks).
 */
function extremeFilter(src: Uint8Array, w: number, h: number, r: number, max: boolean, alongRows: boolean): Uint8Array {
  const out = new Uint8Array(src.length);
  const [n, lines, step, lineStep] = alongRows ? [w, h, 1, w] : [h, w, w, 1];
  const k = 2 * r + 1;
  const pick = max ? (a: number, b: number): number => (a > b ? a : b) : (a: number, b: number): number => (a < b ? a : b);
  const edge = max ? 0 : 255;
  const m = n + 2 * r;
  const padded = new Uint8Array(m);
  const fwd = new Uint8Array(m);
  const bwd = new Uint8Array(m);
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    padded.fill(edge);
    for (let i = 0; i < n; i++) padded[i + r] = src[base + i * step]!;
    for (let i = 0; i < m; i++) fwd[i] = i % k === 0 ? padded[i]! : pick(fwd[i - 1]!, padded[i]!);
    for (let i = m - 1; i >= 0; i--) bwd[i] = i === m - 1 || (i + 1) % k === 0 ? padded[i]! : pick(bwd[i + 1]!, padded[i]!);
    // The window of output i is padded[i .. i + 2r].
    for (let i = 0; i < n; i++) out[base + i * step] = pick(bwd[i]!, fwd[i + k - 1]!);
  }
  return out;
}

/**
 * Morphological closing with a square (2r+1)² window: dark marks thinner than the window (print strokes)
 * are filled with the paper around them; dark areas wider than it (a gingham square, a photo's shadow,
 * the table beyond the card) stay dark. Closing minus the image is the black-hat: thin dark print only.
 */
function closing(img: GrayImage, r: number): Uint8Array {
  const { width: w, height: h, data } = img;
  const dilated = extremeFilter(extremeFilter(data, w, h, r, true, true), w, h, r, true, false);
  return extremeFilter(extremeFilter(dilated, w, h, r, false, true), w, h, r, false, false);
}

/** Black-hat radius at the working scale: strokes up to 8 px wide are print; wider dark areas are not. */
const BLACK_HAT_RADIUS = 4;

/**
 * Ink mask: darker than 88% of the local mean (15×15 box, via an integral image), and with `thin`, thin
 * print only: the black-hat (closing minus image) is clear and solid blobs are cleared. Without that, the
 * edges of a patterned table's dark squares are ink too and line up into long, evenly spaced "text lines"
 * across the whole photo. Not `thin` for the coarse pass, where a smeared zone's lines are solid bands.
 */
function inkPoints(img: GrayImage, thin: boolean): { xs: Int32Array; ys: Int32Array; n: number } {
  const { width: w, height: h, data } = img;
  const closed = thin ? closing(img, BLACK_HAT_RADIUS) : null;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      integral[(y + 1) * (w + 1) + x + 1] = (integral[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  const r = 7;
  const mask = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum =
        (integral[y1 * (w + 1) + x1] ?? 0) - (integral[y0 * (w + 1) + x1] ?? 0) - (integral[y1 * (w + 1) + x0] ?? 0) + (integral[y0 * (w + 1) + x0] ?? 0);
      const mean = sum / ((x1 - x0) * (y1 - y0));
      const v = data[y * w + x] ?? 255;
      if (v < mean * 0.88 && v < mean - 12 && (closed === null || closed[y * w + x]! - v >= 12)) mask[y * w + x] = 1;
    }
  }
  if (thin) dropSolidBlobs(mask, w, h);
  const xs = new Int32Array(w * h);
  const ys = new Int32Array(w * h);
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    xs[n] = i % w;
    ys[n] = (i - (i % w)) / w;
    n++;
  }
  return { xs, ys, n };
}

/**
 * Clears 4-connected blobs of ink that fill most of their box, are at least 4 px both ways and solid: the
 * squares of a patterned table, smaller than the black-hat window. A printed character is strokes with
 * paper between them (even an "I" is one stroke wide), so it stays.
 */
function dropSolidBlobs(mask: Uint8Array, w: number, h: number): void {
  forEachBlob(w, h, 4, (i) => mask[i] === 1, ({ members, x0, x1, y0, y1 }) => {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (bw < 4 || bh < 4 || members.length < 0.6 * bw * bh) return;
    // Solid, not only compact (a bold, blurred "B" fills its box too): a good part of it is more than a
    // pixel from the paper, where a stroke of print is not.
    let core = 0;
    for (const p of members) {
      const x = p % w;
      if (x > 0 && x < w - 1 && p >= w && p < mask.length - w && mask[p - 1] && mask[p + 1] && mask[p - w] && mask[p + w] && mask[p - w - 1] && mask[p - w + 1] && mask[p + w - 1] && mask[p + w + 1]) core++;
    }
    if (core >= 0.25 * members.length) for (const p of members) mask[p] = 0;
  });
}

/** Sum of squared row counts of the ink projected at `deg`: largest when rows align with text lines. */
function skewScore(p: { xs: Int32Array; ys: Int32Array; n: number }, deg: number, size: number): number {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const offset = size;
  const bins = new Int32Array(size * 3);
  for (let i = 0; i < p.n; i++) bins[Math.round(-(p.xs[i] ?? 0) * s + (p.ys[i] ?? 0) * c) + offset]! += 1;
  let score = 0;
  for (const b of bins) score += b * b;
  return score;
}

function bestSkew(p: { xs: Int32Array; ys: Int32Array; n: number }, size: number, maxDeg: number, around?: number, step = 0.5): number {
  let best = 0;
  let bestScore = -1;
  const lo = around === undefined ? -maxDeg : Math.max(-maxDeg, around - 4);
  const hi = around === undefined ? maxDeg : Math.min(maxDeg, around + 4);
  for (let d = lo; d <= hi; d += step) {
    const sc = skewScore(p, d, size);
    if (sc > bestScore) [best, bestScore] = [d, sc];
  }
  const coarse = best;
  for (let d = coarse - step; d <= coarse + step; d += step / 5) {
    const sc = skewScore(p, d, size);
    if (sc > bestScore) [best, bestScore] = [d, sc];
  }
  return best;
}

/** A stretch of text along the skew: one row run's ink between gaps wider than a few characters. */
interface Segment extends Line {
  /** How regular the characters' rhythm is: the autocorrelation peak of the ink profile (0-1). */
  readonly periodicity: number;
  /** The character pitch that peak is at (work pixels). */
  readonly pitch: number;
}

type Points = { xs: Int32Array; ys: Int32Array; n: number };

/** Peak of the normalised autocorrelation of `prof` for lags in [lo, hi], and where it is. */
function rhythm(prof: Int32Array, lo: number, hi: number): { periodicity: number; pitch: number } {
  const n = prof.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += prof[i]!;
  mean /= Math.max(1, n);
  let r0 = 0;
  for (let i = 0; i < n; i++) r0 += (prof[i]! - mean) ** 2;
  r0 /= Math.max(1, n);
  const at = (lag: number): number => {
    let r = 0;
    for (let i = 0; i + lag < n; i++) r += (prof[i]! - mean) * (prof[i + lag]! - mean);
    return r / (n - lag);
  };
  const first = Math.max(2, Math.floor(lo));
  const rs: number[] = [];
  for (let lag = first; lag <= Math.ceil(hi) && lag < n / 3; lag++) rs.push(at(lag));
  const top = Math.max(0, ...rs);
  // The first clear peak, not the highest: a rhythm also repeats at twice its pitch.
  let best = 0;
  let pitch = lo;
  for (let k = 0; k < rs.length; k++) {
    const r = rs[k]!;
    if (r >= 0.75 * top && r >= (rs[k - 1] ?? -Infinity) && r >= (rs[k + 1] ?? -Infinity)) {
      [best, pitch] = [r, first + k];
      break;
    }
  }
  // To a fraction of a pixel (parabola through the peak and its neighbours): the count of characters
  // along a long line depends on it.
  if (best > 0 && pitch > 2) {
    const a = at(pitch - 1);
    const c = at(pitch + 1);
    const denom = a - 2 * best + c;
    if (denom < 0) pitch += Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom));
  }
  return { periodicity: r0 > 0 ? best / r0 : 0, pitch };
}

/**
 * Text along the skew `deg`: runs of rows with enough ink, each split where its ink has a gap wider than
 * a few line heights (a line of the MRZ is one stretch; a portrait or a field label beside a line of
 * text is another), with each stretch's extent and character rhythm.
 */
function textSegments(p: Points, deg: number, size: number, thin: boolean): Segment[] {
  const { vs, us } = project(p, deg, size);
  const rows = new Int32Array(size * 3);
  for (let i = 0; i < p.n; i++) rows[vs[i]!]! += 1;
  const runs = rowRuns(rows, 0, rows.length, 4, 0.06);
  const runOf = new Int32Array(rows.length).fill(-1);
  runs.forEach(([v0, v1], r) => runOf.fill(r, v0, v1));
  const width = size * 3;
  const hist = runs.map(() => new Int32Array(width));
  for (let i = 0; i < p.n; i++) {
    const r = runOf[vs[i]!]!;
    if (r >= 0) hist[r]![us[i]!]! += 1;
  }
  const out: Segment[] = [];
  runs.forEach(([v0, v1], r) => out.push(...stretches(hist[r]!, v0, v1, size, thin)));
  return out.sort((x, y) => x.v0 - y.v0 || x.u0 - y.u0);
}

/** Each ink point's row (v) and column (u) along the skew `deg`, shifted by `size` to be ≥ 0. */
function project(p: Points, deg: number, size: number): { vs: Int32Array; us: Int32Array } {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const vs = new Int32Array(p.n);
  const us = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const x = p.xs[i]!;
    const y = p.ys[i]!;
    vs[i] = Math.round(-x * s + y * c) + size;
    us[i] = Math.round(x * c + y * s) + size;
  }
  return { vs, us };
}

/** Runs of at least 3 rows of `rows[from..to)` with at least `min` and `share` of the most ink a row has. */
function rowRuns(rows: Int32Array, from: number, to: number, min: number, share: number): [number, number][] {
  let max = 0;
  for (let v = from; v < to; v++) max = Math.max(max, rows[v]!);
  const threshold = Math.max(min, max * share);
  const runs: [number, number][] = [];
  let start = -1;
  for (let v = from; v <= to; v++) {
    const on = v < to && rows[v]! >= threshold;
    if (on && start < 0) start = v;
    if (!on && start >= 0) {
      if (v - start >= 3) runs.push([start - from, v - from]);
      start = -1;
    }
  }
  return runs;
}

/**
 * The stretches of text of one run of rows [v0, v1) (shifted coordinates), from its ink per column
 * (`counts[k]`: column `uBase + k`): split where a gap is wider than a few characters, each with its
 * extent and character rhythm.
 */
function stretches(counts: Int32Array, v0: number, v1: number, size: number, thin: boolean, uBase = 0): Segment[] {
  const offset = size - uBase;
  const width = counts.length;
  const h = v1 - v0;
  const out: Segment[] = [];
  // Every position of an MRZ line is printed (fillers too): a gap over 1.5 line heights ends the stretch.
  const gap = Math.max(3, Math.round(h * 1.5));
  // A column with a single ink point is noise, not print: it neither starts a stretch nor bridges a gap.
  // Nor does a column in sparse ink: print is dense along a line (every position printed), while a
  // patterned table's specks beside the card are a few points a column. Without this the specks bridge
  // the gaps and a line runs on from the card across the table. (Not at the coarse pass: a smeared
  // zone's bands fade unevenly along their length.)
  const sparse = thin ? sparseBelow(counts, h) : null;
  const on = (k: number): boolean => counts[k]! >= 2 && (sparse === null || sparse[k] === 0);
  let u = 0;
  while (u < width) {
    while (u < width && !on(u)) u++;
    if (u >= width) break;
    const from = u;
    let last = u;
    let ink = 0;
    while (u < width && u - last <= gap) {
      if (on(u)) {
        last = u;
        ink += counts[u]!;
      }
      u++;
    }
    const to = last + 1;
    if (to - from < h * 6) continue;
    const { periodicity, pitch } = rhythm(counts.subarray(from, to), h * 0.5, h * 1.8);
    // The extent from the 3rd to the 97th percentile of the ink, widened back: a line's ink is spread
    // evenly along it (every position is printed), and a few stray points (an edge's shadow) do not count.
    let acc = 0;
    let q0 = from;
    let q1 = to;
    for (let k = from; k < to; k++) {
      const before = acc;
      acc += counts[k]!;
      if (before < ink * 0.03 && acc >= ink * 0.03) q0 = k;
      if (before < ink * 0.97 && acc >= ink * 0.97) q1 = k + 1;
    }
    const spread = (q1 - q0) / 0.94;
    const u0 = Math.max(from, (q0 + q1) / 2 - spread / 2);
    const u1 = Math.min(to, (q0 + q1) / 2 + spread / 2);
    out.push({ v0: v0 - size, v1: v1 - size, u0: u0 - offset, u1: u1 - offset, ink, periodicity, pitch });
  }
  return out;
}

/** Width of the strips `localSegments` finds rows in (working pixels): a few MRZ characters. */
const STRIP = 40;
/**
 * Rows of ink taller than this (working pixels) are no line of text (a portrait, a coloured band, text
 * seen across its lines): they neither make a chain nor swallow the lines beside them into theirs. An
 * MRZ line of a card filling the whole photo is about 30.
 */
const MAX_PIECE = Math.round(WORK_SIZE * 0.05);

/**
 * Text along the skew `deg` as `textSegments` finds it, but with the rows of ink found strip by strip
 * across the photo and joined where they continue each other. On a newspaper or a magazine the photo's
 * every row holds some ink, at another skew than the card's: rows over the whole width then run into one
 * band and the zone's lines are lost; within a strip a few characters wide they stay apart.
 */
function localSegments(p: Points, deg: number, size: number, thin: boolean): Segment[] {
  const { vs, us } = project(p, deg, size);
  // Only the rows and strips the ink spans (working in shifted coordinates, offset by vMin / uMin).
  let vMin = Infinity;
  let vMax = -Infinity;
  let uMin = Infinity;
  for (let i = 0; i < p.n; i++) {
    vMin = Math.min(vMin, vs[i]!);
    vMax = Math.max(vMax, vs[i]!);
    uMin = Math.min(uMin, us[i]!);
  }
  const len = vMax - vMin + 1;
  const stripOf = (i: number): number => Math.floor((us[i]! - uMin) / STRIP);
  let strips = 0;
  for (let i = 0; i < p.n; i++) strips = Math.max(strips, stripOf(i) + 1);
  const rows = new Int32Array(strips * len);
  for (let i = 0; i < p.n; i++) rows[stripOf(i) * len + vs[i]! - vMin]! += 1;
  // Rows of ink per strip, then chains of them along the skew. Strip by strip, each chain that reached
  // one of the two strips before takes the piece that overlaps its last pieces most, by half at least, and
  // whose middle is within about half a line of its first piece's: a chain runs nearly straight along the
  // skew (stepping from row to row it would follow text at another skew, a line of the newspaper under the
  // card). A piece no chain takes starts one. A chain may skip a strip (two lines' ink ran together there,
  // and the other line's chain took it).
  interface Piece {
    readonly strip: number;
    readonly v0: number;
    readonly v1: number;
  }
  // Rows are found on the strip with half of each neighbour added: a few characters alone often break a
  // line's ink in two thin pieces (the bars of a "Z" or an "E" and the gap between them).
  const wide = new Int32Array(strips * len);
  for (let k = 0; k < strips; k++) {
    for (let v = 0; v < len; v++) {
      const at = k * len + v;
      wide[at] = 2 * rows[at]! + (k > 0 ? rows[at - len]! : 0) + (k + 1 < strips ? rows[at + len]! : 0);
    }
  }
  const half = (a: Piece, b: Piece): boolean => Math.min(a.v1, b.v1) - Math.max(a.v0, b.v0) >= 0.5 * Math.min(a.v1 - a.v0, b.v1 - b.v0);
  const level = (a: Piece, b: Piece): boolean => Math.abs(a.v0 + a.v1 - b.v0 - b.v1) / 2 <= 0.6 * Math.max(a.v1 - a.v0, b.v1 - b.v0);
  const chains: Piece[][] = [];
  let active: number[] = [];
  for (let k = 0; k < strips; k++) {
    const runs: Piece[] = rowRuns(wide, k * len, (k + 1) * len, 3, 0.15)
      .filter(([v0, v1]) => v1 - v0 <= MAX_PIECE)
      .map(([v0, v1]) => ({ strip: k, v0, v1 }));
    const pairs: { chain: number; piece: number; overlap: number }[] = [];
    for (const c of active) {
      const chain = chains[c]!;
      // The tallest of its last pieces: a strip of a few characters can break a line's ink in two thin
      // pieces (the bars of a "Z"), neither of which must decide where the line goes on.
      const last = chain.slice(-3).reduce((a, b) => (b.v1 - b.v0 > a.v1 - a.v0 ? b : a));
      runs.forEach((piece, j) => {
        if (half(last, piece) && level(chain[0]!, piece)) pairs.push({ chain: c, piece: j, overlap: Math.min(last.v1, piece.v1) - Math.max(last.v0, piece.v0) });
      });
    }
    pairs.sort((x, y) => y.overlap - x.overlap);
    const taken = new Uint8Array(runs.length);
    const grown = new Set<number>();
    for (const { chain, piece } of pairs) {
      if (taken[piece] === 1 || grown.has(chain)) continue;
      chains[chain]!.push(runs[piece]!);
      taken[piece] = 1;
      grown.add(chain);
    }
    // A piece beside one a chain took in this strip is part of its line (ink that broke in two).
    for (const { chain, piece } of pairs) if (grown.has(chain)) taken[piece] = 1;
    runs.forEach((piece, j) => {
      if (taken[j] === 1) return;
      active.push(chains.length);
      chains.push([piece]);
    });
    active = active.filter((c) => chains[c]![chains[c]!.length - 1]!.strip >= k - 1);
  }
  // The points in order of strip, then row: those of one strip's rows [v0, v1) are one stretch of `order`.
  const start = new Int32Array(strips * len + 1);
  for (let key = 0; key < strips * len; key++) start[key + 1] = start[key]! + rows[key]!;
  const order = new Int32Array(p.n);
  const fill = start.slice(0, strips * len);
  for (let i = 0; i < p.n; i++) order[fill[stripOf(i) * len + vs[i]! - vMin]!++] = i;
  // A chain across 3 strips or more: the ink in its rows (the median piece's) in every strip from its
  // first to its last, so that a strip where the line's ink broke in two, or ran into the next line's,
  // counts whole.
  const out: Segment[] = [];
  for (const chain of chains) {
    if (chain.length < 3) continue;
    const v0 = median(chain.map((q) => q.v0));
    const v1 = median(chain.map((q) => q.v1));
    const firstStrip = chain[0]!.strip;
    const lastStrip = chain[chain.length - 1]!.strip;
    const uBase = uMin + firstStrip * STRIP;
    const counts = new Int32Array((lastStrip - firstStrip + 1) * STRIP);
    for (let k = firstStrip; k <= lastStrip; k++) {
      for (let j = start[k * len + v0]!; j < start[k * len + v1]!; j++) counts[us[order[j]!]! - uBase]! += 1;
    }
    out.push(...stretches(counts, v0 + vMin, v1 + vMin, size, thin, uBase));
  }
  return out.sort((x, y) => x.v0 - y.v0 || x.u0 - y.u0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Per column of a run of rows, 1 where the ink within about a line height around it is below a quarter
 * of the run's densest stretches (its 90th percentile among columns with ink), else 0.
 */
function sparseBelow(counts: Int32Array, h: number): Uint8Array {
  const n = counts.length;
  const r = Math.max(1, Math.round(h / 2));
  const prefix = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + counts[k]!;
  const density = new Int32Array(n);
  const inked: number[] = [];
  for (let k = 0; k < n; k++) {
    density[k] = prefix[Math.min(n, k + r + 1)]! - prefix[Math.max(0, k - r)]!;
    if (counts[k]! > 0) inked.push(density[k]!);
  }
  const out = new Uint8Array(n);
  if (inked.length === 0) return out;
  inked.sort((a, b) => a - b);
  const floor = 0.25 * inked[Math.floor(inked.length * 0.9)]!;
  for (let k = 0; k < n; k++) if (density[k]! < floor) out[k] = 1;
  return out;
}

/** MRZ line lengths in characters (ICAO 9303): TD1 3 lines of 30, TD2 2 of 36, TD3 2 of 44. */
const LAYOUTS = [
  { count: 3, columns: 30 },
  { count: 2, columns: 36 },
  { count: 2, columns: 44 },
] as const;

interface Group {
  readonly lines: Segment[];
  readonly score: number;
  /** Whether the lines show an MRZ's character rhythm (else they are only shaped like one). */
  readonly rhythmic: boolean;
}

/**
 * Whether lines of ink `hMed` high whose rhythms are at `pitches` (sorted) are monospaced print: an MRZ's lines
 * are one font at one pitch, and OCR-B's pitch (2.54 mm) is about its capitals' height, while a magazine's or a
 * letter's proportional text has no steady pitch (its lines' rhythms lock on whatever repeats, each its own)
 * and letters about half as wide as its lines (ascenders and descenders) are high. On the SVG family's tune
 * photos a found zone's pitches agreed within 4% and were 0.74-1.07 of its height (a blurred small TD3 of the
 * python family's 0.58); the magazine's line groups taken for a TD1 were 3-190% apart, or 0.43 of their height.
 * Not monospaced, such lines are only shaped like an MRZ (the last resort below).
 */
function monospaced(pitches: readonly number[], hMed: number): boolean {
  const pitch = pitches[Math.floor(pitches.length / 2)]!;
  return pitches[pitches.length - 1]! <= pitches[0]! * MAX_PITCH_SPREAD && pitch >= MIN_PITCH_PER_HEIGHT * hMed;
}

/** How far apart the pitches of one MRZ's lines may be (max over min). */
const MAX_PITCH_SPREAD = 1.12;
/** The least character pitch of an MRZ line, in its ink's height. */
const MIN_PITCH_PER_HEIGHT = 0.5;

/**
 * Lines that look like an MRZ: 2 or 3 stretches one under the other, the same length and place (every
 * position of an MRZ line is printed, the fillers too), of even height and spacing, with a steady
 * character rhythm, and as many characters as an MRZ line of that many lines has. Best first.
 */
function mrzGroups(segments: readonly Segment[]): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < segments.length; i++) {
    const first = segments[i]!;
    // The stretches below that overlap this one, nearest first.
    const chain: Segment[] = [first];
    for (let j = i + 1; j < segments.length && chain.length < 3; j++) {
      const prev = chain[chain.length - 1]!;
      const s = segments[j]!;
      if (s.v0 <= prev.v0) continue;
      const overlap = Math.min(s.u1, prev.u1) - Math.max(s.u0, prev.u0);
      if (overlap < 0.7 * Math.max(s.u1 - s.u0, prev.u1 - prev.u0)) continue;
      const hMed = (prev.v1 - prev.v0 + s.v1 - s.v0) / 2;
      if (s.v0 - prev.v1 > hMed * 2.2) break;
      chain.push(s);
    }
    for (const layout of LAYOUTS) {
      if (chain.length < layout.count) continue;
      const group = chain.slice(0, layout.count);
      const heights = group.map((l) => l.v1 - l.v0).sort((a, b) => a - b);
      const hMed = heights[Math.floor(heights.length / 2)]!;
      if (heights.some((h) => h > hMed * 1.6 || h < hMed * 0.6)) continue;
      if (group.some((l) => Math.abs(l.u0 - group[0]!.u0) > hMed * 1.5)) continue;
      // Every position is printed, so MRZ lines end together; a smeared filler run fades early (shape-only match below).
      const aligned = group.every((l) => Math.abs(l.u1 - group[0]!.u1) <= hMed * 2.5);
      // Printed characters leave gaps; a shadow or the document's edge is a solid band of "ink".
      if (group.some((l) => l.ink / Math.max(1, (l.u1 - l.u0) * (l.v1 - l.v0)) > 0.55)) continue;
      const length = Math.max(...group.map((l) => l.u1 - l.u0));
      const pitches = group.map((l) => l.pitch).sort((a, b) => a - b);
      const pitch = pitches[Math.floor(pitches.length / 2)]!;
      const columns = length / pitch + 0.3;
      const rhythmic = group.reduce((sum, l) => sum + Math.max(0, l.periodicity), 0) / group.length;
      // The character count the rhythm says, within 15% of the layout's (a blurred rhythm can lock on half or double).
      if (aligned && Math.abs(columns / layout.columns - 1) <= 0.15 && rhythmic >= 0.15 && monospaced(pitches, hMed)) {
        groups.push({ lines: group, score: length * layout.count * rhythmic * (1 - Math.abs(columns / layout.columns - 1)), rhythmic: true });
      } else if (length >= hMed * 12) {
        // Lines shaped like an MRZ's whose characters cannot be told apart (a smeared zone): a last resort,
        // so that the person is shown the part that was tried. Check digits still decide what is filled.
        groups.push({ lines: group, score: length * layout.count * 1e-3, rhythmic: false });
      }
    }
  }
  return groups.sort((a, b) => b.score - a.score);
}

/** The skews tried around the page's own: perspective turns the MRZ a few degrees from the rest of the text. */
const SKEW_OFFSETS = [0, -2, 2, -4, 4];

/** Ink points a part of the photo's skew is measured on (at most about this many). */
const SKEW_SAMPLE = 2500;

/**
 * The skew of the ink in each of a `grid`×`grid` grid of overlapping parts of the photo (those with enough
 * ink), each part two cells of a `grid + 1` division wide and high.
 */
function regionSkews(p: Points, w: number, h: number, maxSkew: number, grid: number): number[] {
  const out: number[] = [];
  for (let gy = 0; gy < grid; gy++) {
    for (let gx = 0; gx < grid; gx++) {
      const x0 = (gx * w) / (grid + 1);
      const x1 = ((gx + 2) * w) / (grid + 1);
      const y0 = (gy * h) / (grid + 1);
      const y1 = ((gy + 2) * h) / (grid + 1);
      const { xs, ys, n } = pointsWhere(p, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1);
      if (n < 200) continue;
      // A few thousand points tell a skew as well as all of them.
      const step = Math.max(1, Math.floor(n / SKEW_SAMPLE));
      let m = 0;
      for (let i = 0; i < n; i += step) {
        xs[m] = xs[i]!;
        ys[m] = ys[i]!;
        m++;
      }
      out.push(bestSkew({ xs, ys, n: m }, w + h, maxSkew, undefined, 1));
    }
  }
  return out;
}

/** Whether two groups of lines (each at its own skew) lie over each other: their middles within two lines' height. */
function sameZone(a: { group: Group; angle: number }, b: { group: Group; angle: number }): boolean {
  const middle = ({ group, angle }: { group: Group; angle: number }): [number, number] => {
    const r = (angle * Math.PI) / 180;
    const u = (Math.min(...group.lines.map((l) => l.u0)) + Math.max(...group.lines.map((l) => l.u1))) / 2;
    const v = (group.lines[0]!.v0 + group.lines[group.lines.length - 1]!.v1) / 2;
    return [u * Math.cos(r) - v * Math.sin(r), u * Math.sin(r) + v * Math.cos(r)];
  };
  const [ax, ay] = middle(a);
  const [bx, by] = middle(b);
  const h = (a.group.lines[0]!.v1 - a.group.lines[0]!.v0 + b.group.lines[0]!.v1 - b.group.lines[0]!.v0) / 2;
  return Math.hypot(ax - bx, ay - by) <= 2 * h;
}

/**
 * Among `groups`, the whole rows' lines at the strips' own skew, the group with as many lines as the strips'
 * `strips` on the same zone. At the skew the whole photo's rows were best at (another part of the photo's,
 * or a tilted zone's print smeared across rows), a tilted zone's lines come out taller and run into each
 * other: their extent is worse than the strips' own (svg-777-0009: lines 18 px tall at 15.8° where the
 * strips' are 11 at 14.4°, and every field read wrong).
 */
function wholeRowsGroup(strips: Group, groups: readonly Group[]): Group | undefined {
  return groups.find((g) => g.lines.length === strips.lines.length && g.lines.every((l, i) => sameLine(l, strips.lines[i]!)));
}

/**
 * Whether two lines found at the same skew are one: their middles within half a line's height, and most of
 * the shorter's length over the other's. A group one line off (the zone's last lines and a row of the table
 * below) lies within two lines' height of the zone (`sameZone`) and is not it.
 */
function sameLine(a: Line, b: Line): boolean {
  const h = Math.min(a.v1 - a.v0, b.v1 - b.v0);
  const overlap = Math.min(a.u1, b.u1) - Math.max(a.u0, b.u0);
  return Math.abs(a.v0 + a.v1 - b.v0 - b.v1) / 2 <= 0.5 * h && overlap >= 0.5 * Math.min(a.u1 - a.u0, b.u1 - b.u0);
}

/** The best MRZ-like group of lines at one working scale (`factor`: input pixels per working pixel). */
function findGroup(
  img: GrayImage,
  factor: number,
  maxSkew: number,
  thin: boolean,
  grid: number,
): { group: Group; angle: number; factor: number; fromStrips: boolean; seen: readonly { group: Group; angle: number }[] } | null {
  const small = downscale(img, factor);
  const ink = inkPoints(small, thin);
  if (ink.n < 100) return null;
  const size = small.width + small.height;
  const skew = bestSkew(ink, size, maxSkew);
  type Found = { group: Group; angle: number };
  // The best group of rows found across the whole photo, and of rows found strip by strip (typed by a
  // cast: `consider` assigns them, which narrowing after `= null` would not see).
  let whole = null as Found | null;
  let wholeGroups: Group[] = [];
  let strips = null as Found | null;
  // Every group with an MRZ's rhythm looked at (the best few of each skew), for `MrzRegion.others`.
  const seen: Found[] = [];
  const consider = (angle: number): void => {
    const groups = mrzGroups(textSegments(ink, angle, size, thin));
    const group = groups[0];
    if (group !== undefined && (whole === null || group.score > whole.group.score)) [whole, wholeGroups] = [{ group, angle }, groups];
    for (const g of groups.slice(0, 3)) if (g.rhythmic) seen.push({ group: g, angle });
    if (!thin) return;
    const locals = mrzGroups(localSegments(ink, angle, size, thin));
    const local = locals[0];
    if (local !== undefined && (strips === null || local.score > strips.group.score)) strips = { group: local, angle };
    for (const g of locals.slice(0, 3)) if (g.rhythmic) seen.push({ group: g, angle });
  };
  const tried: number[] = [];
  for (const d of SKEW_OFFSETS) {
    const angle = skew + d;
    if (Math.abs(angle) > maxSkew + 4) continue;
    consider(angle);
    tried.push(angle);
  }
  // A card on a printed page (a newspaper, a magazine) lies at its own skew, which the page's far more
  // plentiful text hides from the whole photo's: each part of the photo's own skew is tried too.
  if (thin) {
    for (const angle of regionSkews(ink, small.width, small.height, maxSkew, grid)) {
      if (tried.some((t) => Math.abs(t - angle) < 0.5)) continue;
      consider(angle);
      tried.push(angle);
    }
  }
  // Strip rows are for a zone the whole photo's rows cannot show (print all around it); where both show
  // the same zone, the whole rows' extent is kept: a strip chain runs on into the document's edge.
  let best = whole;
  if (strips !== null && (best === null || (strips.group.score > best.group.score && !sameZone(strips, best)))) best = strips;
  else if (strips !== null && whole !== null && strips.group.score > whole.group.score && strips.group.rhythmic && strips.group.lines.length > whole.group.lines.length) {
    // The same zone, but the strips show it whole (a TD1's 3 lines) where the whole rows show only part of it:
    // a glare or a shadow along one line's end left it out of step with the others there (not aligned, so no
    // rhythm), and 2 of the 3 lines passed for a TD2. The whole rows' group of those lines, at the strips' skew,
    // is kept (their extent, as above), vouched for by the strips' rhythm; else the strips' own.
    const all = wholeRowsGroup(strips.group, whole.angle === strips.angle ? wholeGroups : mrzGroups(textSegments(ink, strips.angle, size, thin)));
    best = all === undefined ? strips : { group: { ...all, rhythmic: true, score: strips.group.score }, angle: strips.angle };
  }
  if (best === null) return null;
  const fromStrips = best === strips;
  // The zone's own skew, from its ink alone (the page's text can lean differently under perspective).
  const g = best.group.lines;
  const local = pointsNear(ink, best.angle, g);
  if (local.n >= 100) {
    const angle = bestSkew(local, size, maxSkew + 6, best.angle);
    const group = mrzGroups(textSegments(local, angle, size, thin))[0];
    if (group !== undefined && group.lines.length === g.length && group.rhythmic === best.group.rhythmic) best = { group, angle };
  }
  return { ...best, factor, fromStrips, seen };
}

/**
 * The parts whose own skews `thorough` tries: 5×5 parts a third of the photo wide, where 3×3 are half of
 * it. A card on a printed page lies at its own skew, which a part mostly covered by the page's text does not
 * show; smaller parts find it more often, but each skew costs a pass over the ink (three times as long).
 */
const THOROUGH_GRID = 5;

/**
 * `thorough`: the card's own skew is looked for in smaller parts of the photo (`THOROUGH_GRID`), for a
 * second look when the zone first found reads as nothing (mrz-ocr.ts `scanMrz`).
 */
export function locateMrz(img: GrayImage, options: { maxSkewDeg?: number; thorough?: boolean } = {}): MrzRegion | null {
  const maxSkew = options.maxSkewDeg ?? 15;
  const factor = Math.max(1, Math.ceil(Math.max(img.width, img.height) / WORK_SIZE));
  const fine = findGroup(img, factor, maxSkew, true, options.thorough === true ? THOROUGH_GRID : 3);
  let best = fine;
  // Lines found only strip by strip are kept unless the whole rows, coarser, show a zone with an MRZ's
  // rhythm: there the strips' lines can run on into the document's edge.
  if (best === null || !best.group.rhythmic || best.fromStrips) {
    // A zone whose print is smeared (blur, a smudge) leaves no ink at the working scale: three times
    // coarser, its lines are bands again (solid: not only thin print counts as ink there). Only lines with an MRZ's rhythm beat a shape-only match.
    const coarse = findGroup(img, factor * 3, maxSkew, false, 3);
    if (coarse !== null && (best === null || coarse.group.rhythmic)) best = coarse;
  }
  if (best === null) return null;
  const region = regionOf(best.group, best.angle, best.factor);
  // The other zone-like groups, best first, each kept only away from the zone and from those kept before it.
  const others: MrzRegion[] = [];
  const candidates = [...(fine?.seen ?? [])].sort((a, b) => b.group.score - a.group.score);
  for (const c of candidates) {
    if (others.length >= MAX_OTHERS) break;
    const r = regionOf(c.group, c.angle, factor);
    if ([region, ...others].some((o) => overlaps(o, r))) continue;
    others.push(r);
  }
  return { ...region, others };
}

/** How many other zone-like places `locateMrz` reports (each costs a template read when the zone fails). */
const MAX_OTHERS = 2;

/** Whether two regions lie over each other: their middles within two line heights. */
function overlaps(a: MrzRegion, b: MrzRegion): boolean {
  const [ax, ay] = centreOf(a.corners);
  const [bx, by] = centreOf(b.corners);
  return Math.hypot(ax - bx, ay - by) <= a.lineHeight + b.lineHeight;
}

/** A group of lines found at skew `angle` on a working copy `scale` times smaller, as a region of the input image. */
function regionOf(group: Group, angle: number, scale: number): MrzRegion {
  const first = group.lines[0]!;
  const last = group.lines[group.lines.length - 1]!;
  const lineHeight = (group.lines.reduce((s, l) => s + (l.v1 - l.v0), 0) / group.lines.length) * scale;
  // A margin of about one line height above and below the ink; at the ends more: a line of fillers has
  // little ink at its end, and the cell grid (mrz-cells.ts) finds where the print starts and stops anyway.
  const m = lineHeight / scale;
  const length = Math.max(...group.lines.map((l) => l.u1 - l.u0));
  const side = Math.max(1.5 * m, 0.06 * length);
  const u0 = Math.min(...group.lines.map((l) => l.u0)) - side;
  const u1 = Math.max(...group.lines.map((l) => l.u1)) + side;
  const v0 = first.v0 - m * 0.8;
  const v1 = last.v1 + m * 0.8;
  const a = (angle * Math.PI) / 180;
  const toImage = (u: number, v: number): [number, number] => [(u * Math.cos(a) - v * Math.sin(a)) * scale, (u * Math.sin(a) + v * Math.cos(a)) * scale];
  return { angle, lines: group.lines.length, lineHeight, corners: [toImage(u0, v0), toImage(u1, v0), toImage(u1, v1), toImage(u0, v1)] };
}

/** The ink points that `keep` keeps. */
function pointsWhere(p: Points, keep: (x: number, y: number) => boolean): Points {
  const xs = new Int32Array(p.n);
  const ys = new Int32Array(p.n);
  let n = 0;
  for (let i = 0; i < p.n; i++) {
    const x = p.xs[i]!;
    const y = p.ys[i]!;
    if (!keep(x, y)) continue;
    xs[n] = x;
    ys[n] = y;
    n++;
  }
  return { xs, ys, n };
}

/** The ink points within a couple of line heights of the group's box (seen at `deg`). */
function pointsNear(p: Points, deg: number, group: readonly Line[]): Points {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const h = group.reduce((sum, l) => sum + (l.v1 - l.v0), 0) / group.length;
  const u0 = Math.min(...group.map((l) => l.u0)) - 2 * h;
  const u1 = Math.max(...group.map((l) => l.u1)) + 2 * h;
  const v0 = group[0]!.v0 - 1.5 * h;
  const v1 = group[group.length - 1]!.v1 + 1.5 * h;
  return pointsWhere(p, (x, y) => {
    const u = x * c + y * s;
    const v = -x * s + y * c;
    return u >= u0 && u <= u1 && v >= v0 && v <= v1;
  });
}

/**
 * The zone cut out upright, scaled so a text line is about `lineHeightPx` high (Tesseract's legacy
 * engine reads best with capitals ~30 px tall).
 */
export function extractRegion(img: GrayImage, region: MrzRegion, lineHeightPx = 34): GrayImage {
  const [tl, tr, , bl] = region.corners as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
  const srcW = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]);
  const srcH = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  const scale = Math.min(3, Math.max(0.3, lineHeightPx / region.lineHeight));
  const width = Math.max(1, Math.round(srcW * scale));
  const height = Math.max(1, Math.round(srcH * scale));
  const ux = (tr[0] - tl[0]) / width;
  const uy = (tr[1] - tl[1]) / width;
  const vx = (bl[0] - tl[0]) / height;
  const vy = (bl[1] - tl[1]) / height;
  const data = new Uint8Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      data[j * width + i] = Math.round(sample(img, tl[0] + i * ux + j * vx, tl[1] + i * uy + j * vy));
    }
  }
  return { width, height, data };
}
