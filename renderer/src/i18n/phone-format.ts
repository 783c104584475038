/**
 * Phone numbers written the way people read them: "+44 7700 900123", "+7 916 123 45 67"
 * (libphonenumber-js, its small metadata). Loaded on demand (phone.ts), so the first screen does not
 * wait for it. Telegram's test numbers "99966XYYYY" (core.telegram.org/api/auth, test accounts) have no
 * real country code; they are grouped as Telegram writes them, "+999 66 X YYYY". Any other number the
 * library cannot place is grouped as far as its calling code allows, else left as digits.
 */
import { AsYouType, parsePhoneNumberFromString } from 'libphonenumber-js/min';

const TELEGRAM_TEST = /^999(66)(\d)(\d{4})$/;

export function formatPhoneNumber(digits: string): string {
  const d = digits.replace(/\D/g, '');
  if (d === '') return digits;
  const test = TELEGRAM_TEST.exec(d);
  if (test !== null) return `+999 ${test[1]} ${test[2]} ${test[3]}`;
  const parsed = parsePhoneNumberFromString(`+${d}`);
  if (parsed?.isPossible() === true) return parsed.formatInternational();
  return new AsYouType().input(`+${d}`);
}
