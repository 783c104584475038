/**
 * The second, independent MRZ recogniser: every MRZ is printed in OCR-B at a fixed pitch, so each cell
 * cut by mrz-cells.ts is compared with the 37 OCR-B glyph templates (ocrb-templates.ts) by normalised
 * cross-correlation, allowing a small shift. It shares nothing with Tesseract but the located zone, so
 * when both read a field the same, two different mistakes would have to coincide.
 *
 * Pure: no `node:`, no DOM.
 */
import type { GrayImage } from './gray-image';
import { CELL_H, CELL_W, mrzCellsByCap, type CellLine } from './mrz-cells';
import type { MrzFormat } from './mrz-format';
import { decideLines, type Decision } from './mrz-decide';
import { readMrzLines, type MrzReading } from './mrz-read';
import { OCRB_CAP_PER_PITCH, OCRB_TEMPLATE_SIZE, OCRB_TEMPLATES } from './ocrb-templates';

export interface CellGuess {
  /** The best-matching character. */
  readonly char: string;
  /** Its correlation, in [-1, 1]; a clear print of the right glyph scores about 0.9. */
  readonly score: number;
  /** Every character by falling score (the first is `char`). */
  readonly ranked: readonly (readonly [string, number])[];
}

export interface TemplateReading {
  readonly format: MrzFormat;
  readonly lines: readonly string[];
  readonly cells: readonly (readonly CellGuess[])[];
  /** Mean best score over all cells: how well the grid fits the print. */
  readonly meanScore: number;
  /** Where each line's cells are in the crop (see mrz-cells.ts). */
  readonly grid: readonly { readonly left: number; readonly pitch: number; readonly centre: number; readonly capHeight: number }[];
  /** The lines after the check digits chose among the candidates (mrz-decide.ts), and that reading parsed. */
  readonly decision: Decision;
  readonly reading: MrzReading | null;
}

/** How many check-digit-protected fields pass (all of them: +10): what decides between two readings. */
export function checkedScore(r: MrzReading | null): number {
  if (r === null) return -1;
  let n = 0;
  for (const f of Object.values(r.fields)) if (f !== undefined && f.checkDigit && f.valid) n++;
  return n + (r.valid ? 10 : 0);
}

const COLUMNS: Record<MrzFormat, number> = { TD1: 30, TD2: 36, TD3: 44 };
const SHIFT = 2;

interface Template {
  readonly char: string;
  /** Zero-mean, unit-norm raster. */
  readonly z: Float32Array;
}

/**
 * Blur levels of the template banks (Gaussian σ in cell pixels). A photo's blur spreads every stroke;
 * a crisp template then matches a blurred H about as well as an M. Each line is matched against the bank
 * whose blur fits its print best (`bankFit`).
 */
export const BANK_SIGMAS = [0, 1.2, 2, 3] as const;

const banks = new Map<number, readonly Template[]>();

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function normalise(v: Float32Array): Float32Array {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let norm = 0;
  const z = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    z[i] = (v[i] ?? 0) - mean;
    norm += (z[i] ?? 0) ** 2;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < z.length; i++) z[i] = (z[i] ?? 0) / norm;
  return z;
}

/** Separable Gaussian blur of a cell raster; outside the cell is paper (0). */
function blurCell(v: Float32Array, sigma: number): Float32Array {
  if (sigma <= 0) return v;
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const kn = k.map((x) => x / sum);
  const tmp = new Float32Array(v.length);
  const out = new Float32Array(v.length);
  for (let y = 0; y < CELL_H; y++) {
    for (let x = 0; x < CELL_W; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) if (x + i >= 0 && x + i < CELL_W) acc += kn[i + r]! * v[y * CELL_W + x + i]!;
      tmp[y * CELL_W + x] = acc;
    }
  }
  for (let y = 0; y < CELL_H; y++) {
    for (let x = 0; x < CELL_W; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) if (y + i >= 0 && y + i < CELL_H) acc += kn[i + r]! * tmp[(y + i) * CELL_W + x]!;
      out[y * CELL_W + x] = acc;
    }
  }
  return out;
}

