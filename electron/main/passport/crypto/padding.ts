/**
 * The random prefix that pads Passport plaintext to a multiple of 16 bytes (PASSPORT-SPEC §1b):
 * `[pad] + (pad - 1 random bytes) + data`, with 32 <= pad <= 255.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../../../common/errors';

export const MIN_PADDING = 32;
export const MAX_PADDING = 255;
const BLOCK = 16;

/**
 * A padding length for `dataLength` bytes of data. tdesktop draws from 32..254 through a modulo
 * formula (PE:332-362); TDLib only ever uses 32..47. We pick uniformly among all lengths the readers
 * accept (32..255 with `(pad + dataLength) % 16 == 0`; always 14 choices), so every valid length,
 * 255 included, is exercised.
 */
export function randomPaddingLength(dataLength: number): number {
  const first = MIN_PADDING + ((BLOCK - ((dataLength + MIN_PADDING) % BLOCK)) % BLOCK);
  const choices = Math.floor((MAX_PADDING - first) / BLOCK) + 1;
  return first + BLOCK * randomInt(choices);
}

/** The prefix bytes: first byte is the length itself, the rest random. */
export function makePaddingPrefix(dataLength: number): Buffer {
  const pad = randomPaddingLength(dataLength);
  const prefix = randomBytes(pad);
  prefix[0] = pad;
  return prefix;
}

/**
 * Reads and checks the prefix length of a decrypted (and already hash-verified) buffer.
 * The order matters: callers verify the hash first (PE:364-397), then call this.
 */
export function checkPadding(firstByte: number, totalLength: number): number {
  if (firstByte < MIN_PADDING || firstByte > MAX_PADDING || firstByte > totalLength) {
    throw new AppError('BAD_PADDING', 'Decrypted data has an invalid padding length');
  }
  return firstByte;
}
