/**
 * Cuts an upright MRZ crop into its character cells. An MRZ is printed at a fixed pitch (ICAO 9303-3:
 * 10 characters per 25.4 mm) with a known number of columns (TD1 30, TD2 36, TD3 44) and every column
 * holds a character (the filler "<" is ink too), so the cells follow from the line's ink extent and a
 * pitch fitted to the gaps between characters, without trusting any OCR engine to segment.
 *
 * Each cell is resampled into a small fixed raster of ink darkness (0 = paper, 1 = ink), centred on
 * its own ink horizontally and on the text line vertically, which is what the OCR-B templates
 * (ocrb-templates.ts, made by scripts/make-ocrb-templates.ts with this same code) look like. Pure: no
 * `node:`, no DOM.
 */
import { sample, type GrayImage } from './gray-image';

/** Size of a normalised cell: one pitch wide, 1.3 cap heights tall. */
export const CELL_W = 20;
export const CELL_H = 26;
/** Cap height as a fraction of the cell's height (the rest is margin above and below). */
const CAP_FRACTION = 1 / 1.3;

export interface CellLine {
  /** Vertical centre and cap height of the text line in the crop. */
  readonly centre: number;
  readonly capHeight: number;
  /** Left edge of the first cell and the pitch, in crop pixels. */
  readonly left: number;
  readonly pitch: number;
  /** One raster per column, CELL_W × CELL_H, row-major darkness in [0, 1]. */
  readonly cells: readonly Float32Array[];
}

/**
 * Darkness in [0, 1] relative to the local paper and ink levels, estimated in vertical strips and
 * interpolated between them: an uneven light or a soft glare moves both levels, not the ratio.
 */
export function darkness(img: GrayImage): Float32Array {
  const { width: w, height: h, data } = img;
  const strip = Math.max(8, Math.round(h));
  const strips = Math.max(1, Math.round(w / strip));
  const paper = new Float32Array(strips);
  const ink = new Float32Array(strips);
  const hist = new Uint32Array(256);
  for (let s = 0; s < strips; s++) {
    hist.fill(0);
    const x0 = Math.floor((s * w) / strips);
    const x1 = Math.floor(((s + 1) * w) / strips);
    for (let y = 0; y < h; y++) for (let x = x0; x < x1; x++) hist[data[y * w + x] ?? 255]! += 1;
    const n = (x1 - x0) * h;
    const quantile = (q: number): number => {
      let acc = 0;
      for (let v = 0; v < 256; v++) {
        acc += hist[v] ?? 0;
        if (acc >= q * n) return v;
      }
      return 255;
    };
    paper[s] = quantile(0.85);
    ink[s] = quantile(0.03);
  }
  const out = new Float32Array(w * h);
  for (let x = 0; x < w; x++) {
    // Linear interpolation between strip centres.
    const f = Math.min(strips - 1, Math.max(0, (x + 0.5) / (w / strips) - 0.5));
    const s0 = Math.floor(f);
    const s1 = Math.min(strips - 1, s0 + 1);
    const t = f - s0;
    const p = (paper[s0] ?? 255) * (1 - t) + (paper[s1] ?? 255) * t;
    const k = (ink[s0] ?? 0) * (1 - t) + (ink[s1] ?? 0) * t;
    const range = Math.max(24, p - k);
    for (let y = 0; y < h; y++) {
      const d = (p - (data[y * w + x] ?? 255)) / range;
      out[y * w + x] = d <= 0 ? 0 : d >= 1 ? 1 : d;
    }
  }
  return out;
}

/**
 * Removes dark areas that are not print: anything touching the crop's border (the table or the
 * document's edge around a zone cut with a margin) and blobs taller than a character.
 */
