/**
 * Check-digit-guided repair of the document number, the one alphanumeric field a check digit covers.
 * The `mrz` parser only fixes letters in digit-only fields (and the reverse); in the document number
 * both are legal, so a W read as N, or 5 read as S, stays wrong and its check digit fails.
 *
 * Here each character the OCR commonly confuses is swapped, ONE at a time, for its look-alikes. A swap
 * is kept only if it makes the whole MRZ valid and no other swap does: if two candidates pass, nothing
 * is repaired. Beware: this is weaker than it looks. The composite check digit weighs the document
 * number exactly as the number's own check digit does (both start at its first character), so for a
 * swap inside the number they pass or fail together: ONE test, which a wrong candidate passes one time
 * in ten. Hence the uniqueness rule, the agreement between OCR passes (mrz-ocr.ts), and the repaired
 * character is always reported as a correction for the person to confirm. bench/scan.ts measures
 * what gets through.
 */
import { parse } from 'mrz';
import { DOCUMENT_NUMBER_AT, type MrzFormat } from './mrz-format';

/** Look-alikes in OCR-B as Tesseract's legacy English model confuses them (measured on our fixtures). */
export const CONFUSABLE: Readonly<Record<string, string>> = {
  N: 'W',
  W: 'N',
  S: '5',
  '5': 'S',
  Z: '2',
  '2': 'Z',
  O: '0Q',
  Q: 'O0',
  '0': 'OQ',
  D: '0',
  I: '1',
  '1': 'I',
  B: '8',
  '8': 'B',
  G: '6',
  '6': 'G',
  H: 'M',
  M: 'H',
  // OCR-B's open 4 read as A, a check digit too (tune-4-0008: a TD2's number check digit in all three zone passes).
  A: '4',
  '4': 'A',
};

export interface Repair {
  readonly lines: readonly string[];
  readonly line: number;
  readonly column: number;
  readonly from: string;
  readonly to: string;
}

function validates(lines: readonly string[]): boolean {
  try {
    return parse([...lines], { autocorrect: true }).valid;
  } catch {
    return false;
  }
}

export function repairDocumentNumber(format: MrzFormat, lines: readonly string[]): Repair | null {
  if (validates(lines)) return null;
  // The number itself, without the check digit that follows it.
  const [li, start, withCheck] = DOCUMENT_NUMBER_AT[format];
  const end = withCheck - 1;
  const line = lines[li];
  if (line === undefined) return null;
  const found: Repair[] = [];
  for (let col = start; col < end; col++) {
    const from = line[col] ?? '';
    for (const to of CONFUSABLE[from] ?? '') {
      const candidate = [...lines];
      candidate[li] = line.slice(0, col) + to + line.slice(col + 1);
      if (validates(candidate)) found.push({ lines: candidate, line: li, column: col, from, to });
      if (found.length > 1) return null;
    }
  }
  return found[0] ?? null;
}
