/**
 * Reads a backup (format.ts) back into a local vault: a new one at `vaultDir`, or an existing local
 * vault with the same passport secret (values of the types in the backup replace its own).
 *
 * Everything is checked before the single commit that makes the import visible: the password (it
 * unwraps the secret that keys the body), every frame's tag, every record's shape, that every data
 * and every file opens under the passport secret with its hash and padding right (files are
 * decrypted on the fly, to nowhere), and that the header's manifest matches the body. A failure at
 * any point leaves the target as it was (a vault created for the import is removed again).
 *
 * A new vault is all-or-nothing: it is built in a hidden folder beside the target
 * (`.NAME.import-PID-RANDOM`, same parent, so same file system), every file synced, then renamed
 * into place in one step. A kill at any instant leaves either no vault at NAME or the complete one;
 * the leftover build folder of a killed import (its PID no longer runs) is removed by the next
 * import into NAME. Into an existing vault, the import's blobs stay unreferenced until its single
 * commit, and are removed again if it fails.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../../common/errors';
import { DATA_SCHEMAS, secureValueTypeInfo } from '../../../common/passport';
import { fromBase64 } from '../../passport/crypto/base64';
import { decryptData } from '../../passport/crypto/data-encryption';
import { decryptValueSecret } from '../../passport/crypto/value-secret';
import type { Keychain } from '../../keychain/keychain';
import { unlockSecretSettings } from '../secret-settings';
import { filesOf, StoredValueSchema } from '../store/state';
import type { StoredFile, StoredValue } from '../store/state';
import { fsyncDir } from '../fs/atomic-write';
import type { VaultStore } from '../store/vault-store';
import { createVaultStore, openVaultStore } from '../vault-keys';
import type { KeychainUse } from '../vault-keys';
import { manifestOf } from './export';
import { FileCheckWorker, type FileCheck, type FileChecks } from './file-check';
import { corruptBackup, CountsSchema, headerDigest, readBackupHeader, RECORD_END, RECORD_FILE, RECORD_VALUE } from './format';
import { ByteReader, deriveBodyKey, readFrames } from './frames';

const MAX_RECORD_JSON = 1024 * 1024;

/** Starts the Passport check of one file of the backup (file-check.ts); its verdict comes at settle(). */
function beginFileCheck(checks: FileChecks, f: StoredFile, passportSecret: Buffer, label: string): FileCheck {
  const hash = fromBase64(f.fileHash, 'file_hash');
  const secret = decryptValueSecret(fromBase64(f.secret, 'file secret'), passportSecret, hash);
  try {
    return checks.begin({ secret, fileHash: hash, size: f.size, label });
  } finally {
    secret.fill(0);
  }
}

function verifyData(v: StoredValue, passportSecret: Buffer): void {
  if (v.data === undefined) return;
  const hash = fromBase64(v.data.dataHash, 'data_hash');
  const secret = decryptValueSecret(fromBase64(v.data.secret, 'data secret'), passportSecret, hash);
  const plain = decryptData(fromBase64(v.data.data, 'data'), hash, secret);
  secret.fill(0);
  const kind = secureValueTypeInfo(v.type).data;
  let ok: boolean;
  try {
    ok = kind !== null && DATA_SCHEMAS[kind].safeParse(JSON.parse(plain.toString('utf8'))).success;
  } catch {
    ok = false;
  } finally {
    plain.fill(0);
  }
  if (!ok) throw corruptBackup(`The ${v.type} data in the backup does not match its schema`);
}

function withBlobNames(v: StoredValue, rename: (old: string) => string): StoredValue {
  const f = (x: StoredFile | undefined): StoredFile | undefined => (x === undefined ? undefined : { ...x, blob: rename(x.blob) });
  const out: StoredValue = { ...v };
  if (v.frontSide) out.frontSide = f(v.frontSide);
  if (v.reverseSide) out.reverseSide = f(v.reverseSide);
  if (v.selfie) out.selfie = f(v.selfie);
  if (v.files) out.files = v.files.map((x) => ({ ...x, blob: rename(x.blob) }));
  if (v.translation) out.translation = v.translation.map((x) => ({ ...x, blob: rename(x.blob) }));
  return out;
}

async function readJsonRecord(r: ByteReader): Promise<unknown> {
  const len = (await r.readExact(4)).readUInt32BE(0);
  if (len > MAX_RECORD_JSON) throw corruptBackup('A backup record is too large');
  try {
    return JSON.parse((await r.readExact(len)).toString('utf8'));
  } catch {
    throw corruptBackup('A backup record is not JSON');
  }
}

/** Blob writes still finishing (their last fsync and rename) at once, at most. */
const MAX_FINISHING = 2;

