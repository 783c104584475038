/**
 * The unencrypted auth-key exchange (https://core.telegram.org/mtproto/auth_key), one instance
 * per TCP connection: req_pq_multi → resPQ; req_DH_params (RSA_PAD) → server_DH_params_ok;
 * set_client_DH_params → dh_gen_ok with a new 2048-bit auth key.
 */
import { randomBytes } from 'node:crypto';
import { bigIntToBytes, bigIntToMinimalBytes, bytesToBigInt, modPowPrime } from './crypto/bigint';
import { DH_G, DH_PRIME, DH_PRIME_BYTES, isSafeDhValue } from './crypto/dh';
import { sha1, xorBuffers } from './crypto/hash';
import { igeDecrypt, igeEncrypt } from './crypto/ige';
import { generatePq, type PqChallenge } from './crypto/pq';
import { rsaPadDecrypt, type ServerRsaKey } from './crypto/rsa';
import { TlReader, type TlCodec, type TlObject } from './tl/codec';

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

export interface NewAuthKey {
  authKey: Buffer;
  serverSalt: bigint;
  /** The DC the client asked for in p_q_inner_data (negative for media, +10000 for test DCs). */
  dc: number;
  /** Set for temporary (PFS) keys: seconds they stay valid. */
  expiresIn: number | undefined;
}

function tmpAesKeyIv(newNonce: Buffer, serverNonce: Buffer): { key: Buffer; iv: Buffer } {
  const a = sha1(newNonce, serverNonce);
  const b = sha1(serverNonce, newNonce);
  const c = sha1(newNonce, newNonce);
  return {
    key: Buffer.concat([a, b.subarray(0, 12)]),
    iv: Buffer.concat([b.subarray(12, 20), c, newNonce.subarray(0, 4)]),
  };
}

const buf = (o: TlObject, k: string): Buffer => {
  const v = o[k];
  if (!Buffer.isBuffer(v)) throw new HandshakeError(`${o._}.${k} missing`);
  return v;
};

export class Handshake {
  private nonce: Buffer | undefined;
  private serverNonce: Buffer | undefined;
  private pq: PqChallenge | undefined;
  private newNonce: Buffer | undefined;
  private a: bigint | undefined;
  private dc = 0;
  private expiresIn: number | undefined;
  private lastAuxHash: Buffer | undefined;

  constructor(
    private readonly codec: TlCodec,
    private readonly rsa: ServerRsaKey,
    /** Whether an auth key id is already taken (then the client is asked to retry). */
    private readonly keyIdTaken: (authKey: Buffer) => boolean,
  ) {}

  /** Handles one unencrypted request; returns the reply and, when finished, the new key. */
  handle(req: TlObject): { reply: TlObject; result?: NewAuthKey } {
    switch (req._) {
      case 'req_pq_multi':
        return { reply: this.reqPq(req) };
      case 'req_DH_params':
        return { reply: this.reqDhParams(req) };
      case 'set_client_DH_params':
        return this.setClientDhParams(req);
      default:
        throw new HandshakeError(`unexpected unencrypted ${req._}`);
    }
  }

  private checkNonces(req: TlObject): void {
    if (!this.nonce || !this.serverNonce) throw new HandshakeError('handshake step out of order');
    if (!buf(req, 'nonce').equals(this.nonce) || !buf(req, 'server_nonce').equals(this.serverNonce)) {
      throw new HandshakeError('nonce mismatch');
    }
  }

  private reqPq(req: TlObject): TlObject {
    this.nonce = buf(req, 'nonce');
    this.serverNonce = randomBytes(16);
    this.pq = generatePq();
    this.newNonce = undefined;
    this.a = undefined;
    return {
      _: 'resPQ',
      nonce: this.nonce,
      server_nonce: this.serverNonce,
      pq: bigIntToMinimalBytes(this.pq.pq),
      server_public_key_fingerprints: [this.rsa.fingerprint],
    };
  }