function dropNonText(dark: Float32Array, w: number, h: number, maxHeight: number): void {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const members: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (seen[start] === 1 || (dark[start] ?? 0) < 0.5) continue;
    seen[start] = 1;
    stack.push(start);
    members.length = 0;
    let y0 = h;
    let y1 = -1;
    let border = false;
    while (stack.length > 0) {
      const p = stack.pop() as number;
      members.push(p);
      const x = p % w;
      const y = (p - x) / w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) border = true;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && seen[q] === 0 && (dark[q] ?? 0) >= 0.5) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    if (border || y1 - y0 + 1 > maxHeight) {
      // The blob and its soft edge (pixels around it that are not quite ink) go.
      for (const p of members) {
        dark[p] = 0;
        const x = p % w;
        for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w, x > 1 ? p - 2 : -1, x < w - 2 ? p + 2 : -1, p - 2 * w, p + 2 * w]) {
          if (q >= 0 && q < w * h && seen[q] === 0) dark[q] = 0;
        }
      }
    }
  }
}

function smooth(xs: Float32Array, r: number): Float32Array {
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let s = 0;
    let n = 0;
    for (let k = -r; k <= r; k++) {
      const v = xs[i + k];
      if (v !== undefined) {
        s += v;
        n++;
      }
    }
    out[i] = s / n;
  }
  return out;
}

/** The `count` heaviest runs of inked rows, top to bottom: [first row, end row, ink mass, centroid]. */
function lineBands(dark: Float32Array, w: number, h: number, count: number): { top: number; bottom: number; centre: number }[] | null {
  const rows = new Float32Array(h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) s += dark[y * w + x] ?? 0;
    rows[y] = s;
  }
  let max = 0;
  for (const r of rows) max = Math.max(max, r);
  if (max <= 0) return null;
  const runs: { top: number; bottom: number; mass: number; centre: number }[] = [];
  let start = -1;
  for (let y = 0; y <= h; y++) {
    const on = y < h && (rows[y] ?? 0) >= max * 0.2;
    if (on && start < 0) start = y;
    if (!on && start >= 0) {
      let mass = 0;
      let moment = 0;
      for (let k = start; k < y; k++) {
        mass += rows[k] ?? 0;
        moment += (rows[k] ?? 0) * k;
      }
      if (y - start >= 3) runs.push({ top: start, bottom: y, mass, centre: moment / mass });
      start = -1;
    }
  }
  if (runs.length < count) return null;
  return [...runs]
    .sort((a, b) => b.mass - a.mass)
    .slice(0, count)
    .sort((a, b) => a.top - b.top);
}

/** Column ink profile of a band, and the extent of its main cluster of ink (stray marks ignored). */
function columnProfile(dark: Float32Array, w: number, y0: number, y1: number): Float32Array {
  const cols = new Float32Array(w);
  for (let y = Math.max(0, y0); y < y1; y++) for (let x = 0; x < w; x++) cols[x]! += dark[y * w + x] ?? 0;
  return cols;
}

function inkExtent(cols: Float32Array, capHeight: number): [number, number] | null {
  let max = 0;
  for (const c of cols) max = Math.max(max, c);
  const thr = max * 0.08;
  // Runs of inked columns; neighbouring characters are less than a cap height apart.
  const runs: [number, number][] = [];
  let start = -1;
  for (let x = 0; x <= cols.length; x++) {
    const on = x < cols.length && (cols[x] ?? 0) > thr;
    if (on && start < 0) start = x;
    if (!on && start >= 0) {
      runs.push([start, x]);
      start = -1;
    }
  }
  if (runs.length === 0) return null;
  // The largest cluster of runs joined across gaps shorter than 1.5 cap heights.
  let best: [number, number] = runs[0] as [number, number];
  let cur: [number, number] = [...best];
  for (const r of runs.slice(1)) {
    if (r[0] - cur[1] < capHeight * 1.5) cur[1] = r[1];
    else cur = [...r];
    if (cur[1] - cur[0] > best[1] - best[0]) best = [...cur];
  }
  return best;
}

