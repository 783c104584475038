/**
 * Passport authorization links → a validated AuthorizationRequest, or an AUTH_LINK_INVALID error
 * that names the parameter and the reason. Never throws anything else (fast-checked).
 *
 * Accepted (PASSPORT-SPEC §5; tdesktop local_url_handlers, TDLib LinkManager, telegram-passport.js):
 *   tg://resolve?domain=telegrampassport&bot_id=…&scope=…&public_key=…&nonce=…&callback_url=…
 *   tg:resolve?…            (the JS SDK writes this on Android)
 *   tg://passport?…         (same parameters, no domain)
 *   passport-vault://resolve?… / passport-vault://passport?…   (our own scheme, same parameters)
 * Scheme and host are case-insensitive; `resolve/?` and `passport/?` are accepted as tdesktop does;
 * a `#fragment` ends the query.
 *
 * Decoding: percent-escapes are UTF-8; `+` stays `+` (tdesktop decodes with
 * QUrl::fromPercentEncoding, and keys and nonces are often base64), except where `+` can only be a
 * space a form encoder wrote: inside `scope` (JSON has no `+` outside strings, type names have none)
 * and in the key's BEGIN/END armour lines.
 *
 * nonce vs payload: tdesktop's rule — a scope that starts with `{` and ends with `}` takes
 * `nonce`, any other takes `payload` (the JS SDK also appends `payload=nonce` "for outdated apps").
 */
import { AppError } from '../errors';
import {
  AuthorizationRequestSchema,
  CallbackUrlSchema,
  INT64_MAX,
  MAX_LINK_LENGTH,
  type AuthorizationRequest,
} from './request';
import { parseScope, ScopeError } from './scope';

/** The parts of a link an error can be about. */
export type LinkParameter = 'link' | 'domain' | 'bot_id' | 'scope' | 'public_key' | 'nonce' | 'payload' | 'callback_url';

/** Telegram's own error for the same fault, so the service can be told (tg_passport=error&error=…). */
export type ServiceErrorCode = 'BOT_INVALID' | 'PUBLIC_KEY_REQUIRED' | 'PUBLIC_KEY_INVALID' | 'SCOPE_EMPTY' | 'PAYLOAD_EMPTY';

export const LINK_SCHEMES = ['tg', 'passport-vault'] as const;

function invalid(parameter: LinkParameter, reason: string, extra: { serviceError?: ServiceErrorCode; callbackUrl?: string | null } = {}): AppError {
  const details: Record<string, string> = { parameter, reason };
  if (extra.serviceError !== undefined) details['serviceError'] = extra.serviceError;
  if (extra.callbackUrl !== undefined && extra.callbackUrl !== null) details['callbackUrl'] = extra.callbackUrl;
  const what = parameter === 'link' ? 'This is not a usable Telegram Passport link' : `The link's ${parameter} ${reason}`;
  return new AppError('AUTH_LINK_INVALID', parameter === 'link' ? `${what}: ${reason}.` : `${what}.`, details);
}

const LINK_SHAPE = /^(tg|passport-vault):(?:\/\/)?(resolve|passport)\/?\?([^#]*)(?:#.*)?$/is;

/** Splits a query into name → raw value; a name given twice is an error (clients disagree on which wins). */
function splitQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      continue; // a parameter whose very name is garbage cannot be one we read
    }
    if (params.has(name) && isKnown(name)) throw invalid(name as LinkParameter, 'is given twice');
    if (!params.has(name)) params.set(name, eq < 0 ? '' : pair.slice(eq + 1));
  }
  return params;
}

const KNOWN = new Set(['domain', 'bot_id', 'scope', 'public_key', 'nonce', 'payload', 'callback_url']);
const isKnown = (name: string): boolean => KNOWN.has(name);

function decode(parameter: LinkParameter, raw: string, plusIsSpace = false): string {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replaceAll('+', ' ') : raw);
  } catch {
    throw invalid(parameter, 'has a broken %-escape (not UTF-8)');
  }
}

function botId(raw: string | undefined, callbackUrl: string | null): string {
  const cb = { serviceError: 'BOT_INVALID' as const, callbackUrl };
  if (raw === undefined || raw === '') throw invalid('bot_id', 'is missing', cb);
  const text = decode('bot_id', raw);
  if (!/^\d+$/.test(text)) throw invalid('bot_id', `is not a decimal number ("${text.slice(0, 24)}")`, cb);
  const n = BigInt(text);
  if (n === 0n) throw invalid('bot_id', 'is 0', cb);
  if (n > INT64_MAX) throw invalid('bot_id', 'does not fit in 64 bits', cb);
  return n.toString();
}

const PEM = /^-----BEGIN (RSA )?PUBLIC KEY-----\n([^-]+)\n-----END (RSA )?PUBLIC KEY-----$/;

