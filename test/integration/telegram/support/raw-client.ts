/**
 * A second, independent MTProto client for checking the loopback server: written directly
 * from core.telegram.org (auth_key, description, transports), with its own byte-level TL
 * helpers and its own crypto on node:crypto + BigInt (IGE via per-block AES-CBC, RSA_PAD with
 * a raw modPow, Pollard's rho for pq), and its own SRP for 2FA sign-in (core.telegram.org/api/srp).
 * It shares no code with the server, with mtcute or with the app.
 */
import { connect, type Socket } from 'node:net';
import { createCipheriv, createDecipheriv, createHash, createPublicKey, pbkdf2Sync, randomBytes } from 'node:crypto';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';

const sha1 = (...b: Buffer[]): Buffer => createHash('sha1').update(Buffer.concat(b)).digest();
const sha256 = (...b: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(b)).digest();
const big = (b: Buffer): bigint => (b.length ? BigInt(`0x${b.toString('hex')}`) : 0n);
const bytesOf = (n: bigint, len?: number): Buffer => {
  let h = n.toString(16);
  if (h.length % 2) h = `0${h}`;
  const b = Buffer.from(h, 'hex');
  return len === undefined ? b : Buffer.concat([Buffer.alloc(len - b.length), b]);
};
function powMod(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
function pollardRho(n: bigint): bigint {
  for (let c = 1n; ; c++) {
    let x = 2n;
    let y = 2n;
    let d = 1n;
    const f = (v: bigint): bigint => (v * v + c) % n;
    while (d === 1n) {
      x = f(x);
      y = f(f(y));
      d = gcd(x > y ? x - y : y - x, n);
    }
    if (d !== n) return d;
  }
}

function ige(data: Buffer, key: Buffer, iv: Buffer, encrypt: boolean): Buffer {
  const out: Buffer[] = [];
  let x = iv.subarray(0, 16); // previous ciphertext
  let y = iv.subarray(16, 32); // previous plaintext
  for (let i = 0; i < data.length; i += 16) {
    const block = data.subarray(i, i + 16);
    if (encrypt) {
      const e = createCipheriv('aes-256-cbc', key, x).setAutoPadding(false).update(block);
      const c = Buffer.from(e.map((v, j) => v ^ (y[j] ?? 0)));
      out.push(c);
      x = c;
      y = block;
    } else {
      const masked = Buffer.from(block.map((v, j) => v ^ (y[j] ?? 0)));
      const d = createDecipheriv('aes-256-cbc', key, x).setAutoPadding(false).update(masked);
      // CBC decryption xors with its iv (= x); IGE wants exactly that: p = D(c ⊕ y) ⊕ x.
      out.push(d);
      x = block;
      y = d;
    }
  }
  return Buffer.concat(out);
}

// --- TL by hand
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const i64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(n);
  return b;
};
export function tlBytes(d: Buffer): Buffer {
  const head = d.length < 254 ? Buffer.from([d.length]) : Buffer.from([254, d.length & 255, (d.length >> 8) & 255, d.length >> 16]);
  const pad = (4 - ((head.length + d.length) % 4)) % 4;
  return Buffer.concat([head, d, Buffer.alloc(pad)]);
}
const tlStr = (s: string): Buffer => tlBytes(Buffer.from(s));

export class Cursor {
  constructor(
    readonly b: Buffer,
    public p = 0,
  ) {}
  u32(): number {
    const v = this.b.readUInt32LE(this.p);
    this.p += 4;
    return v;
  }
  i64(): bigint {
    const v = this.b.readBigInt64LE(this.p);
    this.p += 8;
    return v;
  }
  raw(n: number): Buffer {
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }
  bytes(): Buffer {
    let n = this.b[this.p] ?? 0;
    let h = 1;
    if (n === 254) {
      n = this.b.readUIntLE(this.p + 1, 3);
      h = 4;
    }
    const v = this.b.subarray(this.p + h, this.p + h + n);
    this.p += h + n + ((4 - ((h + n) % 4)) % 4);
    return v;
  }
  str(): string {
    return this.bytes().toString();
  }
}

