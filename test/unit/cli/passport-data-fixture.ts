/**
 * A Bot API PassportData made here, for a fresh RSA key, with element data chosen by the test (huge
 * fields, deep nesting): what a service would receive, and what decrypt-passport-data must print.
 */
import { generateKeyPairSync } from 'node:crypto';
import { toBase64 } from '../../../electron/main/passport/crypto/base64';
import { buildCredentials, encryptCredentials } from '../../../electron/main/passport/crypto/credentials';
import { encryptData } from '../../../electron/main/passport/crypto/data-encryption';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';

export interface PassportDataFixture {
  privateKeyPem: string;
  /** The PassportData object, ready for JSON.stringify. */
  passportData: { data: Record<string, unknown>[]; credentials: { data: string; hash: string; secret: string } };
}

let keys: { publicKeyPem: string; privateKeyPem: string } | undefined;
function keyPair(): { publicKeyPem: string; privateKeyPem: string } {
  keys ??= (() => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  })();
  return keys;
}

/**
 * personal_details with `dataJson` (the exact plaintext JSON, so it can nest deeper than
 * JSON.stringify could write) and, with `withFile`, a passport whose front side's credentials are given.
 */
export function passportDataFixture(dataJson: string, withFile = false): PassportDataFixture {
  const { publicKeyPem, privateKeyPem } = keyPair();
  const data = encryptData(Buffer.from(dataJson, 'utf8'));
  const frontSide = { fileHash: Buffer.alloc(32, 7), secret: generateSecret() };
  const values = [{ type: 'personal_details' as const, data: { dataHash: data.hash, secret: data.secret } }, ...(withFile ? [{ type: 'passport' as const, frontSide }] : [])];
  const creds = encryptCredentials(buildCredentials(values, '{"v":1}', 'fixture-nonce'), publicKeyPem);
  return {
    privateKeyPem,
    passportData: {
      data: [
        { type: 'personal_details', data: toBase64(data.encrypted), hash: toBase64(data.hash) },
        ...(withFile ? [{ type: 'passport', front_side: { file_id: 'f1', file_unique_id: 'u1', file_size: 1000, file_date: 1 }, hash: 'aGFzaA==' }] : []),
      ],
      credentials: { data: toBase64(creds.data), hash: toBase64(creds.hash), secret: toBase64(creds.secret) },
    },
  };
}

/** `depth` levels of arrays around a string, as JSON text (built as text: no recursion anywhere). */
export function deeplyNestedJson(depth: number): string {
  return `{"first_name":"Deep","nest":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
}
