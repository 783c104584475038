/**
 * `blobs/NAME`: one envelope-sealed Passport file ciphertext each, immutable once written; its
 * sealed header carries the generation of the commit it was written for (vault-store.ts's header
 * says why). Paths, listing, writing, reading and the checks that need no full read.
 */
import { statSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { BufferedFileWriter } from '../fs/buffered-writer';
import { slices } from '../fs/cipher-slices';
import { errnoOf, isMissing } from '../fs/errno';
import { BLOB_HEADER_MAX, blobOpener, blobSealer, blobTrailerLength, parseBlobHeader } from './envelope';
import type { EnvelopeContext, KeylessDigest } from './envelope';
import { BlobName } from './state';
import type { StoredFile } from './state';

export const BLOB_DIR = 'blobs';
const READ_CHUNK = 256 * 1024;
/** Writes of one blob in flight at once (BufferedFileWriter). Background data syncs, tried before,
 * made these writes queue behind them: the final fsync makes a blob durable, and importers overlap
 * it with the next file. */
const WRITES_IN_FLIGHT = 2;

/** Why a value's file cannot be read, as `damage()` finds it without reading the file. */
export type BlobDamage = 'missing' | 'not_a_file' | 'wrong_size';

/** The path of blob `name` in the vault in `dir`; VAULT_CORRUPT for a name no blob can have. */
export function blobPath(dir: string, name: string): string {
  if (!BlobName.safeParse(name).success) throw new AppError('VAULT_CORRUPT', 'Bad blob name');
  return join(dir, BLOB_DIR, name);
}

/** The names in `blobs/`; a missing or non-folder `blobs` is VAULT_CORRUPT. */
export async function listBlobs(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, BLOB_DIR))).filter((n) => BlobName.safeParse(n).success);
  } catch (e) {
    if (isMissing(e)) throw new AppError('VAULT_CORRUPT', `The blobs folder of the vault in ${dir} is missing`);
    if (errnoOf(e) === 'ENOTDIR') throw new AppError('VAULT_CORRUPT', `"blobs" in the vault in ${dir} is not a folder`);
    throw new AppError('BAD_INPUT', `The blobs folder of the vault in ${dir} cannot be read`);
  }
}

/** The generation in a blob's header (0 for v1), or null when it has none we can read. */
export async function blobGeneration(ctx: EnvelopeContext, dir: string, name: string): Promise<number | null> {
  let handle;
  try {
    handle = await open(join(dir, BLOB_DIR, name), 'r');
    const prefix = Buffer.alloc(BLOB_HEADER_MAX);
    const { bytesRead } = await handle.read(prefix, 0, BLOB_HEADER_MAX, 0);
    return parseBlobHeader(ctx, name, prefix.subarray(0, bytesRead)).generation;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Seals `source` into blob `name`, written for commit `generation`, and returns the plaintext byte
 * count. Sealed bytes are written while the next ones are sealed (BufferedFileWriter);
 * writeFileAtomic's fsync before the rename makes the blob durable. The blob directory is not
 * synced: the caller does that once, before the next commit.
 */
export async function writeBlob(
  ctx: EnvelopeContext,
  dir: string,
  name: string,
  generation: number,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  keylessDigest?: KeylessDigest,
): Promise<number> {
  const sealer = blobSealer(ctx, name, generation, keylessDigest);
  let size = 0;
  await writeFileAtomic(
    blobPath(dir, name),
    async (out) => {
      const writer = new BufferedFileWriter(out, WRITES_IN_FLIGHT);
      await writer.append(sealer.header);
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        // The writer copies at once, so the source may reuse its buffer as soon as this returns.
        for (const piece of slices(chunk)) await writer.append(sealer.update(piece));
      }
      await writer.append(await sealer.final());
      await writer.drain();
    },
    { syncDir: false },
  );
  return size;
}

/**
 * What is wrong with the blob of `file`, found without reading it (one stat): missing, not a
 * file, or not the size its sealed content must have. null = looks fine (reading still checks it).
 * Synchronous: a stat is microseconds, and the lists stat every scan (50 of them in an unlock's list).
 * Through the thread pool each stat waited for a turn of a busy machine, and the list for all of them:
 * 7-30 ms in turn, 1-20 ms at once, under 1 ms here (bench/render.ts).
 */
export function blobDamage(ctx: EnvelopeContext, dir: string, file: StoredFile): BlobDamage | null {
  let size: number;
  try {
    const st = statSync(blobPath(dir, file.blob));
    if (!st.isFile()) return 'not_a_file';
    size = st.size;
  } catch (e) {
    return isMissing(e) || errnoOf(e) === 'ENOTDIR' ? 'missing' : 'not_a_file';
  }
  const nonce = ctx.key === null ? 0 : 12;
  const framing = size - file.size - blobTrailerLength(ctx) - nonce;
  return framing === 5 || framing === 5 + 8 ? null : 'wrong_size'; // a v1 or a v2 header
}

/**
 * The blob's content in slices, streamed. The integrity check runs after the last slice: the
 * generator throws VAULT_CORRUPT there, so a consumer must not publish what it received until
 * the iteration has completed (every consumer in this code writes to a temporary file or buffer).
 */
export async function* readBlobChunks(ctx: EnvelopeContext, dir: string, name: string): AsyncGenerator<Buffer> {
  let handle;
  try {
    handle = await open(blobPath(dir, name), 'r');
  } catch (e) {
    if (isMissing(e) || errnoOf(e) === 'ENOTDIR') throw new AppError('VAULT_CORRUPT', `Blob ${name} is missing`);
    if (errnoOf(e) === 'EISDIR') throw new AppError('VAULT_CORRUPT', `Blob ${name} is not a file`);
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new AppError('VAULT_CORRUPT', `Blob ${name} is not a file`);
    const { size } = st;
    const prefix = Buffer.alloc(Math.min(BLOB_HEADER_MAX, size));
    await handle.read(prefix, 0, prefix.length, 0);
    const headerLength = parseBlobHeader(ctx, name, prefix).length;
    const trailerLength = blobTrailerLength(ctx);
    if (size < headerLength + trailerLength) throw new AppError('VAULT_CORRUPT', `Blob ${name} is truncated`);
    const opener = blobOpener(ctx, name, prefix.subarray(0, headerLength));
    const end = size - trailerLength;
    // Two buffers in turn: the next slice is read while this one is opened and handed on
    // (opener.update returns a new buffer, so a read buffer is free again once it returned).
    const bufs = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
    const readAt = (i: number, pos: number): Promise<{ bytesRead: number; buffer: Buffer }> => {
      const p = handle.read(bufs[i % 2] as Buffer, 0, Math.min(READ_CHUNK, end - pos), pos);
      p.catch(() => undefined); // awaited below; not unhandled if the consumer stops early
      return p;
    };
    let i = 0;
    let pending = headerLength < end ? readAt(i, headerLength) : null;
    for (let pos = headerLength; pending !== null; ) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) throw new AppError('VAULT_CORRUPT', `Blob ${name} is truncated`);
      pos += bytesRead;
      pending = pos < end ? readAt(++i, pos) : null;
      for (const piece of slices(buffer.subarray(0, bytesRead))) yield opener.update(piece);
    }
    const trailer = Buffer.alloc(trailerLength);
    await handle.read(trailer, 0, trailerLength, end);
    opener.final(trailer);
  } finally {
    await handle.close();
  }
}