function templates(sigma = 0): readonly Template[] {
  const known = banks.get(sigma);
  if (known !== undefined) return known;
  if (OCRB_TEMPLATE_SIZE.width !== CELL_W || OCRB_TEMPLATE_SIZE.height !== CELL_H) throw new Error('OCR-B templates are stale: regenerate them');
  const bank = OCRB_TEMPLATES.map(([char, b64]) => ({ char, z: normalise(blurCell(Float32Array.from(base64ToBytes(b64), (b) => b / 255), sigma)) }));
  banks.set(sigma, bank);
  return bank;
}

/**
 * The cell moved by (dx, dy) into `out` (paper where it comes from outside), made zero-mean and unit-norm
 * so that its dot product with a template is their normalised cross-correlation. No allocation: the
 * matcher does this 25 times for each of ~100 cells.
 */
function shiftInto(out: Float32Array, cell: Float32Array, dx: number, dy: number): void {
  out.fill(0);
  for (let y = 0; y < CELL_H; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= CELL_H) continue;
    const x0 = Math.max(0, -dx);
    const x1 = Math.min(CELL_W, CELL_W - dx);
    for (let x = x0; x < x1; x++) out[y * CELL_W + x] = cell[sy * CELL_W + x + dx]!;
  }
  let mean = 0;
  for (let i = 0; i < out.length; i++) mean += out[i]!;
  mean /= out.length;
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]! - mean;
    out[i] = v;
    norm += v * v;
  }
  const k = 1 / (Math.sqrt(norm) || 1);
  for (let i = 0; i < out.length; i++) out[i]! *= k;
}

/** Normalised cross-correlation of a prepared (zero-mean, unit-norm) cell with a template. */
function dot(z: Float32Array, c: Float32Array): number {
  // Four running sums (520 = 4 × 130): the hot loop of the matcher, plain indexed reads.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < z.length; i += 4) {
    s0 += z[i]! * c[i]!;
    s1 += z[i + 1]! * c[i + 1]!;
    s2 += z[i + 2]! * c[i + 2]!;
    s3 += z[i + 3]! * c[i + 3]!;
  }
  return s0 + s1 + (s2 + s3);
}

const scratch = new Float32Array(CELL_W * CELL_H);
/** The first pass looks at every glyph within one pixel of the cell's place; only the likeliest ones go further. */
const NEAR = 1;
const FINALISTS = 8;

/**
 * Every glyph's best correlation with the cell over shifts of up to ±SHIFT pixels: first every glyph
 * within ±NEAR (9 shifts), then the FINALISTS best of those over the remaining shifts (an OCR-B cell is
 * centred on its own ink, so the right glyph is never far; the others keep their first-pass score).
 */
export function matchCell(cell: Float32Array, sigma = 0): CellGuess {
  const ts = templates(sigma);
  if ((CELL_W * CELL_H) % 4 !== 0) throw new Error('cell size must be a multiple of 4');
  const best = new Float32Array(ts.length).fill(-1);
  for (let dy = -NEAR; dy <= NEAR; dy++) {
    for (let dx = -NEAR; dx <= NEAR; dx++) {
      shiftInto(scratch, cell, dx, dy);
      for (let t = 0; t < ts.length; t++) {
        const s = dot(ts[t]!.z, scratch);
        if (s > best[t]!) best[t] = s;
      }
    }
  }
  const finalists = [...best.keys()].sort((a, b) => best[b]! - best[a]!).slice(0, FINALISTS);
  for (let dy = -SHIFT; dy <= SHIFT; dy++) {
    for (let dx = -SHIFT; dx <= SHIFT; dx++) {
      if (Math.abs(dx) <= NEAR && Math.abs(dy) <= NEAR) continue;
      shiftInto(scratch, cell, dx, dy);
      for (const t of finalists) {
        const s = dot(ts[t]!.z, scratch);
        if (s > best[t]!) best[t] = s;
      }
    }
  }
  const ranked = ts.map((t, i): readonly [string, number] => [t.char, best[i] ?? -1]).sort((a, b) => b[1] - a[1]);
  const [char, score] = ranked[0] ?? ['<', -1];
  return { char, score, ranked };
}

