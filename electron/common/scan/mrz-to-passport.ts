/**
 * An MRZ reading → values for the Passport forms (PersonalDetails and IdDocumentData), with the
 * rule that decides what may be filled:
 *
 * - A field a check digit protects (document number, birth date, expiry) is filled only when its own
 *   check digit AND the composite check digit (which covers all three again) pass. One check digit
 *   alone lets a random misread through one time in ten; two independent ones, one in a hundred.
 * - Names, sex and nationality have no check digit of their own. They are filled only when the whole
 *   MRZ passes every check digit (the composite one included): a clean read of everything else.
 * - A value where a character was changed from what was read (O→0, I→1, S→5, B→8…, or a candidate the
 *   check digits chose) is marked for confirmation.
 * - A value is filled without asking ONLY when a second, independent recogniser read it the same
 *   (MrzField.secondReader, set by mrz-ocr.ts) — for names, sex and nationality on top of the whole MRZ
 *   passing every check digit; otherwise it is filled and marked for confirmation. No other path leads
 *   to `confirm: false`. (Until issue 18 names were always marked: with no check digit, one reader could
 *   misread them unseen; a second, independent reader agreeing letter for letter is what makes them safe,
 *   as Telegram's own apps fill them from the MRZ.)
 * - Every value is checked against the Passport schema's own field rule before it is offered.
 */
import { CountryCode, LatinName, MAX_DOCUMENT_NO_LENGTH, PassportDate } from '../passport/fields';
import { alpha3ToAlpha2 } from './nationality';
import type { MrzReading } from './mrz-read';

export type ScannedFieldName = 'first_name' | 'last_name' | 'birth_date' | 'gender' | 'country_code' | 'document_no' | 'expiry_date';

export interface ScannedValue {
  readonly value: string;
  /** 'check-digit': a check digit vouches for it; 'none': nothing in the MRZ can. */
  readonly verifiedBy: 'check-digit' | 'none';
  /** Two independent recognisers read the same value (see MrzField.secondReader). */
  readonly secondReader: boolean;
  /** Characters the parser changed: show them highlighted and ask. */
  readonly corrected: boolean;
  /** True when the person must look before the value counts (unverified or corrected). */
  readonly confirm: boolean;
}

export interface Refusal {
  readonly field: ScannedFieldName;
  readonly reason: string;
}

export interface ScannedPassportValues {
  readonly personalDetails: Partial<Record<'first_name' | 'last_name' | 'birth_date' | 'gender' | 'country_code', ScannedValue>>;
  readonly idDocument: Partial<Record<'document_no' | 'expiry_date', ScannedValue>>;
  /** Fields that were read but not filled, and why (for the screen, never silently dropped). */
  readonly refused: readonly Refusal[];
}

/** "ANNA MARIA" → "Anna Maria"; MRZ names are capitals only, forms read better in mixed case. */
export function nameCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * YYMMDD → DD.MM.YYYY. A birth date is never in the future; an expiry date is within 50 years of
 * today. ICAO gives no century, so this is the usual sliding window.
 */
export function mrzDate(yymmdd: string, kind: 'birth' | 'expiry', today: Date): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const nowYear = today.getUTCFullYear();
  let year = 2000 + yy;
  if (kind === 'birth' && year > nowYear) year -= 100;
  if (kind === 'expiry' && year > nowYear + 50) year -= 100;
  const out = `${yymmdd.slice(4, 6)}.${yymmdd.slice(2, 4)}.${year}`;
  return PassportDate.safeParse(out).success ? out : null;
}

export function toPassportValues(reading: MrzReading, today: Date = new Date()): ScannedPassportValues {
  const personalDetails: Record<string, ScannedValue> = {};
  const idDocument: Record<string, ScannedValue> = {};
  const refused: Refusal[] = [];
  const f = reading.fields;

  const offer = (target: Record<string, ScannedValue>, field: ScannedFieldName, value: string | null, source: keyof typeof f, checked: boolean): void => {
    const r = f[source];
    if (r === undefined) return;
    if (checked && !r.valid) {
      refused.push({ field, reason: r.error ?? 'the check digit does not match' });
      return;
    }
    if (checked && f.compositeCheckDigit?.valid !== true) {
      refused.push({ field, reason: 'not filled: the composite check digit does not match, so this read is not trusted' });
      return;
    }
    if (!checked && !reading.valid) {
      refused.push({ field, reason: 'not filled: other parts of the MRZ failed their check digits, so this read is not trusted' });
      return;
    }
    if (value === null || !r.valid) {
      refused.push({ field, reason: r.error ?? 'not a valid value' });
      return;
    }
    // A check-digit-protected value also counts as corrected when the composite check digit it relies on was.
    const corrected = r.corrections.length > 0 || (checked && (f.compositeCheckDigit?.corrections.length ?? 0) > 0);
    // The one place `confirm` is decided: silent only if check digits AND two recognisers vouch for it
    // (for a field without its own check digit, every check digit of the MRZ: required above).
    const confirm = corrected || !r.secondReader;
    target[field] = { value, verifiedBy: checked ? 'check-digit' : 'none', secondReader: r.secondReader, corrected, confirm };
  };

  const last = f.lastName?.value ?? null;
  const first = f.firstName?.value ?? null;
  offer(personalDetails, 'last_name', last !== null && LatinName.safeParse(last).success ? nameCase(last) : null, 'lastName', false);
  offer(personalDetails, 'first_name', first !== null && first !== '' && LatinName.safeParse(first).success ? nameCase(first) : null, 'firstName', false);
  offer(personalDetails, 'birth_date', f.birthDate?.value != null ? mrzDate(f.birthDate.value, 'birth', today) : null, 'birthDate', true);
  const sex = f.sex?.value;
  offer(personalDetails, 'gender', sex === 'male' || sex === 'female' ? sex : null, 'sex', false);
  const nat = f.nationality?.value ?? null;
  const iso2 = nat === null ? null : alpha3ToAlpha2(nat);
  offer(personalDetails, 'country_code', iso2 !== null && CountryCode.safeParse(iso2).success ? iso2 : null, 'nationality', false);

  const docNo = reading.documentNumber;
  offer(idDocument, 'document_no', docNo !== null && docNo.length >= 1 && docNo.length <= MAX_DOCUMENT_NO_LENGTH ? docNo : null, 'documentNumber', true);
  offer(idDocument, 'expiry_date', f.expirationDate?.value != null ? mrzDate(f.expirationDate.value, 'expiry', today) : null, 'expirationDate', true);
  return { personalDetails, idDocument, refused };
}
