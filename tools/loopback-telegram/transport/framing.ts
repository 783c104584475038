/**
 * MTProto TCP transports (https://core.telegram.org/mtproto/mtproto-transports), detected from
 * the first bytes a client sends, the way Telegram's servers do:
 *   0xef                → abridged
 *   0xeeeeeeee          → intermediate
 *   0xdddddddd          → padded intermediate
 *   otherwise           → full (length, seqno, payload, CRC32), which must start with seqno 0.
 * Obfuscated transports (a 64-byte random header) are not supported and close the connection.
 */
import { crc32 } from 'node:zlib';

export type TransportKind = 'abridged' | 'intermediate' | 'padded-intermediate' | 'full';

export class TransportProtocolError extends Error {
  override readonly name = 'TransportProtocolError';
}

/** Largest packet accepted; file parts are at most 512 KiB, so this leaves generous room. */
export const MAX_PACKET = 4 * 1024 * 1024;

export class TransportFraming {
  kind: TransportKind | undefined;
  private buf: Buffer = Buffer.alloc(0);
  /** Chunks received after `buf` while a packet is incomplete, joined once there is enough for it. */
  private later: Buffer[] = [];
  private laterBytes = 0;
  /** The size `buf` must reach before parsing can make progress (0: unknown, try at every chunk). */
  private needed = 0;
  private inSeq = 0;
  private outSeq = 0;

  /** Feeds received bytes; returns every complete packet payload now available. */
  push(chunk: Buffer): Buffer[] {
    // A 512 KiB file part arrives in many socket reads: joining them only once it is whole copies it
    // once, instead of once per read (a Buffer.concat per chunk copied each part ~4 times over).
    if (this.buf.length + this.laterBytes + chunk.length < this.needed) {
      this.later.push(chunk);
      this.laterBytes += chunk.length;
      return [];
    }
    this.buf = this.buf.length === 0 && this.later.length === 0 ? chunk : Buffer.concat([this.buf, ...this.later, chunk]);
    this.later = [];
    this.laterBytes = 0;
    this.needed = 0;
    if (this.kind === undefined && !this.detect()) return [];
    const out: Buffer[] = [];
    for (;;) {
      const p = this.next();
      if (p === undefined) break;
      out.push(p);
    }
    return out;
  }

  private detect(): boolean {
    if (this.buf.length < 1) return false;
    if (this.buf[0] === 0xef) {
      this.kind = 'abridged';
      this.buf = this.buf.subarray(1);
      return true;
    }
    if (this.buf.length < 8) return false;
    const tag = this.buf.readUInt32LE(0);
    if (tag === 0xeeeeeeee) {
      this.kind = 'intermediate';
      this.buf = this.buf.subarray(4);
      return true;
    }
    if (tag === 0xdddddddd) {
      this.kind = 'padded-intermediate';
      this.buf = this.buf.subarray(4);
      return true;
    }
    // Full transport: a sane length and sequence number 0. Anything else would be an
    // obfuscated header, which this server does not implement.
    const len = tag;
    if (len >= 12 && len <= MAX_PACKET && len % 4 === 0 && this.buf.readUInt32LE(4) === 0) {
      this.kind = 'full';
      return true;
    }
    throw new TransportProtocolError('unrecognised transport (obfuscated transports are not supported)');
  }

  private next(): Buffer | undefined {
    switch (this.kind) {
      case 'abridged': {
        if (this.buf.length < 1) return undefined;
        // The top bit asks for a quick ack, which this server does not send.
        let words = (this.buf[0] ?? 0) & 0x7f;
        let header = 1;
        if (words === 0x7f) {
          if (this.buf.length < 4) return undefined;
          words = this.buf.readUIntLE(1, 3);
          header = 4;
        }
        return this.take(header, words * 4);
      }
      case 'intermediate':
      case 'padded-intermediate': {
        if (this.buf.length < 4) return undefined;
        const len = this.buf.readUInt32LE(0) & 0x7fffffff;
        const payload = this.take(4, len);
        if (payload === undefined || this.kind === 'intermediate') return payload;
        return stripPadding(payload);
      }
      case 'full': {
        if (this.buf.length < 4) return undefined;
        const len = this.buf.readUInt32LE(0);
        if (len < 12 || len > MAX_PACKET) throw new TransportProtocolError(`bad full-transport length ${len}`);
        if (this.buf.length < len) {
          this.needed = len;
          return undefined;
        }
        const packet = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        const seq = packet.readUInt32LE(4);
        const crc = packet.readUInt32LE(len - 4);
        if (crc32(packet.subarray(0, len - 4)) >>> 0 !== crc) throw new TransportProtocolError('full transport CRC mismatch');
        if (seq !== this.inSeq) throw new TransportProtocolError(`full transport seqno ${seq}, expected ${this.inSeq}`);
        this.inSeq++;
        return packet.subarray(8, len - 4);
      }
      default:
        return undefined;
    }
  }

  private take(header: number, len: number): Buffer | undefined {
    if (len > MAX_PACKET) throw new TransportProtocolError(`packet of ${len} bytes is too large`);
    if (this.buf.length < header + len) {
      this.needed = header + len;
      return undefined;
    }
    // A view, not a copy: received bytes are never written to (the connection only reads them).
    const payload = this.buf.subarray(header, header + len);
    this.buf = this.buf.subarray(header + len);
    return payload;
  }

  /** Frames one payload as the pieces to send in order: the transport's header, then the payload itself when it needs no change. */
  encodeParts(payload: Buffer): Buffer[] {
    if (this.kind === 'full' || this.kind === 'abridged') return [this.encode(payload)];
    const h = Buffer.alloc(4);
    h.writeUInt32LE(payload.length);
    return [h, payload];
  }

  /** Frames one payload for sending in the transport the client chose. */
  encode(payload: Buffer): Buffer {
    switch (this.kind) {
      case 'abridged': {
        const words = payload.length / 4;
        if (!Number.isInteger(words)) throw new Error('abridged payloads must be a multiple of 4 bytes');
        if (words < 0x7f) return Buffer.concat([Buffer.from([words]), payload]);
        const h = Buffer.alloc(4);
        h[0] = 0x7f;
        h.writeUIntLE(words, 1, 3);
        return Buffer.concat([h, payload]);
      }
      case 'full': {
        const out = Buffer.alloc(payload.length + 12);
        out.writeUInt32LE(out.length, 0);
        out.writeUInt32LE(this.outSeq++, 4);
        payload.copy(out, 8);
        out.writeUInt32LE(crc32(out.subarray(0, out.length - 4)) >>> 0, out.length - 4);
        return out;
      }
      default: {
        // Intermediate, and padded intermediate (which may add no padding).
        const h = Buffer.alloc(4);
        h.writeUInt32LE(payload.length);
        return Buffer.concat([h, payload]);
      }
    }
  }

  /** A transport-level error such as -404 (unknown auth key) or -429 (flood). */
  encodeError(code: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeInt32LE(-Math.abs(code));
    return this.encode(b);
  }
}

/**
 * Padded intermediate appends 0–15 random bytes. MTProto payloads are self-delimiting:
 * unencrypted ones carry their length, encrypted ones are 24 + 16·n bytes.
 */
function stripPadding(p: Buffer): Buffer {
  if (p.length >= 20 && p.readBigUInt64LE(0) === 0n) return p.subarray(0, Math.min(p.length, 20 + p.readUInt32LE(16)));
  if (p.length > 24) return p.subarray(0, p.length - ((p.length - 24) % 16));
  return p;
}
