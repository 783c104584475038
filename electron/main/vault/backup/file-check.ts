/**
 * The Passport check of a scan as it streams past during a backup import: decrypt its ciphertext
 * (AES-256-CBC under the key Passport derives from the file's secret and hash) to nowhere, and at the
 * end compare SHA-256 of the padded plaintext with the file hash and check the padding length.
 *
 * Two implementations with one interface:
 *  - `inThreadFileChecks`: on the calling thread (the reference; used when no worker can start);
 *  - `FileCheckWorker`: on a worker thread, so the decryption and hash of every byte run on a second
 *    core while the main thread authenticates the backup frames and writes the vault. That is most
 *    of an import's CPU (bench/backup.ts). A keyless target vault's envelope hash of the same bytes
 *    runs there too (`keylessDigest`): it took the main thread's CPU in an import from ~615 to ~490 ms.
 * The results are only read by `settle()`, which the importer awaits once before its commit: a
 * failure anywhere still aborts the import before anything becomes visible.
 */
import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../common/errors';
import { deriveAesKeyIv, rawCbcDecipher, wipeKeyIv } from '../../passport/crypto/keys';
import { assertCiphertextLength } from '../../passport/crypto/data-encryption';
import { checkPadding } from '../../passport/crypto/padding';
import { CIPHER_SLICE, slices } from '../fs/cipher-slices';

/** What the check of one file needs: its Passport key material and the hash to expect. */
export interface FileCheckInput {
  /** The file's decrypted value secret (the caller wipes its own copy). */
  secret: Uint8Array;
  fileHash: Uint8Array;
  size: number;
  /** Names the file in an error. */
  label: string;
}

export interface FileCheck {
  /**
   * Also hash the ciphertext itself, after `prefix`: SHA-256(prefix ‖ every byte given to update()),
   * for the keyless vault envelope (KeylessDigest in store/envelope.ts) the file is written into, so
   * that hash runs where the bytes already are. Call before the first update(); resolves after end().
   */
  keylessDigest(prefix: Buffer): Promise<Buffer>;
  /** The next piece of ciphertext; may wait while the checker catches up (bounded memory). */
  update(chunk: Uint8Array): Promise<void> | void;
  /** No more ciphertext; the verdict arrives through `settle()`. */
  end(): void;
}

