/**
 * The history of Passport requests (what was shared with whom and when, what was declined) kept on
 * disk, encrypted under the passport secret: only an unlocked vault can read or extend it, and any
 * change to the file is detected. Electron-free.
 *
 * One file, HISTORY_FILE in the given directory, replaced atomically on every append (all integers
 * big-endian):
 *
 *   0   4  magic "PVH1"
 *   4   1  format version (1)
 *   5  16  salt, fresh for every write
 *   21  8  key id = HKDF-SHA256(secret, no salt, KEY_ID_INFO)[0..8]
 *   29 12  nonce, random
 *   41  …  AES-256-GCM ciphertext of the JSON { entries: HistoryEntry[] }
 *   end 16 GCM tag; additional data = the 41 header bytes
 *
 * key = HKDF-SHA256(secret, salt, KEY_INFO). A fresh salt per write gives every file version its own
 * key, so the random nonce never has to be unique across writes. The key id says "written under
 * another passport secret" (the Passport was reset elsewhere) apart from "damaged": both are
 * VAULT_CORRUPT, with details.reason 'other_secret' or 'integrity'. It reveals nothing about the
 * secret (an HKDF output), and changing it only changes which of the two reasons is reported.
 *
 * The secret is asked for (never kept) right before it is used, and every key is derived and used
 * without an await in between, so locking the vault (which wipes the secret) mid-operation cannot
 * hand us a half-wiped secret.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { HistoryEntrySchema, type HistoryEntry } from '../../common/authorization/form-view';
import { isTempName, writeFileAtomic } from '../vault/fs/atomic-write';
import type { AuthorizationHistoryStore } from './authorization-service';

export const HISTORY_FILE = 'history.pvh';
/** Entries kept; the oldest go first. A few hundred requests is years of use. */
export const MAX_HISTORY_ENTRIES = 500;

const MAGIC = Buffer.from('PVH1', 'latin1');
const VERSION = 1;
const SALT = 16;
const KEY_ID = 8;
const NONCE = 12;
const TAG = 16;
const HEADER = MAGIC.length + 1 + SALT + KEY_ID + NONCE;
const KEY_INFO = 'passport-vault history v1';
const KEY_ID_INFO = 'passport-vault history key-id v1';

const BodySchema = z.strictObject({ entries: z.array(HistoryEntrySchema) });

/** Returns the unlocked passport secret, or null while the vault is locked. */
export type PassportSecretSource = () => Uint8Array | null;

export interface EncryptedHistoryOptions {
  readonly maxEntries?: number;
}

function keyIdOf(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), KEY_ID_INFO, KEY_ID));
}

function keyOf(secret: Uint8Array, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, KEY_INFO, 32));
}

function corrupt(reason: 'integrity' | 'other_secret'): AppError {
  return reason === 'other_secret'
    ? new AppError('VAULT_CORRUPT', 'The sharing history was written under another Passport key (was the Passport reset?) and cannot be read.', { reason })
    : new AppError('VAULT_CORRUPT', 'The sharing history fails its integrity check (damaged or changed outside the app).', { reason });
}

function locked(): AppError {
  return new AppError('VAULT_LOCKED', 'Unlock your Passport to see the history of what you shared.');
}

/** Seals the entries under `secret`; synchronous on purpose (see the header comment). */
export function sealHistory(secret: Uint8Array, entries: readonly HistoryEntry[]): Buffer {
  const salt = randomBytes(SALT);
  const nonce = randomBytes(NONCE);
  const header = Buffer.concat([MAGIC, Buffer.of(VERSION), salt, keyIdOf(secret), nonce]);
  const key = keyOf(secret, salt);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(JSON.stringify({ entries }), 'utf8'), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
  } finally {
    key.fill(0);
  }
}

/** Opens a sealed history; VAULT_CORRUPT if it is not one sealed under `secret`. Synchronous on purpose. */
export function openHistory(secret: Uint8Array, file: Buffer): HistoryEntry[] {
  if (file.length < HEADER + TAG || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt('integrity');
  if (file[MAGIC.length] !== VERSION) {
    throw new AppError('UNSUPPORTED_VERSION', 'The sharing history was written by a newer version of the app.');
  }
  const header = file.subarray(0, HEADER);
  const saltAt = MAGIC.length + 1;
  const salt = header.subarray(saltAt, saltAt + SALT);
  const keyId = header.subarray(saltAt + SALT, saltAt + SALT + KEY_ID);
  const nonce = header.subarray(saltAt + SALT + KEY_ID, HEADER);
  if (!timingSafeEqual(keyId, keyIdOf(secret))) throw corrupt('other_secret');
  const key = keyOf(secret, salt);
  let json: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(file.subarray(file.length - TAG));
    json = Buffer.concat([decipher.update(file.subarray(HEADER, file.length - TAG)), decipher.final()]).toString('utf8');
  } catch {
    throw corrupt('integrity');
  } finally {
    key.fill(0);
  }
  // Authenticated, so written by us: a shape error means a bug or a downgrade, still not to be trusted.
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw corrupt('integrity');
  }
  const body = BodySchema.safeParse(parsed);
  if (!body.success) throw corrupt('integrity');
  return body.data.entries;
}

