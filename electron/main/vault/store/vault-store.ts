/**
 * The offline mirror on disk: one directory per vault.
 *
 *   vault.json   {format, version, vaultId, sealing, createdAt}: plain, written once; its presence
 *                marks a finished creation
 *   state        the envelope-sealed VaultContent (see state.ts, envelope.ts) with its generation
 *   blobs/NAME   one envelope-sealed Passport file ciphertext each; immutable once written; its
 *                sealed header carries the generation of the commit it was written for
 *   lock         while a process writes (vault-lock.ts)
 *
 * Crash safety. Blobs are never modified, only added and removed; the state file is the single
 * commit point and is replaced atomically (atomic-write.ts). A save writes its new blobs first,
 * syncs the blob directory, then replaces the state. So after a crash at any instant, `state` is
 * either the old or the new record, and every blob it references is complete on disk. The
 * generation number in the envelope increases by one per commit and is authenticated, so a record
 * of one generation cannot pass for another.
 *
 * Nothing read-only deletes anything. Blobs nobody references any more (dropped by a commit, or
 * written by a save that never committed) and temporary files are removed only by a writer, right
 * after it committed a state (`commit` → sweep): it holds the lock and has just proved, with the
 * state it wrote, which blobs are unreferenced. A sweep after committing generation G deletes
 * only unreferenced blobs of generation <= G; v1 blobs (no generation) count as 0.
 *
 * Rollback. `state` may be replaced behind our back by an OLDER copy (a sync tool, a backup
 * restore, a second computer). At open, with state generation S, an unreferenced blob of
 * generation g says:
 *   g <= S        dropped by a commit and not swept yet: harmless;
 *   g = S + 1     written for the commit after S. If a lock file is there, a write is under way or
 *                 was interrupted (the lock is made durable before a writer writes any blob, and
 *                 removed only once its blobs are committed or deleted): harmless, the next commit
 *                 sweeps it. Without a lock it cannot be an interrupted write: rollback;
 *   g > S + 1     only a commit after S + 1 writes such a blob, so a newer state existed: rollback.
 * Where a keychain is in use, it also keeps the last committed generation (vault-keys.ts): a state
 * older than that is a rollback too, even with no newer blob left. Rollback is VAULT_ROLLBACK,
 * with every file kept. Only unreferenced blobs' headers are read at open (few, normally none);
 * a header is not authenticated until its whole blob is read, so a forged one can at worst cause a
 * false alarm, never a deletion: sweeps delete nothing that is newer than the state just written.
 *
 * Damage stays local. Open reads `vault.json` and `state` and lists `blobs/`; it does not check
 * the referenced blobs. `damage(value)` stats a value's blobs (present, a file, the right size),
 * and reading a blob checks it completely: a missing or damaged blob fails only its value.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { fsyncDir, isTempName, removeStaleTemps, writeFileAtomic } from '../fs/atomic-write';
import { BufferedFileWriter } from '../fs/buffered-writer';
import { slices } from '../fs/cipher-slices';
import {
  BLOB_HEADER_MAX,
  blobOpener,
  blobSealer,
  blobTrailerLength,
  openState,
  parseBlobHeader,
  sealState,
  stateRecordMode,
  VAULT_KEY_LENGTH,
} from './envelope';
import type { EnvelopeContext, KeylessDigest, SealingMode } from './envelope';
import { BlobName, emptyContent, referencedBlobs, VaultContentSchema } from './state';
import type { StoredFile, VaultContent, VaultState } from './state';
import { LOCK_FILE, VaultLock } from './vault-lock';

export const STORE_FORMAT = 'passport-vault-store';
export const STORE_VERSION = 1;
const INFO_FILE = 'vault.json';
const STATE_FILE = 'state';
const BLOB_DIR = 'blobs';
const READ_CHUNK = 256 * 1024;
/** Writes of one blob in flight at once (BufferedFileWriter). Background data syncs, tried before,
 * made these writes queue behind them: the final fsync makes a blob durable, and importers overlap
 * it with the next file. */
