/** Secure files through the Telegram API: parallel part upload and ranged download of ENCRYPTED bytes, FILE_MIGRATE followed. */
import { createHash, randomBytes } from 'node:crypto';
import type { tl } from '@mtcute/core';
import { AppError } from '../../common/errors';
import type { TelegramConnection } from './connection';
import { type Client, run, toLong } from './passport-tl';
import type { SecureFileRef, UploadedSecureFile } from './secure-values-api';

/** Telegram's upload part size limit, and the size every part but the last has here. */
export const UPLOAD_PART_SIZE = 512 * 1024;
/** Above this, files go up with saveBigFilePart. */
export const BIG_FILE_THRESHOLD = 10 * 1024 * 1024;
const MAX_PARTS = 4000;
/** Download request size: a multiple of 4 KiB that divides 1 MiB. */
export const DOWNLOAD_CHUNK_SIZE = 512 * 1024;
const DEFAULT_PARALLEL = 4;

export type TransferProgress = (done: number, total: number) => void;

export interface TransferOptions {
  /** Requests in flight at once (default 4). */
  parallel?: number;
}

/** Runs `count` jobs with at most `parallel` at once; the first failure stops the rest. */
async function inParallel(count: number, parallel: number, job: (index: number, stopped: () => boolean) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await job(i, () => failed);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * Uploads an ENCRYPTED Passport file in 512 KiB parts, several at once (saveBigFilePart above
 * 10 MiB), and returns what saveSecureValue attaches. `fileHash` and `encryptedSecret` come from
 * the crypto core (file_hash, and the file secret encrypted under the passport secret).
 */
export async function uploadSecureFile(
  conn: TelegramConnection,
  encrypted: Uint8Array,
  fileHash: Uint8Array,
  encryptedSecret: Uint8Array,
  onProgress?: TransferProgress,
  opts: TransferOptions = {},
): Promise<UploadedSecureFile> {
  const size = encrypted.length;
  if (size === 0 || size % 16 !== 0) throw new AppError('BAD_INPUT', 'An encrypted Passport file is a positive multiple of 16 bytes.');
  if (fileHash.length !== 32 || encryptedSecret.length !== 32) throw new AppError('BAD_INPUT', 'file_hash and the encrypted secret are 32 bytes each.');
  const parts = Math.ceil(size / UPLOAD_PART_SIZE);
  if (parts > MAX_PARTS) throw new AppError('BAD_INPUT', 'The file is too large for Telegram.');
  const big = size > BIG_FILE_THRESHOLD;
  const fileId = randomBytes(8).readBigInt64LE(0);
  const id = toLong(fileId);
  // The MD5 Telegram wants of the whole file is built part by part as the parts go out (inParallel
  // starts them in order), so it runs while earlier parts are on the wire instead of before the first.
  const md5 = createHash('md5');
  let hashed = 0;
  let done = 0;
  await inParallel(parts, opts.parallel ?? DEFAULT_PARALLEL, async (part, stopped) => {
    if (stopped()) return;
    const bytes = encrypted.subarray(part * UPLOAD_PART_SIZE, Math.min(size, (part + 1) * UPLOAD_PART_SIZE));
    if (part !== hashed++) throw new AppError('INTERNAL', 'Upload parts started out of order.');
    md5.update(bytes);
    const ok = await run(conn, 'upload', (tg, abortSignal) =>
      big
        ? tg.call({ _: 'upload.saveBigFilePart', fileId: id, filePart: part, fileTotalParts: parts, bytes }, { kind: 'upload', abortSignal })
        : tg.call({ _: 'upload.saveFilePart', fileId: id, filePart: part, bytes }, { kind: 'upload', abortSignal }),
    );
    if (!ok) throw new AppError('UPLOAD_FAILED', `Telegram did not accept part ${part} of the file.`);
    done += bytes.length;
    onProgress?.(done, size);
  });
  return { kind: 'uploaded', fileId, parts, md5Checksum: md5.digest('hex'), fileHash: Buffer.from(fileHash), encryptedSecret: Buffer.from(encryptedSecret) };
}

/** Downloads a secure file's ENCRYPTED bytes in 512 KiB ranges, several at once. */
export async function downloadSecureFile(conn: TelegramConnection, file: SecureFileRef, onProgress?: TransferProgress, opts: TransferOptions = {}): Promise<Buffer> {
  const size = file.size;
  const out = Buffer.alloc(size);
  const chunks = Math.ceil(size / DOWNLOAD_CHUNK_SIZE);
  const location: tl.RawInputSecureFileLocation = { _: 'inputSecureFileLocation', id: toLong(file.id), accessHash: toLong(file.accessHash) };
  let done = 0;
  // Asked of the account's own DC first; a file Telegram keeps elsewhere answers FILE_MIGRATE_N, and the
  // remaining ranges go straight to DC N (mtcute makes a key there and carries the sign-in over with
  // auth.exportAuthorization/importAuthorization). mtcute follows FILE_MIGRATE only in its own
  // downloadAsIterable, not for a raw upload.getFile, hence this.
  let dcId: number | undefined;
  const getRange = async (tg: Client, offset: number, abortSignal: AbortSignal): Promise<tl.upload.TypeFile> => {
    for (let hop = 0; ; hop++) {
      try {
        return await tg.call({ _: 'upload.getFile', location, offset, limit: DOWNLOAD_CHUNK_SIZE }, { kind: 'download', abortSignal, ...(dcId !== undefined ? { dcId } : {}) });
      } catch (e) {
        const to = fileMigrateTarget(e);
        // One hop is what Telegram ever asks; a second means the DCs disagree, and is an error.
        if (to === undefined || hop >= 1) throw e;
        dcId = to;
      }
    }
  };
  await inParallel(chunks, opts.parallel ?? DEFAULT_PARALLEL, async (chunk, stopped) => {
    if (stopped()) return;
    const offset = chunk * DOWNLOAD_CHUNK_SIZE;
    const expected = Math.min(DOWNLOAD_CHUNK_SIZE, size - offset);
    const res = await run(conn, 'download', (tg, abortSignal) => getRange(tg, offset, abortSignal));
    if (res._ !== 'upload.file' || res.bytes.length !== expected) {
      throw new AppError('DOWNLOAD_FAILED', `Telegram returned ${res._ === 'upload.file' ? res.bytes.length : 'no'} bytes at offset ${offset}, ${expected} expected.`);
    }
    out.set(res.bytes, offset);
    done += expected;
    onProgress?.(done, size);
  });
  return out;
}

/** N of a FILE_MIGRATE_N from mtcute (its RpcError keeps the text as FILE_MIGRATE_%d and N as `newDc`). */
function fileMigrateTarget(e: unknown): number | undefined {
  if (!(e instanceof Error) || e.constructor.name !== 'RpcError') return undefined;
  const { text, newDc } = e as Error & { text?: unknown; newDc?: unknown };
  return text === 'FILE_MIGRATE_%d' && typeof newDc === 'number' && Number.isInteger(newDc) && newDc > 0 ? newDc : undefined;
}
