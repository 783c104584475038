/**
 * Telegram Passport authorization forms: account.getAuthorizationForm and
 * account.acceptAuthorization, for the test bots of bots.ts.
 *
 * What this server checks, in this order (the errors tdesktop forwards to the service):
 *   bot_id unknown                         → 400 BOT_INVALID
 *   public_key empty                       → 400 PUBLIC_KEY_REQUIRED
 *   public_key not the bot's registered key (compared as keys, not text; SPKI or PKCS#1)
 *                                          → 400 PUBLIC_KEY_INVALID
 *   scope names no type it understands     → 400 SCOPE_EMPTY
 * acceptAuthorization further checks that every value hash names a type of the scope and equals the
 * account's current secureValue.hash (400 SECURE_VALUE_HASH_INVALID — Telegram's name for this is not
 * documented), and that the credentials look like what clients send (data a multiple of 16 bytes,
 * a 32-byte hash, an RSA block of the key's size: 400 SECURE_CREDENTIALS_INVALID, name likewise ours).
 * It cannot check more: the credentials are encrypted for the bot. It stores what it got for the test
 * (bot.received) in the Bot API's PassportData shape, with file ids the test downloads via `bot.file`.
 *
 * The scope is read here with this server's own small reader (not the app's parser), so a parser
 * bug in the app shows up as a disagreement instead of being shared by both ends.
 */
import { createPublicKey } from 'node:crypto';
import { botRegistry, type BotPassportError, type BotRegistry, type LoopbackBot, type ReceivedElement, type ReceivedPassportFile } from '../bots';
import type { SecureFileRecord, SecureValueRecord } from '../passport-state';
import type { TlObject, TlValue } from '../tl/codec';
import { secureValueObject, TYPE_RULES } from './secure';
import { type CallContext, type MethodTable, RpcError, bytes, long, obj, requireUser, str, vec } from './types';

/** Bot API type string ↔ TL constructor. */
const TL_OF: Readonly<Record<string, string>> = {
  personal_details: 'secureValueTypePersonalDetails',
  passport: 'secureValueTypePassport',
  driver_license: 'secureValueTypeDriverLicense',
  identity_card: 'secureValueTypeIdentityCard',
  internal_passport: 'secureValueTypeInternalPassport',
  address: 'secureValueTypeAddress',
  utility_bill: 'secureValueTypeUtilityBill',
  bank_statement: 'secureValueTypeBankStatement',
  rental_agreement: 'secureValueTypeRentalAgreement',
  passport_registration: 'secureValueTypePassportRegistration',
  temporary_registration: 'secureValueTypeTemporaryRegistration',
  phone_number: 'secureValueTypePhone',
  email: 'secureValueTypeEmail',
};
const API_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(TL_OF).map(([a, t]) => [t, a]));
const SHORT: Readonly<Record<string, string>> = {
  pd: 'personal_details', pp: 'passport', dl: 'driver_license', ic: 'identity_card', ip: 'internal_passport', idd: 'id_document',
  ad: 'address', ub: 'utility_bill', bs: 'bank_statement', ra: 'rental_agreement', pr: 'passport_registration',
  tr: 'temporary_registration', add: 'address_document', pn: 'phone_number', em: 'email',
};
const ALIAS: Readonly<Record<string, string[]>> = {
  id_document: ['passport', 'driver_license', 'identity_card'],
  address_document: ['utility_bill', 'bank_statement', 'rental_agreement'],
};

interface Req {
  tl: string;
  selfie: boolean;
  translation: boolean;
  nativeNames: boolean;
}
type Item = { one: Req } | { oneOf: Req[] };

const truthy = (v: unknown): boolean => v === true || v === 1;