/** Autocorrelation of a profile at a (fractional) lag, per overlapping sample. */
function autocorrelation(prof: Float32Array, lag: number): number {
  const n = prof.length;
  const i0 = Math.floor(lag);
  const t = lag - i0;
  let s = 0;
  let m = 0;
  for (let x = 0; x + i0 + 1 < n; x++) {
    s += prof[x]! * (prof[x + i0]! * (1 - t) + prof[x + i0 + 1]! * t);
    m++;
  }
  return m > 0 ? s / m : 0;
}

/** The lag in [lo, hi] where the autocorrelation peaks, to a fraction of a pixel. */
function peakLag(prof: Float32Array, lo: number, hi: number, step: number): number {
  let best = lo;
  let bestR = -Infinity;
  for (let lag = lo; lag <= hi; lag += step) {
    const r = autocorrelation(prof, lag);
    if (r > bestR) [best, bestR] = [lag, r];
  }
  const a = autocorrelation(prof, best - step);
  const c = autocorrelation(prof, best + step);
  const denom = a - 2 * bestR + c;
  return denom < 0 ? best + (0.5 * step * (a - c)) / denom : best;
}

/**
 * Pitch and start of the cell grid, from the print's own rhythm rather than from where its ink starts
 * and ends (a stray mark or the document's edge beside the zone would stretch or shift a grid fitted to
 * the ink's extent, and every cell after the error would straddle two characters):
 * - the pitch is where the column profile's autocorrelation peaks, refined at half the line's length
 *   (an error of a tenth of a pixel there is a hundredth per character);
 * - the grid's phase puts the cell boundaries where the profile is lowest (the gaps between characters);
 * - of the cells that phase gives, the `columns` consecutive ones holding the most ink are the line
 *   (every MRZ position holds a character, the filler "<" included; margins hold none).
 */
function fitGrid(cols: Float32Array, x0: number, x1: number, columns: number): { left: number; pitch: number } {
  const raw = smooth(cols, 1);
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= Math.max(1, raw.length);
  const prof = Float32Array.from(raw, (v) => v - mean);
  const p0 = (x1 - x0) / (columns - 0.3);
  let pitch = peakLag(prof, p0 * 0.75, p0 * 1.3, Math.max(0.25, p0 * 0.01));
  const k = Math.max(1, Math.floor(columns / 2));
  pitch = peakLag(prof, k * pitch - pitch * 0.4, k * pitch + pitch * 0.4, 0.25) / k;
  // Phase: boundaries where the (unsmoothed-mean) profile is lowest, averaged over the whole line.
  const at = (x: number): number => {
    const i = Math.floor(x);
    if (i < 0 || i + 1 >= raw.length) return 0;
    const t = x - i;
    return raw[i]! * (1 - t) + raw[i + 1]! * t;
  };
  let phase = 0;
  let bestCost = Infinity;
  const phaseStep = Math.max(0.25, pitch / 40);
  for (let f = 0; f < pitch; f += phaseStep) {
    let cost = 0;
    for (let x = f; x < raw.length; x += pitch) cost += at(x);
    if (cost < bestCost) [phase, bestCost] = [f, cost];
  }
  // Ink per cell of that grid, and the window of `columns` cells with the most (each cell's ink capped
  // at the typical cell's, so one dark blob cannot outweigh a character).
  const cellCount = Math.floor((raw.length - phase) / pitch);
  const ink = new Float32Array(Math.max(0, cellCount));
  for (let c = 0; c < cellCount; c++) {
    let s = 0;
    for (let x = Math.ceil(phase + c * pitch); x < phase + (c + 1) * pitch && x < cols.length; x++) s += cols[x]!;
    ink[c] = s;
  }
  const sorted = [...ink].sort((a, b) => b - a);
  const typical = sorted[Math.min(sorted.length - 1, Math.floor(columns / 2))] ?? 0;
  let start = 0;
  let bestInk = -1;
  for (let j = 0; j + columns <= cellCount; j++) {
    let s = 0;
    for (let c = j; c < j + columns; c++) s += Math.min(ink[c]!, typical);
    if (s > bestInk) [start, bestInk] = [j, s];
  }
  if (cellCount < columns) return { left: x0 - pitch * 0.15, pitch };
  return { left: phase + start * pitch, pitch };
}

