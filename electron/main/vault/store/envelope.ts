/**
 * The store's OUTER layer: every file of the offline mirror (the state record and each blob) is
 * wrapped in an envelope. Inside, the content is already Passport-encrypted (values and files under
 * their own secrets, those under the passport secret); the envelope adds
 *  - with a vault key (32 random bytes kept in the OS keychain): AES-256-GCM, so the structure of
 *    the mirror, phone/email (plain in Passport's own format) and dates are unreadable, and any
 *    change to a file is detected;
 *  - without a keychain ("none"): a SHA-256 checksum only, so damage is still detected. Nothing
 *    secret is lost that way (see README in this folder), and no key is ever written to disk.
 *
 * Byte layout (all integers big-endian):
 *
 *   state record                         blob (v2, written since #21)    blob (v1, still read)
 *   0   4  magic "PVS1"                  0  4  magic "PVB2"              0  4  magic "PVB1"
 *   4   1  mode: 0 none, 1 aes-256-gcm   4  1  mode                      4  1  mode
 *   5   8  generation (u64)              5  8  generation (u64)          5 12  nonce (mode 1)
 *   13 12  nonce (mode 1 only)           13 12 nonce (mode 1 only)       .. body, trailer
 *   .. body                              .. body
 *   trailer                              trailer
 *
 * trailer = 16-byte GCM tag (mode 1) or SHA-256(label ‖ vaultId ‖ name ‖ header ‖ body) (mode 0).
 * GCM's additional data = label ‖ vaultId ‖ name ‖ header, so a file cannot be moved to another
 * vault or under another name (or have its generation changed) without failing the check.
 * A blob's generation is the one of the commit it was written for (the state's generation + 1 at
 * the time): it lets the store tell an interrupted write from a rolled-back state (vault-store.ts).
 * A v1 blob has none and counts as generation 0 (older than any state).
 * Nonces are random: a vault key seals at most a few thousand files in its life, far below the
 * 2^32 bound for random 96-bit GCM nonces.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CipherGCM, DecipherGCM, Hash } from 'node:crypto';
import { AppError } from '../../../common/errors';

export type SealingMode = 'none' | 'aes-256-gcm';
export const MODE_BYTE: Record<SealingMode, number> = { none: 0, 'aes-256-gcm': 1 };
export const VAULT_KEY_LENGTH = 32;
const NONCE = 12;
const TAG = 16;
const SHA = 32;

const STATE_MAGIC = Buffer.from('PVS1', 'latin1');
const BLOB_MAGIC_V1 = Buffer.from('PVB1', 'latin1');
const BLOB_MAGIC = Buffer.from('PVB2', 'latin1');
/** Enough leading bytes of a blob to parse any header version. */
export const BLOB_HEADER_MAX = BLOB_MAGIC.length + 1 + 8 + NONCE;

export interface EnvelopeContext {
  vaultId: string;
  /** The vault key, or null for mode "none". Never copied; the store owns and wipes it. */
  key: Buffer | null;
}

function modeOf(ctx: EnvelopeContext): number {
  return ctx.key === null ? MODE_BYTE.none : MODE_BYTE['aes-256-gcm'];
}

function trailerLength(mode: number): number {
  return mode === MODE_BYTE.none ? SHA : TAG;
}

function corrupt(what: string): AppError {
  return new AppError('VAULT_CORRUPT', `${what} fails its integrity check`);
}

function label(kind: string, ctx: EnvelopeContext, name: string, header: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`passport-vault ${kind}\0${ctx.vaultId}\0${name}\0`, 'utf8'), header]);
}

/** One-pass sealer: `header`, then `update()` per chunk, then `final()` for the trailer. */
export interface StreamSealer {
  header: Buffer;
  /** The sealed bytes of `chunk`: use them before the next call and before `chunk` changes (keyless mode returns `chunk` itself). */
  update(chunk: Uint8Array): Buffer;
  final(): Buffer;
}

export interface StreamOpener {
  update(chunk: Uint8Array): Buffer;
  /** Throws VAULT_CORRUPT unless `trailer` authenticates everything passed to update(). */
  final(trailer: Buffer): void;
}

/** `chunk` as a Buffer without a copy (keyless sealing hashes the bytes and passes them on as they are). */
function asIs(chunk: Uint8Array): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function sealer(kind: string, ctx: EnvelopeContext, name: string, fixedHeader: Buffer): StreamSealer {
  if (ctx.key === null) {
    const header = fixedHeader;
    const hash: Hash = createHash('sha256').update(label(kind, ctx, name, header));
    return {
      header,
      update: (chunk) => {
        hash.update(chunk);
        return asIs(chunk);
      },
      final: () => hash.digest(),
    };
  }
  const nonce = randomBytes(NONCE);
  const header = Buffer.concat([fixedHeader, nonce]);
  const cipher: CipherGCM = createCipheriv('aes-256-gcm', ctx.key, nonce);
  cipher.setAAD(label(kind, ctx, name, header));
  return {
    header,
    update: (chunk) => cipher.update(chunk),
    final: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
  };
}

function opener(kind: string, ctx: EnvelopeContext, name: string, header: Buffer): StreamOpener {
  if (ctx.key === null) {
    const hash: Hash = createHash('sha256').update(label(kind, ctx, name, header));
    return {
      update: (chunk) => {
        hash.update(chunk);
        return Buffer.from(chunk);
      },
      final: (trailer) => {
        const actual = hash.digest();
        if (trailer.length !== SHA || !timingSafeEqual(actual, trailer)) throw corrupt(`${kind} ${name}`);
      },
    };
  }
  const nonce = header.subarray(header.length - NONCE);
  const decipher: DecipherGCM = createDecipheriv('aes-256-gcm', ctx.key, nonce);
  decipher.setAAD(label(kind, ctx, name, header));
  return {
    update: (chunk) => decipher.update(chunk),
    final: (trailer) => {
      if (trailer.length !== TAG) throw corrupt(`${kind} ${name}`);
      try {
        decipher.setAuthTag(trailer);
        decipher.final();
      } catch {
        throw corrupt(`${kind} ${name}`);
      }
    },
  };
}

