/**
 * The offline mirror on disk: one directory per vault. VaultStore ties its files together
 * (create, open, commit, sweep, close); each file has its own module.
 *
 *   vault.json   {format, version, vaultId, sealing, createdAt}: plain, written once; its presence
 *                marks a finished creation (vault-info.ts)
 *   state        the envelope-sealed VaultContent (see state.ts, envelope.ts) with its generation
 *                (state-file.ts)
 *   blobs/NAME   one envelope-sealed Passport file ciphertext each; immutable once written; its
 *                sealed header carries the generation of the commit it was written for
 *                (blob-files.ts)
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
 * with every file kept (rollback.ts). Only unreferenced blobs' headers are read at open (few,
 * normally none); a header is not authenticated until its whole blob is read, so a forged one can
 * at worst cause a false alarm, never a deletion: sweeps delete nothing that is newer than the
 * state just written.
 *
 * Damage stays local. Open reads `vault.json` and `state` and lists `blobs/`; it does not check
 * the referenced blobs. `damage(value)` stats a value's blobs (present, a file, the right size),
 * and reading a blob checks it completely: a missing or damaged blob fails only its value.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import { fsyncDir, isTempName, removeStaleTemps } from '../fs/atomic-write';
import { isMissing } from '../fs/errno';
import { BLOB_DIR, blobDamage, blobGeneration, blobPath, readBlobChunks, writeBlob } from './blob-files';
import type { BlobDamage } from './blob-files';
import { VAULT_KEY_LENGTH } from './envelope';
import type { EnvelopeContext, KeylessDigest, SealingMode } from './envelope';
import { readConsistentState } from './rollback';
import { BlobName, emptyContent, referencedBlobs, VaultContentSchema } from './state';
import type { StoredFile, VaultContent, VaultState } from './state';
import { readStateFile, STATE_FILE, writeStateFile } from './state-file';
import { checkSealing, INFO_FILE, readInfo, STORE_FORMAT, STORE_VERSION, writeInfo } from './vault-info';
import type { VaultInfo } from './vault-info';
import { LOCK_FILE, VaultLock } from './vault-lock';

export type { BlobDamage } from './blob-files';
export { STORE_FORMAT, STORE_VERSION } from './vault-info';
export type { VaultInfo } from './vault-info';

function checkKey(key: Buffer | null): void {
  if (key !== null && key.length !== VAULT_KEY_LENGTH) {
    throw new AppError('BAD_KEY', `A vault key must be ${VAULT_KEY_LENGTH} bytes`);
  }
}

export interface StoreOptions {
  /**
   * The last generation committed as far as something outside the folder knows (the keychain): a
   * state older than that is a rollback.
   */
  knownGeneration?: number;
  /** Told each committed generation, after the commit (the keychain keeps it). Failures are ignored. */
  onCommit?: (generation: number) => Promise<void>;
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
    this.current = deepFreeze(state);
  }

  /** Reads `vault.json` without any key: which vault this is and how it is sealed (vault-info.ts). */
  static readInfo(dir: string): Promise<VaultInfo> {
    return readInfo(dir);
  }

  /** Refuses a vault.json whose `sealing` disagrees with the state record's own (vault-info.ts). */
  static checkSealing(dir: string, info: VaultInfo): Promise<void> {
    return checkSealing(dir, info);
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
      await readInfo(dir);
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
    await writeStateFile(dir, ctx, 0, Buffer.from(JSON.stringify(emptyContent(options.origin))));
    // vault.json last: until it exists, the directory is not a vault and `create` may run again.
    await writeInfo(dir, info);
    const { onCommit } = options;
    return new VaultStore(dir, info, ctx, state, onCommit === undefined ? {} : { onCommit });
  }

  /**
   * Opens the vault in `dir` for reading (writes take the lock when they start). `vaultKey` is the
   * key from the keychain for this vault, or null when the keychain has none. Deletes nothing;
   * refuses a rolled-back state (VAULT_ROLLBACK, see the header and rollback.ts).
   */
  static async open(dir: string, vaultKey: Buffer | null, options: StoreOptions = {}): Promise<VaultStore> {
    checkKey(vaultKey);
    const info = await readInfo(dir);
    await checkSealing(dir, info);
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

  /** The committed state's generation (cheap: no copy of the state). */
  get generation(): number {
    return this.current.generation;
  }

  /** A deep copy of the committed state: callers cannot change the store by mutating it. */
  get state(): VaultState {
    return structuredClone(this.current);
  }

  /**
   * The committed state itself, no copy: frozen, so a change throws. For reads on hot paths (the list
   * after an unlock, every thumbnail), where copying the whole state each time cost more than reading it.
   */
  get frozenState(): VaultState {
    return this.current;
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('INTERNAL', 'The vault store is closed');
  }

  private blobPath(name: string): string {
    return blobPath(this.dir, name);
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
   * The blob is durable when this returns (blob-files.ts).
   */
  async putBlobStream(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: { keylessDigest?: KeylessDigest } = {},
  ): Promise<{ name: string; size: number }> {
    await this.beginWrite();
    const name = randomBytes(16).toString('hex');
    this.uncommitted.add(name);
    const size = await writeBlob(this.ctx, this.dir, name, this.current.generation + 1, source, options.keylessDigest).catch((e: unknown) => {
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
  blobDamage(file: StoredFile): BlobDamage | null {
    return blobDamage(this.ctx, this.dir, file);
  }

  /**
   * The blob's content in slices, streamed. The integrity check runs after the last slice: the
   * generator throws VAULT_CORRUPT there, so a consumer must not publish what it received until
   * the iteration has completed (every consumer in this code writes to a temporary file or buffer).
   */
  async *readBlobChunks(name: string): AsyncGenerator<Buffer> {
    this.assertOpen();
    yield* readBlobChunks(this.ctx, this.dir, name);
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
    await writeStateFile(this.dir, this.ctx, generation, body);
    body.fill(0);
    this.current = deepFreeze({ generation, ...parsed.data });
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
      const g = await blobGeneration(this.ctx, this.dir, name);
      if (g === null || g > generation) continue; // unreadable, or newer than what we just proved: keep
      await unlink(join(blobDir, name)).then(() => blobs++, () => undefined);
    }
    const temps = (await removeStaleTemps(blobDir)) + (await removeStaleTemps(this.dir));
    return { blobs, temps };
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

/** Freezes `value` and everything in it (the state is JSON: plain objects, arrays and primitives). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
