/**
 * The server's own RSA-2048 key: generation/loading, its MTProto fingerprint, and the
 * RSA_PAD scheme (https://core.telegram.org/mtproto/auth_key#presenting-proof-of-work-server-authentication)
 * the client uses to wrap p_q_inner_data.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, constants, type KeyObject } from 'node:crypto';
import { TlWriter } from '../tl/codec';
import { sha1, sha256, xorBuffers } from './hash';
import { igeDecrypt } from './ige';

export interface ServerRsaKey {
  privateKey: KeyObject;
  /** PKCS#1 "BEGIN RSA PUBLIC KEY", the format Telegram publishes its keys in. */
  publicKeyPem: string;
  modulus: Buffer;
  exponent: Buffer;
  /** Lower 64 bits of SHA1(bytes(n) + bytes(e)) as a signed little-endian long. */
  fingerprint: bigint;
}

/**
 * Whether mtcute 0.30.3 can find this key: it registers fingerprints as 16 zero-padded hex
 * digits but looks up the server's offer with an unpadded `toString(16)`, so a fingerprint
 * whose top hex digit is 0 (1 key in 16) never matches. Telegram's own keys all pass.
 */
export function fingerprintIsClientFriendly(fingerprint: bigint): boolean {
  return BigInt.asUintN(64, fingerprint) >> 60n !== 0n;
}

/** A new RSA-2048 key (PKCS#1 PEM), re-drawn until every client can look it up. */
export function generateRsaKey(): string {
  for (;;) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    if (fingerprintIsClientFriendly(loadRsaKey(pem).fingerprint)) return pem;
  }
}

export function loadRsaKey(privatePem: string): ServerRsaKey {
  const privateKey = createPrivateKey(privatePem);
  const pub = createPublicKey(privateKey);
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) throw new Error('not an RSA key');
  const modulus = Buffer.from(jwk.n, 'base64url');
  const exponent = Buffer.from(jwk.e, 'base64url');
  if (modulus.length !== 256) throw new Error('the server RSA key must be 2048 bits');
  const w = new TlWriter();
  w.bytes(modulus);
  w.bytes(exponent);
  const fingerprint = sha1(w.result()).subarray(12, 20).readBigInt64LE(0);
  return {
    privateKey,
    publicKeyPem: pub.export({ type: 'pkcs1', format: 'pem' }).toString(),
    modulus,
    exponent,
    fingerprint,
  };
}

/**
 * Undoes RSA_PAD: raw RSA decryption, then temp_key = key_aes_encrypted[0:32] ⊕ SHA256(rest),
 * AES-IGE-decrypt the rest with a zero IV, un-reverse the 192 data bytes and check the hash.
 * Returns the 192 bytes of data_with_padding, or undefined if the envelope does not verify.
 */
export function rsaPadDecrypt(key: ServerRsaKey, encrypted: Buffer): Buffer | undefined {
  if (encrypted.length !== 256) return undefined;
  let plain: Buffer;
  try {
    plain = privateDecrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, encrypted);
  } catch {
    return undefined; // e.g. the value was not below the modulus
  }
  const tempKeyXor = plain.subarray(0, 32);
  const aesEncrypted = plain.subarray(32);
  const tempKey = xorBuffers(tempKeyXor, sha256(aesEncrypted));
  const dataWithHash = igeDecrypt(aesEncrypted, tempKey, Buffer.alloc(32));
  const dataWithPadding = Buffer.from(dataWithHash.subarray(0, 192)).reverse();
  const hash = dataWithHash.subarray(192, 224);
  if (!sha256(tempKey, dataWithPadding).equals(hash)) return undefined;
  return dataWithPadding;
}