/** The server's reading of a scope; unknown parts are skipped (it answers SCOPE_EMPTY if nothing is left). */
export function readScope(text: string): Item[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = /^[a-z_,\s]+$/.test(text) ? text.split(',').map((s) => s.trim()) : null;
  }
  const list: unknown = Array.isArray(json) ? json : typeof json === 'object' && json !== null ? ((json as Record<string, unknown>)['data'] ?? (json as Record<string, unknown>)['d']) : null;
  if (!Array.isArray(list)) return [];
  const expand = (name: unknown): string[] => {
    if (typeof name !== 'string') return [];
    const long = SHORT[name] ?? name;
    return ALIAS[long] ?? (TL_OF[long] !== undefined ? [long] : []);
  };
  const flagsOf = (o: Record<string, unknown>): Omit<Req, 'tl'> => ({
    selfie: truthy(o['selfie']) || truthy(o['s']),
    translation: truthy(o['translation']) || truthy(o['t']),
    nativeNames: truthy(o['native_names']) || truthy(o['n']),
  });
  /** A type with its own flags OR'ed with its one_of's, kept only where the type can honour them. */
  const req = (api: string, o: Record<string, unknown>, outer?: Omit<Req, 'tl'>): Req => {
    const rule = TYPE_RULES[TL_OF[api] as string];
    const f = flagsOf(o);
    return {
      tl: TL_OF[api] as string,
      selfie: (f.selfie || outer?.selfie === true) && rule?.selfie === true,
      translation: (f.translation || outer?.translation === true) && rule?.translation === true,
      nativeNames: (f.nativeNames || outer?.nativeNames === true) && api === 'personal_details',
    };
  };
  const items: Item[] = [];
  for (const el of list) {
    const o = typeof el === 'object' && el !== null && !Array.isArray(el) ? (el as Record<string, unknown>) : {};
    const target = typeof el === 'string' ? el : (o['one_of'] ?? o['type'] ?? o['_']);
    if (Array.isArray(target)) {
      const outer = flagsOf(o);
      const members = target.flatMap((m) => {
        const mo = typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
        return expand(typeof m === 'string' ? m : (mo['type'] ?? mo['_'])).map((api) => req(api, mo, outer));
      });
      if (members.length > 0) items.push({ oneOf: members });
      continue;
    }
    const types = expand(target);
    if (types.length === 1) items.push({ one: req(types[0] as string, o) });
    else if (types.length > 1) items.push({ oneOf: types.map((api) => req(api, o)) });
  }
  return items;
}

function requiredTypeObject(r: Req): TlObject {
  return {
    _: 'secureRequiredType',
    ...(r.nativeNames ? { native_names: true } : {}),
    ...(r.selfie ? { selfie_required: true } : {}),
    ...(r.translation ? { translation_required: true } : {}),
    type: { _: r.tl },
  };
}

function botUserObject(bot: LoopbackBot): TlObject {
  return {
    _: 'user',
    bot: true,
    id: bot.id,
    access_hash: bot.accessHash,
    first_name: bot.firstName,
    username: bot.username,
    bot_info_version: 1,
  };
}

interface Checked {
  bot: NonNullable<ReturnType<BotRegistry['get']>>;
  items: Item[];
  tlTypes: Set<string>;
}

/** Whether any item of the scope asks for this type's selfie / translations. */
function askedFor(items: Item[], tl: string): { selfie: boolean; translation: boolean } {
  const reqs = items.flatMap((i) => ('one' in i ? [i.one] : i.oneOf)).filter((r) => r.tl === tl);
  return { selfie: reqs.some((r) => r.selfie), translation: reqs.some((r) => r.translation) };
}

function checkRequest(ctx: CallContext, params: TlObject): Checked {
  const bot = botRegistry(ctx.state).get(long(params, 'bot_id'));
  if (!bot) throw new RpcError(400, 'BOT_INVALID');
  const pem = str(params, 'public_key');
  if (pem.trim() === '') throw new RpcError(400, 'PUBLIC_KEY_REQUIRED');
  let same: boolean;
  try {
    const given = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    same = given.equals(bot.key.export({ type: 'spki', format: 'der' }));
  } catch {
    same = false; // not a key at all
  }
  if (!same) throw new RpcError(400, 'PUBLIC_KEY_INVALID');
  const items = readScope(str(params, 'scope'));
  if (items.length === 0) throw new RpcError(400, 'SCOPE_EMPTY');
  const tlTypes = new Set(items.flatMap((i) => ('one' in i ? [i.one.tl] : i.oneOf.map((r) => r.tl))));
  return { bot, items, tlTypes };
}