const WRITES_IN_FLIGHT = 2;

const VaultInfoSchema = z.strictObject({
  format: z.literal(STORE_FORMAT),
  version: z.number().int().positive(),
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  sealing: z.enum(['none', 'aes-256-gcm']),
  createdAt: z.number().int().nonnegative(),
});
export type VaultInfo = z.infer<typeof VaultInfoSchema>;

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;
const isMissing = (e: unknown): boolean => errnoOf(e) === 'ENOENT';

function checkKey(key: Buffer | null): void {
  if (key !== null && key.length !== VAULT_KEY_LENGTH) {
    throw new AppError('BAD_KEY', `A vault key must be ${VAULT_KEY_LENGTH} bytes`);
  }
}

/** Why a value's file cannot be read, as `damage()` finds it without reading the file. */
export type BlobDamage = 'missing' | 'not_a_file' | 'wrong_size';

export interface StoreOptions {
  /**
   * The last generation committed as far as something outside the folder knows (the keychain): a
   * state older than that is a rollback.
   */
  knownGeneration?: number;
  /** Told each committed generation, after the commit (the keychain keeps it). Failures are ignored. */
  onCommit?: (generation: number) => Promise<void>;
}

function rollback(dir: string, stateGeneration: number, seen: number, source: 'blobs' | 'keychain'): AppError {
  const evidence =
    source === 'blobs'
      ? `its folder holds files written for generation ${seen}`
      : `this computer's keychain saw generation ${seen} committed`;
  return new AppError(
    'VAULT_ROLLBACK',
    `The vault in ${dir} has an older state (generation ${stateGeneration}) than ${evidence}: an older copy of its "state" file was ` +
      'probably put back (by a sync tool, a backup restore or another computer). Nothing was changed or deleted. ' +
      'To recover, put the newer "state" file back, or import a backup into a new folder (backup import --vault-dir NEW).',
    { stateGeneration, seenGeneration: seen, source },
  );
}

export class VaultStore {
  private current: VaultState;
  private blobsDirty = false;
  private closed = false;
  /** Held from this store's first write until close(). */
  private lock: VaultLock | null = null;
  private locking: Promise<void> | null = null;
  /** Blobs this store wrote that no commit referenced yet. */
  private readonly uncommitted = new Set<string>();
  /** A writer before us may have left uncommitted blobs that no sweep has removed yet. */
  private leftovers = false;

  private constructor(
    readonly dir: string,
    readonly info: VaultInfo,
    private readonly ctx: EnvelopeContext,
    state: VaultState,
    private readonly options: StoreOptions,
  ) {
    this.current = state;
  }