/**
 * The blur level whose bank matches a sample of the zone's cells best, and that mean best score: how
 * well a grid's cells look like OCR-B glyphs at all.
 */
export function bankFit(cells: readonly Float32Array[], sigmas: readonly number[] = BANK_SIGMAS): { readonly sigma: number; readonly score: number } {
  const step = Math.max(1, Math.floor(cells.length / 12));
  let best: number = sigmas[0] ?? 0;
  let bestScore = -Infinity;
  for (const sigma of sigmas) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < cells.length; i += step) {
      sum += matchCell(cells[i]!, sigma).score;
      n++;
    }
    if (sum / n > bestScore) [best, bestScore] = [sigma, sum / n];
  }
  return { sigma: best, score: bestScore };
}

/**
 * Cells cut beyond each end of a line's grid. The grid's start is where `columns` cells hold the most ink,
 * and shading at a page's edge or a finger beside a line's end can hold as much as two characters.
 */
const SPARE = 3;

/**
 * Of each line's `columns + 2·SPARE` matched cells, the `columns` consecutive ones whose
 * glyphs match best: where a line starts is decided by the print itself, not by a shadow or a speck beside
 * it that the grid took for ink. The lines are chosen together: every MRZ line starts at the same margin
 * (ICAO 9303), so windows whose first cells lie more than half a pitch apart are not taken together (a
 * finger or a glare at one end of a line could otherwise pull that line's window one cell along).
 * `firstX(line, start)`: where that window's first cell is in the crop.
 */
function bestWindows(lines: readonly (readonly CellGuess[])[], columns: number, firstX: (line: number, start: number) => number, pitch: number): number[] {
  const sums = lines.map((cells) => {
    const out: number[] = [];
    for (let start = 0; start + columns <= cells.length; start++) {
      let sum = 0;
      for (let i = start; i < start + columns; i++) sum += cells[i]!.score;
      out.push(sum);
    }
    return out;
  });
  const alone = sums.map((line) => line.indexOf(Math.max(...line)));
  let best: number[] | null = null;
  let bestSum = -Infinity;
  const pick: number[] = [];
  const walk = (li: number, sum: number): void => {
    if (li === sums.length) {
      const xs = pick.map((st, l) => firstX(l, st));
      if (Math.max(...xs) - Math.min(...xs) <= pitch / 2 && sum > bestSum) [best, bestSum] = [[...pick], sum];
      return;
    }
    sums[li]!.forEach((v, st) => {
      pick[li] = st;
      walk(li + 1, sum + v);
    });
  };
  walk(0, 0);
  return best ?? alone;
}

/**
 * Cap heights per pitch tried, as shares of the font's (OCRB_CAP_PER_PITCH): a print's cap height per pitch is
 * not the font's everywhere (print size and letter spacing vary between documents and printers), and a cell cut
 * at the wrong height shows the glyph squat or tall: a squat OCR-B "0" matches the "O" template better than its
 * own, and a squat "O" the "D" (svg-778-0005: 7 such cells at the font's own height, none at 0.9 of it). Each
 * line set is cut at every height and the one whose cells match the templates best (`bankFit`) is read.
 */
const CAP_SCALES = [1, 0.85, 0.9, 0.95, 1.05, 1.1] as const;
/** How much better (`bankFit` score) another cap height must fit than the font's own to be taken. */
const CAP_MARGIN = 0.01;
/**
 * A `bankFit` score at the font's own height from which no other is tried (a clear print scores about 0.96, and
 * svg-778-0005's squat one 0.91): the other heights cost as much matching again as the reading itself.
 */
const CAP_FITS = 0.95;

/**
 * How much better a TD2 grid's cells must match than a TD3 grid's for two lines to be read as a TD2. A
 * wrong grid cuts through the characters and loses far more (0.97 against 0.69 on a clear TD2).
 */
const TD2_MARGIN = 0.06;

/**
 * Reads an upright MRZ crop with `lines` text lines by template matching. Two lines are a TD3 (44
 * columns) or a TD2 (36): both grids are cut, and the TD2 one wins when its cells look clearly more like
 * OCR-B glyphs (a 44-cell grid laid over 36 characters cuts through them, even when a margin stretched it
 * so that no cell is empty). The zone is matched against the template bank whose blur fits it.
 * `capScales`: the cap heights tried (CAP_SCALES; a test may pin one).
 */