const b64 = (b: Buffer): string => b.toString('base64');

/** The service's errors that still apply: each names a hash the current value still has. */
function liveErrors(bot: LoopbackBot, userId: bigint, values: ReadonlyMap<string, SecureValueRecord>, files: ReadonlyMap<bigint, SecureFileRecord>, tlTypes: Set<string>): TlObject[] {
  const out: TlObject[] = [];
  for (const e of bot.errors.get(userId) ?? []) {
    const tl = TL_OF[e.type];
    if (tl === undefined || !tlTypes.has(tl)) continue;
    const v = values.get(tl);
    if (!v) continue;
    const fileHashes = (ids: (bigint | undefined)[]): string[] => ids.flatMap((id) => (id === undefined ? [] : [b64(files.get(id)?.fileHash ?? Buffer.alloc(0))]));
    const type = { _: tl };
    const tlError = errorObject(e, type, v, fileHashes);
    if (tlError) out.push(tlError);
  }
  return out;
}

function errorObject(e: BotPassportError, type: TlObject, v: SecureValueRecord, hashesOf: (ids: (bigint | undefined)[]) => string[]): TlObject | null {
  const h = (s: string): Buffer => Buffer.from(s, 'base64');
  switch (e.source) {
    case 'data':
      return v.data && b64(v.data.dataHash) === e.data_hash ? { _: 'secureValueErrorData', type, data_hash: h(e.data_hash), field: e.field_name, text: e.message } : null;
    case 'front_side':
    case 'reverse_side':
    case 'selfie': {
      const id = e.source === 'front_side' ? v.frontSide : e.source === 'reverse_side' ? v.reverseSide : v.selfie;
      const ctor = e.source === 'front_side' ? 'secureValueErrorFrontSide' : e.source === 'reverse_side' ? 'secureValueErrorReverseSide' : 'secureValueErrorSelfie';
      return hashesOf([id]).includes(e.file_hash) ? { _: ctor, type, file_hash: h(e.file_hash), text: e.message } : null;
    }
    case 'file':
      return hashesOf(v.files ?? []).includes(e.file_hash) ? { _: 'secureValueErrorFile', type, file_hash: h(e.file_hash), text: e.message } : null;
    case 'translation_file':
      return hashesOf(v.translation ?? []).includes(e.file_hash) ? { _: 'secureValueErrorTranslationFile', type, file_hash: h(e.file_hash), text: e.message } : null;
    case 'files':
    case 'translation_files': {
      const current = hashesOf((e.source === 'files' ? v.files : v.translation) ?? []);
      const ctor = e.source === 'files' ? 'secureValueErrorFiles' : 'secureValueErrorTranslationFiles';
      return e.file_hashes.length > 0 && e.file_hashes.every((x) => current.includes(x)) ? { _: ctor, type, file_hash: e.file_hashes.map(h), text: e.message } : null;
    }
    case 'unspecified':
      return b64(v.hash) === e.element_hash ? { _: 'secureValueError', type, hash: h(e.element_hash), text: e.message } : null;
  }
}

function passportFile(f: SecureFileRecord | undefined): ReceivedPassportFile {
  if (!f) throw new RpcError(400, 'SECURE_FILE_INVALID');
  return { file_id: `secure:${f.id}`, file_unique_id: `u${BigInt.asUintN(64, f.id).toString(36)}`, file_size: f.size, file_date: f.date };
}

/**
 * A value as the Bot API hands it to the bot: EncryptedPassportElement. The selfie and the
 * translations are "available if requested" (Bot API docs): left out unless the scope asked.
 */
