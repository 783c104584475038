/**
 * Every file the command line reads, and stdin, goes through here: a regular file only (stdin may
 * also be a pipe, a socket or a terminal), at most the documented size for its kind, both checked
 * BEFORE reading, so `--key /dev/zero`, a directory or a FIFO is a coded error instead of a process
 * that grows without bound, hangs, or fails with INTERNAL. Exit code 2 for all of them.
 *
 * Files read whole are read synchronously: the CLI runs one command, and every such kind is small.
 * Streamed inputs (a backup, a document to seal or open) are only checked here; their readers stream.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../common/errors';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/*
 * Copies of the vault's numbers, not imports: seal and open must load nothing beyond what they use
 * (the built CLI loads lazily), and the vault's modules pull in zod. input-file.test.ts checks they agree.
 */
/** value-codec MAX_SCAN_BYTES. */
export const SCAN_LIMIT = 10 * MiB;
/** The most scans one backup can carry: 13 types × (3 slots + 20 files + 20 translations). */
export const MAX_SCANS_PER_BACKUP = 13 * (3 + 20 + 20);

/** The documented size limit of each kind of input, in bytes (the README's CLI section lists them). */
export const INPUT_LIMITS = {
  /** An RSA private key as PEM (`--key`, `--server-key`): a 16384-bit key is ~13 KB. */
  key: 64 * KiB,
  /** A 2FA password (`--password-file`): one line. */
  password: 4 * KiB,
  /** A value's data fields as JSON (`--data-file`, `--data`): a dozen short strings. */
  dataFile: 1 * MiB,
  /** One scan (`--front-side`, `--selfie`, `--file`…): the vault's own limit. */
  scan: SCAN_LIMIT,
  /** A photo or PDF to read (`scan`): the app's own PDF limit; decoding caps images further (25 MiB, 100 MP). */
  photo: 100 * MiB,
  /** A Bot API PassportData or Message as JSON (`decrypt-passport-data --in`, or stdin). */
  passportData: 32 * MiB,
  /** A document to seal or open (streamed; memory does not grow with it): Telegram's largest upload. */
  document: 2 * GiB,
  /** A .pvbackup (streamed): every scan a Passport can hold, plus room for the values and framing. */
  backup: MAX_SCANS_PER_BACKUP * (SCAN_LIMIT + 64 * KiB) + 64 * MiB,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

const sizeText = (bytes: number): string => (bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GiB` : bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

export function tooLarge(what: string, kind: InputKind): AppError {
  const maxBytes = INPUT_LIMITS[kind];
  return new AppError('INPUT_TOO_LARGE', `${what} is larger than ${sizeText(maxBytes)}, the limit for it`, { maxBytes });
}

function notAFile(what: string, path: string, stats: Stats): AppError {
  const is = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a regular file';
  return new AppError('INPUT_NOT_A_FILE', `${what} ${path} is ${is}; give a regular file`);
}

/** What a failed open/stat says: the path is a directory (on Windows open says so), or cannot be read. */
function openError(e: unknown, what: string, path: string): AppError {
  if ((e as NodeJS.ErrnoException).code === 'EISDIR') return new AppError('INPUT_NOT_A_FILE', `${what} ${path} is a directory; give a regular file`);
  return new AppError('BAD_INPUT', `Cannot read ${what} ${path}`);
}

/**
 * Reads the whole regular file at `path`, refusing anything else and anything over the limit for
 * `kind`. Opened non-blocking so a FIFO cannot hang the open; fstat on the open handle, so what was
 * checked is what is read; and never more than limit + 1 bytes, so a file that grows meanwhile is
 * caught too. `what` names the option in messages.
 */
export function readInputFile(path: string, what: string, kind: InputKind): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openError(e, what, path);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notAFile(what, path, stats);
    const max = INPUT_LIMITS[kind];
    if (stats.size > max) throw tooLarge(what, kind);
    const buf = Buffer.alloc(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === buf.length) {
        buf.fill(0);
        throw tooLarge(what, kind); // it grew past the size fstat gave; stop here
      }
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buf.subarray(0, length);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw openError(e, what, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * For a streamed input: `path` must be a regular file within the limit for `kind`. Returns its size.
 * Checked by path (stat, which never opens, so a FIFO cannot block it); the reader opens it after.
 */
export function checkInputFile(path: string, what: string, kind: InputKind): number {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    throw openError(e, what, path);
  }
  if (!stats.isFile()) throw notAFile(what, path, stats);
  if (stats.size > INPUT_LIMITS[kind]) throw tooLarge(what, kind);
  return stats.size;
}

/**
 * For an output path (`--out`), checked before any work: it may not exist yet (then its folder must),
 * or be a regular file that is replaced. A directory or a device there is a coded error up front
 * instead of an INTERNAL after decrypting the whole input.
 */
export function checkOutputTarget(path: string, what: string): void {
  let stats: Stats | undefined;
  try {
    stats = statSync(path);
  } catch {
    stats = undefined;
  }
  if (stats !== undefined) {
    if (!stats.isFile()) throw notAFile(what, path, stats);
    return;
  }
  let folder: Stats | undefined;
  try {
    folder = statSync(dirname(path));
  } catch {
    folder = undefined;
  }
  if (folder === undefined || !folder.isDirectory()) throw new AppError('BAD_INPUT', `${what} ${path}: its folder does not exist`);
}
