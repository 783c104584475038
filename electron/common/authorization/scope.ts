/**
 * The `scope` of a Passport request (PASSPORT-SPEC §5, core.telegram.org/passport "PassportScope"),
 * in every form services send it:
 *
 *   object   {"data":[…],"v":1}; an element is a type string, {"type", selfie?, translation?, native_names?}
 *            or {"one_of":[…], selfie?, translation?}
 *   compact  telegram-passport.js `packScope`: data→d, type/one_of→_, flags→s/t/n (=1), types by
 *            short alias (pd pp dl ic ip idd ad ub bs ra pr tr add pn em), nested one_of members too
 *   legacy   a plain JSON array of type strings (older SDKs, `payload` instead of `nonce`); also the
 *            comma-separated text an array becomes when a script concatenates it into a URL
 *
 * `id_document` and `address_document` stand for one_of passport|driver_license|identity_card and
 * utility_bill|bank_statement|rental_agreement. Flags on a one_of apply to each of its members.
 * Flags a type cannot honour (a selfie of an address) are dropped: no client would show them.
 * Pure: no `node:` imports.
 */
import {
  isSecureValueTypeName,
  secureValueTypeInfo,
  type SecureValueTypeName,
} from '../passport/secure-value-types';
import { MAX_SCOPE_ITEMS, type RequiredItem, type RequiredType } from './request';

export type ScopeFormat = 'object' | 'compact' | 'legacy';

/** A reason the scope cannot be used, phrased to follow "The scope …" / "scope: …". */
export class ScopeError extends Error {
  override readonly name = 'ScopeError';
}

/** telegram-passport.js `ScopeAliases`, reversed. */
export const SHORT_TYPE_ALIASES: Readonly<Record<string, string>> = {
  pd: 'personal_details',
  pp: 'passport',
  dl: 'driver_license',
  ic: 'identity_card',
  ip: 'internal_passport',
  idd: 'id_document',
  ad: 'address',
  ub: 'utility_bill',
  bs: 'bank_statement',
  ra: 'rental_agreement',
  pr: 'passport_registration',
  tr: 'temporary_registration',
  add: 'address_document',
  pn: 'phone_number',
  em: 'email',
};

export const TYPE_ALIASES: Readonly<Record<string, readonly SecureValueTypeName[]>> = {
  id_document: ['passport', 'driver_license', 'identity_card'],
  address_document: ['utility_bill', 'bank_statement', 'rental_agreement'],
};

interface Flags {
  selfie: boolean;
  translation: boolean;
  nativeNames: boolean;
}
const NO_FLAGS: Flags = { selfie: false, translation: false, nativeNames: false };

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${v}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A type name or alias (long or short) → the types it stands for. */
function resolveTypeName(name: string, where: string): { types: readonly SecureValueTypeName[]; alias: boolean } {
  const long = SHORT_TYPE_ALIASES[name] ?? name;
  if (isSecureValueTypeName(long)) return { types: [long], alias: false };
  const expanded = TYPE_ALIASES[long];
  if (expanded !== undefined) return { types: expanded, alias: true };
  throw new ScopeError(`${where}: unknown type ${describe(name)}`);
}

function readFlag(o: Record<string, unknown>, long: string, short: string, where: string): boolean {
  let result = false;
  for (const key of [long, short]) {
    if (!has(o, key)) continue;
    const v = o[key];
    // The SDK writes true (object form) or 1 (compact form); accept their opposites too.
    if (v === true || v === 1) result = true;
    else if (v !== false && v !== 0 && v !== null) throw new ScopeError(`${where}: "${key}" must be true or false, not ${describe(v)}`);
  }
  return result;
}

function readFlags(o: Record<string, unknown>, where: string): Flags {
  return {
    selfie: readFlag(o, 'selfie', 's', where),
    translation: readFlag(o, 'translation', 't', where),
    nativeNames: readFlag(o, 'native_names', 'n', where),
  };
}

/** The type with only the flags it can honour. */
function required(type: SecureValueTypeName, flags: Flags): RequiredType {
  const info = secureValueTypeInfo(type);
  return {
    type,
    selfie: flags.selfie && info.fileSlots.includes('selfie'),
    translation: flags.translation && info.translation,
    nativeNames: flags.nativeNames && type === 'personal_details',
  };
}

const orFlags = (a: Flags, b: Flags): Flags => ({
  selfie: a.selfie || b.selfie,
  translation: a.translation || b.translation,
  nativeNames: a.nativeNames || b.nativeNames,
});