/**
 * One normalised cell: a pitch-wide window centred on the cell's ink, a band of 1.3 cap heights.
 * `paperImg` holds darkness as bytes with paper = 255, so that `sample` outside the crop reads paper.
 */
function cellRaster(paperImg: GrayImage, cols: Float32Array, cellLeft: number, pitch: number, centre: number, capHeight: number): Float32Array {
  let mass = 0;
  let moment = 0;
  for (let x = Math.max(0, Math.floor(cellLeft)); x < Math.min(cols.length, Math.ceil(cellLeft + pitch)); x++) {
    mass += cols[x] ?? 0;
    moment += (cols[x] ?? 0) * (x + 0.5);
  }
  const cx = mass > 0 ? moment / mass : cellLeft + pitch / 2;
  const h = capHeight / CAP_FRACTION;
  const out = new Float32Array(CELL_W * CELL_H);
  const sx = pitch / CELL_W;
  const sy = h / CELL_H;
  for (let j = 0; j < CELL_H; j++) {
    for (let i = 0; i < CELL_W; i++) {
      // Average of 2×2 samples: enough anti-aliasing for the scales this sees (about 0.5-3×).
      let v = 0;
      for (const [a, b] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]] as const) {
        v += sample(paperImg, cx - pitch / 2 + (i + a) * sx - 0.5, centre - h / 2 + (j + b) * sy - 0.5);
      }
      out[j * CELL_W + i] = 1 - v / 4 / 255;
    }
  }
  return out;
}

/**
 * The cells of an MRZ crop with `lines` text lines of `columns` characters; null when the crop does
 * not show that many lines of ink. `lineHeight` is the rough height of a text line in the crop (from
 * the locator), used only to tell print from larger dark areas. `capPerPitch` fixes the cap height
 * from the pitch (OCR-B's proportions, measured on the font by the template generator): the pitch is
 * fitted over a whole line and does not grow with blur, where a measured cap height does.
 */
export function mrzCells(crop: GrayImage, lines: number, columns: number, lineHeight: number, capPerPitch?: number): CellLine[] | null {
  const { width: w, height: h } = crop;
  const dark = darkness(crop);
  dropNonText(dark, w, h, lineHeight * 1.8);
  const bands = lineBands(dark, w, h, lines);
  if (bands === null) return null;
  // Filler-heavy lines ("<" sits mid-height) look shorter: the tallest band gives the cap height.
  const capHeight = Math.max(...bands.map((b) => b.bottom - b.top));
  const paperImg: GrayImage = { width: w, height: h, data: Uint8Array.from(dark, (d) => 255 - Math.round(d * 255)) };
  const out: CellLine[] = [];
  for (const band of bands) {
    const y0 = Math.round(band.centre - capHeight * 0.6);
    const y1 = Math.round(band.centre + capHeight * 0.6);
    const cols = columnProfile(dark, w, y0, y1);
    const extent = inkExtent(cols, capHeight);
    if (extent === null) return null;
    const { left, pitch } = fitGrid(cols, extent[0], extent[1], columns);
    const cells: Float32Array[] = [];
    for (let i = 0; i < columns; i++) {
      cells.push(cellRaster(paperImg, cols, left + i * pitch, pitch, band.centre, capPerPitch === undefined ? capHeight : pitch * capPerPitch));
    }
    out.push({ centre: band.centre, capHeight: capPerPitch === undefined ? capHeight : pitch * capPerPitch, left, pitch, cells });
  }
  return out;
}
