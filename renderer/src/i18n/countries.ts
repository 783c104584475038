/**
 * The country list of the editor's selects: ISO 3166-1 alpha-2 codes (iso-3166-1) named in the
 * catalogue's language by Intl.DisplayNames, sorted for that language. No country name is in the
 * catalogue: the browser's CLDR data has them in every language.
 */
import iso3166 from 'iso-3166-1';
import { locale } from './i18n';

export interface CountryOption {
  readonly code: string;
  readonly name: string;
}

let options: CountryOption[] | null = null;

export function countryOptions(): readonly CountryOption[] {
  if (options !== null) return options;
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
  const collator = new Intl.Collator(locale);
  options = iso3166
    .all()
    .map((c) => ({ code: c.alpha2, name: names.of(c.alpha2) ?? c.country }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return options;
}
