/**
 * Passport authorization links: a table of real-world-shaped samples (every dialect the SDKs and
 * scripts produce, and malformed ones with the exact parameter and reason expected), the callback
 * URL rules, and properties: any string gives a request or an AUTH_LINK_INVALID error and nothing
 * else; the JS SDK's compact packing means exactly what the unpacked scope means.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  callbackUrlFor,
  parseAuthorizationLink,
  tryParseAuthorizationLink,
  type AuthorizationRequest,
  type RequiredItem,
  type RequiredType,
} from '../../../electron/common/authorization/index';
import { AppError } from '../../../electron/common/errors';
import { secureValueTypeInfo, SECURE_VALUE_TYPE_NAMES, type SecureValueTypeName } from '../../../electron/common/passport/secure-value-types';
import { jsSdkLink, link, PKCS1_PEM, pythonUrlencode, SPKI_PEM, type packScope } from '../../support/link-samples';

const one = (type: SecureValueTypeName, flags: Partial<Omit<RequiredType, 'type'>> = {}): RequiredItem => ({
  kind: 'type',
  type,
  selfie: false,
  translation: false,
  nativeNames: false,
  ...flags,
});
const member = (type: SecureValueTypeName, flags: Partial<Omit<RequiredType, 'type'>> = {}): RequiredType => ({
  type,
  selfie: false,
  translation: false,
  nativeNames: false,
  ...flags,
});
const oneOf = (...types: RequiredType[]): RequiredItem => ({ kind: 'one_of', types });
const ID_DOCUMENT = (flags: Partial<Omit<RequiredType, 'type'>> = {}): RequiredItem =>
  oneOf(member('passport', flags), member('driver_license', flags), member('identity_card', flags));

const NONCE = 'disdj92nj983je9823d982mjdmssmd9823ms892jd9823smdd9hs239sdm2389sd2389mdm';
const BOT = '543260180';
const OBJECT_SCOPE = { data: [{ type: 'identity_card', selfie: true }, 'personal_details', 'address', 'phone_number', 'email'], v: 1 };
const OBJECT_SCOPE_ITEMS = [one('identity_card', { selfie: true }), one('personal_details'), one('address'), one('phone_number'), one('email')];

interface Valid {
  name: string;
  link: string;
  expect: Partial<AuthorizationRequest>;
}

const VALID: Valid[] = [
  {
    name: 'JS SDK, desktop browser: tg://resolve, packed scope, nonce + legacy payload=nonce, callback',
    link: jsSdkLink({
      bot_id: BOT,
      scope: { data: [{ type: 'id_document', selfie: true }, 'personal_details', 'address', 'phone_number', 'email'], v: 1 },
      public_key: SPKI_PEM,
      nonce: NONCE,
      callback_url: 'https://example.com/passport/done?uid=42',
    }),
    expect: {
      botId: BOT,
      scopeFormat: 'compact',
      scopeText: '{"v":1,"d":[{"_":"idd","s":1},"pd","ad","pn","em"]}',
      scope: [ID_DOCUMENT({ selfie: true }), one('personal_details'), one('address'), one('phone_number'), one('email')],
      nonceKey: 'nonce',
      nonce: NONCE,
      publicKey: SPKI_PEM,
      callbackUrl: 'https://example.com/passport/done?uid=42',
      dialect: 'resolve',
      scheme: 'tg',
    },
  },
  {
    name: 'JS SDK on Android: tg:resolve without slashes',
    link: jsSdkLink({ bot_id: BOT, scope: OBJECT_SCOPE, public_key: SPKI_PEM, nonce: NONCE }, true),
    expect: { scopeFormat: 'compact', scope: OBJECT_SCOPE_ITEMS, callbackUrl: null, nonceKey: 'nonce' },
  },
  {
    name: 'object scope as the Android/iOS SDKs and the docs write it',
    link: link('tg://resolve?domain=telegrampassport&', { bot_id: BOT, scope: JSON.stringify(OBJECT_SCOPE), public_key: SPKI_PEM, nonce: NONCE }),
    expect: { scopeFormat: 'object', scope: OBJECT_SCOPE_ITEMS, scopeText: JSON.stringify(OBJECT_SCOPE), nonceKey: 'nonce' },
  },
  {
    name: 'tg://passport? with the same parameters',
    link: link('tg://passport?', { bot_id: BOT, scope: JSON.stringify(OBJECT_SCOPE), public_key: SPKI_PEM, nonce: NONCE }),
    expect: { dialect: 'passport', scope: OBJECT_SCOPE_ITEMS },
  },
  {
    name: 'our own scheme: passport-vault://passport?',
    link: link('passport-vault://passport?', { bot_id: BOT, scope: JSON.stringify(OBJECT_SCOPE), public_key: SPKI_PEM, nonce: NONCE }),
    expect: { scheme: 'passport-vault', dialect: 'passport' },
  },
  {
    name: 'legacy list scope with payload (pre-2018-08 SDKs)',
    link: link('tg://resolve?domain=telegrampassport&', { bot_id: BOT, scope: '["personal_details","passport","phone_number"]', public_key: SPKI_PEM, payload: 'order-77' }),
    expect: { scopeFormat: 'legacy', nonceKey: 'payload', nonce: 'order-77', scope: [one('personal_details'), one('passport'), one('phone_number')] },
  },
  {
    name: 'legacy scope as comma-separated text (an array concatenated into the URL)',
    link: `tg://resolve?domain=telegrampassport&bot_id=${BOT}&scope=personal_details,address,utility_bill&public_key=${encodeURIComponent(SPKI_PEM)}&payload=p1`,
    expect: { scopeFormat: 'legacy', nonceKey: 'payload', scope: [one('personal_details'), one('address'), one('utility_bill')] },
  },
  {
    name: 'legacy scope with an alias, and a nonce parameter that a legacy scope ignores',
    link: link('tg://resolve?domain=telegrampassport&', { bot_id: BOT, scope: '["id_document"]', public_key: SPKI_PEM, payload: 'pl', nonce: 'ignored' }),
    expect: { nonceKey: 'payload', nonce: 'pl', scope: [ID_DOCUMENT()] },
  },
  {
    name: 'aliases id_document and address_document expand to their one_of lists',
    link: link('tg://passport?', { bot_id: BOT, scope: '{"data":["id_document",{"type":"address_document","translation":true}],"v":1}', public_key: SPKI_PEM, nonce: 'n' }),
    expect: {
      scope: [
        ID_DOCUMENT(),
        oneOf(member('utility_bill', { translation: true }), member('bank_statement', { translation: true }), member('rental_agreement', { translation: true })),
      ],
    },
  },
  {
    name: 'one_of with per-member flags, outer flags applied to every member, native names',
    link: link('tg://passport?', {
      bot_id: BOT,
      scope: JSON.stringify({ data: [{ one_of: ['passport', { type: 'driver_license', selfie: true }], translation: true }, { type: 'personal_details', native_names: true }], v: 1 }),
      public_key: SPKI_PEM,
      nonce: 'n',
    }),
    expect: {
      scope: [oneOf(member('passport', { translation: true }), member('driver_license', { selfie: true, translation: true })), one('personal_details', { nativeNames: true })],
    },
  },
  {
    name: 'the same, packed by the JS SDK (nested one_of members packed too)',
    link: jsSdkLink({
      bot_id: BOT,
      scope: { data: [{ one_of: ['passport', { type: 'driver_license', selfie: true }], translation: true }, { type: 'personal_details', native_names: true }], v: 1 },
      public_key: SPKI_PEM,
      nonce: 'n',
    }),
    expect: {
      scopeText: '{"v":1,"d":[{"_":["pp",{"_":"dl","s":1}],"t":1},{"_":"pd","n":1}]}',
      scope: [oneOf(member('passport', { translation: true }), member('driver_license', { selfie: true, translation: true })), one('personal_details', { nativeNames: true })],
    },
  },
  {
    name: 'every short alias of the SDK',
    link: link('tg://passport?', { bot_id: BOT, scope: '{"d":["pd","pp","dl","ic","ip","ad","ub","bs","ra","pr","tr","pn","em"],"v":1}', public_key: SPKI_PEM, nonce: 'n' }),
    expect: { scope: SECURE_VALUE_TYPE_NAMES.map((t) => one(t)) },
  },
  {
    name: 'bot_id beyond 32 bits, and the largest int64',
    link: link('tg://passport?', { bot_id: '9223372036854775807', scope: '{"data":["email"],"v":1}', public_key: SPKI_PEM, nonce: 'n' }),
    expect: { botId: '9223372036854775807' },
  },
  {
    name: 'bot_id with leading zeros is the same bot',
    link: link('tg://passport?', { bot_id: '0005000000000123', scope: '{"data":["email"],"v":1}', public_key: SPKI_PEM, nonce: 'n' }),
    expect: { botId: '5000000000123' },
  },
  {
    name: 'a PKCS#1 key with Windows line ends: \\r\\n becomes \\n',
    link: link('tg://passport?', { bot_id: BOT, scope: '{"data":["email"],"v":1}', public_key: PKCS1_PEM.replace(/\n/g, '\r\n'), nonce: 'n' }),
    expect: { publicKey: PKCS1_PEM },
  },
  {
    name: 'Python urlencode (quote_plus): + is a space inside the scope JSON, %2B stays + in the key',
    link: `tg://resolve?domain=telegrampassport&${pythonUrlencode({ bot_id: BOT, scope: '{"data": ["passport", "email"], "v": 1}', public_key: SPKI_PEM, nonce: 'a b' })}`,
    expect: { scopeText: '{"data": ["passport", "email"], "v": 1}', scope: [one('passport'), one('email')], publicKey: SPKI_PEM, nonce: 'a+b' },
  },
  {
    name: 'a hand-made link with the key not encoded at all: raw + in base64 is kept',
    link: `tg://passport?bot_id=${BOT}&scope={"data":["email"],"v":1}&public_key=${SPKI_PEM.replace(/\n/g, '%0A')}&nonce=x+y/z=`,
    expect: { publicKey: SPKI_PEM, nonce: 'x+y/z=' },
  },
  {
    name: 'upper-case scheme and host, mixed-case domain, resolve/?, a #fragment and unknown parameters',
    link: link('TG://RESOLVE/?domain=TelegramPassport&utm_source=mail&', { bot_id: BOT, scope: '{"data":["email"],"v":1}', public_key: SPKI_PEM, nonce: 'n' }) + '#top',
    expect: { scheme: 'tg', dialect: 'resolve', nonce: 'n' },
  },
  {
    name: 'flags a type cannot honour are dropped (selfie of an address, native names of a passport)',
    link: link('tg://passport?', { bot_id: BOT, scope: '{"data":[{"type":"address","selfie":true,"translation":true},{"type":"passport","native_names":true,"selfie":false}],"v":1}', public_key: SPKI_PEM, nonce: 'n' }),
    expect: { scope: [one('address'), one('passport')] },
  },
  {
    name: 'a single-page app callback with a hash route',
    link: link('tg://passport?', { bot_id: BOT, scope: '{"data":["email"],"v":1}', public_key: SPKI_PEM, nonce: 'n', callback_url: 'https://kyc.example/#/passport?step=2' }),
    expect: { callbackUrl: 'https://kyc.example/#/passport?step=2' },
  },
  {
    name: 'surrounding whitespace from a paste',
    link: `  \n${link('tg://passport?', { bot_id: BOT, scope: '{"data":["email"],"v":1}', public_key: SPKI_PEM, nonce: 'n' })}\n `,
    expect: { botId: BOT },
  },
];

interface Invalid {
  name: string;
  link: string;
  parameter: string;
  reason: RegExp;
  serviceError?: string;
}

const base = { bot_id: BOT, scope: '{"data":["passport"],"v":1}', public_key: SPKI_PEM, nonce: NONCE };
const resolve = (over: Record<string, string | undefined>): string => link('tg://resolve?domain=telegrampassport&', { ...base, ...over });

const INVALID: Invalid[] = [
  { name: 'empty', link: '   ', parameter: 'link', reason: /empty/ },
  { name: 'a web page', link: 'https://example.com/kyc', parameter: 'link', reason: /scheme is "https:"/ },
  { name: 'plain text', link: 'hello world', parameter: 'link', reason: /does not start with tg: or passport-vault:/ },
  { name: 'another tg: link', link: 'tg://msg?text=hi', parameter: 'link', reason: /neither a resolve\?domain=telegrampassport link nor a passport\? link/ },
  { name: 'a chat, not Passport', link: 'tg://resolve?domain=durov', parameter: 'domain', reason: /"durov", not telegrampassport/ },
  { name: 'resolve without domain', link: link('tg://resolve?', base), parameter: 'domain', reason: /missing/ },
  { name: 'no bot_id', link: resolve({ bot_id: undefined }), parameter: 'bot_id', reason: /missing/, serviceError: 'BOT_INVALID' },
  { name: 'bot_id not a number', link: resolve({ bot_id: 'mybot' }), parameter: 'bot_id', reason: /not a decimal number/, serviceError: 'BOT_INVALID' },
  { name: 'negative bot_id', link: resolve({ bot_id: '-5' }), parameter: 'bot_id', reason: /not a decimal number/, serviceError: 'BOT_INVALID' },
  { name: 'bot_id in exponent form', link: resolve({ bot_id: '1e9' }), parameter: 'bot_id', reason: /not a decimal number/ , serviceError: 'BOT_INVALID' },
  { name: 'bot_id 0', link: resolve({ bot_id: '0' }), parameter: 'bot_id', reason: /is 0/ , serviceError: 'BOT_INVALID' },
  { name: 'bot_id over int64', link: resolve({ bot_id: '9223372036854775808' }), parameter: 'bot_id', reason: /64 bits/ , serviceError: 'BOT_INVALID' },
  { name: 'no scope', link: resolve({ scope: undefined }), parameter: 'scope', reason: /missing/, serviceError: 'SCOPE_EMPTY' },
  { name: 'empty data', link: resolve({ scope: '{"data":[],"v":1}' }), parameter: 'scope', reason: /requests nothing/, serviceError: 'SCOPE_EMPTY' },
  { name: 'empty legacy list', link: resolve({ scope: '[]', payload: 'p' }), parameter: 'scope', reason: /requests nothing/, serviceError: 'SCOPE_EMPTY' },
  { name: 'unknown type, with its place', link: resolve({ scope: '{"data":["passport","selfie_card"],"v":1}' }), parameter: 'scope', reason: /data\[1\]: unknown type "selfie_card"/ },
  { name: 'unknown short alias', link: resolve({ scope: '{"d":["pp","zz"],"v":1}' }), parameter: 'scope', reason: /d\[1\]: unknown type "zz"/ },
  { name: 'broken JSON', link: resolve({ scope: '{"data":["passport"' }), parameter: 'scope', reason: /not valid JSON/ },
  { name: 'data not a list', link: resolve({ scope: '{"data":"passport","v":1}' }), parameter: 'scope', reason: /"data" must be a list/ },
  { name: 'no data', link: resolve({ scope: '{"v":1}' }), parameter: 'scope', reason: /no "data" list/ },
  { name: 'both data and d', link: resolve({ scope: '{"data":["email"],"d":["em"],"v":1}' }), parameter: 'scope', reason: /both "data" and "d"/ },
  { name: 'unknown version', link: resolve({ scope: '{"data":["email"],"v":2}' }), parameter: 'scope', reason: /version number 2 is not supported/ },
  { name: 'empty one_of', link: resolve({ scope: '{"data":[{"one_of":[]}],"v":1}' }), parameter: 'scope', reason: /data\[0\]: one_of is empty/ },
  { name: 'one_of inside one_of', link: resolve({ scope: '{"d":[{"_":["pp",{"_":["dl","ic"]}]}],"v":1}' }), parameter: 'scope', reason: /d\[0\]\.one_of\[1\]: a one_of cannot contain another one_of/ },
  { name: 'element neither type nor one_of', link: resolve({ scope: '{"data":[{"selfie":true}],"v":1}' }), parameter: 'scope', reason: /data\[0\]: has neither "type" nor "one_of"/ },
  { name: 'element a number', link: resolve({ scope: '{"data":[7],"v":1}' }), parameter: 'scope', reason: /data\[0\]: must be a type or an object, not number 7/ },
  { name: 'flag not boolean', link: resolve({ scope: '{"data":[{"type":"passport","selfie":"yes"}],"v":1}' }), parameter: 'scope', reason: /"selfie" must be true or false/ },
  { name: 'scope a string', link: resolve({ scope: '"passport"' }), parameter: 'scope', reason: /not "passport"/ },
  { name: 'no public key', link: resolve({ public_key: undefined }), parameter: 'public_key', reason: /missing/, serviceError: 'PUBLIC_KEY_REQUIRED' },
  { name: 'public key not PEM', link: resolve({ public_key: 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' }), parameter: 'public_key', reason: /not a PEM public key/, serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'a private key by mistake', link: resolve({ public_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' }), parameter: 'public_key', reason: /not a PEM public key/, serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'public key with its newlines lost', link: resolve({ public_key: SPKI_PEM.replace(/\n/g, ' ') }), parameter: 'public_key', reason: /not a PEM public key/ , serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'public key body not base64', link: resolve({ public_key: SPKI_PEM.replace(/\nMI../, '\n!!!!') }), parameter: 'public_key', reason: /not base64/ , serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'public key too short', link: resolve({ public_key: '-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\n-----END PUBLIC KEY-----' }), parameter: 'public_key', reason: /too short/ , serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'BEGIN and END disagree', link: resolve({ public_key: SPKI_PEM.replace('END PUBLIC', 'END RSA PUBLIC') }), parameter: 'public_key', reason: /mismatched/ , serviceError: 'PUBLIC_KEY_INVALID' },
  { name: 'object scope without nonce (only the SDK\'s payload=nonce)', link: resolve({ nonce: undefined, payload: 'nonce' }), parameter: 'nonce', reason: /missing \(a \{…\} scope takes nonce; payload is for the other kind\)/, serviceError: 'PAYLOAD_EMPTY' },
  { name: 'object scope with empty nonce', link: resolve({ nonce: '' }), parameter: 'nonce', reason: /missing/, serviceError: 'PAYLOAD_EMPTY' },
  { name: 'legacy scope without payload', link: resolve({ scope: '["passport"]', nonce: 'n' }), parameter: 'payload', reason: /legacy list scope takes payload/, serviceError: 'PAYLOAD_EMPTY' },
  { name: 'javascript: callback', link: resolve({ callback_url: 'javascript:alert(1)' }), parameter: 'callback_url', reason: /http\(s\)/ },
  { name: 'iOS SDK app callback (tgbotN://)', link: resolve({ callback_url: 'tgbot543260180://passport' }), parameter: 'callback_url', reason: /http\(s\)/ },
  { name: 'callback with credentials', link: resolve({ callback_url: 'https://user:pw@example.com/cb' }), parameter: 'callback_url', reason: /without a user name/ },
  { name: 'relative callback', link: resolve({ callback_url: '/cb' }), parameter: 'callback_url', reason: /absolute/ },
  { name: 'broken %-escape', link: resolve({ nonce: undefined }) + '&nonce=%E0%A4%A', parameter: 'nonce', reason: /broken %-escape/ },
  { name: 'a parameter given twice', link: resolve({}) + '&nonce=other', parameter: 'nonce', reason: /given twice/ },
  { name: 'too long', link: resolve({ nonce: 'x'.repeat(9000) }), parameter: 'link', reason: /longer than 8192/ },
];

describe('Passport links: real-world samples', () => {
  for (const sample of VALID) {
    test(`accepts: ${sample.name}`, () => {
      const request = parseAuthorizationLink(sample.link);
      for (const [k, v] of Object.entries(sample.expect)) {
        assert.deepEqual(request[k as keyof AuthorizationRequest], v, `${k} of ${sample.link.slice(0, 120)}`);
      }
    });
  }
  for (const sample of INVALID) {
    test(`refuses: ${sample.name}`, () => {
      const r = tryParseAuthorizationLink(sample.link);
      assert.equal(r.ok, false, `expected an error for ${sample.link.slice(0, 120)}`);
      if (r.ok) return;
      assert.equal(r.error.code, 'AUTH_LINK_INVALID');
      assert.equal(r.error.details?.['parameter'], sample.parameter, r.error.message);
      assert.match(String(r.error.details?.['reason']), sample.reason, r.error.message);
      assert.equal(r.error.details?.['serviceError'], sample.serviceError);
      // The message a person reads names the parameter too.
      assert.ok(r.error.message.includes(sample.parameter === 'link' ? 'link' : sample.parameter), r.error.message);
    });
  }

  test('an error after the callback was read carries it, so the service can be told', () => {
    const r = tryParseAuthorizationLink(resolve({ bot_id: 'x', callback_url: 'https://example.com/cb' }));
    assert.ok(!r.ok);
    assert.equal(r.error.details?.['callbackUrl'], 'https://example.com/cb');
    assert.equal(r.error.details?.['serviceError'], 'BOT_INVALID');
  });

  test('the credentials key follows tdesktop: {…} → nonce; anything else → payload', () => {
    assert.equal(parseAuthorizationLink(resolve({})).nonceKey, 'nonce');
    assert.equal(parseAuthorizationLink(resolve({ scope: '["passport"]', payload: 'p' })).nonceKey, 'payload');
  });
});

describe('callback URLs', () => {
  const cases: [string, Parameters<typeof callbackUrlFor>[1], string][] = [
    ['https://example.com/cb', { kind: 'success' }, 'https://example.com/cb?tg_passport=success'],
    ['https://example.com/cb?uid=42', { kind: 'cancel' }, 'https://example.com/cb?uid=42&tg_passport=cancel'],
    ['https://example.com/cb?', { kind: 'success' }, 'https://example.com/cb?tg_passport=success'],
    ['https://example.com/cb?a=1&', { kind: 'success' }, 'https://example.com/cb?a=1&tg_passport=success'],
    ['http://localhost:8080/cb', { kind: 'error', code: 'BOT_INVALID' }, 'http://localhost:8080/cb?tg_passport=error&error=BOT_INVALID'],
    ['https://kyc.example/#/passport', { kind: 'success' }, 'https://kyc.example/#/passport?tg_passport=success'],
    ['https://kyc.example/#/passport?step=2', { kind: 'error', code: 'PUBLIC_KEY_INVALID' }, 'https://kyc.example/#/passport?step=2&tg_passport=error&error=PUBLIC_KEY_INVALID'],
    ['https://kyc.example/?a=1#top', { kind: 'cancel' }, 'https://kyc.example/?a=1#top?tg_passport=cancel'],
  ];
  for (const [url, outcome, expected] of cases) {
    test(`${url} + ${outcome.kind}`, () => assert.equal(callbackUrlFor(url, outcome), expected));
  }
});

const TYPES = [...SECURE_VALUE_TYPE_NAMES];
const flagsArb = fc.record({ selfie: fc.boolean(), translation: fc.boolean(), native_names: fc.boolean() }, { requiredKeys: [] });
type GenFlags = { selfie?: boolean; translation?: boolean; native_names?: boolean };
type GenElement = { kind: 'type'; type: SecureValueTypeName; flags: GenFlags; asString: boolean } | { kind: 'one_of'; members: { type: SecureValueTypeName; flags: GenFlags; asString: boolean }[]; flags: GenFlags };
const memberArb = fc.record({ type: fc.constantFrom(...TYPES), flags: flagsArb, asString: fc.boolean() });
const elementArb: fc.Arbitrary<GenElement> = fc.oneof(
  memberArb.map((m) => ({ kind: 'type' as const, ...m })),
  fc.record({ members: fc.uniqueArray(memberArb, { minLength: 1, maxLength: 4, selector: (m) => m.type }), flags: flagsArb }).map((o) => ({ kind: 'one_of' as const, ...o })),
);

/** What a generated element means, from the catalogue alone (which flags each type can honour). */
function expected(e: GenElement): RequiredItem {
  const req = (type: SecureValueTypeName, f: GenFlags): RequiredType => {
    const info = secureValueTypeInfo(type);
    return {
      type,
      selfie: f.selfie === true && info.fileSlots.includes('selfie'),
      translation: f.translation === true && info.translation,
      nativeNames: f.native_names === true && type === 'personal_details',
    };
  };
  if (e.kind === 'type') return { kind: 'type', ...req(e.type, e.asString ? {} : e.flags) };
  return {
    kind: 'one_of',
    types: e.members.map((m) => {
      const inner = m.asString ? {} : m.flags;
      return req(m.type, { selfie: e.flags.selfie === true || inner.selfie === true, translation: e.flags.translation === true || inner.translation === true, native_names: e.flags.native_names === true || inner.native_names === true });
    }),
  };
}