  private reqDhParams(req: TlObject): TlObject {
    this.checkNonces(req);
    const pq = this.pq;
    if (!pq) throw new HandshakeError('no pq issued');
    if (bytesToBigInt(buf(req, 'p')) !== pq.p || bytesToBigInt(buf(req, 'q')) !== pq.q) {
      throw new HandshakeError('wrong p, q factorisation');
    }
    if (req.public_key_fingerprint !== this.rsa.fingerprint) throw new HandshakeError('unknown key fingerprint');
    const data = rsaPadDecrypt(this.rsa, buf(req, 'encrypted_data'));
    if (!data) throw new HandshakeError('RSA_PAD envelope did not verify');
    const inner = this.codec.readObject(new TlReader(data));
    if (inner._ !== 'p_q_inner_data_dc' && inner._ !== 'p_q_inner_data_temp_dc') {
      throw new HandshakeError(`unexpected inner data ${inner._}`);
    }
    this.checkNonces(inner);
    if (bytesToBigInt(buf(inner, 'pq')) !== pq.pq || bytesToBigInt(buf(inner, 'p')) !== pq.p || bytesToBigInt(buf(inner, 'q')) !== pq.q) {
      throw new HandshakeError('inner pq mismatch');
    }
    this.newNonce = buf(inner, 'new_nonce');
    this.dc = typeof inner.dc === 'number' ? inner.dc : 0;
    this.expiresIn = typeof inner.expires_in === 'number' ? inner.expires_in : undefined;

    let gA: bigint;
    do {
      this.a = bytesToBigInt(randomBytes(256));
      gA = modPowPrime(BigInt(DH_G), this.a, DH_PRIME);
    } while (!isSafeDhValue(gA));
    const answer = this.codec.encode({
      _: 'server_DH_inner_data',
      nonce: this.nonce,
      server_nonce: this.serverNonce,
      g: DH_G,
      dh_prime: DH_PRIME_BYTES,
      g_a: bigIntToBytes(gA, 256),
      server_time: Math.floor(Date.now() / 1000),
    });
    const withHash = Buffer.concat([sha1(answer), answer]);
    const padded = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    const { key, iv } = tmpAesKeyIv(this.newNonce, buf(req, 'server_nonce'));
    return {
      _: 'server_DH_params_ok',
      nonce: this.nonce,
      server_nonce: this.serverNonce,
      encrypted_answer: igeEncrypt(padded, key, iv),
    };
  }

  private setClientDhParams(req: TlObject): { reply: TlObject; result?: NewAuthKey } {
    this.checkNonces(req);
    const { newNonce, a, nonce, serverNonce } = this;
    if (!newNonce || a === undefined || !nonce || !serverNonce) throw new HandshakeError('set_client_DH_params before req_DH_params');
    const enc = buf(req, 'encrypted_data');
    if (enc.length % 16 !== 0) throw new HandshakeError('encrypted_data not block aligned');
    const { key, iv } = tmpAesKeyIv(newNonce, serverNonce);
    const plain = igeDecrypt(enc, key, iv);
    const reader = new TlReader(plain.subarray(20));
    const inner = this.codec.readObject(reader);
    if (!sha1(plain.subarray(20, 20 + reader.pos)).equals(plain.subarray(0, 20))) {
      throw new HandshakeError('client_DH_inner_data hash mismatch');
    }
    if (inner._ !== 'client_DH_inner_data') throw new HandshakeError(`unexpected ${inner._}`);
    this.checkNonces(inner);
    const expectedRetry = this.lastAuxHash ? this.lastAuxHash.readBigInt64LE(0) : 0n;
    if (inner.retry_id !== expectedRetry) throw new HandshakeError('wrong retry_id');
    const gB = bytesToBigInt(buf(inner, 'g_b'));
    if (!isSafeDhValue(gB)) throw new HandshakeError('g_b out of the safe range');
    const authKey = bigIntToBytes(modPowPrime(gB, a, DH_PRIME), 256);
    const auxHash = sha1(authKey).subarray(0, 8);
    const hashFor = (n: number): Buffer => sha1(newNonce, Buffer.from([n]), auxHash).subarray(4, 20);
    if (this.keyIdTaken(authKey)) {
      this.lastAuxHash = Buffer.from(auxHash);
      return { reply: { _: 'dh_gen_retry', nonce, server_nonce: serverNonce, new_nonce_hash2: hashFor(2) } };
    }
    const serverSalt = xorBuffers(newNonce.subarray(0, 8), serverNonce.subarray(0, 8)).readBigInt64LE(0);
    // A finished exchange cannot be replayed on this connection.
    this.nonce = undefined;
    this.serverNonce = undefined;
    return {
      reply: { _: 'dh_gen_ok', nonce, server_nonce: serverNonce, new_nonce_hash1: hashFor(1) },
      result: { authKey, serverSalt, dc: this.dc, expiresIn: this.expiresIn },
    };
  }
}
