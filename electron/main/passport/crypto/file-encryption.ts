/**
 * The streaming variant of `data-encryption.ts` for scans on disk: memory stays at a few MiB
 * whatever the file size. Same format, same checks, same order.
 *
 * Sealing needs two reads of the input: the AES key depends on SHA-256 of the whole padded
 * plaintext. Both passes read the same open file (by position, so a file renamed or replaced in
 * between cannot be swapped in), and the second pass hashes again and the result must match, so a
 * file whose bytes change between the passes is refused instead of being sealed under a hash of
 * other bytes.
 *
 * Output is written to a temporary file beside the destination (mode 0600: these are identity
 * scans), synced, and renamed into place only after every check passed, so a failed `open` never
 * leaves unverified plaintext at the destination and a crash never leaves a half-written file there.
 *
 * Reads and writes are synchronous: a promise per slice cost more than the slice's crypto, and the
 * only callers are one-shot command-line runs and tests, with no event loop to keep free.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { AppError } from '../../../common/errors';
import { writeFileAtomicSync } from '../../vault/fs/atomic-write';
import { assertCiphertextLength, assertHashLength, assertHashMatches } from './data-encryption';
import { deriveAesKeyIv, rawCbcCipher, rawCbcDecipher, wipeKeyIv } from './keys';
import { checkPadding, makePaddingPrefix } from './padding';
import { assertValidSecret } from './secret';
import { releaseBuffer } from './release-buffer';

/** Called with bytes processed so far and the total the operation will process. */
export type ProgressCallback = (done: number, total: number) => void;

/** File read slice (fewer system calls than one per cipher slice). */
const FILE_CHUNK = 256 * 1024;
/** Cipher slice: its output stays below malloc's mmap threshold, so a released slice's memory is reused. */
const CIPHER_SLICE = 64 * 1024;

/** An input file opened for reading: its descriptor and its size, checked to be a regular file. */
interface Input {
  readonly fd: number;
  readonly size: number;
}

function openInput(path: string): Input {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new AppError('BAD_INPUT', `Cannot read ${path}`);
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new AppError('BAD_INPUT', `${path} is not a regular file`);
    return { fd, size: s.size };
  } catch (e) {
    closeSync(fd);
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_INPUT', `Cannot read ${path}`);
  }
}

/**
 * The input's slices from its start, read synchronously into ONE reused buffer (a buffer per slice
 * piles up faster than the GC frees it: a 50 MB seal grew RSS by ~40 MB). Each slice is only valid
 * until the next one is taken.
 */
function* chunksOf(input: Input): Generator<Buffer, number> {
  const buf = Buffer.allocUnsafe(FILE_CHUNK);
  let position = 0;
  for (;;) {
    const n = readSync(input.fd, buf, 0, FILE_CHUNK, position);
    if (n === 0) return position;
    position += n;
    yield buf.subarray(0, n);
  }
}

/** Runs `each` over every slice of the input (see chunksOf); returns the number of bytes read. */
function eachChunk(input: Input, each: (chunk: Buffer) => void): number {
  const chunks = chunksOf(input);
  for (let next = chunks.next(); ; next = chunks.next()) {
    if (next.done === true) return next.value;
    each(next.value);
  }
}

/**
 * Writes to one file at increasing positions, synchronously, and frees each cipher output as soon as
 * it is written (see release-buffer.ts), so the next one reuses its memory. Writes queued on libuv's
 * threads instead kept every slice alive until written and faulted in fresh pages for each.
 */
class FileWriter {
  private position = 0;

  constructor(private readonly fd: number) {}

  /** Writes `data` from byte `from` on, then releases `data`, which the caller owned and no longer uses. */
  writeAndRelease(data: Buffer, from = 0): void {
    for (let offset = from; offset < data.length; ) {
      const n = writeSync(this.fd, data, offset, data.length - offset, this.position);
      offset += n;
      this.position += n;
    }
    releaseBuffer(data);
  }
}

