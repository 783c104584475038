/**
 * A reading as `passport-vault scan` reports it (issue 18): the MRZ lines as finally read, the fields
 * as printed, which of them the person must confirm, and what the app would fill (Telegram Passport
 * JSON, from mrz-to-passport.ts: the one place that decides what is filled and what is asked).
 *
 * A field is left out of `confirm` only when the app would fill it without asking; every other value
 * shown in `fields` (corrected, read by one reader only, failing its check digit, or not filled at
 * all) is listed, so that a wrong value can never look vouched for.
 */
import type { MrzFormat } from './mrz-format';
import type { MrzReading } from './mrz-read';
import { toPassportValues, type ScannedFieldName, type ScannedPassportValues } from './mrz-to-passport';

export const REPORT_FIELDS = ['document_number', 'surname', 'given_names', 'nationality', 'birth_date', 'sex', 'expiry_date', 'issuing_country'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

export type ReportStatus = 'ok' | 'confirm' | 'not_found';

export interface MrzReport {
  readonly status: ReportStatus;
  readonly kind: MrzFormat | null;
  readonly mrz: readonly string[] | null;
  readonly fields: Readonly<Record<ReportField, string | null>> | null;
  readonly confirm: readonly ReportField[];
  /** Telegram Passport data: `personal_details` and the document's type (`passport` or `identity_card`). */
  readonly values: Readonly<Record<string, Readonly<Record<string, string>>>> | null;
}

/** The form value each reported field becomes (issuing_country is shown, never filled). */
const FILLS: Readonly<Record<ReportField, ScannedFieldName | null>> = {
  document_number: 'document_no',
  surname: 'last_name',
  given_names: 'first_name',
  nationality: 'country_code',
  birth_date: 'birth_date',
  sex: 'gender',
  expiry_date: 'expiry_date',
  issuing_country: null,
};

/** [line, start, end) of each field as printed (ICAO 9303 parts 4-6); names are split at "<<". */
const AT: Record<MrzFormat, Record<Exclude<ReportField, 'surname' | 'given_names'> | 'names', readonly [number, number, number]>> = {
  TD1: { document_number: [0, 5, 14], issuing_country: [0, 2, 5], birth_date: [1, 0, 6], sex: [1, 7, 8], expiry_date: [1, 8, 14], nationality: [1, 15, 18], names: [2, 0, 30] },
  TD2: { document_number: [1, 0, 9], issuing_country: [0, 2, 5], birth_date: [1, 13, 19], sex: [1, 20, 21], expiry_date: [1, 21, 27], nationality: [1, 10, 13], names: [0, 5, 36] },
  TD3: { document_number: [1, 0, 9], issuing_country: [0, 2, 5], birth_date: [1, 13, 19], sex: [1, 20, 21], expiry_date: [1, 21, 27], nationality: [1, 10, 13], names: [0, 5, 44] },
};

/** The lines with every correction the parser and the repair made applied: what was finally read. */
export function finalLines(reading: MrzReading): string[] {
  const lines = reading.lines.map((l) => [...l]);
  for (const f of Object.values(reading.fields)) {
    for (const c of f?.corrections ?? []) {
      const line = lines[c.line];
      if (line !== undefined && c.column < line.length) line[c.column] = c.to;
    }
  }
  return lines.map((l) => l.join(''));
}

const text = (s: string): string => s.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
/** A document number ends where its fillers start (ICAO 9303: `<` pads a number shorter than its field). */
const code = (s: string): string => s.replace(/<+$/, '');

function fieldsOf(reading: MrzReading, lines: readonly string[]): Record<ReportField, string | null> {
  const at = AT[reading.format];
  const cut = ([li, a, b]: readonly [number, number, number]): string | null => lines[li]?.slice(a, b) ?? null;
  const names = cut(at.names) ?? '';
  const split = names.indexOf('<<');
  const surname = split < 0 ? names : names.slice(0, split);
  const given = split < 0 ? '' : names.slice(split + 2);
  const number = cut(at.document_number);
  return {
    // The parser's number carries a TD1 number's continuation (over 9 characters) from the optional field.
    document_number: reading.documentNumber ?? (number === null ? null : code(number)),
    surname: text(surname),
    given_names: text(given),
    // A state code as printed, fillers and all: Germany is `D<<` (issue 18: "the MRZ text as printed").
    nationality: cut(at.nationality),
    birth_date: cut(at.birth_date),
    sex: cut(at.sex),
    expiry_date: cut(at.expiry_date),
    issuing_country: cut(at.issuing_country),
  };
}

/** The Telegram Passport JSON of the values the app would fill (asked-for ones included). */
function passportJson(values: ScannedPassportValues, documentType: 'passport' | 'identity_card'): Record<string, Record<string, string>> {
  const plain = (o: Readonly<Record<string, { readonly value: string } | undefined>>): Record<string, string> =>
    Object.fromEntries(Object.entries(o).flatMap(([k, v]) => (v === undefined ? [] : [[k, v.value]])));
  const out: Record<string, Record<string, string>> = {};
  const personal = plain(values.personalDetails);
  const document = plain(values.idDocument);
  if (Object.keys(personal).length > 0) out['personal_details'] = personal;
  if (Object.keys(document).length > 0) out[documentType] = document;
  return out;
}

/** Something that passes none of its check digits is not an MRZ that was read (text that looks like one, or a zone too damaged). */
function anyCheckPasses(reading: MrzReading): boolean {
  return Object.values(reading.fields).some((f) => f !== undefined && f.checkDigit && f.valid);
}

export function reportReading(reading: MrzReading | null, today: Date = new Date()): MrzReport {
  if (reading === null || !anyCheckPasses(reading)) return { status: 'not_found', kind: null, mrz: null, fields: null, confirm: [], values: null };
  const lines = finalLines(reading);
  const fields = fieldsOf(reading, lines);
  const values = toPassportValues(reading, today);
  const filled: Partial<Record<ScannedFieldName, { readonly confirm: boolean }>> = { ...values.personalDetails, ...values.idDocument };
  const confirm = REPORT_FIELDS.filter((name) => {
    if (fields[name] === null) return false;
    const target = FILLS[name];
    if (target === null) return !issuingCountryTrusted(reading);
    const v = filled[target];
    return v === undefined || v.confirm;
  });
  // ICAO 9303: passport booklets are TD3; TD1 and TD2 are identity cards (and other official cards).
  const documentType = reading.format === 'TD3' ? 'passport' : 'identity_card';
  return { status: confirm.length === 0 ? 'ok' : 'confirm', kind: reading.format, mrz: lines, fields, confirm, values: passportJson(values, documentType) };
}

/** The issuing state is never filled; it is vouched for as nationality would be (whole MRZ valid, two readers, no correction). */
function issuingCountryTrusted(reading: MrzReading): boolean {
  const f = reading.fields.issuingState;
  return reading.valid && f !== undefined && f.valid && f.secondReader && f.corrections.length === 0;
}
