/**
 * The service side: what a bot does with `PassportData` (core.telegram.org/passport
 * "Decrypting data"). We ship it so tests, the CLI and service developers can check exactly what
 * we send. Credentials secret: RSA-OAEP(SHA-1) with the private key, checksum, then the
 * credentials JSON like any data; each element's data with its own `{data_hash, secret}`.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { CredentialsSchema } from '../../../common/passport/credentials';
import type {
  Credentials,
  EncryptedCredentials,
  EncryptedPassportElement,
  FileCredentials,
  PassportData,
} from '../../../common/passport/credentials';
import type { SecureValueTypeName } from '../../../common/passport/secure-value-types';
import { fromBase64 } from './base64';
import { decryptData } from './data-encryption';
import { rsaOaepSha1Decrypt } from './rsa';
import { assertValidSecret } from './secret';

function parseJsonObject(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new AppError('BAD_INPUT', `${what} is not valid JSON`);
  }
}

/** Decrypts `EncryptedCredentials` with the service's private key. */
export function decryptCredentials(encrypted: EncryptedCredentials, privateKey: KeyObject): Credentials {
  const secret = rsaOaepSha1Decrypt(privateKey, fromBase64(encrypted.secret, 'credentials.secret'));
  try {
    assertValidSecret(secret, 'credentials secret');
    const json = decryptData(fromBase64(encrypted.data, 'credentials.data'), fromBase64(encrypted.hash, 'credentials.hash'), secret);
    const parsed = CredentialsSchema.safeParse(parseJsonObject(json, 'The credentials'));
    if (!parsed.success) throw new AppError('BAD_INPUT', 'The decrypted credentials do not have the documented shape');
    return parsed.data;
  } finally {
    secret.fill(0); // it opens every shared value's secret list; not needed past this point
  }
}

/** Decrypts one piece of data (`secureValue.data`) with its credentials. */
export function decryptDataWithCredentials(encryptedB64: string, credentials: { data_hash: string; secret: string }): unknown {
  const plain = decryptData(
    fromBase64(encryptedB64, 'element data'),
    fromBase64(credentials.data_hash, 'data_hash'),
    fromBase64(credentials.secret, 'data secret'),
  );
  return parseJsonObject(plain, 'The decrypted element data');
}

/** Decrypts downloaded file bytes with their `{file_hash, secret}`. */
export function decryptFileWithCredentials(encrypted: Uint8Array, credentials: FileCredentials): Buffer {
  return decryptData(encrypted, fromBase64(credentials.file_hash, 'file_hash'), fromBase64(credentials.secret, 'file secret'));
}

const DataObjectSchema = z.record(z.string(), z.unknown());

export interface DecryptedPassportElement {
  type: SecureValueTypeName;
  data?: Record<string, unknown>;
  phone_number?: string;
  email?: string;
  front_side?: FileCredentials;
  reverse_side?: FileCredentials;
  selfie?: FileCredentials;
  files?: FileCredentials[];
  translation?: FileCredentials[];
}

function missing(type: string, what: string): never {
  throw new AppError('BAD_INPUT', `The credentials have no ${what} for the ${type} element`);
}

/**
 * One element, decrypted: its data object, its plain phone/email, and the `{file_hash, secret}` of
 * each file slot, in the element's order (download each `file_id` and open it with these).
 */
export function decryptPassportElement(element: EncryptedPassportElement, credentials: Credentials): DecryptedPassportElement {
  const { type } = element;
  const out: DecryptedPassportElement = { type };
  if (element.phone_number !== undefined) out.phone_number = element.phone_number;
  if (element.email !== undefined) out.email = element.email;
  const needsCredentials =
    element.data !== undefined ||
    element.front_side !== undefined ||
    element.reverse_side !== undefined ||
    element.selfie !== undefined ||
    (element.files?.length ?? 0) > 0 ||
    (element.translation?.length ?? 0) > 0;
  if (!needsCredentials) return out;
  const creds = credentials.secure_data[type] ?? missing(type, 'entry');

  if (element.data !== undefined) {
    const decrypted = decryptDataWithCredentials(element.data, creds.data ?? missing(type, 'data secret'));
    const parsed = DataObjectSchema.safeParse(decrypted);
    if (!parsed.success) throw new AppError('BAD_INPUT', `The ${type} data is not a JSON object`);
    out.data = parsed.data;
  }
  for (const slot of ['front_side', 'reverse_side', 'selfie'] as const) {
    if (element[slot] !== undefined) out[slot] = creds[slot] ?? missing(type, slot);
  }
  for (const list of ['files', 'translation'] as const) {
    const files = element[list];
    if (files === undefined || files.length === 0) continue;
    const fileCreds = creds[list] ?? missing(type, list);
    if (fileCreds.length !== files.length) {
      throw new AppError('BAD_INPUT', `The ${type} element has ${files.length} ${list} but the credentials ${fileCreds.length}`);
    }
    out[list] = fileCreds;
  }
  return out;
}

export interface DecryptedPassportData {
  credentials: Credentials;
  elements: DecryptedPassportElement[];
}

/** The whole `PassportData` a bot receives. */
export function decryptPassportData(passportData: PassportData, privateKey: KeyObject): DecryptedPassportData {
  const credentials = decryptCredentials(passportData.credentials, privateKey);
  return { credentials, elements: passportData.data.map((e) => decryptPassportElement(e, credentials)) };
}