/** Writes via a temporary sibling file, synced, then renamed over `outPath` (vault/fs/atomic-write.ts). */
function writeAtomically(outPath: string, body: (out: FileWriter) => void): void {
  writeFileAtomicSync(outPath, (fd) => body(new FileWriter(fd)), () => new AppError('BAD_INPUT', `Cannot write to ${outPath}`));
}

/** Encrypts the file at `inPath` into `outPath` with `secret`; returns the file_hash. */
export function sealFile(inPath: string, outPath: string, secret: Uint8Array, onProgress?: ProgressCallback): Buffer {
  assertValidSecret(secret, 'file secret');
  const input = openInput(inPath);
  try {
    const { size } = input;
    const prefix = makePaddingPrefix(size);
    const total = 2 * size;
    let done = 0;
    const changed = (): AppError => new AppError('BAD_INPUT', `${inPath} changed while it was being encrypted`);

    // Pass 1: the hash, which the key depends on.
    const firstHash = createHash('sha256').update(prefix);
    const firstLength = eachChunk(input, (chunk) => {
      firstHash.update(chunk);
      done += chunk.length;
      onProgress?.(done, total);
    });
    if (firstLength !== size) throw changed();
    const hash = firstHash.digest();

    // Pass 2: encrypt, re-hashing to prove the bytes did not change in between.
    const keyIv = deriveAesKeyIv(secret, hash);
    const cipher = rawCbcCipher(keyIv);
    wipeKeyIv(keyIv);
    const secondHash = createHash('sha256').update(prefix);
    writeAtomically(outPath, (out) => {
      out.writeAndRelease(cipher.update(prefix));
      const secondLength = eachChunk(input, (chunk) => {
        secondHash.update(chunk);
        for (let at = 0; at < chunk.length; at += CIPHER_SLICE) out.writeAndRelease(cipher.update(chunk.subarray(at, at + CIPHER_SLICE)));
        done += chunk.length;
        onProgress?.(done, total);
      });
      if (firstLength !== secondLength || !secondHash.digest().equals(hash)) throw changed();
      out.writeAndRelease(cipher.final());
    });
    return hash;
  } finally {
    closeSync(input.fd);
  }
}

/**
 * Decrypts the file at `inPath` into `outPath`. The prefix is skipped while streaming; the hash
 * and then the padding are checked at the end, before the output appears at `outPath`.
 */
export function openFile(inPath: string, outPath: string, secret: Uint8Array, hash: Uint8Array, onProgress?: ProgressCallback): void {
  assertHashLength(hash);
  const input = openInput(inPath);
  try {
    const { size } = input;
    assertCiphertextLength(size);
    const keyIv = deriveAesKeyIv(secret, hash);
    const decipher = rawCbcDecipher(keyIv);
    wipeKeyIv(keyIv);
    const actualHash = createHash('sha256');
    let pad = -1;
    let seen = 0;
    let done = 0;

    writeAtomically(outPath, (out) => {
      const emit = (plain: Buffer): void => {
        if (plain.length === 0) return;
        actualHash.update(plain);
        if (pad < 0) pad = plain[0] ?? 0;
        // Skip whatever part of this piece still belongs to the prefix.
        const skip = Math.max(0, Math.min(plain.length, pad - seen));
        seen += plain.length;
        out.writeAndRelease(plain, skip);
      };
      eachChunk(input, (chunk) => {
        for (let at = 0; at < chunk.length; at += CIPHER_SLICE) emit(decipher.update(chunk.subarray(at, at + CIPHER_SLICE)));
        done += chunk.length;
        onProgress?.(done, size);
      });
      emit(decipher.final());
      if (seen !== size) throw new AppError('BAD_INPUT', `${inPath} changed while it was being decrypted`);
      assertHashMatches(actualHash.digest(), hash);
      checkPadding(pad, size);
    });
  } finally {
    closeSync(input.fd);
  }
}
