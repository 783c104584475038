import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { acceptWebSocket } from '../../support/bridge/ws-endpoint';

/** A socket that records what the endpoint writes and lets the test push what "the browser" sends. */
class FakeSocket extends Duplex {
  readonly written: Buffer[] = [];
  ended = false;
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.written.push(Buffer.from(chunk));
    done();
  }
  override _final(done: () => void): void {
    this.ended = true;
    done();
  }
  feed(b: Buffer): void {
    this.emit('data', b);
  }
}

/** A frame as a browser sends it: masked. */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0, 0x80 | n]) : n < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 0x10000) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 0x10000) {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  head[0] = (fin ? 0x80 : 0) | opcode;
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i & 3] ?? 0)));
  return Buffer.concat([head, mask, masked]);
}

/** The text of the server's frames after the handshake (unmasked, one frame per message). */
function serverTexts(written: Buffer[]): { opcode: number; payload: Buffer }[] {
  let b = Buffer.concat(written.slice(1));
  const out: { opcode: number; payload: Buffer }[] = [];
  while (b.length >= 2) {
    const b1 = b[1] ?? 0;
    assert.equal(b1 & 0x80, 0, 'a server frame is never masked');
    let len = b1 & 0x7f;
    let at = 2;
    if (len === 126) [len, at] = [b.readUInt16BE(2), 4];
    else if (len === 127) [len, at] = [Number(b.readBigUInt64BE(2)), 10];
    out.push({ opcode: (b[0] ?? 0) & 0x0f, payload: b.subarray(at, at + len) });
    b = b.subarray(at + len);
  }
  return out;
}

const request = (key: string): IncomingMessage => ({ headers: { 'sec-websocket-key': key } }) as unknown as IncomingMessage;

test('the handshake answers with the accept key of RFC 6455 (its own example)', () => {
  const socket = new FakeSocket();
  acceptWebSocket(request('dGhlIHNhbXBsZSBub25jZQ=='), socket, 1024, () => undefined);
  const head = socket.written[0]?.toString() ?? '';
  assert.match(head, /^HTTP\/1\.1 101 /);
  assert.match(head, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/);
});

test('messages arrive whole: split across chunks, in fragments, with 7-, 16- and 64-bit lengths', () => {
  const socket = new FakeSocket();
  const got: string[] = [];
  acceptWebSocket(request('k'), socket, 1 << 20, (text) => got.push(text));
  const big = 'é'.repeat(40_000); // 80 000 bytes: a 64-bit length
  const mid = 'm'.repeat(300); // a 16-bit length
  const bytes = Buffer.concat([
    clientFrame(1, Buffer.from('1\nsmall')),
    clientFrame(1, Buffer.from(mid)),
    clientFrame(1, Buffer.from('frag-'), false),
    clientFrame(0, Buffer.from('ment'), true),
    clientFrame(1, Buffer.from(big)),
  ]);
  for (let i = 0; i < bytes.length; i += 1000) socket.feed(bytes.subarray(i, i + 1000));
  assert.deepEqual(got, ['1\nsmall', mid, 'frag-ment', big]);
});

test('what it sends is one unmasked text frame per message, any length', () => {
  const socket = new FakeSocket();
  const conn = acceptWebSocket(request('k'), socket, 1024, () => undefined);
  const texts = ['a', 'b'.repeat(200), 'c'.repeat(70_000)];
  for (const t of texts) conn.send(t);
  assert.deepEqual(
    serverTexts(socket.written).map((f) => [f.opcode, f.payload.toString()]),
    texts.map((t) => [1, t]),
  );
});

test('a message over the limit, or an unmasked frame, closes the connection without a message', () => {
  for (const [bytes, code] of [
    [clientFrame(1, Buffer.alloc(2000, 0x61)), 1009],
    [Buffer.concat([clientFrame(1, Buffer.alloc(600, 0x61), false), clientFrame(0, Buffer.alloc(600, 0x61))]), 1009],
    [Buffer.from([0x81, 0x01, 0x61]), 1002],
  ] as const) {
    const socket = new FakeSocket();
    const got: string[] = [];
    acceptWebSocket(request('k'), socket, 1024, (text) => got.push(text));
    socket.feed(bytes);
    assert.deepEqual(got, []);
    const frames = serverTexts(socket.written);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]?.opcode, 8);
    assert.equal(frames[0]?.payload.readUInt16BE(0), code);
  }
});