export interface FileChecks {
  begin(input: FileCheckInput): FileCheck;
  /** Resolves once every file begun so far is checked; rejects with the first failure. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function verdict(label: string, digest: Uint8Array, first: number, input: { fileHash: Uint8Array; size: number }): AppError | null {
  if (!Buffer.from(digest).equals(Buffer.from(input.fileHash))) {
    return new AppError('BACKUP_CORRUPT', `${label} in the backup does not open under its Passport keys (hash mismatch)`);
  }
  try {
    checkPadding(first, input.size);
  } catch {
    return new AppError('BACKUP_CORRUPT', `${label} in the backup has an invalid Passport padding`);
  }
  return null;
}

/** The check on the calling thread. */
export function inThreadFileChecks(): FileChecks {
  let failure: AppError | null = null;
  return {
    begin(input) {
      assertCiphertextLength(input.size);
      const keyIv = deriveAesKeyIv(input.secret, input.fileHash);
      const decipher = rawCbcDecipher(keyIv);
      wipeKeyIv(keyIv);
      const sha = createHash('sha256');
      let seal: { hash: Hash; done: (digest: Buffer) => void } | null = null;
      let first = -1;
      const take = (plain: Buffer): void => {
        if (first < 0 && plain.length > 0) first = plain[0] ?? 0;
        sha.update(plain);
        plain.fill(0); // this is the scan in the clear
      };
      return {
        keylessDigest: (prefix) =>
          new Promise<Buffer>((done) => {
            seal = { hash: createHash('sha256').update(prefix), done };
          }),
        update: (chunk) => {
          seal?.hash.update(chunk);
          for (const piece of slices(chunk)) take(decipher.update(piece));
        },
        end: () => {
          seal?.done(seal.hash.digest());
          try {
            take(decipher.final());
            failure ??= verdict(input.label, sha.digest(), first, input);
          } catch {
            failure ??= new AppError('BACKUP_CORRUPT', `${input.label} in the backup cannot be decrypted`);
          }
        },
      };
    },
    settle: () => (failure === null ? Promise.resolve() : Promise.reject(failure)),
    close: () => Promise.resolve(),
  };
}

/**
 * The worker's program. Plain JavaScript run with `eval`, so the same code works in the bundled
 * main process, the CLI and the tests without a separate build entry; it only decrypts and hashes
 * what it is sent and answers with the digest and the first plaintext byte (the padding length).
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { createDecipheriv, createHash } = require('node:crypto');
const SLICE = ${CIPHER_SLICE};
const jobs = new Map();
function take(job, plain) {
  if (job.first < 0 && plain.length > 0) job.first = plain[0];
  job.sha.update(plain);
  plain.fill(0);
}
parentPort.on('message', (m) => {
  const job = jobs.get(m.id);
  try {
    if (m.op === 'begin') {
      const decipher = createDecipheriv('aes-256-cbc', m.key, m.iv).setAutoPadding(false);
      m.key.fill(0);
      m.iv.fill(0);
      jobs.set(m.id, { decipher, sha: createHash('sha256'), first: -1, seal: null });
    } else if (job === undefined) {
      // a job that already failed: its remaining messages are dropped
    } else if (m.op === 'seal') {
      job.seal = createHash('sha256').update(m.prefix);
    } else if (m.op === 'data') {
      if (job.seal !== null) job.seal.update(m.bytes);
      for (let p = 0; p < m.bytes.length; p += SLICE) take(job, job.decipher.update(m.bytes.subarray(p, p + SLICE)));
    } else if (m.op === 'end') {
      jobs.delete(m.id);
      const seal = job.seal === null ? null : job.seal.digest();
      take(job, job.decipher.final());
      parentPort.postMessage({ op: 'done', id: m.id, digest: job.sha.digest(), first: job.first, seal });
    }
  } catch (e) {
    jobs.delete(m.id);
    parentPort.postMessage({ op: 'failed', id: m.id });
  } finally {
    // The buffer goes back for reuse (transferred, not copied).
    if (m.op === 'data') parentPort.postMessage({ op: 'ack', bytes: m.bytes }, [m.bytes.buffer]);
  }
});
`;

type FromWorker =
  | { op: 'ack'; bytes: Uint8Array }
  | { op: 'done'; id: number; digest: Uint8Array; first: number; seal: Uint8Array | null }
  | { op: 'failed'; id: number };

interface OpenJob {
  input: Omit<FileCheckInput, 'secret'>;
  seal?: { resolve: (digest: Buffer) => void; reject: (e: Error) => void };
}

/** Ciphertext sent but not yet decrypted by the worker, at most: keeps memory flat whatever the backup's size. */
export const MAX_IN_FLIGHT = 4 * 1024 * 1024;
/** Ciphertext is collected into pooled buffers of this size that travel to the worker and back. */
const PIECE = 256 * 1024;

export class FileCheckWorker implements FileChecks {
  private readonly worker: Worker;
  private nextId = 1;
  private inFlight = 0;
  private readonly pool: ArrayBuffer[] = [];
  /** The largest backlog seen (bytes sent, not yet acknowledged): tests hold it to MAX_IN_FLIGHT. */
  peakInFlight = 0;
  private readonly open = new Map<number, OpenJob>();
  private failure: AppError | null = null;
  private drained: (() => void) | null = null;
  private settled: (() => void) | null = null;
  private closing = false;

  constructor() {
    // execArgv []: the program is plain CommonJS and needs none of the parent's flags or loaders (tsx in tests and the CLI).
    this.worker = new Worker(WORKER_SOURCE, { eval: true, name: 'passport-file-check', execArgv: [] });
    this.worker.on('message', (m: FromWorker) => this.onMessage(m));
    const died = (): void => {
      if (!this.closing) this.fail(new AppError('INTERNAL', 'The backup check stopped unexpectedly'));
    };
    this.worker.on('error', died);
    this.worker.on('exit', died);
  }