  /** Reads `vault.json` without any key: which vault this is and how it is sealed. */
  static async readInfo(dir: string): Promise<VaultInfo> {
    let text: string;
    try {
      text = await readFile(join(dir, INFO_FILE), 'utf8');
    } catch (e) {
      if (isMissing(e) || errnoOf(e) === 'ENOTDIR') throw new AppError('VAULT_NOT_FOUND', `No vault in ${dir}`);
      if (errnoOf(e) === 'EISDIR') throw new AppError('VAULT_CORRUPT', 'vault.json is a folder, not a file');
      throw new AppError('BAD_INPUT', `Cannot read the vault in ${dir}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('VAULT_CORRUPT', 'vault.json is not valid JSON');
    }
    const version = (json as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > STORE_VERSION) {
      throw new AppError('UNSUPPORTED_VERSION', `This vault was written by a newer version (format ${version})`);
    }
    const parsed = VaultInfoSchema.safeParse(json);
    if (!parsed.success) throw new AppError('VAULT_CORRUPT', 'vault.json does not describe a vault');
    return parsed.data;
  }

  /**
   * Refuses a vault.json whose `sealing` disagrees with the state record's own mode byte (an edited
   * vault.json), before anybody asks the keychain for a key that would not fit anyway.
   */
  static async checkSealing(dir: string, info: VaultInfo): Promise<void> {
    const mode = stateRecordMode(await readStatePrefix(dir));
    if (mode === null) throw new AppError('VAULT_CORRUPT', 'The vault state is not a vault state record');
    if (mode !== info.sealing) {
      throw new AppError('VAULT_CORRUPT', `vault.json says the vault is sealed "${info.sealing}", but its state was written "${mode}": vault.json was altered`);
    }
  }

  /**
   * Creates an empty vault in `dir` (created if needed). `vaultKey` null = keyless sealing.
   * The store keeps its own copy of the key and wipes it on close().
   */
  static async create(
    dir: string,
    options: { vaultKey: Buffer | null; origin: VaultContent['origin']; vaultId?: string } & StoreOptions,
  ): Promise<VaultStore> {
    checkKey(options.vaultKey);
    try {
      await VaultStore.readInfo(dir);
      throw new AppError('VAULT_EXISTS', `A vault already exists in ${dir}`);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'VAULT_NOT_FOUND') throw e;
    }
    await mkdir(join(dir, BLOB_DIR), { recursive: true, mode: 0o700 });
    const info: VaultInfo = {
      format: STORE_FORMAT,
      version: STORE_VERSION,
      vaultId: options.vaultId ?? randomBytes(16).toString('hex'),
      sealing: options.vaultKey === null ? 'none' : 'aes-256-gcm',
      createdAt: Date.now(),
    };
    const ctx: EnvelopeContext = { vaultId: info.vaultId, key: options.vaultKey === null ? null : Buffer.from(options.vaultKey) };
    const state: VaultState = { generation: 0, ...emptyContent(options.origin) };
    await writeFileAtomic(join(dir, STATE_FILE), sealState(ctx, 0, Buffer.from(JSON.stringify(emptyContent(options.origin)))));
    // vault.json last: until it exists, the directory is not a vault and `create` may run again.
    await writeFileAtomic(join(dir, INFO_FILE), Buffer.from(`${JSON.stringify(info, null, 2)}\n`));
    const { onCommit } = options;
    return new VaultStore(dir, info, ctx, state, onCommit === undefined ? {} : { onCommit });
  }

  /**
   * Opens the vault in `dir` for reading (writes take the lock when they start). `vaultKey` is the
   * key from the keychain for this vault, or null when the keychain has none. Deletes nothing;
   * refuses a rolled-back state (VAULT_ROLLBACK, see the header).
   */
  static async open(dir: string, vaultKey: Buffer | null, options: StoreOptions = {}): Promise<VaultStore> {
    checkKey(vaultKey);
    const info = await VaultStore.readInfo(dir);
    await VaultStore.checkSealing(dir, info);
    const sealing: SealingMode = info.sealing;
    if (sealing === 'aes-256-gcm' && vaultKey === null) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'This vault is sealed with a key kept in the system keychain, which is not available');
    }
    if (sealing === 'none' && vaultKey !== null) {
      // The keychain holds a key for this vault, so it was created sealed: vault.json was altered.
      throw new AppError('VAULT_CORRUPT', 'vault.json says the vault is not sealed, but the keychain holds its key');
    }
    const ctx: EnvelopeContext = { vaultId: info.vaultId, key: vaultKey === null ? null : Buffer.from(vaultKey) };
    try {
      const state = await readConsistentState(dir, ctx, options.knownGeneration);
      return new VaultStore(dir, info, ctx, state, options);
    } catch (e) {
      ctx.key?.fill(0);
      throw e;
    }
  }

  /** Removes every file of the vault in `dir` that the store knows by name; nothing else. */
  static async destroy(dir: string): Promise<void> {
    const blobDir = join(dir, BLOB_DIR);
    for (const name of await readdir(blobDir).catch(() => [] as string[])) {
      if (BlobName.safeParse(name).success || isTempName(name)) await unlink(join(blobDir, name));
    }
    await rmdir(blobDir).catch(() => undefined);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name === STATE_FILE || isTempName(name)) await unlink(join(dir, name));
    }
    // vault.json goes last: a crash half-way leaves a directory that is no longer a vault.
    await unlink(join(dir, INFO_FILE)).catch((e: unknown) => {
      if (!isMissing(e)) throw e;
    });
    await unlink(join(dir, LOCK_FILE)).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
  }

  get sealing(): SealingMode {
    return this.info.sealing;
  }

  /** A deep copy of the committed state: callers cannot change the store by mutating it. */
  get state(): VaultState {
    return structuredClone(this.current);
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('INTERNAL', 'The vault store is closed');
  }

  private blobPath(name: string): string {
    if (!BlobName.safeParse(name).success) throw new AppError('VAULT_CORRUPT', 'Bad blob name');
    return join(this.dir, BLOB_DIR, name);
  }

  /**
   * Makes this store the vault's writer (once): takes the lock, then checks that the state on disk
   * is still the one it opened (else another process wrote meanwhile: VAULT_BUSY, reopen).
   */
  private beginWrite(): Promise<void> {
    this.assertOpen();
    this.locking ??= (async () => {
      const lock = await VaultLock.acquire(this.dir);
      try {
        const onDisk = await readStateFile(this.dir, this.ctx);
        if (onDisk.generation !== this.current.generation) {
          throw new AppError('VAULT_BUSY', 'Another program wrote to this vault after it was opened here; open it again to see its changes.', { changed: true });
        }
      } catch (e) {
        lock.releaseSync(lock.tookOver);
        throw e;
      }
      this.lock = lock;
      this.leftovers = lock.tookOver;
    })();
    const started = this.locking;
    started.catch(() => {
      if (this.locking === started) this.locking = null; // the next write may try again
    });
    return started;
  }

  /**
   * Stores a blob (streamed) and returns its name and byte count. Not referenced until a commit.
   * Sealed bytes are written while the next ones are sealed (BufferedFileWriter); writeFileAtomic's
   * fsync before the rename makes the blob durable.
   */
  async putBlobStream(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: { keylessDigest?: KeylessDigest } = {},
  ): Promise<{ name: string; size: number }> {
    await this.beginWrite();
    const name = randomBytes(16).toString('hex');
    const sealer = blobSealer(this.ctx, name, this.current.generation + 1, options.keylessDigest);
    let size = 0;
    this.uncommitted.add(name);
    await writeFileAtomic(
      this.blobPath(name),
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
      { syncDir: false }, // the blob directory is synced once, before the next commit
    ).catch((e: unknown) => {
      this.uncommitted.delete(name); // writeFileAtomic removed its temporary file
      throw e;
    });
    this.blobsDirty = true;
    return { name, size };
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    return (await this.putBlobStream([bytes])).name;
  }

  /**
   * What is wrong with the blob of `file`, found without reading it (one stat): missing, not a
   * file, or not the size its sealed content must have. null = looks fine (reading still checks it).
   */
  async blobDamage(file: StoredFile): Promise<BlobDamage | null> {
    let size: number;
    try {
      const st = await stat(this.blobPath(file.blob));
      if (!st.isFile()) return 'not_a_file';
      size = st.size;
    } catch (e) {
      return isMissing(e) || errnoOf(e) === 'ENOTDIR' ? 'missing' : 'not_a_file';
    }
    const nonce = this.ctx.key === null ? 0 : 12;
    const framing = size - file.size - blobTrailerLength(this.ctx) - nonce;
    return framing === 5 || framing === 5 + 8 ? null : 'wrong_size'; // a v1 or a v2 header
  }

  /**
   * The blob's content in slices, streamed. The integrity check runs after the last slice: the
   * generator throws VAULT_CORRUPT there, so a consumer must not publish what it received until
   * the iteration has completed (every consumer in this code writes to a temporary file or buffer).
   */
  async *readBlobChunks(name: string): AsyncGenerator<Buffer> {
    this.assertOpen();
    let handle;
    try {
      handle = await open(this.blobPath(name), 'r');
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
      const headerLength = parseBlobHeader(this.ctx, name, prefix).length;
      const trailerLength = blobTrailerLength(this.ctx);
      if (size < headerLength + trailerLength) throw new AppError('VAULT_CORRUPT', `Blob ${name} is truncated`);
      const opener = blobOpener(this.ctx, name, prefix.subarray(0, headerLength));
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

  /** The whole blob in memory (scans are at most 10 MiB). */
  async readBlob(name: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.readBlobChunks(name)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /**
   * Commits `content` as the next generation. Every blob it newly references must exist (blobs the
   * committed state already references stay its business: one may be damaged, which must not stop
   * edits of other values). Then sweeps what is unreferenced (see the header).
   */
  async commit(content: VaultContent): Promise<VaultState> {
    await this.beginWrite();
    // Only the content fields: a `state` passed back in carries its (old) generation along.
    const { origin, secretSettings, values, pendingEdits, account } = content;
    const parsed = VaultContentSchema.safeParse({ origin, secretSettings, values, pendingEdits, ...(account !== undefined ? { account } : {}) });
    if (!parsed.success) throw new AppError('BAD_INPUT', `The vault content is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
    const next = referencedBlobs(parsed.data);
    const before = referencedBlobs(this.current);
    for (const name of next) {
      if (before.has(name)) continue;
      try {
        await stat(this.blobPath(name));
      } catch {
        throw new AppError('BAD_INPUT', `The new vault content references a blob that was never stored (${name})`);
      }
    }
    if (this.blobsDirty) {
      await fsyncDir(join(this.dir, BLOB_DIR));
      this.blobsDirty = false;
    }
    const generation = this.current.generation + 1;
    const body = Buffer.from(JSON.stringify(parsed.data));
    await writeFileAtomic(join(this.dir, STATE_FILE), sealState(this.ctx, generation, body));
    body.fill(0);
    this.current = { generation, ...parsed.data };
    this.uncommitted.clear();
    await this.sweep(generation).then(
      () => (this.leftovers = false),
      () => (this.leftovers = true), // what is left goes at the next commit
    );
    await this.options.onCommit?.(generation).catch(() => undefined); // the disk is the truth; this only helps detect rollback
    return this.state;
  }

  /**
   * After committing `generation`: deletes unreferenced blobs of that generation or older, and
   * temporary files. Runs only under the lock, right after a commit.
   */
  private async sweep(generation: number): Promise<{ blobs: number; temps: number }> {
    const live = referencedBlobs(this.current);
    const blobDir = join(this.dir, BLOB_DIR);
    let blobs = 0;
    for (const name of await readdir(blobDir)) {
      if (!BlobName.safeParse(name).success || live.has(name)) continue;
      const g = await this.blobGeneration(name);
      if (g === null || g > generation) continue; // unreadable, or newer than what we just proved: keep
      await unlink(join(blobDir, name)).then(() => blobs++, () => undefined);
    }
    const temps = (await removeStaleTemps(blobDir)) + (await removeStaleTemps(this.dir));
    return { blobs, temps };
  }

  /** The generation in a blob's header (0 for v1), or null when it has none we can read. */
  private async blobGeneration(name: string): Promise<number | null> {
    return blobGenerationIn(this.ctx, join(this.dir, BLOB_DIR), name);
  }

  /**
   * Deletes the blobs this store wrote since its last commit (a save that failed before committing).
   * Never touches blobs it did not write: those go at the next commit's sweep.
   */
  async collectGarbage(): Promise<{ blobs: number; temps: number }> {
    this.assertOpen();
    let blobs = 0;
    for (const name of [...this.uncommitted]) {
      await unlink(this.blobPath(name)).then(() => blobs++, (e: unknown) => {
        if (!isMissing(e)) throw e;
      });
      this.uncommitted.delete(name);
    }
    return { blobs, temps: 0 };
  }

  /**
   * Wipes the in-memory vault key and gives the writer's lock up. Blobs written but never
   * committed are deleted first; if any may be left (or a dead writer's were never swept), the
   * lock file stays, released but marking them (vault-lock.ts).
   */
  close(): void {
    if (this.closed) return;
    this.ctx.key?.fill(0);
    this.closed = true;
    if (this.lock === null) return;
    let left = this.leftovers;
    for (const name of this.uncommitted) {
      try {
        unlinkSync(join(this.dir, BLOB_DIR, name));
      } catch (e) {
        if (!isMissing(e)) left = true;
      }
    }
    this.uncommitted.clear();
    this.lock.releaseSync(left); // with blobs left over, the lock file stays as their mark
    this.lock = null;
  }
}

async function readStatePrefix(dir: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(join(dir, STATE_FILE), 'r');
    const prefix = Buffer.alloc(5);
    const { bytesRead } = await handle.read(prefix, 0, 5, 0);
    return prefix.subarray(0, bytesRead);
  } catch (e) {
    throw stateReadError(e);
  } finally {
    await handle?.close();
  }
}

function stateReadError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (isMissing(e)) return new AppError('VAULT_CORRUPT', 'The vault state file is missing');
  if (errnoOf(e) === 'EISDIR') return new AppError('VAULT_CORRUPT', 'The vault state is a folder, not a file');
  return new AppError('BAD_INPUT', 'The vault state file cannot be read');
}