export type RawTransport = 'abridged' | 'full' | 'intermediate';

export interface RawResult {
  /** Constructor id of the result (after gunzip). */
  id: number;
  body: Buffer;
}

export class RawClient {
  private sock!: Socket;
  private buf = Buffer.alloc(0);
  private waiters: ((p: Buffer) => void)[] = [];
  private packets: Buffer[] = [];
  private outSeq = 0;
  private lastMsgId = 0n;
  authKey: Buffer | undefined;
  private salt = 0n;
  private readonly sessionId = randomBytes(8).readBigInt64LE(0);
  private seq = 0;
  /** Everything the server sent that was not an rpc_result, by constructor id. */
  readonly notices: number[] = [];

  constructor(
    private readonly port: number,
    private readonly transport: RawTransport,
    private readonly serverKeyPem: string,
  ) {}

  async open(): Promise<void> {
    this.sock = connect({ host: '127.0.0.1', port: this.port });
    await new Promise<void>((res, rej) => this.sock.once('connect', res).once('error', rej));
    this.sock.on('data', (d: Buffer) => this.onData(d));
    if (this.transport === 'abridged') this.sock.write(Buffer.from([0xef]));
    if (this.transport === 'intermediate') this.sock.write(Buffer.from([0xee, 0xee, 0xee, 0xee]));
  }

