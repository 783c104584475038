/**
 * MTProto 2.0 encrypted message envelope (https://core.telegram.org/mtproto/description):
 * auth_key_id · msg_key · AES-256-IGE(salt · session_id · msg_id · seq_no · length · body · padding),
 * with msg_key = SHA256(auth_key[88+x .. 120+x] · plaintext)[8..24], x = 0 from client, 8 from server.
 */
import { randomFillSync, randomInt } from 'node:crypto';
import { sha1, sha256 } from '../crypto/hash';
import { igeDecrypt, igeEncrypt } from '../crypto/ige';

export interface AuthKey {
  key: Buffer;
  /** Lower 8 bytes of SHA1(auth_key), as sent on the wire. */
  id: Buffer;
}

export function makeAuthKey(key: Buffer): AuthKey {
  if (key.length !== 256) throw new RangeError('auth keys are 256 bytes');
  return { key, id: Buffer.from(sha1(key).subarray(12, 20)) };
}

function messageAesKeyIv(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

export interface PlainMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

export type DecryptFailure = 'bad-length' | 'bad-msg-key' | 'bad-inner-length' | 'bad-padding';

/** Opens a client→server packet whose auth_key_id has already been matched to `authKey`. */
export function decryptClientMessage(authKey: AuthKey, packet: Buffer): PlainMessage | DecryptFailure {
  const enc = packet.subarray(24);
  if (packet.length < 24 + 32 || enc.length % 16 !== 0) return 'bad-length';
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = messageAesKeyIv(authKey.key, msgKey, 0);
  const plain = igeDecrypt(enc, key, iv);
  const expected = sha256(authKey.key.subarray(88, 120), plain).subarray(8, 24);
  if (!expected.equals(msgKey)) return 'bad-msg-key';
  const length = plain.readUInt32LE(28);
  if (length % 4 !== 0 || length > plain.length - 32) return 'bad-inner-length';
  const padding = plain.length - 32 - length;
  if (padding < 12 || padding > 1024) return 'bad-padding';
  return {
    salt: plain.readBigInt64LE(0),
    sessionId: plain.readBigInt64LE(8),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readUInt32LE(24),
    body: plain.subarray(32, 32 + length), // the decrypted buffer is this message's alone
  };
}

export function encryptServerMessage(authKey: AuthKey, m: Omit<PlainMessage, 'body'> & { body: Buffer | readonly Buffer[] }): Buffer {
  const pieces = Buffer.isBuffer(m.body) ? [m.body] : m.body;
  const length = pieces.reduce((n, b) => n + b.length, 0);
  const unpadded = 32 + length;
  // 12..1024 bytes of random padding, total a multiple of 16; vary it a little like Telegram does.
  let pad = 12 + ((16 - ((unpadded + 12) % 16)) % 16);
  pad += 16 * randomInt(0, 4);
  // Header, body pieces and padding written into one buffer (a file part is copied once, here).
  const plain = Buffer.allocUnsafe(unpadded + pad);
  plain.writeBigInt64LE(m.salt, 0);
  plain.writeBigInt64LE(m.sessionId, 8);
  plain.writeBigInt64LE(m.msgId, 16);
  plain.writeUInt32LE(m.seqNo, 24);
  plain.writeUInt32LE(length, 28);
  let at = 32;
  for (const b of pieces) at += b.copy(plain, at);
  randomFillSync(plain, at, pad);
  const msgKey = sha256(authKey.key.subarray(96, 128), plain).subarray(8, 24);
  const { key, iv } = messageAesKeyIv(authKey.key, msgKey, 8);
  return Buffer.concat([authKey.id, msgKey, igeEncrypt(plain, key, iv)]);
}
