/** Argument helpers shared by the commands: required options, base64 inputs, files. */
import { fromBase64 } from '../passport/crypto/base64';
import { SECRET_LENGTH } from '../passport/crypto/secret';
import { readInputFile } from './input-file';
import { usageError } from './output';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function requireString(values: OptionValues, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw usageError(`Missing required option --${name}`);
  return v;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function base64Option(values: OptionValues, name: string): Buffer {
  return fromBase64(requireString(values, name), `--${name}`);
}

/** A 32-byte secret given on the command line (its checksum is checked where it is used). */
export function secretOption(values: OptionValues, name = 'secret'): Buffer {
  const secret = base64Option(values, name);
  if (secret.length !== SECRET_LENGTH) throw usageError(`--${name} must decode to ${SECRET_LENGTH} bytes`);
  return secret;
}

/**
 * The password file holds the 2FA password as UTF-8. One trailing newline (`\n` or `\r\n`), as
 * `echo` and editors add, is not part of the password.
 */
export function readPasswordFile(path: string): Buffer {
  const bytes = readInputFile(path, 'password file', 'password');
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end--;
  if (end > 0 && bytes[end - 1] === 0x0d && end < bytes.length) end--;
  const password = Buffer.from(bytes.subarray(0, end));
  bytes.fill(0); // the raw read holds the password too
  if (password.length === 0) throw usageError('The password file is empty');
  return password;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A decimal int64 such as `secure_secret_id`. */
export function int64Option(values: OptionValues, name: string): bigint | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  if (!/^-?\d{1,19}$/.test(text)) throw usageError(`--${name} must be a decimal int64`);
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) throw usageError(`--${name} is out of the int64 range`);
  return n;
}