/**
 * The backup's files written into the vault one after another, except that a file's last step (the
 * fsync that makes it durable, and the rename) overlaps the next file's bytes: the body is read in
 * order, so a write is handed over as soon as its source is consumed. (Waiting for each file's fsync
 * in turn kept the import waiting on the disk once per file: bench/backup.ts.)
 */
class BlobWrites {
  private readonly finishing: Promise<unknown>[] = [];
  private readonly all: Promise<unknown>[] = [];

  /** True once a blob write began (only then can a failed import have left blobs behind). */
  get started(): boolean {
    return this.all.length > 0;
  }

  /** Returns once `source` is consumed (or throws why not); the write itself may still be finishing. */
  async add(target: VaultStore, source: AsyncIterable<Buffer>, check: FileCheck, stored: (name: string) => void): Promise<void> {
    let ended!: (error: Error | null) => void;
    const sourceEnded = new Promise<Error | null>((resolve) => (ended = resolve));
    const storing = target.putBlobStream(
      (async function* () {
        let error: Error | null = new AppError('INTERNAL', 'The file write stopped early');
        try {
          for await (const piece of source) {
            await check.update(piece);
            yield piece;
          }
          error = null;
        } catch (e) {
          error = e instanceof Error ? e : new AppError('INTERNAL', String(e));
          throw e;
        } finally {
          ended(error);
        }
      })(),
      // In a keyless vault the envelope's SHA-256 runs on the checker's thread, over the bytes it already gets.
      { keylessDigest: (prefix) => check.keylessDigest(prefix) },
    );
    storing.catch(() => undefined); // awaited below or in settle(); never unhandled
    this.all.push(storing);
    const error = await Promise.race([sourceEnded, storing.then(() => null)]);
    if (error !== null) {
      await storing; // a write failure is the real cause when the writer stopped reading
      throw error;
    }
    check.end();
    const finished = storing.then((s) => stored(s.name));
    finished.catch(() => undefined); // awaited by a later add() or settle(); not unhandled if an error comes first
    this.finishing.push(finished);
    if (this.finishing.length >= MAX_FINISHING) await this.finishing.shift();
  }

  async settle(): Promise<void> {
    await Promise.all(this.finishing.splice(0));
  }

  async abandon(): Promise<void> {
    await Promise.allSettled(this.all);
  }
}

export interface ImportResult {
  vaultId: string;
  created: boolean;
  values: number;
  files: number;
  keychain: KeychainUse;
}

/** The import's target: an existing local vault of the same Passport, or a new one built in `buildDir`. */
async function openTarget(
  vaultDir: string,
  keychain: Keychain | null,
  secretId: string,
): Promise<{ store: VaultStore; created: boolean; use: KeychainUse; buildDir: string | null }> {
  try {
    const { store, keychain: use } = await openVaultStore(vaultDir, keychain);
    const s = store.state;
    if (s.origin !== 'local' || s.secretSettings?.secretId !== secretId) {
      store.close();
      throw new AppError('VAULT_EXISTS', 'The vault there holds a different Passport; import into a new folder');
    }
    return { store, created: false, use, buildDir: null };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VAULT_NOT_FOUND') throw e;
    await checkNewFolder(vaultDir);
    await removeLeftoverBuilds(vaultDir);
    const buildDir = join(dirname(vaultDir), `.${basename(vaultDir)}.import-${process.pid}-${randomBytes(6).toString('hex')}`);
    const { store, keychain: use } = await createVaultStore(buildDir, keychain, 'local');
    return { store, created: true, use, buildDir };
  }
}

