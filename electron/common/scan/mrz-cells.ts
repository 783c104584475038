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
import { forEachBlob } from './blobs';
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
  /** Where the line's main cluster of ink starts and ends, in crop pixels. */
  readonly extent: readonly [number, number];
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

/** Darkness back to a gray picture of ink on white paper (255 = paper), so that sampling outside it reads paper. */
export function paperOf(dark: Float32Array, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 255 - Math.round(dark[i]! * 255);
  return { width, height, data };
}

/**
 * Removes dark areas that are not print: anything touching the crop's border (the table or the
 * document's edge around a zone cut with a margin) and blobs taller than a character.
 */
function dropNonText(dark: Float32Array, w: number, h: number, maxHeight: number): void {
  forEachBlob(w, h, 4, (i) => dark[i]! >= 0.5, ({ members, x0, x1, y0, y1, reached }) => {
    const border = x0 === 0 || y0 === 0 || x1 === w - 1 || y1 === h - 1;
    if (!border && y1 - y0 + 1 <= maxHeight) return;
    // The blob and its soft edge (pixels around it that are not quite ink) go.
    for (const p of members) {
      dark[p] = 0;
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w, x > 1 ? p - 2 : -1, x < w - 2 ? p + 2 : -1, p - 2 * w, p + 2 * w]) {
        if (q >= 0 && q < w * h && reached[q] === 0) dark[q] = 0;
      }
    }
  });
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

/**
 * The `count` heaviest runs of inked rows, top to bottom: [first row, end row, ink mass, centroid]. `inkOnly`:
 * a row's ink is its pixels at least half dark, not its summed darkness: in a photo, a tinted band or a
 * shade along the zone (a page's edge above the first line) is a little darker than the paper across the
 * whole width and would add up to a line's worth, stretching the first line's band upwards and putting its
 * cells above the print. The template renders (`straight`) have no such shade and keep the summed darkness.
 */
function lineBands(dark: Float32Array, w: number, h: number, count: number, inkOnly: boolean): { top: number; bottom: number; centre: number }[] | null {
  const rows = new Float32Array(h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) s += inkOnly ? ((dark[y * w + x] ?? 0) >= 0.5 ? 1 : 0) : (dark[y * w + x] ?? 0);
    rows[y] = s;
  }
  let max = 0;
  for (const r of rows) max = Math.max(max, r);
  if (max <= 0) return null;
  // The floor between lines: sensor noise gives paper some darkness in every row of a wide crop.
  const floor = [...rows].sort((a, b) => a - b)[Math.floor(h * 0.1)] ?? 0;
  // Rows with a fifth of the most ink are a line's; where that leaves fewer lines than the zone has, the rows
  // between two of them still hold ink (bold print close together, two lines tilted a little against each
  // other, which a long crop stacks into one band), and a higher share parts them at the valley.
  for (const share of BAND_SHARES) {
    const runs = inkedRuns(rows, floor + (max - floor) * share);
    if (runs.length >= count) {
      return [...runs]
        .sort((a, b) => b.mass - a.mass)
        .slice(0, count)
        .sort((a, b) => a.top - b.top);
    }
  }
  return null;
}

/** Shares of a row's most ink above the floor that `lineBands` tries, in order. */
const BAND_SHARES = [0.2, 0.35, 0.5] as const;

