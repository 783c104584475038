/**
 * Passport links shaped like the ones real services send, built the way each SDK builds them:
 * telegram-passport.js (packScope + encodeURIComponent, `tg:` on Android, `&payload=nonce` appended),
 * the object form the Android/iOS SDKs and the docs use, legacy list scopes with `payload`, and links
 * written by scripts (Python's urlencode turns spaces into `+`; hand-made ones leave `+` raw).
 */
import { generateKeyPairSync } from 'node:crypto';

const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
/** An SPKI PEM, as `openssl rsa -pubout` writes it (what @BotFather /setpublickey takes). */
export const SPKI_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
/** The same key as PKCS#1 ("BEGIN RSA PUBLIC KEY"), which tdesktop also accepts. */
export const PKCS1_PEM = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const SDK_ALIASES: Record<string, string> = {
  personal_details: 'pd',
  passport: 'pp',
  driver_license: 'dl',
  identity_card: 'ic',
  internal_passport: 'ip',
  id_document: 'idd',
  address: 'ad',
  utility_bill: 'ub',
  bank_statement: 'bs',
  rental_agreement: 'ra',
  passport_registration: 'pr',
  temporary_registration: 'tr',
  address_document: 'add',
  phone_number: 'pn',
  email: 'em',
};

type JsonObject = { [k: string]: Json };

/** telegram-passport.js packScopeOpts: truthy flags become s/t/n = 1 (in the SDK's key order). */
function packOpts(o: JsonObject): JsonObject {
  const truthy = (v: Json | undefined): boolean => v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
  if (truthy(o['selfie'])) {
    o['s'] = 1;
    delete o['selfie'];
  }
  if (truthy(o['translation'])) {
    o['t'] = 1;
    delete o['translation'];
  }
  if (truthy(o['native_names'])) {
    o['n'] = 1;
    delete o['native_names'];
  }
  return o;
}

/** telegram-passport.js packScopeField, mutating like the SDK does (so keys come out in its order). */
function packField(field: Json): Json {
  if (typeof field === 'string') return SDK_ALIASES[field] ?? field;
  if (field === null || typeof field !== 'object' || Array.isArray(field)) return field;
  if (field['one_of'] !== undefined) {
    field['_'] = field['one_of'];
    delete field['one_of'];
  } else if (field['type'] !== undefined) {
    field['_'] = field['type'];
    delete field['type'];
  }
  const target = field['_'];
  if (Array.isArray(target)) {
    for (let j = 0; j < target.length; j++) target[j] = packField(target[j] as Json);
    return packOpts(field);
  }
  if (typeof target === 'string') {
    field['_'] = SDK_ALIASES[target] ?? target;
    return packOpts(field);
  }
  return field;
}

/** telegram-passport.js packScope on a copy: `data` moves to a new `d` key (after `v`), fields packed. */
export function packScope(input: { data: Json[]; v: number }): string {
  const scope = structuredClone(input) as JsonObject;
  scope['d'] = scope['data'] as Json;
  delete scope['data'];
  const d = scope['d'] as Json[];
  for (let i = 0; i < d.length; i++) d[i] = packField(d[i] as Json);
  return JSON.stringify(scope);
}

export interface LinkParts {
  bot_id?: string;
  scope?: string;
  public_key?: string;
  nonce?: string;
  payload?: string;
  callback_url?: string;
}

/** The JS SDK's URL: fixed parameter order, encodeURIComponent, and the legacy `payload=nonce`. */
export function jsSdkLink(o: { bot_id: string; scope: { data: Json[]; v: number }; public_key: string; nonce: string; callback_url?: string }, android = false): string {
  let url =
    `${android ? 'tg:' : 'tg://'}resolve?domain=telegrampassport` +
    `&bot_id=${encodeURIComponent(o.bot_id)}&scope=${encodeURIComponent(packScope(o.scope))}` +
    `&public_key=${encodeURIComponent(o.public_key)}&nonce=${encodeURIComponent(o.nonce)}`;
  if (o.callback_url !== undefined) url += `&callback_url=${encodeURIComponent(o.callback_url)}`;
  return `${url}&payload=nonce`;
}

/** Any prefix + parameters, each value through encodeURIComponent (what most server code does). */
export function link(prefix: string, parts: LinkParts & Record<string, string | undefined>): string {
  const q = Object.entries(parts)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${prefix}${q}`;
}

/** Python's urllib.parse.urlencode (quote_plus): spaces → `+`, `+` → %2B, `/` → %2F. */
export function pythonUrlencode(parts: Record<string, string>): string {
  return Object.entries(parts)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`)
    .join('&');
}
