/**
 * OCR text → a parsed MRZ with, per field, whether a check digit vouches for it and which characters
 * the parser changed. Parsing and check digits are the `mrz` package's; this layer picks the MRZ lines
 * out of OCR output, fixes their length, and reports field by field. Pure: no `node:`, no DOM.
 */
import { parse, type Details, type FieldName, type ParseResult } from 'mrz';
import type { MrzFormat } from './mrz-format';
import { repairDocumentNumber, type Repair } from './mrz-repair';

const LINE_LENGTH: Record<MrzFormat, number> = { TD1: 30, TD2: 36, TD3: 44 };
const LINE_COUNT: Record<MrzFormat, number> = { TD1: 3, TD2: 2, TD3: 2 };

export interface Correction {
  readonly line: number;
  readonly column: number;
  /** What the OCR read, e.g. "O". */
  readonly from: string;
  /** What the parser made of it, e.g. "0". */
  readonly to: string;
}

export interface MrzField {
  readonly value: string | null;
  /** False when the field's own format or its check digit is wrong. */
  readonly valid: boolean;
  /** True when a check digit covers this field (names, sex and nationality have none). */
  readonly checkDigit: boolean;
  readonly corrections: readonly Correction[];
  /**
   * True when a second, independent recogniser read this field the same way (the OCR-B template
   * matcher and Tesseract; two passes of the same engine do not count). Set by mrz-ocr.ts; a bare
   * parse says false. Only such values may be filled without asking (mrz-to-passport.ts).
   */
  readonly secondReader: boolean;
  readonly error?: string;
}

export interface MrzReading {
  readonly format: MrzFormat;
  /** The lines as parsed (after length fixing and before the parser's own corrections). */
  readonly lines: readonly string[];
  /** Every field valid and every check digit (composite included) right. */
  readonly valid: boolean;
  readonly fields: Partial<Record<FieldName, MrzField>>;
  /** The full document number (TD1 numbers longer than 9 characters continue in the optional field). */
  readonly documentNumber: string | null;
}

/** The fields whose value a check digit protects (ICAO 9303-3 §4.9), per the check-digit field. */
const CHECKED_BY: Partial<Record<FieldName, FieldName>> = {
  documentNumber: 'documentNumberCheckDigit',
  birthDate: 'birthDateCheckDigit',
  expirationDate: 'expirationDateCheckDigit',
  personalNumber: 'personalNumberCheckDigit',
};

/** OCR output → candidate MRZ lines: only the MRZ alphabet, spaces dropped, short lines ignored. */
export function mrzLinesFromText(text: string): string[] {
  return text
    .toUpperCase()
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, '').replace(/[«‹]/g, '<').replace(/[^A-Z0-9<]/g, ''))
    .filter((l) => l.length >= 20);
}

/** Pads with fillers or trims trailing fillers/characters to the format's exact length. */
function fitLength(line: string, length: number): string {
  if (line.length < length) return line + '<'.repeat(length - line.length);
  if (line.length === length) return line;
  // Extra characters are most often spurious fillers at the end; cut from the end.
  return line.slice(0, length);
}

/** Which format the line lengths suggest, and the lines to use (the last N of the right length). */

export function chooseFormat(lines: readonly string[]): { format: MrzFormat; lines: string[] } | null {
  const near = (l: string, n: number): boolean => Math.abs(l.length - n) <= 3;
  for (const format of ['TD3', 'TD1', 'TD2'] as const) {
    const n = LINE_COUNT[format];
    const len = LINE_LENGTH[format];
    const candidates = lines.filter((l) => near(l, len));
    if (candidates.length >= n) return { format, lines: candidates.slice(-n).map((l) => fitLength(l, len)) };
  }
  return null;
}

function fieldOf(details: readonly Details[], result: ParseResult, extra: readonly Correction[]): Partial<Record<FieldName, MrzField>> {
  const byField = new Map<FieldName, Details>();
  for (const d of details) if (d.field !== null) byField.set(d.field, d);
  const within = (d: Details | undefined): Correction[] =>
    d === undefined ? [] : extra.filter((c) => d.ranges.some((r) => r.line === c.line && c.column >= r.start && c.column < r.end));
  const out: Partial<Record<FieldName, MrzField>> = {};
  for (const [name, d] of byField) {
    const checkField = CHECKED_BY[name];
    const check = checkField === undefined ? undefined : byField.get(checkField);
    // A value is only as good as its check digit; the check digit's own corrections count too.
    const valid = d.valid && (check === undefined || check.valid);
    const corrections = [
      ...[...d.autocorrect, ...(check?.autocorrect ?? [])].map((c) => ({ line: c.line, column: c.column, from: c.original, to: c.corrected })),
      ...within(d),
      ...within(check),
    ];
    const error = d.error ?? check?.error;
    out[name] = {
      value: result.fields[name] ?? null,
      valid,
      checkDigit: check !== undefined,
      corrections,
      secondReader: false,
      ...(error === undefined ? {} : { error }),
    };
  }
  return out;
}

/**
 * Parses MRZ lines (already split); null when they are not a TD1/TD2/TD3 MRZ at all. `corrections`:
 * characters a reader already changed from what it saw (mrz-decide.ts), reported with the fields they are in.
 */
export function readMrzLines(lines: readonly string[], corrections: readonly Correction[] = []): MrzReading | null {
  const chosen = chooseFormat(lines);
  if (chosen === null) return null;
  let result: ParseResult;
  let repair: Repair | null;
  try {
    repair = repairDocumentNumber(chosen.format, chosen.lines);
    result = parse(repair === null ? chosen.lines : [...repair.lines], { autocorrect: true });
  } catch {
    return null;
  }
  if (result.format !== chosen.format) return null;
  const fields = fieldOf(result.details, result, corrections);
  const doc = fields.documentNumber;
  if (repair !== null && doc !== undefined) {
    // The repaired character is a correction like the parser's own: shown, and to be confirmed.
    fields.documentNumber = { ...doc, corrections: [...doc.corrections, { line: repair.line, column: repair.column, from: repair.from, to: repair.to }] };
  }
  return {
    format: chosen.format,
    lines: chosen.lines,
    valid: result.valid,
    fields,
    documentNumber: result.documentNumber,
  };
}

export function readMrzText(text: string): MrzReading | null {
  return readMrzLines(mrzLinesFromText(text));
}
