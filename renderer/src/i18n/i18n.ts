/**
 * The renderer's words, from one catalogue (messages.en.ts), by typed key: `t('lock.title')`,
 * `t('backup.saved', { name })`, `tn('count.documents', n)`. A key that does not exist, a missing or
 * unknown placeholder, or a plural used as a plain text is a type error. Plurals choose their form with
 * Intl.PluralRules of the catalogue's own language (not the system's: the forms must be the ones the
 * catalogue has), and the count is formatted with Intl.NumberFormat. A translation is another object
 * of the same shape (`Catalogue`), chosen in `catalogue` below.
 */
import { en } from './messages.en';

/** One message with plural forms; `other` is required, the rest as the language needs. */
export interface PluralForms {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

type English = typeof en;
/** Sections read by a key known only at run time (an error code, a type name): see `section`. */
type LookupSection = 'errors' | 'types' | 'groups' | 'fields';
type Messages = Omit<English, LookupSection>;

/** An object is a plural when it has `other` and nothing but plural categories (else it is a section). */
type IsPlural<T> = T extends PluralForms ? ([Exclude<keyof T, keyof PluralForms>] extends [never] ? true : false) : false;
type Kind<T> = T extends string ? 'text' : IsPlural<T> extends true ? 'plural' : 'section';

/** Dotted paths to every message of kind `Leaf` in `T`. */
type Paths<T, Leaf extends 'text' | 'plural'> = {
  [K in keyof T & string]: Kind<T[K]> extends Leaf ? K : Kind<T[K]> extends 'section' ? `${K}.${Paths<T[K], Leaf>}` : never;
}[keyof T & string];

export type TextKey = Paths<Messages, 'text'>;
export type PluralKey = Paths<Messages, 'plural'>;

type At<T, K extends string> = K extends `${infer Head}.${infer Rest}` ? (Head extends keyof T ? At<T[Head], Rest> : never) : K extends keyof T ? T[K] : never;

/** `{name}` placeholders of a message (all plural forms together). */
type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type PlaceholdersOf<E> = E extends string ? Placeholders<E> : E extends PluralForms ? Placeholders<E[keyof E] & string> : never;

export type Params<K extends string> = { readonly [P in PlaceholdersOf<At<English, K>>]: string | number };
type ParamArgs<K extends TextKey> = [PlaceholdersOf<At<English, K>>] extends [never] ? [] : [params: Params<K>];
type PluralParamArgs<K extends PluralKey> = [Exclude<PlaceholdersOf<At<English, K>>, 'count'>] extends [never] ? [] : [params: Omit<Params<K>, 'count'>];

/** A translation: the same keys, any words (placeholders kept by the translator). */
export type Catalogue = Widen<English>;
type Widen<T> = T extends string ? string : IsPlural<T> extends true ? PluralForms : { readonly [K in keyof T]: Widen<T[K]> };

/**
 * The language of the catalogue in use (its plural rules, the numbers in its sentences) and the catalogue.
 * Dates and times keep the system's regional format (toLocaleString() with no locale): a person reading
 * English may still write 09.12.2025.
 */
export const locale = 'en';
const catalogue: Catalogue = en;
const pluralRules = new Intl.PluralRules(locale);
const numbers = new Intl.NumberFormat(locale);

function lookup(key: string): unknown {
  let node: unknown = catalogue;
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function fill(text: string, params: Readonly<Record<string, string | number>> | undefined): string {
  if (params === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : typeof v === 'number' ? numbers.format(v) : v;
  });
}

/** The message at `key`, its placeholders filled. */
export function t<K extends TextKey>(key: K, ...params: ParamArgs<K>): string {
  const text = lookup(key);
  if (typeof text !== 'string') throw new Error(`i18n: no text at ${key}`);
  return fill(text, params[0]);
}

/** The form of the message at `key` for `count` ({count} is the formatted number). */
export function tn<K extends PluralKey>(key: K, count: number, ...params: PluralParamArgs<K>): string {
  const forms = lookup(key) as PluralForms | undefined;
  if (forms === undefined || typeof forms !== 'object') throw new Error(`i18n: no plural at ${key}`);
  const form = forms[pluralRules.select(count)] ?? forms.other;
  return fill(form, { ...(params[0] as Readonly<Record<string, string | number>> | undefined), count });
}

/** The raw message for a slot-interpolating component (Phrase.vue); placeholders left in. */
export function template(key: TextKey): string {
  const text = lookup(key);
  if (typeof text !== 'string') throw new Error(`i18n: no text at ${key}`);
  return text;
}

/** The part of the catalogue under `section`, for lookups by a runtime key (an error code, a type name). */
export function section<K extends LookupSection | 'strength'>(name: K): Catalogue[K] {
  return catalogue[name];
}
