/**
 * The second, independent MRZ recogniser: every MRZ is printed in OCR-B at a fixed pitch, so each cell
 * cut by mrz-cells.ts is compared with the 37 OCR-B glyph templates (ocrb-templates.ts) by normalised
 * cross-correlation, allowing a small shift. It shares nothing with Tesseract but the located zone, so
 * when both read a field the same, two different mistakes would have to coincide.
 *
 * Pure: no `node:`, no DOM.
 */
import type { GrayImage } from './gray-image';
import { CELL_H, CELL_W, mrzCells } from './mrz-cells';
import type { MrzFormat } from './mrz-format';
import { readMrzLines } from './mrz-read';
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
}

const COLUMNS: Record<MrzFormat, number> = { TD1: 30, TD2: 36, TD3: 44 };
const SHIFT = 2;

interface Template {
  readonly char: string;
  /** Zero-mean, unit-norm raster. */
  readonly z: Float32Array;
}

let prepared: readonly Template[] | null = null;

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

function templates(): readonly Template[] {
  if (prepared !== null) return prepared;
  if (OCRB_TEMPLATE_SIZE.width !== CELL_W || OCRB_TEMPLATE_SIZE.height !== CELL_H) throw new Error('OCR-B templates are stale: regenerate them');
  prepared = OCRB_TEMPLATES.map(([char, b64]) => ({ char, z: normalise(Float32Array.from(base64ToBytes(b64), (b) => b / 255)) }));
  return prepared;
}

/** The cell moved by (dx, dy), paper where it comes from outside, normalised. */
function shifted(cell: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(CELL_W * CELL_H);
  for (let y = 0; y < CELL_H; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= CELL_H) continue;
    for (let x = 0; x < CELL_W; x++) {
      const sx = x + dx;
      if (sx >= 0 && sx < CELL_W) out[y * CELL_W + x] = cell[sy * CELL_W + sx] ?? 0;
    }
  }
  return normalise(out);
}

export function matchCell(cell: Float32Array): CellGuess {
  const ts = templates();
  const best = new Float32Array(ts.length).fill(-1);
  const n = CELL_W * CELL_H;
  if (n % 4 !== 0) throw new Error('cell size must be a multiple of 4');
  for (let dy = -SHIFT; dy <= SHIFT; dy++) {
    for (let dx = -SHIFT; dx <= SHIFT; dx++) {
      const c = shifted(cell, dx, dy);
      // The hot loop of the matcher (25 shifts × 37 glyphs × 520 pixels a cell): plain indexed reads.
      for (let t = 0; t < ts.length; t++) {
        const z = ts[t]!.z;
        // Four running sums (n = 520 is a multiple of 4): the products are exact in doubles, and the
        // sums differ from one running sum by far less than the float32 the scores are kept in.
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = 0; i < n; i += 4) {
          s0 += z[i]! * c[i]!;
          s1 += z[i + 1]! * c[i + 1]!;
          s2 += z[i + 2]! * c[i + 2]!;
          s3 += z[i + 3]! * c[i + 3]!;
        }
        const s = s0 + s1 + (s2 + s3);
        if (s > best[t]!) best[t] = s;
      }
    }
  }
  const ranked = ts.map((t, i): readonly [string, number] => [t.char, best[i] ?? -1]).sort((a, b) => b[1] - a[1]);
  const [char, score] = ranked[0] ?? ['<', -1];
  return { char, score, ranked };
}

/**
 * Reads an upright MRZ crop with `lines` text lines by template matching. With two lines both TD3
 * (44 columns) and TD2 (36) are tried and the grid that fits the print better wins — unless the TD3
 * reading already passes every check digit: a 36-column document cannot, so TD2 is not tried (it
 * would double the matcher's time, the longest step of a scan).
 */
export function readByTemplates(crop: GrayImage, lines: number, lineHeight: number): TemplateReading | null {
  const formats: MrzFormat[] = lines === 3 ? ['TD1'] : lines === 2 ? ['TD3', 'TD2'] : [];
  let best: TemplateReading | null = null;
  for (const format of formats) {
    const cellLines = mrzCells(crop, lines, COLUMNS[format], lineHeight, OCRB_CAP_PER_PITCH);
    if (cellLines === null) continue;
    const cells = cellLines.map((l) => l.cells.map(matchCell));
    const all = cells.flat();
    const meanScore = all.reduce((s, c) => s + c.score, 0) / Math.max(1, all.length);
    const grid = cellLines.map(({ left, pitch, centre, capHeight }) => ({ left, pitch, centre, capHeight }));
    const reading = { format, lines: cells.map((l) => l.map((c) => c.char).join('')), cells, meanScore, grid };
    if (best === null || reading.meanScore > best.meanScore) best = reading;
    if (format === 'TD3' && readMrzLines(reading.lines)?.valid === true) break;
  }
  return best;
}