function toJson(e: GenElement): unknown {
  const obj = (type: string, flags: GenFlags, asString: boolean): unknown => (asString ? type : { type, ...flags });
  if (e.kind === 'type') return obj(e.type, e.flags, e.asString);
  return { one_of: e.members.map((m) => obj(m.type, m.flags, m.asString)), ...e.flags };
}

describe('Passport links: properties', () => {
  test('any string: a valid request or AUTH_LINK_INVALID with a parameter, never another throw', () => {
    const prefixes = ['', 'tg://resolve?domain=telegrampassport&', 'tg:passport?', 'passport-vault://passport?', 'tg://resolve?'];
    const parameter = fc.constantFrom('bot_id', 'scope', 'public_key', 'nonce', 'payload', 'callback_url', 'domain', 'x');
    const value = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('1', '{"data":["email"],"v":1}', '[]', SPKI_PEM, '%', '%ZZ', '%E0', 'https://a.b/'));
    const query = fc.array(fc.tuple(parameter, value, fc.boolean()), { maxLength: 8 }).map((ps) => ps.map(([k, v, enc]) => `${k}=${enc ? encodeURIComponent(v) : v}`).join('&'));
    const arb = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.tuple(fc.constantFrom(...prefixes), query).map(([p, q]) => p + q));
    fc.assert(
      fc.property(arb, (s) => {
        let result: AuthorizationRequest | AppError;
        try {
          result = parseAuthorizationLink(s);
        } catch (e) {
          assert.ok(e instanceof AppError, `non-AppError thrown for ${JSON.stringify(s)}: ${String(e)}`);
          result = e;
        }
        if (result instanceof AppError) {
          assert.equal(result.code, 'AUTH_LINK_INVALID');
          assert.match(String(result.details?.['parameter']), /^(link|domain|bot_id|scope|public_key|nonce|payload|callback_url)$/);
          assert.ok(String(result.details?.['reason']).length > 0);
        } else {
          assert.ok(result.scope.length > 0 && result.nonce.length > 0 && /^[1-9]\d*$/.test(result.botId));
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('object scope and the JS SDK packing of it mean exactly what was generated', () => {
    fc.assert(
      fc.property(fc.array(elementArb, { minLength: 1, maxLength: 6 }), fc.string({ minLength: 1, maxLength: 30 }), (elements, nonce) => {
        const data = elements.map(toJson) as Parameters<typeof packScope>[0]['data'];
        const want = elements.map(expected);
        const plain = parseAuthorizationLink(link('tg://resolve?domain=telegrampassport&', { bot_id: BOT, scope: JSON.stringify({ data, v: 1 }), public_key: SPKI_PEM, nonce }));
        const packed = parseAuthorizationLink(jsSdkLink({ bot_id: BOT, scope: { data: structuredClone(data), v: 1 }, public_key: SPKI_PEM, nonce }));
        assert.deepEqual(plain.scope, want);
        assert.deepEqual(packed.scope, want);
        assert.equal(packed.scopeFormat, 'compact');
        assert.equal(packed.nonce, nonce);
        assert.equal(plain.nonce, nonce);
      }),
      { numRuns: 400 },
    );
  });
});