function publicKey(raw: string | undefined, callbackUrl: string | null): string {
  if (raw === undefined || raw === '') throw invalid('public_key', 'is missing', { serviceError: 'PUBLIC_KEY_REQUIRED', callbackUrl });
  const cb = { serviceError: 'PUBLIC_KEY_INVALID' as const, callbackUrl };
  // tdesktop FormController:199-203 normalises \r\n and sends the rest as it came; only the check trims.
  // A form encoder (PHP http_build_query, Python urlencode) writes the armour's spaces as `+`; the
  // base64 body has no spaces, so only the armour lines are put back.
  const key = decode('public_key', raw)
    .replaceAll('\r\n', '\n')
    .replace(/^-----(BEGIN|END)\+(RSA\+)?PUBLIC\+KEY-----$/gm, (_m, edge: string, rsa: string | undefined) => `-----${edge} ${rsa === undefined ? '' : 'RSA '}PUBLIC KEY-----`);
  const m = PEM.exec(key.trim());
  if (m === null) throw invalid('public_key', 'is not a PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)', cb);
  if ((m[1] ?? '') !== (m[3] ?? '')) throw invalid('public_key', 'has mismatched BEGIN and END lines', cb);
  const body = (m[2] ?? '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) throw invalid('public_key', 'has a body that is not base64', cb);
  // A 1024-bit key's SPKI is 162 bytes; anything shorter cannot be an RSA key worth encrypting to.
  if ((body.length / 4) * 3 < 140) throw invalid('public_key', 'is too short to be an RSA public key', cb);
  return key;
}

function callback(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const url = decode('callback_url', raw);
  if (!CallbackUrlSchema.safeParse(url).success) {
    throw invalid('callback_url', 'must be an absolute http(s) URL without a user name or password');
  }
  return url;
}

/** Parses a Passport link. Throws only AppError('AUTH_LINK_INVALID', …, { parameter, reason, … }). */
export function parseAuthorizationLink(input: string): AuthorizationRequest {
  const link = input.trim();
  if (link === '') throw invalid('link', 'it is empty');
  if (link.length > MAX_LINK_LENGTH) throw invalid('link', `it is longer than ${MAX_LINK_LENGTH} characters`);
  const shape = LINK_SHAPE.exec(link);
  if (shape === null) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(link)?.[1]?.toLowerCase();
    if (scheme === undefined) throw invalid('link', 'it does not start with tg: or passport-vault:');
    if (!(LINK_SCHEMES as readonly string[]).includes(scheme)) throw invalid('link', `its scheme is "${scheme}:", not tg: or passport-vault:`);
    throw invalid('link', 'it is neither a resolve?domain=telegrampassport link nor a passport? link');
  }
  const scheme = (shape[1] as string).toLowerCase() as AuthorizationRequest['scheme'];
  const dialect = (shape[2] as string).toLowerCase() as AuthorizationRequest['dialect'];
  const params = splitQuery(shape[3] as string);

  if (dialect === 'resolve') {
    const domain = params.get('domain');
    if (domain === undefined || domain === '') throw invalid('domain', 'is missing (a resolve link needs domain=telegrampassport)');
    const name = decode('domain', domain);
    if (name.toLowerCase() !== 'telegrampassport') throw invalid('domain', `is "${name.slice(0, 40)}", not telegrampassport: this link opens a chat, not a Passport request`);
  }

  // The callback first: a request that fails later can still tell the service why.
  const callbackUrl = callback(params.get('callback_url'));
  const id = botId(params.get('bot_id'), callbackUrl);

  const rawScope = params.get('scope');
  if (rawScope === undefined || rawScope === '') throw invalid('scope', 'is missing', { serviceError: 'SCOPE_EMPTY', callbackUrl });
  const scopeText = decode('scope', rawScope, true).trim();
  let scope: ReturnType<typeof parseScope>;
  try {
    scope = parseScope(scopeText);
  } catch (e) {
    if (!(e instanceof ScopeError)) throw e;
    const empty = scopeText === '' || /requests nothing/.test(e.message);
    throw invalid('scope', e.message, empty ? { serviceError: 'SCOPE_EMPTY', callbackUrl } : { callbackUrl });
  }

  const key = publicKey(params.get('public_key'), callbackUrl);

  const nonceKey = scopeText.startsWith('{') && scopeText.endsWith('}') ? 'nonce' : 'payload';
  const rawNonce = params.get(nonceKey);
  if (rawNonce === undefined || rawNonce === '') {
    const other = nonceKey === 'nonce' ? 'payload' : 'nonce';
    const hint = params.has(other)
      ? ` (a ${nonceKey === 'nonce' ? '{…} scope takes nonce; payload' : 'legacy list scope takes payload; nonce'} is for the other kind)`
      : '';
    throw invalid(nonceKey, `is missing${hint}`, { serviceError: 'PAYLOAD_EMPTY', callbackUrl });
  }
  const nonce = decode(nonceKey, rawNonce);

  const parsed = AuthorizationRequestSchema.safeParse({
    botId: id,
    scope: scope.items,
    scopeText,
    scopeFormat: scope.format,
    publicKey: key,
    nonceKey,
    nonce,
    callbackUrl,
    dialect,
    scheme,
  });
  if (!parsed.success) {
    // Each field was checked above; this is the schema's last word (lengths), named by its path.
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'link');
    const parameter: LinkParameter =
      field === 'nonce' ? nonceKey : field === 'scopeText' || field === 'scope' ? 'scope' : field === 'publicKey' ? 'public_key' : 'link';
    throw invalid(parameter, `is not acceptable (${issue?.message ?? 'invalid'})`);
  }
  return parsed.data;
}

export type LinkParseResult = { ok: true; request: AuthorizationRequest } | { ok: false; error: AppError };

/** parseAuthorizationLink as a value (for the renderer's paste and drop). */
export function tryParseAuthorizationLink(input: string): LinkParseResult {
  try {
    return { ok: true, request: parseAuthorizationLink(input) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e };
    throw e;
  }
}

/** A link the OS or a person handed us that looks like ours (cheap check before a full parse). */
export function looksLikeAuthorizationLink(text: string): boolean {
  return /^\s*(tg|passport-vault):(\/\/)?(resolve|passport)\/?\?/i.test(text);
}
