/**
 * File parts in (upload.saveFilePart / saveBigFilePart) and secure files out (upload.getFile with
 * inputSecureFileLocation), with Telegram's rules (https://core.telegram.org/api/files):
 *
 * Upload: parts are numbered from 0 (< 4000); every part but the last has the same size, which is
 * divisible by 1 KiB and divides 512 KiB; the last may be shorter. saveFilePart is for files up to
 * 10 MiB, saveBigFilePart (which declares file_total_parts) for larger ones. Parts are kept per
 * account and file id until a saveSecureValue uses them (inputSecureFileUploaded), which checks
 * that `parts` are all there (FILE_PART_N_MISSING), that the sizes follow the rules, and that
 * `md5_checksum` is the MD5 of the assembled (encrypted) bytes — MD5_CHECKSUM_INVALID otherwise.
 * As with inputFileBig, an empty md5_checksum is accepted for big-file uploads only.
 *
 * Download: without `precise`, offset and limit are multiples of 4 KiB, limit divides 1 MiB and a
 * request never crosses a 1 MiB boundary; with `precise` 1 KiB multiples and limit ≤ 1 MiB, still
 * within one 1 MiB window. Reading at or past the end returns empty bytes.
 */
import { createHash } from 'node:crypto';
import type { UploadRecord, UserRecord } from '../state';
import { requireFileHere } from './dc-placement';
import { type CallContext, type MethodTable, RpcError, bytes, int, long, obj, requireUser } from './types';

export const MAX_PART_SIZE = 512 * 1024;
export const MAX_PARTS = 4000;
export const BIG_FILE_THRESHOLD = 10 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Uploads an account may have pending at once; the oldest is forgotten beyond that. */
const MAX_PENDING_UPLOADS = 64;
const UPLOAD_TTL_MS = 60 * 60 * 1000;

export const uploadKey = (user: UserRecord, fileId: bigint): string => `${user.id}:${fileId}`;

function partFor(ctx: CallContext, user: UserRecord, fileId: bigint, big: number | undefined): UploadRecord {
  const key = uploadKey(user, fileId);
  const now = Date.now();
  let rec = ctx.state.uploads.get(key);
  if (rec && now - rec.touchedAt > UPLOAD_TTL_MS) {
    ctx.state.uploads.delete(key);
    rec = undefined;
  }
  if (!rec) {
    const mine = [...ctx.state.uploads.entries()].filter(([k]) => k.startsWith(`${user.id}:`));
    if (mine.length >= MAX_PENDING_UPLOADS) {
      mine.sort((a, b) => a[1].touchedAt - b[1].touchedAt);
      const oldest = mine[0];
      if (oldest) ctx.state.uploads.delete(oldest[0]);
    }
    rec = { bigTotalParts: big, parts: new Map(), touchedAt: now };
    ctx.state.uploads.set(key, rec);
  }
  // One file is uploaded one way, with one declared total.
  if (rec.bigTotalParts !== big) throw new RpcError(400, 'FILE_PARTS_INVALID');
  rec.touchedAt = now;
  return rec;
}

function checkPart(part: number, data: Buffer, total = MAX_PARTS): void {
  if (!Number.isInteger(part) || part < 0 || part >= total) throw new RpcError(400, 'FILE_PART_INVALID');
  if (data.length === 0) throw new RpcError(400, 'FILE_PART_EMPTY');
  if (data.length > MAX_PART_SIZE) throw new RpcError(400, 'FILE_PART_TOO_BIG');
}

/**
 * The bytes of an uploaded file, checked as described in the header. Does not release the
 * parts: the caller deletes `uploadKey(...)` once the value using it is accepted.
 */
