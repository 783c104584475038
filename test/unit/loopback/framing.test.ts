import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { TransportFraming, TransportProtocolError } from '../../../tools/loopback-telegram/transport/framing';

/** Feeds a byte stream in awkward 3-byte pieces, as TCP may deliver it. */
function feed(f: TransportFraming, stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length; i += 3) out.push(...f.push(stream.subarray(i, i + 3)));
  return out;
}

const payloads = [randomBytes(40), randomBytes(4 * 200), randomBytes(4 * 0x7f)];

describe('MTProto transports', () => {
  test('abridged: 0xef tag, 1-byte or 0x7f+3-byte word counts, quick-ack bit ignored', () => {
    const f = new TransportFraming();
    const frame = (p: Buffer, quickAck = false): Buffer => {
      const words = p.length / 4;
      const h = words < 0x7f ? Buffer.from([words | (quickAck ? 0x80 : 0)]) : Buffer.from([0x7f, words & 0xff, (words >> 8) & 0xff, words >> 16]);
      return Buffer.concat([h, p]);
    };
    const stream = Buffer.concat([Buffer.from([0xef]), frame(payloads[0] ?? Buffer.alloc(0), true), ...payloads.slice(1).map((p) => frame(p))]);
    assert.deepEqual(feed(f, stream), payloads);
    assert.equal(f.kind, 'abridged');
    const enc = f.encode(Buffer.alloc(4 * 300));
    assert.deepEqual([...enc.subarray(0, 4)], [0x7f, 300 & 0xff, 300 >> 8, 0]);
  });

  test('intermediate: 0xeeeeeeee tag and 4-byte lengths', () => {
    const f = new TransportFraming();
    const frame = (p: Buffer): Buffer => Buffer.concat([Buffer.from(new Uint32Array([p.length]).buffer), p]);
    const stream = Buffer.concat([Buffer.from([0xee, 0xee, 0xee, 0xee]), ...payloads.map(frame)]);
    assert.deepEqual(feed(f, stream), payloads);
    assert.equal(f.kind, 'intermediate');
    assert.deepEqual(f.encode(Buffer.from([1, 2, 3, 4])), Buffer.from([4, 0, 0, 0, 1, 2, 3, 4]));
    const err = f.encodeError(404);
    assert.equal(err.readUInt32LE(0), 4);
    assert.equal(err.readInt32LE(4), -404);
  });

  test('full: length, seqno, payload, CRC32; checks both', () => {
    const frame = (p: Buffer, seq: number): Buffer => {
      const b = Buffer.alloc(p.length + 12);
      b.writeUInt32LE(b.length, 0);
      b.writeUInt32LE(seq, 4);
      p.copy(b, 8);
      b.writeUInt32LE(crc32(b.subarray(0, b.length - 4)) >>> 0, b.length - 4);
      return b;
    };
    const f = new TransportFraming();
    assert.deepEqual(feed(f, Buffer.concat(payloads.map((p, i) => frame(p, i)))), payloads);
    assert.equal(f.kind, 'full');
    const out = f.encode(Buffer.from([9, 9, 9, 9]));
    assert.equal(out.readUInt32LE(0), 16);
    assert.equal(out.readUInt32LE(4), 0);
    assert.equal(out.readUInt32LE(12), crc32(out.subarray(0, 12)) >>> 0);

    const bad = frame(Buffer.alloc(8), 0);
    bad[9] = 1;
    assert.throws(() => new TransportFraming().push(bad), /CRC/);
    const g = new TransportFraming();
    g.push(frame(Buffer.alloc(8), 0));
    assert.throws(() => g.push(frame(Buffer.alloc(8), 5)), /seqno 5/);
  });

  test('an obfuscated-looking header is refused', () => {
    const header = randomBytes(64);
    header[0] = 0x11;
    header.writeUInt32LE(0x12345678, 4);
    assert.throws(() => new TransportFraming().push(header), TransportProtocolError);
  });

  test('oversized packets are refused', () => {
    const f = new TransportFraming();
    const h = Buffer.from([0xee, 0xee, 0xee, 0xee, 0, 0, 0, 0x10]);
    assert.throws(() => f.push(Buffer.concat([h, Buffer.alloc(8)])), /too large/);
  });
});
