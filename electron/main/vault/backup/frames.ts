/**
 * The backup body's framing (format.ts): plaintext in, AES-256-GCM frames out, and back. Streamed
 * with one frame of plaintext buffered at a time, so memory does not grow with the backup's size.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { slices } from '../fs/cipher-slices';
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


/**
 * Collects plaintext into frames and writes each sealed frame to `out` as it fills. The write of
 * one frame runs while the next is collected and encrypted (at most one write in flight, so memory
 * stays at two frames); `finish` waits for the last.
 */
export class FrameWriter {
  private readonly buf = Buffer.alloc(FRAME_SIZE);
  private fill = 0;
  private index = 0;
  private finished = false;
  private inFlight: Promise<unknown> | null = null;

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
    const len = Buffer.alloc(4);
    len.writeUInt32BE((final ? FINAL_FLAG : 0) + this.fill); // + not |: | would make it a negative int32
    const pieces = [len];
    for (const piece of slices(this.buf.subarray(0, this.fill))) pieces.push(cipher.update(piece));
    const rest = cipher.final(); // empty for GCM, kept for form
    if (rest.length > 0) pieces.push(rest);
    pieces.push(cipher.getAuthTag());
    this.buf.fill(0, 0, this.fill);
    this.fill = 0;
    this.index++;
    // Frames must land in order: the previous write completes before this one starts.
    if (this.inFlight !== null) await this.inFlight;
    const write = this.out.writev(pieces);
    write.catch(() => undefined); // awaited by the next flush or finish; not unhandled if they never come
    this.inFlight = write;
  }

  /** Writes the last frame (flagged final; possibly empty) and waits until every frame is written. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.flush(true);
    await this.inFlight;
    this.inFlight = null;
  }
}

/**
 * Reads and authenticates frames from `handle` starting at `offset`; yields each frame's plaintext
 * (only after its tag verified) as a view that stays valid until the frame after next is read. Ends
 * after the final frame; anything after it, or an end of file before it, is BACKUP_CORRUPT.
 *
 * One read per frame fetches its length word, ciphertext and tag together with the NEXT frame's
 * length word, and the read of the next frame is started before this one is decrypted and handed
 * on, so the disk and the cipher work at the same time (two read buffers, used in turn).
 */
export async function* readFrames(handle: FileHandle, offset: number, key: Buffer, digest: Buffer): AsyncGenerator<Buffer> {
  const { size } = await handle.stat();
  const span = 4 + FRAME_SIZE + TAG_LENGTH;
  const buffers = [Buffer.alloc(span), Buffer.alloc(span)];
  const plains = [Buffer.alloc(FRAME_SIZE), Buffer.alloc(FRAME_SIZE)];
  const readAt = async (which: number, pos: number): Promise<Buffer> => {
    const buf = buffers[which] as Buffer;
    const want = Math.min(span, size - pos);
    const { bytesRead } = await handle.read(buf, 0, want, pos);
    return buf.subarray(0, bytesRead);
  };
  if (offset + 4 > size) throw corruptBackup('The backup is cut short (no final frame)');
  let pos = offset;
  let pending = readAt(0, pos);
  for (let index = 0; ; index++) {
    const chunk = await pending;
    if (chunk.length < 4) throw corruptBackup('The backup is cut short (no final frame)');
    const word = chunk.readUInt32BE(0);
    const final = (word & FINAL_FLAG) !== 0;
    const n = word & ~FINAL_FLAG;
    if (n > FRAME_SIZE) throw corruptBackup('A backup frame has an impossible length');
    if (pos + 4 + n + TAG_LENGTH > size || chunk.length < 4 + n + TAG_LENGTH) throw corruptBackup('The backup is cut short inside a frame');
    pos += 4 + n + TAG_LENGTH;
    if (!final) {
      if (pos + 4 > size) throw corruptBackup('The backup is cut short (no final frame)');
      pending = readAt((index + 1) % 2, pos);
      pending.catch(() => undefined); // awaited next round; not unhandled if the reader is dropped
    }
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(index));
    decipher.setAAD(aad(digest, index, final));
    decipher.setAuthTag(chunk.subarray(4 + n, 4 + n + TAG_LENGTH));
    // Decrypted in slices (cipher-slices.ts) into one of two reused buffers: the consumer copies
    // what it keeps before asking for the frame after next. Nothing here is wiped: the body holds
    // only what the vault stores, which is Passport ciphertext (values' encrypted data and secrets,
    // files' encrypted bytes) and its metadata, never a decrypted field or scan.
    const plain = plains[index % 2] as Buffer;
    let filled = 0;
    try {
      for (const piece of slices(chunk.subarray(4, 4 + n))) filled += decipher.update(piece).copy(plain, filled);
      filled += decipher.final().copy(plain, filled); // empty for GCM; throws if the tag does not verify
    } catch {
      // Wrong key cannot happen here (the password was checked); so this is damage or tampering.
      throw corruptBackup(`Backup frame ${index} fails its integrity check`);
    }
    yield plain.subarray(0, filled);
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
    this.current = next.value; // Passport ciphertext and its metadata: nothing to wipe (readFrames)
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