async function readStateFile(dir: string, ctx: EnvelopeContext): Promise<VaultState> {
  let record: Buffer;
  try {
    record = await readFile(join(dir, STATE_FILE));
  } catch (e) {
    throw stateReadError(e);
  }
  const { generation, body } = openState(ctx, record);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('VAULT_CORRUPT', 'The vault state is not valid JSON');
  } finally {
    body.fill(0);
  }
  const parsed = VaultContentSchema.safeParse(json);
  if (!parsed.success) throw new AppError('VAULT_CORRUPT', 'The vault state does not have the expected shape');
  return { generation, ...parsed.data };
}

async function blobGenerationIn(ctx: EnvelopeContext, blobDir: string, name: string): Promise<number | null> {
  let handle;
  try {
    handle = await open(join(blobDir, name), 'r');
    const prefix = Buffer.alloc(BLOB_HEADER_MAX);
    const { bytesRead } = await handle.read(prefix, 0, BLOB_HEADER_MAX, 0);
    return parseBlobHeader(ctx, name, prefix.subarray(0, bytesRead)).generation;
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The names in `blobs/`; a missing or non-folder `blobs` is VAULT_CORRUPT. */
async function listBlobs(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, BLOB_DIR))).filter((n) => BlobName.safeParse(n).success);
  } catch (e) {
    if (isMissing(e)) throw new AppError('VAULT_CORRUPT', `The blobs folder of the vault in ${dir} is missing`);
    if (errnoOf(e) === 'ENOTDIR') throw new AppError('VAULT_CORRUPT', `"blobs" in the vault in ${dir} is not a folder`);
    throw new AppError('BAD_INPUT', `The blobs folder of the vault in ${dir} cannot be read`);
  }
}