  close(): void {
    this.sock.destroy();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      let packet: Buffer | undefined;
      if (this.transport === 'abridged') {
        if (this.buf.length < 1) break;
        let words = this.buf[0] ?? 0;
        let h = 1;
        if (words === 0x7f) {
          if (this.buf.length < 4) break;
          words = this.buf.readUIntLE(1, 3);
          h = 4;
        }
        if (this.buf.length < h + words * 4) break;
        packet = this.buf.subarray(h, h + words * 4);
        this.buf = this.buf.subarray(h + words * 4);
      } else if (this.transport === 'intermediate') {
        if (this.buf.length < 4) break;
        const n = this.buf.readUInt32LE(0);
        if (this.buf.length < 4 + n) break;
        packet = this.buf.subarray(4, 4 + n);
        this.buf = this.buf.subarray(4 + n);
      } else {
        if (this.buf.length < 4) break;
        const n = this.buf.readUInt32LE(0);
        if (this.buf.length < n) break;
        const whole = this.buf.subarray(0, n);
        if ((crc32(whole.subarray(0, n - 4)) >>> 0) !== whole.readUInt32LE(n - 4)) throw new Error('bad CRC from server');
        packet = whole.subarray(8, n - 4);
        this.buf = this.buf.subarray(n);
      }
      const w = this.waiters.shift();
      if (w) w(Buffer.from(packet));
      else this.packets.push(Buffer.from(packet));
    }
  }

  private next(timeoutMs = 5000): Promise<Buffer> {
    const ready = this.packets.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('raw client: timed out waiting for the server')), timeoutMs);
      this.waiters.push((p) => {
        clearTimeout(t);
        res(p);
      });
    });
  }

  private sendPacket(payload: Buffer): void {
    if (this.transport === 'abridged') {
      const w = payload.length / 4;
      const h = w < 0x7f ? Buffer.from([w]) : Buffer.from([0x7f, w & 255, (w >> 8) & 255, w >> 16]);
      this.sock.write(Buffer.concat([h, payload]));
    } else if (this.transport === 'intermediate') {
      this.sock.write(Buffer.concat([u32(payload.length), payload]));
    } else {
      const head = Buffer.concat([u32(payload.length + 12), u32(this.outSeq++), payload]);
      this.sock.write(Buffer.concat([head, u32(crc32(head) >>> 0)]));
    }
  }

  private msgId(): bigint {
    let id = (BigInt(Date.now()) << 32n) / 1000n;
    id -= id % 4n;
    if (id <= this.lastMsgId) id = this.lastMsgId + 4n;
    this.lastMsgId = id;
    return id;
  }

  private async plain(body: Buffer): Promise<Cursor> {
    this.sendPacket(Buffer.concat([Buffer.alloc(8), i64(this.msgId()), u32(body.length), body]));
    const p = await this.next();
    if (p.length === 4) throw new Error(`transport error ${p.readInt32LE(0)}`);
    return new Cursor(p.subarray(20, 20 + p.readUInt32LE(16)));
  }

  /** The auth key exchange; returns the key. */
  async handshake(): Promise<Buffer> {
    const nonce = randomBytes(16);
    const resPq = await this.plain(Buffer.concat([u32(0xbe7e8ef1), nonce]));
    if (resPq.u32() !== 0x05162463) throw new Error('expected resPQ');
    if (!resPq.raw(16).equals(nonce)) throw new Error('nonce mismatch');
    const serverNonce = Buffer.from(resPq.raw(16));
    const pq = big(resPq.bytes());
    if (resPq.u32() !== 0x1cb5c415) throw new Error('expected vector');
    const fps = Array.from({ length: resPq.u32() }, () => resPq.i64());

    const jwk = createPublicKey(this.serverKeyPem).export({ format: 'jwk' });
    const n = Buffer.from(jwk.n ?? '', 'base64url');
    const e = Buffer.from(jwk.e ?? '', 'base64url');
    const fp = sha1(tlBytes(n), tlBytes(e)).subarray(12, 20).readBigInt64LE(0);
    if (!fps.includes(fp)) throw new Error('server does not offer our key');

    let p = pollardRho(pq);
    let q = pq / p;
    if (p > q) [p, q] = [q, p];
    const newNonce = randomBytes(32);
    const inner = Buffer.concat([u32(0xa9f55f95), tlBytes(bytesOf(pq)), tlBytes(bytesOf(p)), tlBytes(bytesOf(q)), nonce, serverNonce, newNonce, u32(2)]);

    // RSA_PAD
    let encrypted: Buffer;
    for (;;) {
      const dataWithPadding = Buffer.concat([inner, randomBytes(192 - inner.length)]);
      const tempKey = randomBytes(32);
      const dataWithHash = Buffer.concat([Buffer.from(dataWithPadding).reverse(), sha256(tempKey, dataWithPadding)]);
      const aesEncrypted = ige(dataWithHash, tempKey, Buffer.alloc(32), true);
      const h = sha256(aesEncrypted);
      const keyAesEncrypted = Buffer.concat([Buffer.from(tempKey.map((v, i) => v ^ (h[i] ?? 0))), aesEncrypted]);
      if (big(keyAesEncrypted) >= big(n)) continue;
      encrypted = bytesOf(powMod(big(keyAesEncrypted), big(e), big(n)), 256);
      break;
    }
    const dh = await this.plain(
      Buffer.concat([u32(0xd712e4be), nonce, serverNonce, tlBytes(bytesOf(p)), tlBytes(bytesOf(q)), i64(fp), tlBytes(encrypted)]),
    );
    if (dh.u32() !== 0xd0e8075c) throw new Error('expected server_DH_params_ok');
    dh.raw(32);
    const encAnswer = dh.bytes();
    const tmpKey = Buffer.concat([sha1(newNonce, serverNonce), sha1(serverNonce, newNonce).subarray(0, 12)]);
    const tmpIv = Buffer.concat([sha1(serverNonce, newNonce).subarray(12), sha1(newNonce, newNonce), newNonce.subarray(0, 4)]);
    const answer = ige(encAnswer, tmpKey, tmpIv, false);
    const ac = new Cursor(answer, 20);
    if (ac.u32() !== 0xb5890dba) throw new Error('expected server_DH_inner_data');
    if (!ac.raw(16).equals(nonce) || !ac.raw(16).equals(serverNonce)) throw new Error('inner nonce mismatch');
    const g = BigInt(ac.u32());
    const dhPrime = big(ac.bytes());
    const gA = big(ac.bytes());
    ac.u32(); // server_time
    if (!sha1(answer.subarray(20, ac.p)).equals(answer.subarray(0, 20))) throw new Error('answer hash mismatch');
    const safety = 2n ** 1984n;
    if (g !== 3n || dhPrime.toString(16).length !== 512 || gA <= safety || gA >= dhPrime - safety) throw new Error('unsafe DH parameters');

    const b = big(randomBytes(256));
    const gB = powMod(g, b, dhPrime);
    const clientInner = Buffer.concat([u32(0x6643b654), nonce, serverNonce, i64(0n), tlBytes(bytesOf(gB))]);
    let withHash = Buffer.concat([sha1(clientInner), clientInner]);
    withHash = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    const gen = await this.plain(Buffer.concat([u32(0xf5045f1f), nonce, serverNonce, tlBytes(ige(withHash, tmpKey, tmpIv, true))]));
    if (gen.u32() !== 0x3bcbf734) throw new Error('expected dh_gen_ok');
    gen.raw(32);
    const authKey = bytesOf(powMod(gA, b, dhPrime), 256);
    const expected = sha1(newNonce, Buffer.from([1]), sha1(authKey).subarray(0, 8)).subarray(4, 20);
    if (!gen.raw(16).equals(expected)) throw new Error('new_nonce_hash1 mismatch');
    this.authKey = authKey;
    this.salt = newNonce.readBigInt64LE(0) ^ serverNonce.readBigInt64LE(0);
    return authKey;
  }

  private aes(msgKey: Buffer, x: number): { key: Buffer; iv: Buffer } {
    const k = this.authKey ?? Buffer.alloc(256);
    const a = sha256(msgKey, k.subarray(x, x + 36));
    const bb = sha256(k.subarray(40 + x, 76 + x), msgKey);
    return {
      key: Buffer.concat([a.subarray(0, 8), bb.subarray(8, 24), a.subarray(24, 32)]),
      iv: Buffer.concat([bb.subarray(0, 8), a.subarray(8, 24), bb.subarray(24, 32)]),
    };
  }

  private sendEncrypted(msgId: bigint, body: Buffer, contentRelated = true): void {
    const k = this.authKey;
    if (!k) throw new Error('no auth key');
    const seq = contentRelated ? this.seq++ * 2 + 1 : this.seq * 2;
    let plain = Buffer.concat([i64(this.salt), i64(this.sessionId), i64(msgId), u32(seq), u32(body.length), body]);
    plain = Buffer.concat([plain, randomBytes(12 + ((16 - ((plain.length + 12) % 16)) % 16))]);
    const msgKey = sha256(k.subarray(88, 120), plain).subarray(8, 24);
    const { key, iv } = this.aes(msgKey, 0);
    this.sendPacket(Buffer.concat([sha1(k).subarray(12, 20), msgKey, ige(plain, key, iv, true)]));
  }

  /** Reads encrypted messages until the rpc_result for `reqMsgId` arrives. */
  private async awaitResult(reqMsgId: bigint): Promise<RawResult> {
    const k = this.authKey;
    if (!k) throw new Error('no auth key');
    for (;;) {
      const p = await this.next();
      if (p.length === 4) throw new Error(`transport error ${p.readInt32LE(0)}`);
      const msgKey = p.subarray(8, 24);
      const { key, iv } = this.aes(msgKey, 8);
      const plain = ige(p.subarray(24), key, iv, false);
      if (!sha256(k.subarray(96, 128), plain).subarray(8, 24).equals(msgKey)) throw new Error('bad msg_key from server');
      if (plain.readBigInt64LE(8) !== this.sessionId) throw new Error('wrong session id from server');
      if (plain.readBigInt64LE(16) % 2n !== 1n) throw new Error('server msg_id must be odd');
      const body = plain.subarray(32, 32 + plain.readUInt32LE(28));
      const c = new Cursor(body);
      const id = c.u32();
      if (id === 0xedab447b) {
        // bad_server_salt: take the new salt and report it; the caller resends.
        c.raw(16);
        this.salt = c.i64();
        throw new Error('bad_server_salt');
      }
      if (id !== 0xf35c6d01) {
        this.notices.push(id);
        continue;
      }
      if (c.i64() !== reqMsgId) continue;
      let result = body.subarray(12);
      let rid = result.readUInt32LE(0);
      if (rid === 0x3072cfa1) {
        result = gunzipSync(new Cursor(result, 4).bytes());
        rid = result.readUInt32LE(0);
      }
      return { id: rid, body: result };
    }
  }

  /** Sends `query` wrapped in invokeWithLayer(initConnection(…)), optionally gzip_packed and in a container with a ping. */
  async call(query: Buffer, opts: { gzip?: boolean; container?: boolean } = {}): Promise<RawResult> {
    const init = Buffer.concat([u32(0xc1cd5ea9), u32(0), u32(4242), ...['raw-client', 'node', '1.0', 'en', '', 'en'].map(tlStr), query]);
    let body = Buffer.concat([u32(0xda9b0d0d), u32(227), init]);
    if (opts.gzip) body = Buffer.concat([u32(0x3072cfa1), tlBytes(gzipSync(body))]);
    const id = this.msgId();
    if (!opts.container) {
      this.sendEncrypted(id, body);
      return this.awaitResult(id);
    }
    const pingId = this.msgId();
    const ping = Buffer.concat([u32(0x7abe77ec), i64(77n)]);
    const seqPing = this.seq++ * 2 + 1;
    const seqCall = this.seq++ * 2 + 1;
    const container = Buffer.concat([
      u32(0x73f1f8dc),
      u32(2),
      i64(pingId),
      u32(seqPing),
      u32(ping.length),
      ping,
      i64(id),
      u32(seqCall),
      u32(body.length),
      body,
    ]);
    this.sendEncrypted(this.msgId(), container, false);
    return this.awaitResult(id);
  }

  /** Sends a bare query with no wrappers. */
  async callBare(query: Buffer): Promise<RawResult> {
    const id = this.msgId();
    this.sendEncrypted(id, query);
    return this.awaitResult(id);
  }
}

