/**
 * Standard base64 with `=` padding, strictly. Node's decoder silently skips bad characters and
 * accepts base64url, which would let a corrupted credentials field decode to different bytes
 * instead of failing; every base64 string from outside goes through `fromBase64` instead.
 */
import { isStrictBase64 } from '../../../common/base64';
import { AppError } from '../../../common/errors';

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes standard padded base64; `what` names the field in the error message. */
export function fromBase64(text: string, what: string): Buffer {
  if (!isStrictBase64(text)) {
    throw new AppError('BAD_INPUT', `${what} is not standard base64 with = padding`);
  }
  return Buffer.from(text, 'base64');
}