/**
 * Reads the state and checks it against the newest unreferenced blob and `knownGeneration` (the
 * rule is in the header). A writer may commit between reading the state and listing the blobs,
 * making its fresh blobs look newer than the state read: a suspected rollback is confirmed by
 * reading the state again, and the check repeated if it moved on.
 */
async function readConsistentState(dir: string, ctx: EnvelopeContext, knownGeneration: number | undefined): Promise<VaultState> {
  for (let attempt = 0; ; attempt++) {
    const state = await readStateFile(dir, ctx);
    const s = state.generation;
    if (knownGeneration !== undefined && s < knownGeneration) throw rollback(dir, s, knownGeneration, 'keychain');
    const live = referencedBlobs(state);
    let newest = -1;
    for (const name of await listBlobs(dir)) {
      if (live.has(name)) continue;
      const g = await blobGenerationIn(ctx, join(dir, BLOB_DIR), name);
      if (g !== null && g > newest) newest = g;
    }
    const suspicious = newest > s + 1 || (newest === s + 1 && !(await VaultLock.present(dir)));
    if (!suspicious) return state;
    const again = await readStateFile(dir, ctx).catch(() => null);
    if (again === null || again.generation === s || attempt >= 2) throw rollback(dir, s, newest, 'blobs');
  }
}
