/**
 * The offline mirror on disk: one directory per vault.
 *
 *   vault.json   {format, version, vaultId, sealing, createdAt}: plain, written once; its presence
 *                marks a finished creation
 *   state        the envelope-sealed VaultContent (see state.ts, envelope.ts) with its generation
 *   blobs/NAME   one envelope-sealed Passport file ciphertext each; immutable once written
 *
 * Crash safety. Blobs are never modified, only added and removed; the state file is the single
 * commit point and is replaced atomically (atomic-write.ts). A save writes its new blobs first,
 * syncs the blob directory, then replaces the state. So after a crash at any instant, `state` is
 * either the old or the new record, and every blob it references is complete on disk. Blobs that a
 * crashed save wrote but never committed, and blobs the last commit dropped, are unreferenced:
 * `open` deletes them (and any temporary files). The generation number in the envelope increases by
 * one per commit and is authenticated, so a record of one generation cannot pass for another.
 *
 * One process owns a vault at a time (the app is single-instance); there is no file lock.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { fsyncDir, isTempName, removeStaleTemps, writeFileAtomic } from '../fs/atomic-write';
import { BufferedFileWriter } from '../fs/buffered-writer';
import { slices } from '../fs/cipher-slices';
import {
  blobHeaderLength,
  blobOpener,
  blobSealer,
  blobTrailerLength,
  openState,
  sealState,
  VAULT_KEY_LENGTH,
} from './envelope';
import type { EnvelopeContext, KeylessDigest, SealingMode } from './envelope';
import { BlobName, emptyContent, referencedBlobs, VaultContentSchema } from './state';
import type { VaultContent, VaultState } from './state';

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

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';

function checkKey(key: Buffer | null): void {
  if (key !== null && key.length !== VAULT_KEY_LENGTH) {
    throw new AppError('BAD_KEY', `A vault key must be ${VAULT_KEY_LENGTH} bytes`);
  }
}

export class VaultStore {
  private current: VaultState;
  private blobsDirty = false;
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly info: VaultInfo,
    private readonly ctx: EnvelopeContext,
    state: VaultState,
  ) {
    this.current = state;
  }

  /** Reads `vault.json` without any key: which vault this is and how it is sealed. */
  static async readInfo(dir: string): Promise<VaultInfo> {
    let text: string;
    try {
      text = await readFile(join(dir, INFO_FILE), 'utf8');
    } catch (e) {
      if (isMissing(e)) throw new AppError('VAULT_NOT_FOUND', `No vault in ${dir}`);
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
   * Creates an empty vault in `dir` (created if needed). `vaultKey` null = keyless sealing.
   * The store keeps its own copy of the key and wipes it on close().
   */
  static async create(dir: string, options: { vaultKey: Buffer | null; origin: VaultContent['origin']; vaultId?: string }): Promise<VaultStore> {
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
    return new VaultStore(dir, info, ctx, state);
  }

  /**
   * Opens the vault in `dir`. `vaultKey` is the key from the keychain for this vault, or null when
   * the keychain has none. Cleans up what a crashed save left behind.
   */
  static async open(dir: string, vaultKey: Buffer | null): Promise<VaultStore> {
    checkKey(vaultKey);
    const info = await VaultStore.readInfo(dir);
    const sealing: SealingMode = info.sealing;
    if (sealing === 'aes-256-gcm' && vaultKey === null) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'This vault is sealed with a key kept in the system keychain, which is not available');
    }
    if (sealing === 'none' && vaultKey !== null) {
      // The keychain holds a key for this vault, so it was created sealed: vault.json was altered.
      throw new AppError('VAULT_CORRUPT', 'vault.json says the vault is not sealed, but the keychain holds its key');
    }
    const ctx: EnvelopeContext = { vaultId: info.vaultId, key: vaultKey === null ? null : Buffer.from(vaultKey) };
    const state = await readStateFile(dir, ctx);
    const store = new VaultStore(dir, info, ctx, state);
    await store.collectGarbage();
    return store;
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
   * Stores a blob (streamed) and returns its name and byte count. Not referenced until a commit.
   * Sealed bytes are written while the next ones are sealed (BufferedFileWriter); writeFileAtomic's
   * fsync before the rename makes the blob durable.
   */
  async putBlobStream(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    options: { keylessDigest?: KeylessDigest } = {},
  ): Promise<{ name: string; size: number }> {
    this.assertOpen();
    const name = randomBytes(16).toString('hex');
    const sealer = blobSealer(this.ctx, name, options.keylessDigest);
    let size = 0;
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
    );
    this.blobsDirty = true;
    return { name, size };
  }

  async putBlob(bytes: Uint8Array): Promise<string> {
    return (await this.putBlobStream([bytes])).name;
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
      if (isMissing(e)) throw new AppError('VAULT_CORRUPT', `Blob ${name} is missing`);
      throw e;
    }
    try {
      const { size } = await handle.stat();
      const headerLength = blobHeaderLength(this.ctx);
      const trailerLength = blobTrailerLength(this.ctx);
      if (size < headerLength + trailerLength) throw new AppError('VAULT_CORRUPT', `Blob ${name} is truncated`);
      const header = Buffer.alloc(headerLength);
      await handle.read(header, 0, headerLength, 0);
      const opener = blobOpener(this.ctx, name, header);
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
   * Commits `content` as the next generation. Every blob it references must exist. Blobs the
   * previous state referenced and this one does not are deleted after the commit.
   */
  async commit(content: VaultContent): Promise<VaultState> {
    this.assertOpen();
    // Only the content fields: a `state` passed back in carries its (old) generation along.
    const { origin, secretSettings, values, pendingEdits, account } = content;
    const parsed = VaultContentSchema.safeParse({ origin, secretSettings, values, pendingEdits, ...(account !== undefined ? { account } : {}) });
    if (!parsed.success) throw new AppError('BAD_INPUT', `The vault content is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
    const next = referencedBlobs(parsed.data);
    for (const name of next) {
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
    const previous = referencedBlobs(this.current);
    this.current = { generation, ...parsed.data };
    for (const name of previous) {
      if (!next.has(name)) await unlink(this.blobPath(name)).catch(() => undefined);
    }
    return this.state;
  }

  /** Deletes unreferenced blobs and temporary files. Run on open, when no save is under way. */
  async collectGarbage(): Promise<{ blobs: number; temps: number }> {
    this.assertOpen();
    const live = referencedBlobs(this.current);
    const blobDir = join(this.dir, BLOB_DIR);
    let blobs = 0;
    const present = new Set<string>();
    for (const name of await readdir(blobDir)) {
      if (!BlobName.safeParse(name).success) continue;
      present.add(name);
      if (live.has(name)) continue;
      await unlink(join(blobDir, name)).catch(() => undefined);
      blobs++;
    }
    for (const name of live) {
      if (!present.has(name)) throw new AppError('VAULT_CORRUPT', `Blob ${name} referenced by the vault state is missing`);
    }
    const temps = (await removeStaleTemps(blobDir)) + (await removeStaleTemps(this.dir));
    return { blobs, temps };
  }

  /** Wipes the in-memory vault key. */
  close(): void {
    this.ctx.key?.fill(0);
    this.closed = true;
  }
}

async function readStateFile(dir: string, ctx: EnvelopeContext): Promise<VaultState> {
  let record: Buffer;
  try {
    record = await readFile(join(dir, STATE_FILE));
  } catch (e) {
    if (isMissing(e)) throw new AppError('VAULT_CORRUPT', 'The vault state file is missing');
    throw e;
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
