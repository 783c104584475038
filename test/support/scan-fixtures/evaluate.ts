/**
 * TEST/BENCH ONLY — compares what the scanner would fill with the truth the fixture was made from.
 * The truth is derived here from the Identity, independently of electron/common/scan.
 */
import type { ScannedPassportValues, ScannedFieldName } from '../../../electron/common/scan/mrz-to-passport';
import type { Identity } from './mrz-compose';

const ISO2: Readonly<Record<string, string>> = {
  DEU: 'DE', D: 'DE', FRA: 'FR', ITA: 'IT', ESP: 'ES', NLD: 'NL', POL: 'PL', SWE: 'SE', GBR: 'GB', USA: 'US', CAN: 'CA', BRA: 'BR', JPN: 'JP', AUT: 'AT', CHE: 'CH', NOR: 'NO', FIN: 'FI', IRL: 'IE', PRT: 'PT',
};

function titleCase(s: string): string {
  return s
    .split(' ')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join(' ');
}

function date(yymmdd: string, century: number): string {
  return `${yymmdd.slice(4, 6)}.${yymmdd.slice(2, 4)}.${century + Number(yymmdd.slice(0, 2))}`;
}

export function expectedValues(id: Identity): Record<ScannedFieldName, string> {
  return {
    first_name: titleCase(id.firstNames),
    last_name: titleCase(id.lastName),
    // The generator draws births in 1950-1999 and expiries in 2027-2035.
    birth_date: date(id.birth, 1900),
    gender: id.sex === 'M' ? 'male' : 'female',
    country_code: ISO2[id.nationality] ?? '??',
    document_no: id.documentNumber,
    expiry_date: date(id.expiry, 2000),
  };
}

export interface Verdict {
  /** Every field filled, and every filled value right. */
  readonly fullyCorrect: boolean;
  readonly filled: number;
  /** Filled without asking (confirm: false): right or wrong. */
  readonly filledSilently: number;
  /** Filled with a wrong value, though marked for confirmation. */
  readonly wrongFlagged: readonly ScannedFieldName[];
  /** Filled with a wrong value and NOT marked: the failure that must never happen. */
  readonly wrongSilent: readonly ScannedFieldName[];
}

export function judge(id: Identity, values: ScannedPassportValues | null): Verdict {
  const want = expectedValues(id);
  const got: Partial<Record<ScannedFieldName, { value: string; confirm: boolean }>> = { ...values?.personalDetails, ...values?.idDocument };
  const wrongFlagged: ScannedFieldName[] = [];
  const wrongSilent: ScannedFieldName[] = [];
  let filled = 0;
  let filledSilently = 0;
  for (const k of Object.keys(want) as ScannedFieldName[]) {
    const g = got[k];
    if (g === undefined) continue;
    filled++;
    if (!g.confirm) filledSilently++;
    if (g.value !== want[k]) (g.confirm ? wrongFlagged : wrongSilent).push(k);
  }
  const total = Object.keys(want).length;
  return { fullyCorrect: filled === total && wrongFlagged.length === 0 && wrongSilent.length === 0, filled, filledSilently, wrongFlagged, wrongSilent };
}
