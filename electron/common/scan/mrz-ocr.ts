/**
 * The MRZ pipeline around an OCR engine: locate the zone, cut it out upright at a size Tesseract reads
 * well, OCR it, parse it. The engine is injected (tesseract.js in a browser worker, or in Node for tests
 * and the bench), so this file stays pure and both run the same steps.
 */
import { downscale, encodePgm, type GrayImage } from './gray-image';
import { extractRegion, locateMrz, type MrzRegion } from './mrz-locate';
import { readMrzText, type MrzReading } from './mrz-read';

export interface OcrEngine {
  /** OCR of a binary PGM image with MRZ_TESSERACT_PARAMETERS applied; returns plain text. */
  recognize(pgm: Uint8Array): Promise<string>;
}

/**
 * Tesseract settings for the MRZ: the legacy engine (OEM 0) reads OCR-B's "<" fillers far better than
 * the LSTM one; only the MRZ alphabet; the crop is one uniform block of text (PSM 6).
 */
export const MRZ_TESSERACT_OEM = 0;
export const MRZ_TESSERACT_PARAMETERS: Readonly<Record<string, string>> = {
  tessedit_char_whitelist: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<',
  tessedit_pageseg_mode: '6',
};
/** Settings Tesseract takes only when it starts: no dictionaries (MRZ text is not words). */
export const MRZ_TESSERACT_INIT_CONFIG: Readonly<Record<string, string>> = {
  load_system_dawg: '0',
  load_freq_dawg: '0',
};

export interface MrzScan {
  readonly region: MrzRegion | null;
  readonly reading: MrzReading | null;
  /** Raw OCR text of the attempt that was kept (for the screen's "what was read"). */
  readonly text: string;
  readonly attempts: number;
  readonly ms: { readonly locate: number; readonly ocr: number };
}

/** How many check-digit-protected fields pass: the measure that decides between two attempts. */
function checkedScore(r: MrzReading | null): number {
  if (r === null) return -1;
  let n = 0;
  for (const f of Object.values(r.fields)) if (f !== undefined && f.checkDigit && f.valid) n++;
  return n + (r.valid ? 10 : 0);
}

/**
 * Line heights of the OCR passes. Each pass sees the zone at another scale, so random misreads differ
 * between passes while the truth repeats.
 */
const LINE_HEIGHTS = [34, 26, 44] as const;

/**
 * A check digit cannot catch every misread: the document number's check digit and the composite one
 * weigh its characters the same way (both start at its first character), so an error that slips past
 * one slips past both, about one random misread in ten. What is filled must therefore also be read
 * the same in two passes; a field valid in only one pass is marked invalid here.
 */
export function agreeAcrossPasses(best: MrzReading, others: readonly MrzReading[]): MrzReading {
  const fields = { ...best.fields };
  let valid = best.valid;
  for (const [name, f] of Object.entries(best.fields) as [keyof MrzReading['fields'], NonNullable<MrzReading['fields'][keyof MrzReading['fields']]>][]) {
    if (!f.valid) continue;
    const seconded = others.some((o) => {
      const g = o.fields[name];
      return g !== undefined && g.valid && g.value === f.value;
    });
    if (!seconded) {
      fields[name] = { ...f, valid: false, error: 'read differently in another pass' };
      valid = false;
    }
  }
  const docSeconded = others.some((o) => o.documentNumber !== null && o.documentNumber === best.documentNumber);
  return { ...best, fields, valid, documentNumber: docSeconded ? best.documentNumber : null };
}

export async function scanMrz(img: GrayImage, engine: OcrEngine, now: () => number = () => performance.now()): Promise<MrzScan> {
  const t0 = now();
  const region = locateMrz(img);
  const t1 = now();
  const passes: { reading: MrzReading | null; text: string }[] = [];
  if (region === null) {
    // No zone found: let Tesseract look at the whole (reduced) picture, at two sizes.
    for (const size of [1600, 1200]) {
      const text = await engine.recognize(encodePgm(downscale(img, Math.ceil(Math.max(img.width, img.height) / size))));
      passes.push({ reading: readMrzText(text), text });
    }
  } else {
    for (const lh of LINE_HEIGHTS) {
      const text = await engine.recognize(encodePgm(extractRegion(img, region, lh)));
      passes.push({ reading: readMrzText(text), text });
    }
  }
  let best = passes[0] ?? { reading: null, text: '' };
  for (const p of passes) if (checkedScore(p.reading) > checkedScore(best.reading)) best = p;
  const others = passes.filter((p) => p !== best && p.reading !== null).map((p) => p.reading as MrzReading);
  const reading = best.reading === null ? null : agreeAcrossPasses(best.reading, others);
  return { region, reading, text: best.text, attempts: passes.length, ms: { locate: t1 - t0, ocr: now() - t1 } };
}