/** What an element names: `type`/`one_of` or the compact `_` (a string or a list). */
function elementTarget(o: Record<string, unknown>, where: string): unknown {
  const keys = ['type', 'one_of', '_'].filter((k) => has(o, k));
  if (keys.length === 0) throw new ScopeError(`${where}: has neither "type" nor "one_of"`);
  if (keys.length > 1) throw new ScopeError(`${where}: has both ${keys.map((k) => `"${k}"`).join(' and ')}`);
  const key = keys[0] as string;
  const target = o[key];
  if (key === 'type' && typeof target !== 'string') throw new ScopeError(`${where}: "type" must be a string, not ${describe(target)}`);
  if (key === 'one_of' && !Array.isArray(target)) throw new ScopeError(`${where}: "one_of" must be a list, not ${describe(target)}`);
  if (key === '_' && typeof target !== 'string' && !Array.isArray(target)) {
    throw new ScopeError(`${where}: "_" must be a type or a list of types, not ${describe(target)}`);
  }
  return target;
}

/** A member of a one_of: a type string or a {type, flags} object, never another list. */
function oneOfMember(v: unknown, outer: Flags, where: string): RequiredType[] {
  if (typeof v === 'string') return resolveTypeName(v, where).types.map((t) => required(t, outer));
  if (!isRecord(v)) throw new ScopeError(`${where}: must be a type or an object, not ${describe(v)}`);
  const target = elementTarget(v, where);
  if (typeof target !== 'string') throw new ScopeError(`${where}: a one_of cannot contain another one_of`);
  const flags = orFlags(outer, readFlags(v, where));
  return resolveTypeName(target, where).types.map((t) => required(t, flags));
}

function oneOf(list: readonly unknown[], flags: Flags, where: string): RequiredItem {
  if (list.length === 0) throw new ScopeError(`${where}: one_of is empty`);
  if (list.length > 13) throw new ScopeError(`${where}: one_of lists ${list.length} types`);
  const byType = new Map<SecureValueTypeName, RequiredType>();
  list.forEach((m, i) => {
    for (const t of oneOfMember(m, flags, `${where}.one_of[${i}]`)) {
      const prev = byType.get(t.type);
      byType.set(t.type, prev === undefined ? t : required(t.type, orFlags(prev, t)));
    }
  });
  return { kind: 'one_of', types: [...byType.values()] };
}

function element(v: unknown, where: string): RequiredItem {
  if (typeof v === 'string') {
    const { types, alias } = resolveTypeName(v, where);
    if (alias) return { kind: 'one_of', types: types.map((t) => required(t, NO_FLAGS)) };
    return { kind: 'type', ...required(types[0] as SecureValueTypeName, NO_FLAGS) };
  }
  if (!isRecord(v)) throw new ScopeError(`${where}: must be a type or an object, not ${describe(v)}`);
  const target = elementTarget(v, where);
  const flags = readFlags(v, where);
  if (Array.isArray(target)) return oneOf(target, flags, where);
  const { types, alias } = resolveTypeName(target as string, where);
  if (alias) return oneOf(types, flags, where);
  return { kind: 'type', ...required(types[0] as SecureValueTypeName, flags) };
}

function elements(list: readonly unknown[], where: string): RequiredItem[] {
  if (list.length === 0) throw new ScopeError('requests nothing (an empty list)');
  if (list.length > MAX_SCOPE_ITEMS) throw new ScopeError(`lists ${list.length} items; at most ${MAX_SCOPE_ITEMS} are accepted`);
  return list.map((v, i) => element(v, `${where}[${i}]`));
}

const LEGACY_CSV = /^[a-z_]+(?:\s*,\s*[a-z_]+)*$/;

export interface ParsedScope {
  items: RequiredItem[];
  format: ScopeFormat;
}

/** Parses the (decoded) scope text. Throws ScopeError with a precise reason. */
export function parseScope(text: string): ParsedScope {
  if (text === '') throw new ScopeError('is empty');
  if (LEGACY_CSV.test(text)) return { items: elements(text.split(',').map((s) => s.trim()), 'scope'), format: 'legacy' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ScopeError('is not valid JSON');
  }
  if (Array.isArray(json)) return { items: elements(json, 'scope'), format: 'legacy' };
  if (!isRecord(json)) throw new ScopeError(`must be a {"data":[…]} object or a list, not ${describe(json)}`);
  const hasData = has(json, 'data');
  const hasD = has(json, 'd');
  if (hasData && hasD) throw new ScopeError('has both "data" and "d"');
  if (!hasData && !hasD) throw new ScopeError('has no "data" list');
  if (has(json, 'v') && json['v'] !== 1) throw new ScopeError(`version ${describe(json['v'])} is not supported (only v=1)`);
  const key = hasData ? 'data' : 'd';
  const list = json[key];
  if (!Array.isArray(list)) throw new ScopeError(`"${key}" must be a list, not ${describe(list)}`);
  return { items: elements(list, key), format: hasData ? 'object' : 'compact' };
}
