/**
 * Field-level rules for the Passport JSON values, shared by the schemas, the forms and the IPC
 * contract. Pure zod: the renderer imports this too, so nothing from `node:` may appear here.
 *
 * Sources: Telegram Desktop `passport_panel_controller.cpp` (limits and the Latin-name regex),
 * TDLib `SecureValue.cpp` (real dates) and `OrderInfo.cpp` (2 uppercase letters for countries).
 * Where real data written by another official client breaks a tdesktop rule, the rule is widened
 * and the reason is written next to it: we must be able to open (and re-save) what Telegram wrote.
 */
import { z } from 'zod';

/** tdesktop `kMaxNameSize`. */
export const MAX_NAME_LENGTH = 255;
/** tdesktop `kMaxDocumentSize`. */
export const MAX_DOCUMENT_NO_LENGTH = 24;
/** tdesktop `kMaxStreetSize` (also used for city and state there). */
export const MAX_STREET_LENGTH = 64;
export const MIN_CITY_LENGTH = 2;

/** tdesktop's Latin-name rule: letters, digits and `.,/&-'` plus space. */
export const LATIN_NAME_RE = /^[a-zA-Z0-9.,/&\-' ]+$/;
/**
 * tdesktop allows `[a-zA-Z0-9-]{2,10}`; Telegram Android only checks the length (2..10) and real
 * data written by it contains a space (Canadian "A1A 1A1" in the Telegram.Bot.Extensions.Passport
 * vectors). So inner spaces are accepted, but not at either end.
 */
export const POST_CODE_RE = /^[a-zA-Z0-9-](?:[a-zA-Z0-9 -]{0,8}[a-zA-Z0-9-])$/;
/** ISO 3166-1 alpha-2 by shape only; a later issue checks membership with an ISO library. */
export const COUNTRY_CODE_RE = /^[A-Z]{2}$/;
/** Phone numbers as Telegram stores them: digits only (tdesktop `^\d{2,12}$`). */
export const PHONE_RE = /^\d{2,12}$/;
const DATE_RE = /^(\d{2})\.(\d{2})\.(\d{4})$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True for a real calendar date written `DD.MM.YYYY` (TDLib rejects 31.02.2000 and friends). */
export function isRealDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (m === null) return false;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** tdesktop: an email needs an `@` with a `.` somewhere after it. */
export function isPlausibleEmail(value: string): boolean {
  const at = value.indexOf('@');
  return at > 0 && value.indexOf('.', at + 2) > at + 1 && !value.endsWith('.');
}

export const LatinName = z
  .string()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .regex(LATIN_NAME_RE, 'Use Latin letters, digits and . , / & - \' only');

/** Native-script names have no alphabet restriction, only the length limit. */
export const NativeName = z.string().min(1).max(MAX_NAME_LENGTH);

export const PassportDate = z.string().refine(isRealDate, 'Expected a real date as DD.MM.YYYY');

export const CountryCode = z.string().regex(COUNTRY_CODE_RE, 'Expected an ISO 3166-1 alpha-2 code like "DE"');

export const Gender = z.enum(['male', 'female']);

export const PostCode = z.string().regex(POST_CODE_RE, 'Expected 2-10 letters, digits, "-" or inner spaces');

export const PhoneNumber = z.string().regex(PHONE_RE, 'Expected 2-12 digits');

export const Email = z.string().max(255).refine(isPlausibleEmail, 'Expected an email address');

/**
 * An optional field. Real data stores an absent optional value either by leaving the key out or as
 * `""` (Telegram Android writes `"middle_name": ""`; both official clients write `"expiry_date": ""`),
 * so both forms are valid and are kept exactly as written: no transform, so a value round-trips
 * byte-for-byte when it is re-encrypted.
 */
export function optionalField<T extends z.ZodType<string>>(schema: T) {
  return z.union([z.literal(''), schema]).optional();
}