export const rawTl = { u32, i64, tlStr, tlBytes };

/**
 * The SRP proof for a 2FA password (core.telegram.org/api/srp), from the body of an `account.password`
 * that has a password: returns `inputCheckPasswordSRP` ready to send. Our own BigInt arithmetic throughout.
 */
export function srpCheckPassword(accountPassword: Buffer, password: string): Buffer {
  const c = new Cursor(accountPassword, 4);
  const flags = c.u32();
  if (!(flags & (1 << 2))) throw new Error('this account has no 2FA password');
  if (c.u32() !== 0x3a912d4a) throw new Error('not the SHA256-SHA256-PBKDF2-ModPow algorithm');
  const salt1 = Buffer.from(c.bytes());
  const salt2 = Buffer.from(c.bytes());
  const g = BigInt(c.u32());
  const pBytes = Buffer.from(c.bytes());
  const gB = bytesOf(big(c.bytes()), 256);
  const srpId = c.i64();

  const p = big(pBytes);
  const pad = (n: bigint): Buffer => bytesOf(n, 256);
  const sh = (data: Buffer, salt: Buffer): Buffer => sha256(salt, data, salt);
  const ph1 = sh(sh(Buffer.from(password, 'utf8'), salt1), salt2);
  const x = big(sh(pbkdf2Sync(ph1, salt1, 100000, 64, 'sha512'), salt2));
  const k = big(sha256(pad(p), pad(g)));
  const a = big(randomBytes(256));
  const gA = pad(powMod(g, a, p));
  const u = big(sha256(gA, gB));
  const kv = (k * powMod(g, x, p)) % p;
  const t = (((big(gB) - kv) % p) + p) % p;
  const kA = sha256(pad(powMod(t, a + u * x, p)));
  const hp = sha256(pad(p));
  const hg = sha256(pad(g));
  const m1 = sha256(Buffer.from(hp.map((v, i) => v ^ (hg[i] ?? 0))), sha256(salt1), sha256(salt2), gA, gB, kA);
  return Buffer.concat([u32(0xd27ff082), i64(srpId), tlBytes(gA), tlBytes(m1)]);
}
