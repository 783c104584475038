/**
 * ICAO 9303 zones for the SVG family, a second implementation written apart from ../mrz.py (the tests compare
 * the two on random documents). Field values as `passport-vault scan` prints them.
 */
export type Kind = 'TD1' | 'TD2' | 'TD3';

export interface Fields {
  document_number: string;
  surname: string;
  given_names: string;
  nationality: string;
  birth_date: string;
  sex: string;
  expiry_date: string;
  issuing_country: string;
}

export interface Holder {
  kind: Kind;
  code: string; // 1-2 letters, e.g. P, PD, I, ID
  issuing: string; // 3 chars, e.g. FRA, D<<
  nationality: string;
  primary: string[]; // name parts, A-Z only
  secondary: string[];
  number: string;
  birth: string; // YYMMDD
  sex: 'M' | 'F' | '<';
  expiry: string; // YYMMDD
  optional: string; // TD3 personal number, TD2 optional data, TD1 optional data 1
  optional2: string; // TD1 optional data 2
}

const WEIGHT = [7, 3, 1];

function value(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (ch === '<') return 0;
  throw new Error(`not an MRZ character: ${ch}`);
}

export function checkDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += value(s[i] as string) * (WEIGHT[i % 3] as number);
  return String(sum % 10);
}

const fill = (s: string, n: number): string => {
  if (s.length > n) throw new Error(`${s} does not fit in ${n}`);
  return s.padEnd(n, '<');
};

/** Names: primary<<secondary, cut at the end when too long (the secondary identifier goes first). */
export function names(primary: string[], secondary: string[], n: number): string {
  const p = primary.join('<');
  const s = secondary.join('<');
  let out = s ? `${p}<<${s}` : p;
  if (out.length > n) out = p.length + 3 <= n ? out.slice(0, n) : p.slice(0, n);
  return fill(out, n);
}

/** Number (9), its check digit, and the optional field; numbers over 9 characters continue in the optional field. */
function numberAndOptional(num: string, optional: string, optLen: number): [string, string, string] {
  if (num.length <= 9) return [fill(num, 9), checkDigit(fill(num, 9)), fill(optional, optLen)];
  const rest = num.slice(9) + checkDigit(num) + (optional ? `<${optional}` : '');
  return [num.slice(0, 9), '<', fill(rest, optLen)];
}

export function lines(h: Holder): string[] {
  const code = fill(h.code, 2);
  if (h.kind === 'TD3') {
    const num = fill(h.number, 9);
    const pers = fill(h.optional, 14);
    const persCd = h.optional ? checkDigit(pers) : '<';
    const l2 = num + checkDigit(num) + h.nationality + h.birth + checkDigit(h.birth) + h.sex + h.expiry + checkDigit(h.expiry) + pers + persCd;
    const comp = l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43);
    return [code + h.issuing + names(h.primary, h.secondary, 39), l2 + checkDigit(comp)];
  }
  if (h.kind === 'TD2') {
    const [num, cd, opt] = numberAndOptional(h.number, h.optional, 7);
    const l2 = num + cd + h.nationality + h.birth + checkDigit(h.birth) + h.sex + h.expiry + checkDigit(h.expiry) + opt;
    const comp = l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35);
    return [code + h.issuing + names(h.primary, h.secondary, 31), l2 + checkDigit(comp)];
  }
  const [num, cd, opt] = numberAndOptional(h.number, h.optional, 15);
  const l1 = code + h.issuing + num + cd + opt;
  const l2 = h.birth + checkDigit(h.birth) + h.sex + h.expiry + checkDigit(h.expiry) + h.nationality + fill(h.optional2, 11);
  const comp = l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29);
  return [l1, l2 + checkDigit(comp), names(h.primary, h.secondary, 30)];
}

function splitNames(field: string): [string, string] {
  const at = field.indexOf('<<');
  const tidy = (s: string): string => s.split('<').filter(Boolean).join(' ');
  return at < 0 ? [tidy(field), ''] : [tidy(field.slice(0, at)), tidy(field.slice(at + 2))];
}

function joinNumber(head: string, cd: string, optional: string): string {
  if (cd !== '<' || optional.startsWith('<')) return head.replace(/<+$/, '');
  const cont = optional.split('<')[0] ?? '';
  return head + cont.slice(0, -1);
}

export function fields(kind: Kind, ls: string[]): Fields {
  const [l1 = '', l2 = '', l3 = ''] = ls;
  if (kind === 'TD1') {
    const [surname, given_names] = splitNames(l3);
    return { document_number: joinNumber(l1.slice(5, 14), l1.charAt(14), l1.slice(15, 30)), surname, given_names, nationality: l2.slice(15, 18),
      birth_date: l2.slice(0, 6), sex: l2.charAt(7), expiry_date: l2.slice(8, 14), issuing_country: l1.slice(2, 5) };
  }
  const [surname, given_names] = splitNames(l1.slice(5));
  const number = kind === 'TD2' ? joinNumber(l2.slice(0, 9), l2.charAt(9), l2.slice(28, 35)) : l2.slice(0, 9).replace(/<+$/, '');
  return { document_number: number, surname, given_names, nationality: l2.slice(10, 13), birth_date: l2.slice(13, 19), sex: l2.charAt(20),
    expiry_date: l2.slice(21, 27), issuing_country: l1.slice(2, 5) };
}
