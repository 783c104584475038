/**
 * Crash-safe file replacement: after a crash (power loss, SIGKILL) at any instant, `path` holds
 * either its complete old content or its complete new content.
 *
 * The steps and why each is there:
 * 1. write to a temporary file in the SAME directory (rename is only atomic within one file system);
 * 2. fsync the file, so its data is on disk before its name can point at it (otherwise a crash
 *    after the rename can leave the new name pointing at a zero-length or partly written file);
 * 3. rename over the destination (atomic on POSIX; on Windows, Node's rename uses MoveFileEx with
 *    REPLACE_EXISTING, which is what every atomic-save library relies on there);
 * 4. fsync the directory, so the rename itself is durable (skipped where directories cannot be
 *    opened, i.e. Windows, where NTFS journals the metadata change).
 *
 * Temporary files are named `.NAME.RANDOM.tmp`; a crash leaves them behind and the owner removes
 * them (`removeStaleTemps`) the next time it opens the directory.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TMP_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;

export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempName(name: string): boolean {
  return TMP_RE.test(name);
}

/** Makes a rename or unlink inside `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` atomically. `body` is either the new bytes or a function that writes them to the
 * handle (for streamed content). Mode 0600: everything we store is somebody's identity data.
 */
export async function writeFileAtomic(
  path: string,
  body: Uint8Array | ((out: FileHandle) => Promise<void>),
  options: { syncDir?: boolean } = {},
): Promise<void> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    if (typeof body === 'function') await body(handle);
    else await handle.writeFile(body);
    await handle.sync();
    await handle.close();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  // Callers writing many files into one directory may sync it once at the end instead.
  if (options.syncDir !== false) await fsyncDir(dirname(path));
}

/** `fsyncDir` for synchronous callers. */
export function fsyncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * `writeFileAtomic` for one-shot synchronous writers (the command line's seal and open, where a
 * promise per slice cost more than the slice's crypto): the same four steps. `body` writes the new
 * content to the temporary file's descriptor; `openError` maps a failure to create that file.
 */
export function writeFileAtomicSync(path: string, body: (fd: number) => void, openError: (e: unknown) => Error = (e) => e as Error): void {
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw openError(e);
  }
  try {
    body(fd);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, path);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  fsyncDirSync(dirname(path));
}

/** Deletes temporary files a crashed writer left in `dir`. Returns how many were removed. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!isTempName(name)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
    removed++;
  }
  return removed;
}
