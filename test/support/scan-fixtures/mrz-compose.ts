/**
 * TEST ONLY — writes MRZ text for made-up people (ICAO 9303 part 3-5), independently of the reader
 * under test: its own check-digit code, its own layout. Deterministic from a seed.
 */

export type MrzKind = 'TD1' | 'TD3';

export interface Identity {
  readonly kind: MrzKind;
  readonly issuing: string;
  readonly nationality: string;
  readonly lastName: string;
  readonly firstNames: string;
  readonly documentNumber: string;
  /** YYMMDD */
  readonly birth: string;
  readonly expiry: string;
  readonly sex: 'M' | 'F';
  readonly optional: string;
}

/** ICAO 9303-3 §4.9: weights 7,3,1; digits as themselves, A-Z as 10-35, the filler as 0. */
export function icaoCheckDigit(s: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * (weights[i % 3] ?? 0);
  }
  return String(sum % 10);
}

const pad = (s: string, n: number): string => (s + '<'.repeat(n)).slice(0, n);
const nameField = (id: Identity, n: number): string => pad(`${id.lastName.replace(/ /g, '<')}<<${id.firstNames.replace(/ /g, '<')}`, n);

export function composeMrz(id: Identity): string[] {
  const doc = pad(id.documentNumber, 9);
  const docCd = icaoCheckDigit(doc);
  const birthCd = icaoCheckDigit(id.birth);
  const expCd = icaoCheckDigit(id.expiry);
  if (id.kind === 'TD3') {
    const personal = pad(id.optional, 14);
    const personalCd = id.optional === '' ? '<' : icaoCheckDigit(personal);
    const l1 = `P<${pad(id.issuing, 3)}${nameField(id, 39)}`;
    const body = `${doc}${docCd}${pad(id.nationality, 3)}${id.birth}${birthCd}${id.sex}${id.expiry}${expCd}${personal}${personalCd}`;
    const composite = icaoCheckDigit(`${doc}${docCd}${id.birth}${birthCd}${id.expiry}${expCd}${personal}${personalCd}`);
    return [l1, body + composite];
  }
  const l1 = `I<${pad(id.issuing, 3)}${doc}${docCd}${pad(id.optional, 15)}`;
  const l2head = `${id.birth}${birthCd}${id.sex}${id.expiry}${expCd}${pad(id.nationality, 3)}${pad('', 11)}`;
  const composite = icaoCheckDigit(l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29));
  return [l1, l2head + composite, nameField(id, 30)];
}

/** mulberry32: small, fast, good enough to make varied fixtures from a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LAST = ['MUELLER', 'SCHMIDT', 'DUPONT', 'ROSSI', 'GARCIA', 'NOWAK', 'JANSEN', 'SILVA', 'OBRIEN', 'SMITH', 'KOWALSKI', 'BERG', 'HOLM', 'TANAKA', 'NGUYEN', 'OKAFOR', 'VAN DER BERG', 'FISCHER', 'MOREAU', 'ANDERSSON'];
const FIRST = ['ANNA', 'JAN', 'MARIA', 'PETER', 'SOFIA', 'LUCAS', 'EMMA', 'NOAH', 'LEA', 'OLIVER', 'MIA', 'HUGO', 'ZOE', 'IVAN', 'ELIF', 'KAI', 'ANNA MARIA', 'JEAN PIERRE', 'LI', 'SAMUEL'];
/** Real ISO 3166-1 alpha-3 codes (and Germany's ICAO code "D") so the parser's state table knows them. */
const STATES = ['DEU', 'FRA', 'ITA', 'ESP', 'NLD', 'POL', 'SWE', 'GBR', 'USA', 'CAN', 'BRA', 'JPN', 'AUT', 'CHE', 'NOR', 'FIN', 'IRL', 'PRT', 'D'];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}
function pickChar(r: () => number, chars: string): string {
  return chars.charAt(Math.floor(r() * chars.length));
}
function two(n: number): string {
  return String(n).padStart(2, '0');
}
function date(r: () => number, yearFrom: number, yearTo: number): string {
  const y = yearFrom + Math.floor(r() * (yearTo - yearFrom + 1));
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  return `${two(y % 100)}${two(m)}${two(d)}`;
}

export function randomIdentity(seed: number, kind: MrzKind): Identity {
  const r = rng(seed);
  const state = pick(r, STATES);
  const docLen = kind === 'TD3' ? 9 : 8 + Math.floor(r() * 2);
  let documentNumber = '';
  for (let i = 0; i < docLen; i++) documentNumber += i === 0 ? pickChar(r, ALNUM.slice(0, 26)) : pickChar(r, ALNUM);
  let optional = '';
  if (r() < 0.5) for (let i = 0; i < 8; i++) optional += pickChar(r, ALNUM.slice(26));
  return {
    kind,
    issuing: state,
    nationality: state,
    lastName: pick(r, LAST),
    firstNames: pick(r, FIRST),
    documentNumber,
    // Births 1950-1999 and expiries 2027-2035 keep the two-digit years unambiguous.
    birth: date(r, 1950, 1999),
    expiry: date(r, 2027, 2035),
    sex: r() < 0.5 ? 'M' : 'F',
    optional,
  };
}
