/**
 * Building and encrypting the credentials a service receives (PASSPORT-SPEC §1d; tdesktop
 * FormController:641-748). The JSON holds the plaintext secrets of the values the user shares; it
 * is encrypted like any data with a fresh secret, and that secret is RSA-OAEP(SHA-1) encrypted with
 * the service's public key.
 */
import { AppError } from '../../../common/errors';
import type { Credentials, SecureData, SecureValueCredentials, FileCredentials } from '../../../common/passport/credentials';
import { secureValueTypeInfo } from '../../../common/passport/secure-value-types';
import type { SecureValueTypeName } from '../../../common/passport/secure-value-types';
import { toBase64 } from './base64';
import { encryptData } from './data-encryption';
import { parseRsaPublicKey, rsaOaepSha1Encrypt } from './rsa';

export interface FileSecretRef {
  fileHash: Uint8Array;
  secret: Uint8Array;
}

/** One value the user agreed to share, with the plaintext secrets to disclose. */
export interface ValueToShare {
  type: SecureValueTypeName;
  data?: { dataHash: Uint8Array; secret: Uint8Array };
  frontSide?: FileSecretRef;
  reverseSide?: FileSecretRef;
  selfie?: FileSecretRef;
  files?: FileSecretRef[];
  translation?: FileSecretRef[];
  /** The form asked for a selfie / translations for this value (`selfie_required` etc.). */
  selfieRequested?: boolean;
  translationRequested?: boolean;
}

/**
 * `nonce` for `{…}` scopes, `payload` for legacy ones (tdesktop FC:270-274): the same test the
 * official client applies to the raw scope string of the request.
 */
export function credentialsNonceKey(scope: string): 'nonce' | 'payload' {
  return scope.trimStart().startsWith('{') ? 'nonce' : 'payload';
}

function fileCredentials(ref: FileSecretRef): FileCredentials {
  return { file_hash: toBase64(ref.fileHash), secret: toBase64(ref.secret) };
}

function valueCredentials(value: ValueToShare): SecureValueCredentials {
  const info = secureValueTypeInfo(value.type);
  const refuse = (what: string): never => {
    throw new AppError('BAD_INPUT', `A ${value.type} value cannot carry ${what}`);
  };
  const out: SecureValueCredentials = {};
  if (value.data !== undefined) {
    if (info.data === null) refuse('data');
    out.data = { data_hash: toBase64(value.data.dataHash), secret: toBase64(value.data.secret) };
  }
  if (value.frontSide !== undefined) {
    if (!info.fileSlots.includes('front_side')) refuse('a front side');
    out.front_side = fileCredentials(value.frontSide);
  }
  if (value.reverseSide !== undefined) {
    if (!info.fileSlots.includes('reverse_side')) refuse('a reverse side');
    out.reverse_side = fileCredentials(value.reverseSide);
  }
  // Selfie and translations are disclosed only when the service asked (FC:664-676, SM:1262-1275).
  if (value.selfie !== undefined && value.selfieRequested === true) {
    if (!info.fileSlots.includes('selfie')) refuse('a selfie');
    out.selfie = fileCredentials(value.selfie);
  }
  if (value.files !== undefined && value.files.length > 0) {
    if (!info.files) refuse('files');
    out.files = value.files.map(fileCredentials);
  }
  if (value.translation !== undefined && value.translation.length > 0 && value.translationRequested === true) {
    if (!info.translation) refuse('translations');
    out.translation = value.translation.map(fileCredentials);
  }
  return out;
}

/** The credentials JSON object for the shared values. Phone and email are left out (plain data). */
export function buildCredentials(values: readonly ValueToShare[], scope: string, nonce: string): Credentials {
  const secureData: SecureData = {};
  for (const value of values) {
    if (secureValueTypeInfo(value.type).plain !== null) continue;
    if (secureData[value.type] !== undefined) throw new AppError('BAD_INPUT', `${value.type} is shared twice`);
    secureData[value.type] = valueCredentials(value);
  }
  return credentialsNonceKey(scope) === 'nonce'
    ? { secure_data: secureData, nonce }
    : { secure_data: secureData, payload: nonce };
}

/** `secureCredentialsEncrypted{data, hash, secret}` as raw bytes. */
export interface EncryptedCredentialsBytes {
  data: Buffer;
  hash: Buffer;
  secret: Buffer;
}

/** Encrypts the credentials for the service holding `publicKeyPem`. */
export function encryptCredentials(credentials: Credentials, publicKeyPem: string): EncryptedCredentialsBytes {
  const publicKey = parseRsaPublicKey(publicKeyPem);
  const json = Buffer.from(JSON.stringify(credentials), 'utf8');
  const { encrypted, hash, secret } = encryptData(json);
  // The JSON lists every shared secret in plaintext, and `secret` opens it: wipe both once used.
  json.fill(0);
  try {
    return { data: encrypted, hash, secret: rsaOaepSha1Encrypt(publicKey, secret) };
  } finally {
    secret.fill(0);
  }
}