export class EncryptedHistoryStore implements AuthorizationHistoryStore {
  private readonly path: string;
  private readonly max: number;
  /**
   * Entries recorded while the vault was locked, written at the next read or append with the vault
   * unlocked (or `flush()`). Only a decline can happen then (sharing needs the unlocked vault, so
   * `shared`/`failed` entries come with it unlocked, unless it locks in between). They are kept in
   * memory rather than written without encryption: "which services asked for my Passport" is private
   * too. The cost: declines made while locked are lost if the app quits before the next unlock, which
   * loses no data (a decline shares nothing) and the service was told at the time.
   */
  private queued: HistoryEntry[] = [];
  /** Reads and writes run one at a time: an append is read-modify-write. */
  private chain: Promise<unknown> = Promise.resolve();
  private tempsRemoved = false;

  constructor(
    private readonly dir: string,
    private readonly secret: PassportSecretSource,
    options: EncryptedHistoryOptions = {},
  ) {
    this.path = join(dir, HISTORY_FILE);
    this.max = options.maxEntries ?? MAX_HISTORY_ENTRIES;
  }

  append(entry: HistoryEntry): Promise<void> {
    return this.serial(() => this.add([entry]));
  }

  list(): Promise<HistoryEntry[]> {
    return this.serial(async () => {
      const file = await this.readFile();
      const secret = this.secret();
      if (secret === null) throw locked();
      const entries = file === null ? [] : openHistory(secret, file);
      if (this.queued.length === 0) return entries;
      const all = this.bounded([...entries, ...this.queued]);
      await this.write(this.seal(secret, all));
      return all;
    });
  }

  /**
   * Writes the entries queued while locked, if the vault is unlocked now (the app may call it on unlock;
   * otherwise the next read or append does it). Never throws for a locked vault or an unreadable file.
   */
  flush(): Promise<void> {
    return this.serial(() => (this.queued.length === 0 ? Promise.resolve() : this.add([])));
  }

  /** Entries waiting for an unlock (none once written). */
  get queuedCount(): number {
    return this.queued.length;
  }

  /** Appends `entries` (and the queue) with the vault unlocked, or queues them while it is locked. */
  private async add(entries: HistoryEntry[]): Promise<void> {
    const file = await this.readFile();
    const secret = this.secret();
    if (secret === null) {
      this.queued = this.bounded([...this.queued, ...entries]);
      return;
    }
    let old: HistoryEntry[] = [];
    let unreadable = false;
    try {
      old = file === null ? [] : openHistory(secret, file);
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'VAULT_CORRUPT' && e.code !== 'UNSUPPORTED_VERSION')) throw e;
      unreadable = true;
    }
    // Sealed before any await, while the secret is certainly the one just fetched.
    const sealed = this.seal(secret, [...old, ...this.queued, ...entries]);
    // A new entry must not be lost (nor a share reported as failed) because the old file cannot be
    // read (damaged, another secret, a newer format): that file is kept aside, untouched, for a person
    // or a later version to look at, and a new history starts. list() reports the problem until then.
    if (unreadable) await this.setAside();
    await this.write(sealed);
  }

  private bounded(entries: HistoryEntry[]): HistoryEntry[] {
    return entries.length > this.max ? entries.slice(entries.length - this.max) : entries;
  }

  /** Seals synchronously right after the secret was fetched; the queue is written with it. */
  private seal(secret: Uint8Array, entries: HistoryEntry[]): Buffer {
    return sealHistory(secret, this.bounded(entries));
  }

  private async write(sealed: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, sealed);
    this.queued = [];
  }

  private async readFile(): Promise<Buffer | null> {
    await this.removeOwnTemps();
    try {
      return await readFile(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private async setAside(): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await rename(this.path, join(this.dir, `history.unreadable-${stamp}-${randomBytes(3).toString('hex')}.pvh`));
  }

  /**
   * Temporary files a crashed write left behind, ours only: the directory may be shared with the vault,
   * whose own temporary files are none of our business (it may be writing one right now).
   */
  private async removeOwnTemps(): Promise<void> {
    if (this.tempsRemoved) return;
    this.tempsRemoved = true;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (isTempName(name) && name.startsWith(`.${HISTORY_FILE}.`)) await unlink(join(this.dir, name)).catch(() => undefined);
    }
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op, op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/** For createAppServices: the history of shares, in `dir`, readable only with the vault unlocked. */
export function createEncryptedHistoryStore(dir: string, secret: PassportSecretSource): EncryptedHistoryStore {
  return new EncryptedHistoryStore(dir, secret);
}
