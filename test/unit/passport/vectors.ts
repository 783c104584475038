/**
 * Loads the third-party Passport test vectors (see their README.md). They are never copied into
 * the repo: the default is `<repo>/../shared/vectors`, `PASSPORT_VECTORS_DIR` overrides it. When
 * the folder is missing every test that needs it FAILS with a message saying where to get it;
 * nothing is skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  return process.env.PASSPORT_VAULT_ROOT ?? resolve(fileURLToPath(new URL('../../..', import.meta.url)));
}

export function vectorsDir(): string {
  return process.env.PASSPORT_VECTORS_DIR ?? resolve(repoRoot(), '..', 'shared', 'vectors');
}

const REQUIRED = [
  'python-telegram-bot.json',
  'python-telegram-bot.private_key.pem',
  'telegram-bot-extensions-passport.json',
  'telegram-bot-extensions-passport.private_key.pem',
  'telegram-bot-extensions-passport-files',
  'derived/passport_secret.selfcheck.json',
  'derived/python-telegram-bot.derived.json',
  'derived/telegram-bot-extensions-passport.derived.json',
];

/** Throws (failing the calling test) unless the whole vector set is present. */
export function requireVectors(dir = vectorsDir()): string {
  const missing = REQUIRED.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) {
    throw new Error(
      `Telegram Passport test vectors are missing from ${dir} (${missing.join(', ')}). ` +
        'They are the shared "vectors" folder next to the repository (../shared/vectors, with a README.md naming ' +
        'their upstream sources: python-telegram-bot tests/_passport and ' +
        'TelegramBots/Telegram.Bot.Extensions.Passport test/UnitTests/Files). ' +
        'Put that folder there or set PASSPORT_VECTORS_DIR to its path. These tests are never skipped.',
    );
  }
  return dir;
}

export function vectorPath(...parts: string[]): string {
  return join(requireVectors(), ...parts);
}

export function readVectorText(...parts: string[]): string {
  return readFileSync(vectorPath(...parts), 'utf8');
}

export function readVectorJson<T>(...parts: string[]): T {
  return JSON.parse(readVectorText(...parts)) as T;
}

// ---- The shapes of the vector files, as far as the tests read them. ----

export interface EncryptedCredentialsJson {
  data: string;
  hash: string;
  secret: string;
}
export interface PassportDataJson {
  data: ({ type: string } & Record<string, unknown>)[];
  credentials: EncryptedCredentialsJson;
}
export interface PtbVectors {
  passport_data: PassportDataJson;
  expected: {
    decrypted_data: Record<string, Record<string, string>>;
    'credentials.secure_data.driver_license.selfie': { file_hash: string; secret: string };
  };
}
export interface NetVectors {
  fixtures: Record<string, PassportDataJson>;
  expected: {
    nonce: Record<string, string>;
    decrypted_data: Record<string, Record<string, string>>;
    standalone_data_credentials: { data_hash: string; secret: string }[];
    standalone_file_credentials: { file: string; file_hash: string; secret: string }[];
    committed_plaintext_sha256: Record<string, string>;
    file_to_credentials: Record<string, string>;
  };
}
export interface DerivedElement {
  pad_len: number;
  plain_utf8: string;
}
export interface DerivedCredentials {
  credentials_secret_b64: string;
  credentials_pad_len: number;
  credentials_plain_utf8: string;
  elements: Record<string, DerivedElement>;
}
export interface NetDerived {
  fixtures: Record<string, DerivedCredentials>;
  files: Record<
    string,
    { pad_len: number; plain_len: number; plain_sha256: string; file_hash_b64: string; secret_b64: string }
  >;
}
export interface SelfCheck {
  password_utf8: string;
  passport_secret_salt_hex: string;
  passport_secret_hex: string;
  pbkdf2_hmac_sha512_100000_hex: string;
  encrypted_passport_secret_pbkdf2_hex: string;
  sha512_salt_pw_salt_hex: string;
  encrypted_passport_secret_sha512_hex: string;
  data_secret_hex: string;
  data_hash_hex: string;
  encrypted_data_secret_hex: string;
}

export const ptbVectors = (): PtbVectors => readVectorJson('python-telegram-bot.json');
export const netVectors = (): NetVectors => readVectorJson('telegram-bot-extensions-passport.json');
export const ptbDerived = (): DerivedCredentials => readVectorJson('derived', 'python-telegram-bot.derived.json');
export const netDerived = (): NetDerived => readVectorJson('derived', 'telegram-bot-extensions-passport.derived.json');
export const selfCheck = (): SelfCheck => readVectorJson('derived', 'passport_secret.selfcheck.json');
export const ptbPrivateKeyPem = (): string => readVectorText('python-telegram-bot.private_key.pem');
export const netPrivateKeyPem = (): string => readVectorText('telegram-bot-extensions-passport.private_key.pem');

/**
 * The selfcheck's fingerprint is a JSON number above 2^53, which JSON.parse would round; read the
 * digits from the text instead.
 */
export function selfCheckFingerprint(): bigint {
  const text = readVectorText('derived', 'passport_secret.selfcheck.json');
  const m = /"passport_secret_fingerprint_int64_le_signed"\s*:\s*(-?\d+)/.exec(text);
  if (m?.[1] === undefined) throw new Error('passport_secret_fingerprint_int64_le_signed not found in the selfcheck');
  return BigInt(m[1]);
}

/** `KeyObject.export({format: 'pem'})` is typed `string | Buffer`; PEM is always text. */
export function pemText(pem: string | Buffer): string {
  return typeof pem === 'string' ? pem : pem.toString('utf8');
}
