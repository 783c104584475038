/**
 * The writer's lock of one vault folder: the file `lock`, holding who writes (`pid`, `host`, the
 * process's start time where the OS tells it, a random token).
 *
 * Who is a writer: whoever writes to the vault's files, i.e. a VaultStore from its first
 * `putBlob`/`commit` until `close()` (the CLI: one command; the app: from its first save until the
 * vault is closed). Readers (open, list, get, export) take no lock and may run beside a writer.
 *
 * A second writer gets VAULT_BUSY. A lock whose holder is gone (its pid no longer runs on this host,
 * or runs as another process: the start time differs) is stale and is taken over. A lock from
 * another host cannot be checked and counts as held (the message says how to clear it).
 * Taking over re-reads the lock just before replacing it and checks afterwards that it holds our
 * token, so two processes taking over the same stale lock at once can only both win in the
 * instant between one's re-read and its rename.
 *
 * The lock is made durable (file and folder synced) before the writer writes anything, and is
 * never absent while a write's blobs may be uncommitted: a writer that ends with blobs left over
 * (its own or a dead writer's) leaves the file behind marked `held: false`. The store uses its
 * presence to tell an interrupted write from a rolled-back state (vault-store.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { fsyncDir, tempPathFor } from '../fs/atomic-write';

export const LOCK_FILE = 'lock';
/** A lock file that is not (yet) readable JSON is being written, unless it is older than this. */
const UNREADABLE_GRACE_MS = 5000;

const HolderSchema = z.strictObject({
  pid: z.number().int().positive(),
  host: z.string(),
  /** /proc/PID/stat's start time (clock ticks since boot), where there is /proc; null elsewhere. */
  started: z.string().nullable(),
  token: z.string(),
  since: z.number(),
  /** false: released, but kept as the mark of a write that left uncommitted blobs behind. */
  held: z.boolean(),
});
type Holder = z.infer<typeof HolderSchema>;

/** The start time of process `pid` as /proc tells it (Linux), or null. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Does the process that wrote `h` still run? Unknowable for another host: assume it does. */
function holderAlive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (h.started === null) return true;
  const now = processStart(h.pid);
  return now === null || now === h.started;
}

function parseHolder(text: string): Holder | null {
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function busy(dir: string, h: Holder | null): AppError {
  const who = h === null ? 'another program' : `process ${h.pid} on ${h.host === hostname() ? 'this computer' : h.host}, since ${new Date(h.since).toISOString()}`;
  const remedy =
    h !== null && h.host !== hostname()
      ? ` If that computer no longer uses this vault, delete ${join(dir, LOCK_FILE)}.`
      : ' Close it or wait until it is done, then try again.';
  return new AppError('VAULT_BUSY', `The vault is being written by ${who}.${remedy}`, h === null ? undefined : { pid: h.pid, host: h.host });
}

export class VaultLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly token: string,
    /** The lock was taken over from a holder that is gone: it may have left uncommitted blobs. */
    readonly tookOver: boolean,
  ) {}

  /** Whether a lock file exists (a writer is at work, or one was interrupted). */
  static async present(dir: string): Promise<boolean> {
    try {
      await stat(join(dir, LOCK_FILE));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Takes the lock of `dir`, or throws VAULT_BUSY. The lock file never goes missing on the way: a
   * fresh one appears complete (link of a synced temporary file), a stale one is replaced in one
   * rename, so the evidence of an interrupted write survives a kill at any point.
   */
  static async acquire(dir: string): Promise<VaultLock> {
    const path = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 5; attempt++) {
      const holder: Holder = { pid: process.pid, host: hostname(), started: processStart(process.pid), token: randomBytes(16).toString('hex'), since: Date.now(), held: true };
      const existing = await readFile(path, 'utf8').catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new AppError('BAD_INPUT', `Cannot read the lock file of the vault in ${dir}`);
      });
      if (existing !== null) await VaultLock.checkStale(dir, path, existing);
      const tmp = await writeTemp(path, holder);
      try {
        if (existing === null) {
          try {
            await link(tmp, path);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue; // someone else was quicker: look again
            throw new AppError('BAD_INPUT', `Cannot write in the vault folder ${dir}`);
          }
        } else {
          // Replace the stale lock only if it is still the same one (another process may have taken it over).
          if ((await readFile(path, 'utf8').catch(() => null)) !== existing) continue;
          await rename(tmp, path);
        }
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      await fsyncDir(dir);
      if (parseHolder(await readFile(path, 'utf8').catch(() => ''))?.token !== holder.token) continue;
      return new VaultLock(path, holder.token, existing !== null);
    }
    throw busy(dir, null);
  }

  /** Throws VAULT_BUSY unless the lock `text` at `path` is stale (its holder gone, or released as evidence). */
  private static async checkStale(dir: string, path: string, text: string): Promise<void> {
    const holder = parseHolder(text);
    if (holder === null) {
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age < UNREADABLE_GRACE_MS) throw busy(dir, null);
    } else if (holder.held && holderAlive(holder)) {
      throw busy(dir, holder);
    }
  }

  /**
   * Gives the lock up (synchronously: it runs from close()). Only touches the file if it is still
   * ours. `keepEvidence`: uncommitted blobs may be left, so the file stays, marked as held by nobody.
   */
  releaseSync(keepEvidence: boolean): void {
    if (this.released) return;
    this.released = true;
    try {
      const holder = parseHolder(readFileSync(this.path, 'utf8'));
      if (holder?.token !== this.token) return;
      if (!keepEvidence) {
        unlinkSync(this.path);
        return;
      }
      const tmp = tempPathFor(this.path);
      writeFileSync(tmp, JSON.stringify({ ...holder, held: false }), { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch {
      // Already gone, or the folder is unwritable: nothing more to do.
    }
  }
}

async function writeTemp(path: string, holder: Holder): Promise<string> {
  const tmp = tempPathFor(path);
  const handle = await open(tmp, 'wx', 0o600).catch(() => {
    throw new AppError('BAD_INPUT', `Cannot write in the vault folder ${path}`);
  });
  try {
    await handle.writeFile(JSON.stringify(holder));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}