/** A new vault goes to a folder that does not exist yet or is empty. */
async function checkNewFolder(vaultDir: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(vaultDir)).isDirectory();
  } catch {
    return; // absent (or unreachable: the build beside it says why)
  }
  if (!isDir || (await readdir(vaultDir)).length > 0) {
    throw new AppError('BAD_INPUT', `${vaultDir} is not empty and holds no vault: import into a new or empty folder`);
  }
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Build folders of earlier imports into `vaultDir` whose process is gone (killed): removed. */
async function removeLeftoverBuilds(vaultDir: string): Promise<void> {
  const prefix = `.${basename(vaultDir)}.import-`;
  for (const name of await readdir(dirname(vaultDir)).catch(() => [] as string[])) {
    const m = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{12}$/.exec(name.slice(prefix.length)) : null;
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && isRunning(pid)) continue; // an import running now
    await rm(join(dirname(vaultDir), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Moves the finished vault from `buildDir` to `vaultDir` in one rename, durably. */
async function publish(buildDir: string, vaultDir: string): Promise<void> {
  await fsyncDir(buildDir);
  await rmdir(vaultDir).catch(() => undefined); // an empty target folder (checked before)
  try {
    await rename(buildDir, vaultDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') {
      throw new AppError('VAULT_EXISTS', `Something else was created at ${vaultDir} during the import`);
    }
    throw e;
  }
  await fsyncDir(dirname(vaultDir));
}

export async function importBackup(inPath: string, password: Uint8Array, vaultDir: string, keychain: Keychain | null): Promise<ImportResult> {
  const { header, headerBytes, bodyOffset } = await readBackupHeader(inPath);
  // While PBKDF2 runs (on the thread pool), the file checker's thread boots and the target opens.
  // Files are decrypted and hashed on that second core while this thread reads and writes.
  const checks = FileCheckWorker.start();
  const [unlocked, opened] = await Promise.allSettled([
    unlockSecretSettings(header.passportSecret, password),
    openTarget(vaultDir, keychain, header.passportSecret.secretId),
  ]);
  const secret = unlocked.status === 'fulfilled' ? unlocked.value : null;
  let store: VaultStore | undefined;
  let created = false;
  let buildDir: string | null = null;
  let use: KeychainUse = { status: 'off' };
  if (opened.status === 'fulfilled') ({ store, created, use, buildDir } = opened.value);
  /** Exported blob name → the name of its copy in the target vault. */
  const names = new Map<string, string>();
  const writes = new BlobWrites();
  let key: Buffer | null = null;
  let handle: FileHandle | null = null;
  try {
    // A wrong password is the answer to give first, whatever else failed.
    if (secret === null) throw (unlocked as PromiseRejectedResult).reason;
    if (store === undefined) throw (opened as PromiseRejectedResult).reason;
    const target = store;
    key = deriveBodyKey(secret, fromBase64(header.body.salt, 'body salt'));
    handle = await open(inPath, 'r');

    const reader = new ByteReader(readFrames(handle, bodyOffset, key, headerDigest(headerBytes)));
    const imported: StoredValue[] = [];
    let files = 0;
    for (;;) {
      const kind = (await reader.readExact(1))[0];
      if (kind === RECORD_END) {
        const counts = CountsSchema.safeParse(await readJsonRecord(reader));
        if (!(await reader.atEnd())) throw corruptBackup('The backup has records after its end record');
        const manifest = manifestOf(imported);
        if (!counts.success || !isDeepStrictEqual(counts.data, manifest.counts) || !isDeepStrictEqual(header.manifest, manifest)) {
          throw corruptBackup('The backup manifest does not match its content');
        }
        break;
      }
      if (kind !== RECORD_VALUE) throw corruptBackup('Unexpected record in the backup');
      const parsed = StoredValueSchema.safeParse(await readJsonRecord(reader));
      if (!parsed.success) throw corruptBackup('A value in the backup does not have the expected shape');
      const value = parsed.data;
      if (imported.some((v) => v.type === value.type)) throw corruptBackup(`The backup holds ${value.type} twice`);
      verifyData(value, secret);
      for (const f of filesOf(value)) {
        const head = await reader.readExact(1 + 16 + 8);
        if (head[0] !== RECORD_FILE || head.subarray(1, 17).toString('hex') !== f.blob || Number(head.readBigUInt64BE(17)) !== f.size) {
          throw corruptBackup('A file in the backup does not match its value');
        }
        const check = beginFileCheck(checks, f, secret, `A file of ${value.type}`);
        await writes.add(target, reader.readStream(f.size), check, (name) => names.set(f.blob, name));
        files++;
      }
      imported.push(value);
    }

    await writes.settle();
    await checks.settle(); // every file's Passport check, before anything becomes visible
    // The manifest check used the values as exported; the vault gets them under the new blob names.
    const incoming = imported.map((v) => withBlobNames(v, (old) => names.get(old) ?? old));
    const types = new Set(incoming.map((v) => v.type));
    const state = target.state;
    const kept = state.values.filter((v) => !types.has(v.type));
    await target.commit({ ...state, secretSettings: state.secretSettings ?? header.passportSecret, values: [...kept, ...incoming] });
    if (buildDir !== null) {
      target.close(); // gives the lock up inside the build folder before it moves
      await publish(buildDir, vaultDir);
    }
    return { vaultId: target.info.vaultId, created, values: imported.length, files, keychain: use };
  } catch (e) {
    await writes.abandon(); // no write may still be running when its vault is cleaned up
    if (store !== undefined) {
      if (created) {
        store.close();
        if (buildDir !== null) await rm(buildDir, { recursive: true, force: true }).catch(() => undefined);
        await keychain?.deleteVaultKey(store.info.vaultId).catch(() => undefined);
      } else if (writes.started) {
        // Blobs written for the failed import are unreferenced: drop them now.
        await store.collectGarbage().catch(() => undefined);
      }
    }
    throw e;
  } finally {
    await checks.close();
    await handle?.close();
    key?.fill(0);
    secret?.fill(0);
    store?.close();
  }
}
