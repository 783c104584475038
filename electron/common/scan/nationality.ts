/**
 * MRZ nationality (ISO 3166-1 alpha-3, plus ICAO 9303-3 §5 codes) → the ISO alpha-2 code Telegram's
 * PersonalDetails wants. Codes with no country (stateless XXA, refugees XXB/XXC, United Nations UNO…)
 * have no alpha-2 and are not filled.
 */
import { whereAlpha3 } from 'iso-3166-1';

/** ICAO codes that are not ISO alpha-3 but do name a country. */
const ICAO_SPECIAL: Readonly<Record<string, string>> = {
  D: 'DE', // Germany writes "D<<"
  GBD: 'GB', // British Overseas Territories Citizen
  GBN: 'GB', // British National (Overseas)
  GBO: 'GB', // British Overseas Citizen
  GBP: 'GB', // British Protected Person
  GBS: 'GB', // British Subject
  RKS: 'XK', // Kosovo (user-assigned XK is what Telegram and most services use)
};

export function alpha3ToAlpha2(code: string): string | null {
  const c = code.replace(/</g, '').toUpperCase();
  const special = ICAO_SPECIAL[c];
  if (special !== undefined) return special;
  return whereAlpha3(c)?.alpha2 ?? null;
}

/** ICAO 9303-3 codes that name no country (organisations, stateless persons, refugees, "unspecified"), and its specimen state. */
const ICAO_OTHER: ReadonlySet<string> = new Set(['EUE', 'UNA', 'UNK', 'UNO', 'XBA', 'XCC', 'XCE', 'XCO', 'XDC', 'XEC', 'XES', 'XIM', 'XMP', 'XOM', 'XPO', 'XXA', 'XXB', 'XXC', 'XXX', 'UTO']);

/** Whether an MRZ state field (3 characters, fillers included: "D<<") holds a code some state or body issues under. */
export function isStateCode(field: string): boolean {
  const c = field.toUpperCase().replace(/<+$/, '');
  if (c.length === 0 || c.includes('<')) return false;
  return c in ICAO_SPECIAL || ICAO_OTHER.has(c) || (c.length === 3 && whereAlpha3(c) !== undefined);
}

