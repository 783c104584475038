/**
 * The backup body's framing (format.ts): plaintext in, AES-256-GCM frames out, and back. Streamed
 * with one frame of plaintext buffered at a time, so memory does not grow with the backup's size.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { BODY_KDF_INFO, corruptBackup, FINAL_FLAG, FRAME_SIZE, TAG_LENGTH } from './format';

/** The body key; the caller wipes it. */
export function deriveBodyKey(passportSecret: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', passportSecret, salt, BODY_KDF_INFO, 32));
}

function nonce(index: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

function aad(headerDigest: Buffer, index: number, final: boolean): Buffer {
  const a = Buffer.alloc(32 + 8 + 1);
  headerDigest.copy(a, 0);
  a.writeBigUInt64BE(BigInt(index), 32);
  a[40] = final ? 1 : 0;
  return a;
}

export function headerDigest(headerBytes: Buffer): Buffer {
  return createHash('sha256').update(headerBytes).digest();
}

/** Collects plaintext into frames and writes each sealed frame to `out` as it fills. */
export class FrameWriter {
  private readonly buf = Buffer.alloc(FRAME_SIZE);
  private fill = 0;
  private index = 0;
  private finished = false;

  constructor(
    private readonly out: FileHandle,
    private readonly key: Buffer,
    private readonly digest: Buffer,
  ) {}

  async write(bytes: Uint8Array): Promise<void> {
    let pos = 0;
    while (pos < bytes.length) {
      // A full frame goes out only once more bytes follow, so the last frame always carries the flag.
      if (this.fill === FRAME_SIZE) await this.flush(false);
      const n = Math.min(FRAME_SIZE - this.fill, bytes.length - pos);
      this.buf.set(bytes.subarray(pos, pos + n), this.fill);
      this.fill += n;
      pos += n;
    }
  }

  private async flush(final: boolean): Promise<void> {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.index));
    cipher.setAAD(aad(this.digest, this.index, final));
    const body = Buffer.concat([cipher.update(this.buf.subarray(0, this.fill)), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE((final ? FINAL_FLAG : 0) + this.fill); // + not |: | would make it a negative int32
    await this.out.write(Buffer.concat([len, body, cipher.getAuthTag()]));
    this.buf.fill(0, 0, this.fill);
    this.fill = 0;
    this.index++;
  }

  /** Writes the last frame (flagged final; possibly empty). */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.flush(true);
  }
}

/**
 * Reads and authenticates frames from `handle` starting at `offset`; yields each frame's plaintext
 * (only after its tag verified). Ends after the final frame; anything after it, or an end of file
 * before it, is BACKUP_CORRUPT.
 */
export async function* readFrames(handle: FileHandle, offset: number, key: Buffer, digest: Buffer): AsyncGenerator<Buffer> {
  const { size } = await handle.stat();
  let pos = offset;
  const lenBuf = Buffer.alloc(4);
  const frame = Buffer.alloc(FRAME_SIZE + TAG_LENGTH);
  for (let index = 0; ; index++) {
    if (pos + 4 > size) throw corruptBackup('The backup is cut short (no final frame)');
    await handle.read(lenBuf, 0, 4, pos);
    const word = lenBuf.readUInt32BE(0);
    const final = (word & FINAL_FLAG) !== 0;
    const n = word & ~FINAL_FLAG;
    if (n > FRAME_SIZE) throw corruptBackup('A backup frame has an impossible length');
    if (pos + 4 + n + TAG_LENGTH > size) throw corruptBackup('The backup is cut short inside a frame');
    const { bytesRead } = await handle.read(frame, 0, n + TAG_LENGTH, pos + 4);
    if (bytesRead !== n + TAG_LENGTH) throw corruptBackup('The backup is cut short inside a frame');
    pos += 4 + n + TAG_LENGTH;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
    decipher.setAAD(aad(digest, index, final));
    decipher.setAuthTag(frame.subarray(n, n + TAG_LENGTH));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(frame.subarray(0, n)), decipher.final()]);
    } catch {
      // Wrong key cannot happen here (the password was checked); so this is damage or tampering.
      throw corruptBackup(`Backup frame ${index} fails its integrity check`);
    }
    yield plain;
    if (final) {
      if (pos !== size) throw corruptBackup('The backup has data after its final frame');
      return;
    }
  }
}

/** Exact-length reads over a stream of plaintext pieces (the decrypted frames). */
export class ByteReader {
  private current: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async more(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done === true) return false;
    this.current.fill(0);
    this.current = next.value;
    this.pos = 0;
    return true;
  }

  /** Up to `max` bytes (at least 1), a view valid until the next call; null at the end. */
  async readSome(max: number): Promise<Buffer | null> {
    while (this.pos >= this.current.length) {
      if (!(await this.more())) return null;
    }
    const n = Math.min(max, this.current.length - this.pos);
    const view = this.current.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  async readExact(n: number): Promise<Buffer> {
    const out = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const piece = await this.readSome(n - got);
      if (piece === null) throw corruptBackup('The backup body ends in the middle of a record');
      piece.copy(out, got);
      got += piece.length;
    }
    return out;
  }

  /** Yields exactly `n` bytes in pieces (each a view, valid until the next one). */
  async *readStream(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      const piece = await this.readSome(left);
      if (piece === null) throw corruptBackup('The backup body ends in the middle of a file');
      left -= piece.length;
      yield piece;
    }
  }

  /** True when the body has no bytes left. */
  async atEnd(): Promise<boolean> {
    while (this.pos >= this.current.length) {
      if (!(await this.more())) return true;
    }
    return false;
  }
}