export function assembleUpload(ctx: CallContext, user: UserRecord, fileId: bigint, parts: number, md5: string): Buffer {
  const rec = ctx.state.uploads.get(uploadKey(user, fileId));
  if (!rec) throw new RpcError(400, 'FILE_PART_0_MISSING');
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS) throw new RpcError(400, 'FILE_PARTS_INVALID');
  if (rec.bigTotalParts !== undefined && rec.bigTotalParts !== parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
  for (const n of rec.parts.keys()) if (n >= parts) throw new RpcError(400, 'FILE_PARTS_INVALID');
  const list: Buffer[] = [];
  for (let i = 0; i < parts; i++) {
    const p = rec.parts.get(i);
    if (!p) throw new RpcError(400, `FILE_PART_${i}_MISSING`);
    list.push(p);
  }
  const partSize = list[0]?.length ?? 0;
  if (parts > 1 && (partSize % 1024 !== 0 || MAX_PART_SIZE % partSize !== 0)) throw new RpcError(400, 'FILE_PART_SIZE_INVALID');
  for (let i = 0; i < parts; i++) {
    const len = list[i]?.length ?? 0;
    if (i < parts - 1 ? len !== partSize : len > partSize) throw new RpcError(400, 'FILE_PART_SIZE_CHANGED');
  }
  const all = Buffer.concat(list);
  if (rec.bigTotalParts === undefined && all.length > BIG_FILE_THRESHOLD) throw new RpcError(400, 'FILE_PARTS_INVALID');
  const actual = createHash('md5').update(all).digest('hex');
  const emptyOk = rec.bigTotalParts !== undefined && md5 === '';
  if (!emptyOk && md5.toLowerCase() !== actual) throw new RpcError(400, 'MD5_CHECKSUM_INVALID');
  return all;
}

export const uploadMethods: MethodTable = {
  'upload.saveFilePart': (ctx, params) => {
    const user = requireUser(ctx);
    const data = bytes(params, 'bytes');
    const part = int(params, 'file_part');
    checkPart(part, data);
    partFor(ctx, user, long(params, 'file_id'), undefined).parts.set(part, Buffer.from(data));
    return true;
  },

  'upload.saveBigFilePart': (ctx, params) => {
    const user = requireUser(ctx);
    const total = int(params, 'file_total_parts');
    if (!Number.isInteger(total) || total < 1 || total > MAX_PARTS) throw new RpcError(400, 'FILE_PARTS_INVALID');
    const data = bytes(params, 'bytes');
    const part = int(params, 'file_part');
    checkPart(part, data, total);
    partFor(ctx, user, long(params, 'file_id'), total).parts.set(part, Buffer.from(data));
    return true;
  },

  'upload.getFile': (ctx, params) => {
    const user = requireUser(ctx);
    const location = obj(params, 'location');
    if (location._ !== 'inputSecureFileLocation') throw new RpcError(400, 'LOCATION_INVALID');
    const file = ctx.state.secureFiles.get(long(location, 'id'));
    if (!file || file.ownerId !== user.id || file.accessHash !== long(location, 'access_hash')) throw new RpcError(400, 'LOCATION_INVALID');
    requireFileHere(ctx, file.dcId);
    const offsetBig = long(params, 'offset');
    const limit = int(params, 'limit');
    const precise = params.precise === true;
    const unit = precise ? 1024 : 4096;
    if (offsetBig < 0n || offsetBig % BigInt(unit) !== 0n || offsetBig > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpcError(400, 'OFFSET_INVALID');
    const offset = Number(offsetBig);
    if (limit <= 0 || limit > MIB || limit % unit !== 0 || (!precise && MIB % limit !== 0)) throw new RpcError(400, 'LIMIT_INVALID');
    if (Math.floor(offset / MIB) !== Math.floor((offset + limit - 1) / MIB)) throw new RpcError(400, 'LIMIT_INVALID');
    return {
      _: 'upload.file',
      type: { _: offset === 0 ? 'storage.fileUnknown' : 'storage.filePartial' },
      mtime: file.date,
      bytes: file.bytes.subarray(Math.min(offset, file.size), Math.min(offset + limit, file.size)),
    };
  },
};
