/** IPC namespace `scan`: preparing a document photo for the vault. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';

export const scanChannels = {
  'scan.prepare': channel({
    summary:
      'Checks and re-encodes a document photo in main (JPEG ≤2048 px, q89, no metadata) and keeps it in memory for the vault; returns its size (and the size it had, so a shrink can be said) and an opaque id.',
    request: z.strictObject({ bytes: z.instanceof(Uint8Array) }),
    result: z.strictObject({
      scanId: z.string().regex(/^[0-9a-f]{24}$/),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      byteLength: z.number().int().positive(),
      /** The picture's own size, EXIF orientation applied: larger than width × height when it was scaled down. */
      sourceWidth: z.number().int().positive(),
      sourceHeight: z.number().int().positive(),
    }),
    errors: ['SCAN_NOT_AN_IMAGE', 'SCAN_UNSUPPORTED_FORMAT', 'SCAN_TOO_SMALL', 'SCAN_ASPECT', 'SCAN_TOO_LARGE'],
    // SCAN_LIMITS.maxInputBytes (25 MiB) plus room for the envelope: main refuses larger files itself, with a clear message.
    maxPayloadBytes: 26 * 1024 * 1024,
  }),
} as const;