export function readByTemplates(crop: GrayImage, lines: number, lineHeight: number, capScales: readonly number[] = CAP_SCALES): TemplateReading | null {
  if (lines !== 2 && lines !== 3) return null;
  const cut = (format: MrzFormat): { format: MrzFormat; cellLines: CellLine[]; fit: ReturnType<typeof bankFit> } | null => {
    const cutAt = (scales: readonly number[]): CellLine[][] =>
      mrzCellsByCap(crop, lines, COLUMNS[format], lineHeight, scales.map((s) => OCRB_CAP_PER_PITCH * s), { spare: SPARE }) ?? [];
    const [ownScale, ...otherScales] = capScales;
    const own = ownScale === undefined ? undefined : cutAt([ownScale])[0];
    if (own === undefined) return null;
    const inner = (lines: readonly CellLine[]): Float32Array[] => lines.flatMap((l) => l.cells.slice(SPARE, -SPARE));
    let best = { format, cellLines: own, fit: bankFit(inner(own)) };
    // The other heights at the blur level the font's own chose (a quarter of the cost), and the font's own height
    // kept unless another fits clearly better: a dozen sampled cells' scores differ by about half a hundredth
    // between neighbouring heights by chance.
    let bar = best.fit.score + CAP_MARGIN;
    // Cells that already match as a clear print does are cut at the print's height: the others are not even cut
    // (cutting them all up front cost a mild photo ~100 ms at 3000 px).
    for (const cellLines of best.fit.score >= CAP_FITS || otherScales.length === 0 ? [] : cutAt(otherScales)) {
      const fit = bankFit(inner(cellLines), [best.fit.sigma]);
      if (fit.score > bar) [best, bar] = [{ format, cellLines, fit }, fit.score];
    }
    if (best.cellLines !== own) best = { ...best, fit: bankFit(inner(best.cellLines)) };
    return best;
  };
  let chosen = cut(lines === 3 ? 'TD1' : 'TD3');
  // A TD3 grid whose cells already match well is kept without cutting a TD2 one (it could not win by the margin).
  if (lines === 2 && (chosen === null || chosen.fit.score < 1 - TD2_MARGIN)) {
    const td2 = cut('TD2');
    // Nor when the lines' ink runs on well past 36 of its pitches (a TD3 whose last characters are cut off matches a
    // 36-cell grid about as well as its 44; a TD2's ink spans about 38.7 with the stray ink at its ends).
    const span = td2 === null ? 0 : td2.cellLines.reduce((sum, l) => sum + (l.extent[1] - l.extent[0]) / l.pitch, 0) / td2.cellLines.length;
    const longer = span > COLUMNS.TD2 + 3.5;
    if (td2 !== null && !longer && (chosen === null || td2.fit.score > chosen.fit.score + TD2_MARGIN)) chosen = td2;
  }
  if (chosen === null) return null;
  const { format, cellLines } = chosen;
  const columns = COLUMNS[format];
  const sigma = chosen.fit.sigma;
  const matched = cellLines.map((l) => l.cells.map((c) => matchCell(c, sigma)));
  const meanPitch = cellLines.reduce((sum, l) => sum + l.pitch, 0) / cellLines.length;
  const starts = bestWindows(matched, columns, (li, start) => cellLines[li]!.left + (start - SPARE) * cellLines[li]!.pitch, meanPitch);
  const cells = matched.map((m, li) => m.slice(starts[li], starts[li]! + columns));
  const all = cells.flat();
  const meanScore = all.reduce((sum, c) => sum + c.score, 0) / Math.max(1, all.length);
  const grid = cellLines.map(({ left, pitch, centre, capHeight }, li) => ({ left: left + (starts[li]! - SPARE) * pitch, pitch, centre, capHeight }));
  const decision = decideLines(format, cells);
  const reading = readMrzLines(decision.lines, decision.corrections);
  return { format, lines: cells.map((l) => l.map((c) => c.char).join('')), cells, meanScore, grid, decision, reading };
}
