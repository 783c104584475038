/** Holders and documents for the SVG family: its own name lists and number shapes (not the Python family's). */
import type { Holder, Kind } from './mrz';
import type { Rng } from './rng';

const SURNAMES = ['Lindgren', 'Nakamura', 'Okafor', 'Fontaine', 'Grünewald', 'Zieliński', 'Alvarez de la Vega', 'Mac Aoidh', 'Haraldsdóttir',
  'Ben-Ami', 'Delacroix-Martin', 'Quispe Mamani', 'Tran', 'Phan Van', 'Oyelaran', 'Kurosawa', 'Szymańska', 'Ødegård', 'Çalışkan', 'Leblanc',
  'Abdi', 'Nyambura', 'Rasmussen', 'Karagöz', 'Valdés', 'Ferrante', 'Hakobyan', 'Lopes Carvalho', 'Bauer', 'Yeo', 'Schwarzenegger-Kowalski',
  'Montgomery-Fitzwilliam', 'Dąbrowski', 'Nieminen', 'Vasquez', 'Obi', 'Wiśniewski', 'Jansen', 'De Vries', "D'Angelo", 'Ng', 'Al Farsi'];
const GIVEN = ['Astrid', 'Hannah', 'Kofi', 'Amara', 'Élodie', 'Mateusz', 'Søren', 'Dagný', 'Ines', 'Renée', 'Tomás', 'Yusuf', 'Aiko', 'Haruto',
  'Ngozi', 'Lars', 'Ilse', 'Björk', 'Chidi', 'Zofia', 'Luis Miguel', 'Anne-Sophie', 'Wanjiru', 'Emre', 'Gül', 'Nils', 'Paulo', 'Bao',
  'Mei Ling', 'Rafaela', 'Gustavo Adolfo', 'Kai', 'Ole', 'Maximiliane Theresia', 'Ömer', 'Ana', 'Jón', 'Ewa', 'Pierre-Yves', 'Seo-yeon'];
const STATES: [string, string][] = [['FRA', 'RÉPUBLIQUE FRANÇAISE'], ['D<<', 'BUNDESREPUBLIK DEUTSCHLAND'], ['GBR', 'UNITED KINGDOM'],
  ['UTO', 'UTOPIA'], ['NOR', 'NORGE'], ['ISL', 'ÍSLAND'], ['JPN', 'JAPAN'], ['NGA', 'NIGERIA'], ['KEN', 'KENYA'], ['POL', 'POLSKA'],
  ['ESP', 'ESPAÑA'], ['MEX', 'MÉXICO'], ['PER', 'PERÚ'], ['VNM', 'VIỆT NAM'], ['TUR', 'TÜRKİYE'], ['ARM', 'HAYASTAN'], ['NLD', 'NEDERLAND'],
  ['SWE', 'SVERIGE'], ['FIN', 'SUOMI FINLAND'], ['ITA', 'ITALIA'], ['PRT', 'PORTUGAL'], ['BRA', 'BRASIL'], ['KOR', 'KOREA'], ['SGP', 'SINGAPORE'],
  ['OMN', 'OMAN'], ['CAN', 'CANADA'], ['AUS', 'AUSTRALIA'], ['IRL', 'ÉIRE IRELAND'], ['DNK', 'DANMARK'], ['CZE', 'ČESKÁ REPUBLIKA']];
const SPECIAL: Record<string, string> = { Ä: 'AE', Ö: 'OE', Ü: 'UE', Å: 'AA', Æ: 'AE', Ø: 'OE', ß: 'SS', Þ: 'TH', Ð: 'D', Ł: 'L', İ: 'I' };

/** Printed name -> MRZ name parts (Doc 9303-3 transliteration for the letters used here). */
export function mrzParts(name: string): string[] {
  let out = '';
  for (const ch of name.toUpperCase()) {
    if (SPECIAL[ch]) out += SPECIAL[ch];
    else if (ch === ' ' || ch === '-') out += ' ';
    else if (ch === "'" || ch === '’') continue;
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      if (/^[A-Z]$/.test(base)) out += base;
    }
  }
  return out.split(' ').filter(Boolean);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const chars = (rng: Rng, alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet.charAt(rng.int(0, alphabet.length))).join('');
const yymmdd = (y: number, m: number, d: number): string => `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;

export interface PrintedHolder extends Holder {
  surname: string;
  given: string;
  stateName: string;
  birthDate: [number, number, number];
  expiryDate: [number, number, number];
  issueDate: [number, number, number];
}

function date(rng: Rng, y0: number, y1: number): [number, number, number] {
  const y = rng.int(y0, y1 + 1);
  const m = rng.int(1, 13);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [y, m, rng.int(1, days + 1)];
}

export function makeHolder(rng: Rng, kind: Kind): PrintedHolder {
  const [issuing, stateName] = rng.pick(STATES);
  const nationality = rng.chance(0.85) ? issuing : rng.pick(STATES)[0];
  const surname = rng.chance(0.1) ? `${rng.pick(SURNAMES)} ${rng.pick(SURNAMES)}` : rng.pick(SURNAMES);
  const given = Array.from({ length: rng.pick([0, 1, 1, 2, 2, 3]) }, () => rng.pick(GIVEN)).join(' ');
  const birthDate = date(rng, 1930, 2021);
  const issueDate = date(rng, Math.max(2006, birthDate[0] + 1), 2026);
  const years = rng.pick([5, 6, 10, 10]);
  const expiryDate: [number, number, number] = [issueDate[0] + years, issueDate[1], Math.min(28, issueDate[2])];
  const r = rng.next();
  let number: string;
  if (kind === 'TD1' && r < 0.12) number = chars(rng, LETTERS, 2) + chars(rng, '0123456789', rng.int(9, 12));
  else if (r < 0.35) number = chars(rng, '0123456789', 9);
  else if (r < 0.5) number = chars(rng, LETTERS, 1) + chars(rng, '0123456789', rng.int(5, 8));
  else number = chars(rng, LETTERS + '0123456789', 9);
  const code = kind === 'TD3' ? rng.pick(['P', 'P', 'PE', 'PD']) : rng.pick(['I', 'ID', 'IR', 'A', 'C']);
  const optional = kind === 'TD3' ? (rng.chance(0.35) ? chars(rng, '0123456789', rng.int(8, 15)) : '') : rng.chance(0.3) ? chars(rng, LETTERS + '0123456789', rng.int(3, 7)) : '';
  const optional2 = kind === 'TD1' && rng.chance(0.3) ? chars(rng, '0123456789', rng.int(4, 12)) : '';
  return {
    kind, code, issuing, nationality, primary: mrzParts(surname), secondary: mrzParts(given), number,
    birth: yymmdd(...birthDate), sex: rng.pick(['M', 'F', 'F', 'M', '<'] as const), expiry: yymmdd(...expiryDate), optional, optional2,
    surname, given, stateName, birthDate, expiryDate, issueDate,
  };
}