// ---- blobs (streamed) ----

export interface BlobHeader {
  /** Bytes of the header (the body starts there). */
  length: number;
  /** The commit the blob was written for; 0 for a v1 blob, which has none. */
  generation: number;
}

/**
 * Parses the header at the start of a blob (`prefix`: its first BLOB_HEADER_MAX bytes, or all of a
 * shorter file). Not authenticated yet: the opener checks it with the body. VAULT_CORRUPT if it is
 * no blob header of this vault's mode.
 */
export function parseBlobHeader(ctx: EnvelopeContext, name: string, prefix: Buffer): BlobHeader {
  const nonce = ctx.key === null ? 0 : NONCE;
  const magic = prefix.subarray(0, 4);
  const v2 = magic.equals(BLOB_MAGIC);
  if ((!v2 && !magic.equals(BLOB_MAGIC_V1)) || prefix[4] !== modeOf(ctx)) throw corrupt(`blob ${name}`);
  const length = 5 + (v2 ? 8 : 0) + nonce;
  if (prefix.length < length) throw corrupt(`blob ${name}`);
  return { length, generation: v2 ? Number(prefix.readBigUInt64BE(5)) : 0 };
}

export function blobTrailerLength(ctx: EnvelopeContext): number {
  return trailerLength(modeOf(ctx));
}

/**
 * SHA-256 of `prefix` followed by exactly the bytes the blob's body will be, computed by the caller
 * elsewhere (the backup import's checker thread already sees every byte). Keyless mode only: a wrong
 * digest makes the blob fail its check when read, like any damage.
 */
export type KeylessDigest = (prefix: Buffer) => Promise<Buffer>;

/**
 * A blob sealer for a blob written for commit `generation`; its trailer may come from
 * `keylessDigest` when the vault is keyless.
 */
export function blobSealer(
  ctx: EnvelopeContext,
  name: string,
  generation: number,
  keylessDigest?: KeylessDigest,
): Omit<StreamSealer, 'final'> & { final(): Promise<Buffer> } {
  const fixed = Buffer.alloc(BLOB_MAGIC.length + 1 + 8);
  BLOB_MAGIC.copy(fixed, 0);
  fixed[4] = modeOf(ctx);
  fixed.writeBigUInt64BE(BigInt(generation), 5);
  if (ctx.key !== null || keylessDigest === undefined) {
    const s = sealer('blob', ctx, name, fixed);
    return { header: s.header, update: (chunk) => s.update(chunk), final: () => Promise.resolve(s.final()) };
  }
  const digest = keylessDigest(label('blob', ctx, name, fixed));
  digest.catch(() => undefined); // awaited by final(); not unhandled if the write fails first
  return { header: fixed, update: asIs, final: () => digest };
}

/** Checks the blob header (exactly the header's bytes, see parseBlobHeader) and returns an opener for its body. */
export function blobOpener(ctx: EnvelopeContext, name: string, header: Buffer): StreamOpener {
  if (header.length !== parseBlobHeader(ctx, name, header).length) throw corrupt(`blob ${name}`);
  return opener('blob', ctx, name, header);
}

// ---- the state record (small, in memory) ----

const STATE_FIXED = STATE_MAGIC.length + 1 + 8;

export function sealState(ctx: EnvelopeContext, generation: number, body: Buffer): Buffer {
  const fixed = Buffer.alloc(STATE_FIXED);
  STATE_MAGIC.copy(fixed, 0);
  fixed[4] = modeOf(ctx);
  fixed.writeBigUInt64BE(BigInt(generation), 5);
  const s = sealer('state', ctx, 'state', fixed);
  return Buffer.concat([s.header, s.update(body), s.final()]);
}

/** The sealing mode a state record says it was written with (its mode byte), or null if it is no state record. */
export function stateRecordMode(prefix: Buffer): SealingMode | null {
  if (prefix.length < 5 || !prefix.subarray(0, 4).equals(STATE_MAGIC)) return null;
  if (prefix[4] === MODE_BYTE.none) return 'none';
  if (prefix[4] === MODE_BYTE['aes-256-gcm']) return 'aes-256-gcm';
  return null;
}

/** Opens a state record; returns its generation and plaintext body. */
export function openState(ctx: EnvelopeContext, record: Buffer): { generation: number; body: Buffer } {
  const mode = modeOf(ctx);
  const headerLength = STATE_FIXED + (ctx.key === null ? 0 : NONCE);
  const trailer = trailerLength(mode);
  if (record.length < headerLength + trailer || !record.subarray(0, 4).equals(STATE_MAGIC)) {
    throw corrupt('The vault state');
  }
  if (record[4] !== mode) {
    // A vault sealed with a key read as keyless, or the other way round.
    throw corrupt('The vault state (sealing mode)');
  }
  const generation = Number(record.readBigUInt64BE(5));
  const header = record.subarray(0, headerLength);
  const o = opener('state', ctx, 'state', header);
  const body = o.update(record.subarray(headerLength, record.length - trailer));
  o.final(record.subarray(record.length - trailer));
  return { generation, body };
}