  /** A worker, or the in-thread checks where threads cannot start (e.g. a resource limit). */
  static start(): FileChecks {
    try {
      return new FileCheckWorker();
    } catch {
      return inThreadFileChecks();
    }
  }

  begin(input: FileCheckInput): FileCheck {
    assertCiphertextLength(input.size);
    const id = this.nextId++;
    const keyIv = deriveAesKeyIv(input.secret, input.fileHash);
    // Transferred copies: the worker owns (and wipes) them; ours are wiped right away.
    const key = new Uint8Array(keyIv.key);
    const iv = new Uint8Array(keyIv.iv);
    wipeKeyIv(keyIv);
    const job: OpenJob = { input: { fileHash: Buffer.from(input.fileHash), size: input.size, label: input.label } };
    this.open.set(id, job);
    this.worker.postMessage({ op: 'begin', id, key, iv }, [key.buffer, iv.buffer]);
    let piece: Uint8Array<ArrayBuffer> | null = null;
    let fill = 0;
    // The piece travels to the worker (transferred, not copied) and comes back with its ack.
    const send = (): void => {
      if (piece === null) return;
      const bytes = piece.subarray(0, fill);
      this.inFlight += fill;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      this.worker.postMessage({ op: 'data', id, bytes }, [bytes.buffer]);
      piece = null;
      fill = 0;
    };
    return {
      keylessDigest: (prefix) =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure !== null) return reject(this.failure);
          job.seal = { resolve, reject };
          this.worker.postMessage({ op: 'seal', id, prefix });
        }),
      update: async (chunk) => {
        if (this.failure !== null) return; // the import fails at settle(); no point sending more
        for (let pos = 0; pos < chunk.length; ) {
          piece ??= new Uint8Array(this.pool.pop() ?? new ArrayBuffer(PIECE));
          const n = Math.min(PIECE - fill, chunk.length - pos);
          piece.set(chunk.subarray(pos, pos + n), fill);
          fill += n;
          pos += n;
          if (fill < PIECE) continue;
          send();
          if (this.inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve) => (this.drained = resolve));
          if (this.failure !== null) return;
        }
      },
      end: () => {
        send();
        this.worker.postMessage({ op: 'end', id });
      },
    };
  }

  private onMessage(m: FromWorker): void {
    if (m.op === 'ack') {
      this.inFlight -= m.bytes.length;
      this.pool.push(m.bytes.buffer as ArrayBuffer); // ciphertext only: nothing to wipe
      if (this.inFlight <= MAX_IN_FLIGHT / 2) this.wake();
      return;
    }
    const job = this.open.get(m.id);
    this.open.delete(m.id);
    if (job === undefined) return;
    const label = job.input.label;
    const failure = m.op === 'failed' ? new AppError('BACKUP_CORRUPT', `${label} in the backup cannot be decrypted`) : verdict(label, m.digest, m.first, job.input);
    if (m.op === 'done' && m.seal !== null) job.seal?.resolve(Buffer.from(m.seal));
    else job.seal?.reject(failure ?? new AppError('INTERNAL', 'The backup check returned no digest'));
    this.fail(failure);
    if (this.open.size === 0) {
      this.settled?.();
      this.settled = null;
    }
  }

  private wake(): void {
    this.drained?.();
    this.drained = null;
  }

  private fail(e: AppError | null): void {
    if (e === null) return;
    this.failure ??= e;
    for (const job of this.open.values()) job.seal?.reject(this.failure);
    this.wake();
    this.settled?.();
    this.settled = null;
  }

  async settle(): Promise<void> {
    if (this.open.size > 0 && this.failure === null) await new Promise<void>((resolve) => (this.settled = resolve));
    if (this.failure !== null) throw this.failure;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.open.clear();
    await this.worker.terminate();
  }
}