/** Runs of at least 3 rows with at least `threshold` ink, each with its mass and centroid. */
function inkedRuns(rows: Float32Array, threshold: number): { top: number; bottom: number; mass: number; centre: number }[] {
  const h = rows.length;
  const runs: { top: number; bottom: number; mass: number; centre: number }[] = [];
  let start = -1;
  for (let y = 0; y <= h; y++) {
    const on = y < h && (rows[y] ?? 0) >= threshold;
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
  return runs;
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
  // Only lags inside the profile have a meaning; a negative or absurd lag (a runaway fit) would
  // otherwise walk x from 0 up to -lag: trillions of steps on one bad photo.
  if (!(lag >= 0 && lag < n - 1)) return 0;
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
  // The parabola's vertex refines the peak only within half a step of it: at the edge of the range
  // (a neighbour higher than the peak) or on a nearly flat profile (denom near 0) it lies anywhere, even
  // at ±1e13, and the next search would then start there.
  if (!(denom < 0)) return best;
  const offset = (0.5 * step * (a - c)) / denom;
  return best + Math.max(-step / 2, Math.min(step / 2, offset));
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
export function fitGrid(cols: Float32Array, x0: number, x1: number, columns: number): { left: number; pitch: number } {
  const raw = smooth(cols, 1);
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= Math.max(1, raw.length);
  const prof = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) prof[i] = raw[i]! - mean;
  const p0 = (x1 - x0) / (columns - 0.3);
  let pitch = peakLag(prof, p0 * 0.75, p0 * 1.3, Math.max(0.25, p0 * 0.01));
  if (!(pitch > 0)) return { left: x0, pitch: Number.NaN }; // no rhythm at all: the caller finds no grid
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

/** Cost of a cell boundary's step differing from the line's pitch, per (relative difference)². */
const STEP_STIFFNESS = 20;
/** How far a step may differ from the pitch. */
const STEP_RANGE = 0.12;

/**
 * The cell boundaries of a line, each where the ink is thinnest, by dynamic programming over half-pixel
 * positions: `columns` steps, each within ±12% of the pitch and paying for its difference. A uniform grid
 * is right for a flat, square-on print; a page turned a little away from the camera (corners found a
 * few pixels off, a booklet page that lifts) makes the pitch change along the line, and a uniform grid
 * then drifts by half a cell by its end. The boundaries follow the print instead.
 */
function cellBounds(prof: Float32Array, left: number, pitch: number, columns: number): (i: number) => number {
  if (pitch < 1) return (i) => left + i * pitch;
  const Q = 2; // positions per pixel
  const n = Math.ceil(prof.length * Q);
  let mean = 0;
  for (const v of prof) mean += v;
  mean = mean / Math.max(1, prof.length) || 1;
  const ink = (q: number): number => {
    const x = q / Q;
    const i = Math.floor(x);
    const t = x - i;
    return ((prof[i] ?? 0) * (1 - t) + (prof[i + 1] ?? 0) * t) / mean;
  };
  const sMin = Math.max(1, Math.floor(pitch * (1 - STEP_RANGE) * Q));
  const sMax = Math.ceil(pitch * (1 + STEP_RANGE) * Q);
  const stepCost = new Float64Array(sMax + 1);
  for (let st = sMin; st <= sMax; st++) stepCost[st] = STEP_STIFFNESS * ((st / Q - pitch) / pitch) ** 2;
  // The first boundary within half a pitch of the uniform grid's.
  let cost = new Float64Array(n).fill(Infinity);
  const from: Int32Array[] = [];
  const q0 = Math.round(left * Q);
  for (let q = Math.max(0, q0 - Math.round(pitch * Q * 0.5)); q <= Math.min(n - 1, q0 + Math.round(pitch * Q * 0.5)); q++) cost[q] = ink(q);
  for (let i = 1; i <= columns; i++) {
    const next = new Float64Array(n).fill(Infinity);
    const back = new Int32Array(n).fill(-1);
    for (let q = 0; q < n; q++) {
      const c = cost[q]!;
      if (c === Infinity) continue;
      for (let st = sMin; st <= sMax && q + st < n; st++) {
        const v = c + stepCost[st]!;
        if (v < next[q + st]!) {
          next[q + st] = v;
          back[q + st] = q;
        }
      }
    }
    for (let q = 0; q < n; q++) if (next[q] !== Infinity) next[q]! += ink(q);
    from.push(back);
    cost = next;
  }
  let end = -1;
  for (let q = 0; q < n; q++) if (end < 0 || cost[q]! < cost[end]!) end = q;
  if (end < 0 || cost[end] === Infinity) return (i) => left + i * pitch;
  const raw = new Array<number>(columns + 1);
  let q = end;
  for (let i = columns; i >= 0; i--) {
    raw[i] = q / Q;
    if (i > 0) q = from[i - 1]![q]!;
  }
  return smoothBounds(raw, pitch);
}

/**
 * A smooth curve through the boundaries (a quadratic in the cell index, refitted without those more than
 * a sixth of a pitch off): the print's pitch drifts slowly along a line, and what the path found beyond
 * that is a glyph's own width (a wide W beside a narrow I), not the grid's.
 */
function smoothBounds(raw: readonly number[], pitch: number): (i: number) => number {
  let keep = raw.map((_, i) => i);
  let c: [number, number, number] = [raw[0]!, pitch, 0];
  for (let iter = 0; iter < 2 && keep.length >= 6; iter++) {
    // Normal equations of b = c0 + c1·i + c2·i², solved by Cramer's rule.
    const S = [0, 0, 0, 0, 0];
    const T = [0, 0, 0];
    for (const i of keep) {
      let p = 1;
      for (let k = 0; k < 5; k++) {
        S[k]! += p;
        if (k < 3) T[k]! += p * raw[i]!;
        p *= i;
      }
    }
    const m = [
      [S[0]!, S[1]!, S[2]!],
      [S[1]!, S[2]!, S[3]!],
      [S[2]!, S[3]!, S[4]!],
    ];
    const det3 = (a: number[][]): number =>
      a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
    const d = det3(m);
    if (Math.abs(d) < 1e-9) break;
    const col = (k: number): number[][] => m.map((row, r) => row.map((v, j) => (j === k ? T[r]! : v)));
    c = [det3(col(0)) / d, det3(col(1)) / d, det3(col(2)) / d];
    keep = keep.filter((i) => Math.abs(raw[i]! - (c[0] + c[1] * i + c[2] * i * i)) <= pitch / 6);
  }
  return (i) => c[0] + c[1] * i + c[2] * i * i;
}

/**
 * The vertical centre of each cell: the line's centre as a straight line fitted to the cells' own ink
 * (every glyph, the filler too, is centred on the line), so a line that leans a little across a long
 * crop is followed instead of cut through at its ends.
 */
function cellCentres(dark: Float32Array, w: number, h: number, centre: number, cap: number, bounds: readonly number[]): number[] {
  const columns = bounds.length - 1;
  const xs: number[] = [];
  const ys: number[] = [];
  const y0 = Math.max(0, Math.floor(centre - cap * 0.75));
  const y1 = Math.min(h, Math.ceil(centre + cap * 0.75));
  for (let i = 0; i < columns; i++) {
    let mass = 0;
    let moment = 0;
    for (let x = Math.max(0, Math.floor(bounds[i]!)); x < Math.min(w, Math.ceil(bounds[i + 1]!)); x++) {
      for (let y = y0; y < y1; y++) {
        const d = dark[y * w + x]!;
        mass += d;
        moment += d * y;
      }
    }
    if (mass > 0) {
      xs.push((bounds[i]! + bounds[i + 1]!) / 2);
      ys.push(moment / mass);
    }
  }
  // Least squares, then again without the cells more than a quarter cap height off (a stray mark).
  let a = 0;
  let b = centre;
  let keep = xs.map((_, k) => k);
  for (let iter = 0; iter < 2 && keep.length >= 4; iter++) {
    const n = keep.length;
    let sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const k of keep) {
      sx += xs[k]!;
      sy += ys[k]!;
      sxx += xs[k]! * xs[k]!;
      sxy += xs[k]! * ys[k]!;
    }
    const det = n * sxx - sx * sx;
    if (det === 0) break;
    a = (n * sxy - sx * sy) / det;
    b = (sy - a * sx) / n;
    keep = keep.filter((k) => Math.abs(ys[k]! - (a * xs[k]! + b)) <= cap * 0.25);
  }
  // A lean steeper than 1 in 20 is not this line's; keep the band's centre then.
  if (Math.abs(a) > 0.05) return bounds.slice(0, columns).map(() => centre);
  return bounds.slice(0, columns).map((_, i) => a * ((bounds[i]! + bounds[i + 1]!) / 2) + b);
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
 * `straight`: the line is known to be printed straight at an even pitch (the OCR-B template renders,
 * whose alphabet in order would tilt a line fitted to its glyphs' own ink): a uniform, level grid.
 * `spare`: each line gets `columns + 2·spare` cells, `spare` beyond each end of the grid (`left` stays the grid's).
 */
export function mrzCells(
  crop: GrayImage,
  lines: number,
  columns: number,
  lineHeight: number,
  capPerPitch?: number,
  options: { readonly straight?: boolean; readonly spare?: number } = {},
): CellLine[] | null {
  return mrzCellsByCap(crop, lines, columns, lineHeight, [capPerPitch], options)?.[0] ?? null;
}

/**
 * `mrzCells` at several cap heights per pitch at once (one list of lines per entry of `capsPerPitch`): the
 * lines and their grids are found once, only the cells are cut again. A print's cap height per pitch is not
 * the font's everywhere (a print's size and letter spacing vary); the caller chooses by how the cells match.
 */
export function mrzCellsByCap(
  crop: GrayImage,
  lines: number,
  columns: number,
  lineHeight: number,
  capsPerPitch: readonly (number | undefined)[],
  options: { readonly straight?: boolean; readonly spare?: number } = {},
): CellLine[][] | null {
  const { width: w, height: h } = crop;
  const dark = darkness(crop);
  dropNonText(dark, w, h, lineHeight * 1.8);
  const bands = lineBands(dark, w, h, lines, options.straight !== true);
  if (bands === null) return null;
  // Filler-heavy lines ("<" sits mid-height) look shorter: the tallest band gives the cap height.
  const capHeight = Math.max(...bands.map((b) => b.bottom - b.top));
  const paperImg = paperOf(dark, w, h);
  const out: CellLine[][] = capsPerPitch.map(() => []);
  for (const band of bands) {
    const y0 = Math.round(band.centre - capHeight * 0.6);
    const y1 = Math.round(band.centre + capHeight * 0.6);
    const cols = columnProfile(dark, w, y0, y1);
    const extent = inkExtent(cols, capHeight);
    if (extent === null) return null;
    const grid = fitGrid(cols, extent[0], extent[1], columns);
    // No rhythm to fit (a smeared or foreign line): a pitch far from the ink's extent over the columns is not a grid.
    const expected = (extent[1] - extent[0]) / columns;
    if (!Number.isFinite(grid.pitch) || !Number.isFinite(grid.left) || grid.pitch < expected * 0.6 || grid.pitch > expected * 1.6) return null;
    const at = options.straight === true ? (i: number): number => grid.left + i * grid.pitch : cellBounds(smooth(cols, 1), grid.left, grid.pitch, columns);
    // With `spare`, more cells on each side: the reader then decides by the glyphs where the line starts.
    const spare = options.spare ?? 0;
    const bounds = Array.from({ length: columns + 1 + 2 * spare }, (_, i) => at(i - spare));
    const pitch = (at(columns) - at(0)) / columns;
    capsPerPitch.forEach((capPerPitch, k) => {
      const cap = capPerPitch === undefined ? capHeight : pitch * capPerPitch;
      const centres = options.straight === true ? bounds.slice(1).map(() => band.centre) : cellCentres(dark, w, h, band.centre, cap, bounds);
      const cells: Float32Array[] = [];
      for (let i = 0; i + 1 < bounds.length; i++) cells.push(cellRaster(paperImg, cols, bounds[i]!, bounds[i + 1]! - bounds[i]!, centres[i]!, cap));
      out[k]!.push({ centre: band.centre, capHeight: cap, left: at(0), pitch, cells, extent });
    });
  }
  return out;
}