function receivedElement(v: SecureValueRecord, files: ReadonlyMap<bigint, SecureFileRecord>, tl: string, asked: { selfie: boolean; translation: boolean }): ReceivedElement {
  const type = API_OF[tl] as string;
  const out: ReceivedElement = { type, hash: b64(v.hash) };
  if (v.data) out.data = b64(v.data.data);
  if (v.plain?.kind === 'phone') out.phone_number = v.plain.value;
  if (v.plain?.kind === 'email') out.email = v.plain.value;
  const one = (id: bigint | undefined): ReceivedPassportFile | undefined => (id === undefined ? undefined : passportFile(files.get(id)));
  const front = one(v.frontSide);
  if (front) out.front_side = front;
  const reverse = one(v.reverseSide);
  if (reverse) out.reverse_side = reverse;
  const selfie = asked.selfie ? one(v.selfie) : undefined;
  if (selfie) out.selfie = selfie;
  if (v.files?.length) out.files = v.files.map((id) => passportFile(files.get(id)));
  if (asked.translation && v.translation?.length) out.translation = v.translation.map((id) => passportFile(files.get(id)));
  return out;
}

function typeOf(t: TlValue): string {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || Buffer.isBuffer(t) || API_OF[t._] === undefined) throw new RpcError(400, 'SECURE_TYPE_INVALID');
  return t._;
}

export const authorizationMethods: MethodTable = {
  'account.getAuthorizationForm': (ctx, params) => {
    const user = requireUser(ctx);
    const { bot, items, tlTypes } = checkRequest(ctx, params);
    const values = [...user.secureValues.values()].filter((v) => tlTypes.has(v.type));
    return {
      _: 'account.authorizationForm',
      required_types: items.map((i) => ('one' in i ? requiredTypeObject(i.one) : { _: 'secureRequiredTypeOneOf', types: i.oneOf.map(requiredTypeObject) })),
      values: values.map((v) => secureValueObject(v, ctx.state.secureFiles)),
      errors: liveErrors(bot, user.id, user.secureValues, ctx.state.secureFiles, tlTypes),
      users: [botUserObject(bot)],
      ...(bot.privacyPolicyUrl !== undefined ? { privacy_policy_url: bot.privacyPolicyUrl } : {}),
    };
  },

  'account.acceptAuthorization': (ctx, params) => {
    const user = requireUser(ctx);
    const { bot, items, tlTypes } = checkRequest(ctx, params);
    const valueHashes: { type: string; hash: Buffer }[] = [];
    const elements: ReceivedElement[] = [];
    for (const entry of vec(params, 'value_hashes')) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || Buffer.isBuffer(entry)) throw new RpcError(400, 'INPUT_REQUEST_INVALID');
      const tl = typeOf(entry.type);
      const hash = bytes(entry, 'hash');
      const value = user.secureValues.get(tl);
      if (!tlTypes.has(tl) || !value || !value.hash.equals(hash) || valueHashes.some((h) => h.type === tl)) throw new RpcError(400, 'SECURE_VALUE_HASH_INVALID');
      valueHashes.push({ type: tl, hash: Buffer.from(hash) });
      elements.push(receivedElement(value, ctx.state.secureFiles, tl, askedFor(items, tl)));
    }
    const c = obj(params, 'credentials');
    const data = bytes(c, 'data');
    const hash = bytes(c, 'hash');
    const secret = bytes(c, 'secret');
    const modulusBytes = Math.ceil((bot.key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
    if (data.length === 0 || data.length % 16 !== 0 || hash.length !== 32 || secret.length !== modulusBytes) throw new RpcError(400, 'SECURE_CREDENTIALS_INVALID');
    const credentials = { data: Buffer.from(data), hash: Buffer.from(hash), secret: Buffer.from(secret) };
    bot.received.push({
      userId: user.id,
      at: Math.floor(Date.now() / 1000),
      scope: str(params, 'scope'),
      publicKey: str(params, 'public_key'),
      valueHashes,
      credentials,
      passportData: { data: elements, credentials: { data: b64(credentials.data), hash: b64(credentials.hash), secret: b64(credentials.secret) } },
    });
    return true;
  },
};

/** The encrypted bytes behind a PassportFile id the bot got (what getFile would download). */
export function botFileBytes(ctx: { state: CallContext['state'] }, fileId: string): Buffer {
  const m = /^secure:(-?\d+)$/.exec(fileId);
  const f = m ? ctx.state.secureFiles.get(BigInt(m[1] as string)) : undefined;
  if (!f) throw new Error(`no secure file ${fileId}`);
  return f.bytes;
}
