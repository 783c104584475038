/**
 * The CLI's contract with its callers: one JSON object on stdout for results; one
 * `{"error":{"code","message"}}` on stderr for failures, with an exit code that says which kind.
 */
import { fstatSync, writeSync } from 'node:fs';
import { AppError } from '../../common/errors';
import type { ErrorCode } from '../../common/errors';
import { MAX_OUTPUT_DEPTH, nestsDeeperThan } from './json-depth';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
/** Bad usage or bad input. */
export const EXIT_USAGE = 2;
/** Integrity failure: hash mismatch, bad padding/length, bad checksum, fingerprint mismatch. */
export const EXIT_INTEGRITY = 3;
/** Wrong password or wrong key. */
export const EXIT_WRONG_CREDENTIAL = 4;

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_INPUT: EXIT_USAGE,
  AUTH_LINK_INVALID: EXIT_USAGE,
  BAD_KEY: EXIT_USAGE,
  UNSUPPORTED_ALGO: EXIT_USAGE,
  DATA_HASH_MISMATCH: EXIT_INTEGRITY,
  BAD_PADDING: EXIT_INTEGRITY,
  BAD_LENGTH: EXIT_INTEGRITY,
  SECRET_CHECKSUM: EXIT_INTEGRITY,
  SECRET_FINGERPRINT: EXIT_INTEGRITY,
  WRONG_PASSWORD: EXIT_WRONG_CREDENTIAL,
  WRONG_KEY: EXIT_WRONG_CREDENTIAL,
  PASSWORD_HASH_INVALID: EXIT_WRONG_CREDENTIAL,
  PHONE_CODE_INVALID: EXIT_WRONG_CREDENTIAL,
  PHONE_CODE_EXPIRED: EXIT_WRONG_CREDENTIAL,
  PHONE_NUMBER_INVALID: EXIT_USAGE,
  TELEGRAM_NOT_CONFIGURED: EXIT_USAGE,
  VAULT_NOT_FOUND: EXIT_USAGE,
  VAULT_EXISTS: EXIT_USAGE,
  VAULT_LOCKED: EXIT_USAGE,
  UNSUPPORTED_VERSION: EXIT_USAGE,
  // A scan given to `set` that is not a JPEG or too big: bad input.
  SCAN_NOT_AN_IMAGE: EXIT_USAGE,
  SCAN_TOO_LARGE: EXIT_USAGE,
  VAULT_CORRUPT: EXIT_INTEGRITY,
  VAULT_ROLLBACK: EXIT_INTEGRITY,
  BACKUP_CORRUPT: EXIT_INTEGRITY,
  INPUT_NOT_A_FILE: EXIT_USAGE,
  INPUT_TOO_LARGE: EXIT_USAGE,
  INPUT_TOO_DEEP: EXIT_USAGE,
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code] ?? EXIT_INTERNAL;
}

/** Where the CLI reads and writes; the process's own streams except in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  /** stdin's file descriptor when it is the process's own, so its kind and size can be checked. */
  stdinFd?: number;
}

/**
 * Writes to the process's stdout. A pipe, socket or file gets plain write(2) calls: building
 * process.stdout for one (a socket stream for a pipe, with the modules behind it) cost ~5 ms of every
 * command's start-up, measured, for what is usually one short line. A terminal gets process.stdout (on
 * Windows always: its console wants Node's stream for Unicode), and so does whatever is left when a
 * write would block (stdout a full non-blocking pipe).
 */
function writeStdout(text: string): void {
  if (process.platform === 'win32' || !isPipeOrFile(1)) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    process.stdout.write(bytes.subarray(offset));
  }
}

function isPipeOrFile(fd: number): boolean {
  try {
    const s = fstatSync(fd);
    return s.isFIFO() || s.isSocket() || s.isFile();
  } catch {
    return false;
  }
}

export const processIo: CliIo = {
  stdout: writeStdout,
  stderr: (text) => process.stderr.write(text),
  // A getter: reading process.stdin builds the stream (and loads net or tty), which only the commands that read stdin need.
  get stdin() {
    return process.stdin;
  },
  stdinFd: 0,
};

/** Prints `result` as one JSON line; a result nested absurdly deep is refused, not overflowed on. */
export function printResult(io: CliIo, result: object): void {
  if (nestsDeeperThan(result, MAX_OUTPUT_DEPTH)) {
    throw new AppError('INPUT_TOO_DEEP', `The result nests more than ${MAX_OUTPUT_DEPTH} levels deep (Passport data fields are flat); nothing was printed`, { maxDepth: MAX_OUTPUT_DEPTH });
  }
  io.stdout(`${JSON.stringify(result)}\n`);
}

/** Prints the error JSON and returns the exit code. Unknown errors are INTERNAL, without details. */
export function reportError(io: CliIo, e: unknown): number {
  const err = e instanceof AppError ? e : new AppError('INTERNAL', 'Unexpected internal error');
  // Opt-in only: an unexpected error's stack could include input data.
  if (!(e instanceof AppError) && process.env.PASSPORT_VAULT_DEBUG === '1') console.error(e);
  io.stderr(`${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`);
  return exitCodeFor(err.code);
}

export function usageError(message: string): AppError {
  return new AppError('BAD_INPUT', message);
}
