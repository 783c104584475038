/**
 * uploadSecureFile / downloadSecureFile against a scripted connection: part layout, the big-file
 * switch, the MD5, how many requests are in flight, and stopping at the first failure. (The
 * loopback server answers one connection's requests in order, so only a fake can show that the
 * client really keeps several in flight.)
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../electron/common/errors';
import type { TelegramConnection } from '../../../electron/main/telegram/connection';
import {
  BIG_FILE_THRESHOLD,
  DOWNLOAD_CHUNK_SIZE,
  UPLOAD_PART_SIZE,
  downloadSecureFile,
  uploadSecureFile,
  type SecureFileRef,
} from '../../../electron/main/telegram/passport-api';

interface Call {
  _: string;
  fileId?: { toString(): string };
  filePart?: number;
  fileTotalParts?: number;
  bytes?: Uint8Array;
  offset?: number;
  limit?: number;
}

/** A connection whose client answers after a tick, recording calls and the peak concurrency. */
function fakeConn(answer: (c: Call) => unknown): { conn: TelegramConnection; calls: Call[]; kinds: string[]; peak: () => number } {
  const calls: Call[] = [];
  const kinds: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const tg = {
    call: async (req: Call, opts: { kind?: string }) => {
      calls.push(req);
      kinds.push(opts.kind ?? 'main');
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return answer(req);
    },
  };
  const conn = { run: (_what: string, fn: (client: unknown, signal: AbortSignal) => Promise<unknown>) => fn(tg, new AbortController().signal) };
  return { conn: conn as unknown as TelegramConnection, calls, kinds, peak: () => peak };
}

const hash32 = randomBytes(32);
const secret32 = randomBytes(32);

describe('secure file transfer (client side)', () => {
  test('upload: 512 KiB parts, at most `parallel` in flight, MD5 of the encrypted bytes, saveFilePart up to 10 MiB', async () => {
    const data = randomBytes(5 * UPLOAD_PART_SIZE + 4096);
    const f = fakeConn(() => true);
    const progress: number[] = [];
    const up = await uploadSecureFile(f.conn, data, hash32, secret32, (d) => progress.push(d), { parallel: 3 });
    assert.equal(up.parts, 6);
    assert.equal(up.md5Checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(f.peak(), 3, 'three requests in flight at once');
    assert.ok(f.calls.every((c) => c._ === 'upload.saveFilePart' && c.fileId?.toString() === up.fileId.toString()));
    assert.ok(f.kinds.every((k) => k === 'upload'));
    const byPart = new Map(f.calls.map((c) => [c.filePart, Buffer.from(c.bytes ?? [])]));
    assert.deepEqual(Buffer.concat([0, 1, 2, 3, 4, 5].map((i) => byPart.get(i) ?? Buffer.alloc(0))), data);
    assert.equal(byPart.get(5)?.length, 4096);
    assert.equal(progress.at(-1), data.length);
  });

  test('upload: above 10 MiB every part goes with saveBigFilePart and the total', async () => {
    const data = Buffer.alloc(BIG_FILE_THRESHOLD + 16);
    const f = fakeConn(() => true);
    const up = await uploadSecureFile(f.conn, data, hash32, secret32);
    assert.equal(up.parts, 21);
    assert.ok(f.calls.every((c) => c._ === 'upload.saveBigFilePart' && c.fileTotalParts === 21));
    assert.equal(f.peak(), 4, 'four in flight by default');
  });

  test('upload: the first failure stops the rest and is what the caller sees', async () => {
    const data = randomBytes(20 * UPLOAD_PART_SIZE);
    const f = fakeConn((c) => {
      if (c.filePart === 2) throw new AppError('OFFLINE', 'link down');
      return true;
    });
    await assert.rejects(uploadSecureFile(f.conn, data, hash32, secret32, undefined, { parallel: 2 }), (e) => e instanceof AppError && e.code === 'OFFLINE');
    assert.ok(f.calls.length < 8, `stopped early (${f.calls.length} calls for 20 parts)`);
    await assert.rejects(uploadSecureFile(f.conn, Buffer.alloc(15), hash32, secret32), (e) => e instanceof AppError && e.code === 'BAD_INPUT');
  });

  test('download: ranges of 512 KiB, reassembled in order; a short answer is DOWNLOAD_FAILED', async () => {
    const data = randomBytes(3 * DOWNLOAD_CHUNK_SIZE + 1000);
    const ref: SecureFileRef = { kind: 'stored', id: 5n, accessHash: -7n, size: data.length, dcId: 2, date: 0, fileHash: hash32, encryptedSecret: secret32 };
    const f = fakeConn((c) => ({ _: 'upload.file', bytes: data.subarray(c.offset ?? 0, (c.offset ?? 0) + (c.limit ?? 0)) }));
    assert.deepEqual(await downloadSecureFile(f.conn, ref, undefined, { parallel: 4 }), data);
    assert.deepEqual(f.calls.map((c) => [c.offset, c.limit]), [0, 1, 2, 3].map((i) => [i * DOWNLOAD_CHUNK_SIZE, DOWNLOAD_CHUNK_SIZE]));
    assert.equal(f.peak(), 4);
    const short = fakeConn((c) => ({ _: 'upload.file', bytes: data.subarray(c.offset ?? 0, (c.offset ?? 0) + 100) }));
    await assert.rejects(downloadSecureFile(short.conn, ref), (e) => e instanceof AppError && e.code === 'DOWNLOAD_FAILED');
  });
});
