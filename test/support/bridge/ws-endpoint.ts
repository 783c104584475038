/**
 * TEST ONLY — the smallest WebSocket server the test bridge needs (RFC 6455, text messages only), on
 * the host's own HTTP server, so the rig needs no package of its own. One persistent connection per page
 * carries every IPC call: a fetch per call cost a new request through Chromium's network stack each
 * time (bench/render.ts: about 7 ms per round trip at load 7–9, for a handler that takes 0.1 ms), which
 * Electron's IPC does not have. What travels is unchanged: the same encodeWire text, both ways.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface WsConnection {
  send(text: string): void;
  close(): void;
}

function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.alloc(2) : n < 0x10000 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode; // FIN: every message goes in one frame
  if (n < 126) head[1] = n;
  else if (n < 0x10000) {
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

/**
 * Completes the handshake on `socket` (the caller has checked who asks) and calls `onMessage` with each
 * text message. A message over `maxBytes`, an unmasked or binary frame closes the connection (1009, 1002, 1003).
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, maxBytes: number, onMessage: (text: string, conn: WsConnection) => void): WsConnection {
  const key = req.headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  if ('setNoDelay' in socket) (socket as Socket).setNoDelay(true); // small answers go out at once, not after Nagle's wait
  let closed = false;
  const conn: WsConnection = {
    send(text) {
      if (!closed) socket.write(frame(OP_TEXT, Buffer.from(text, 'utf8')));
    },
    close() {
      if (closed) return;
      closed = true;
      socket.end(frame(OP_CLOSE, Buffer.from([0x03, 0xe8]))); // 1000: normal closure
    },
  };
  const fail = (code: number): void => {
    if (closed) return;
    closed = true;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    socket.end(frame(OP_CLOSE, body));
  };

  let buffered: Buffer = Buffer.alloc(0);
  let parts: Buffer[] = [];
  let partsSize = 0;
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (!closed && buffered.length >= 2) {
      const b0 = buffered[0] ?? 0;
      const b1 = buffered[1] ?? 0;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if ((b1 & 0x80) === 0) return fail(1002); // a browser masks every frame it sends
      let len = b1 & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buffered.length < 4) return;
        len = buffered.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buffered.length < 10) return;
        const big = buffered.readBigUInt64BE(2);
        if (big > BigInt(maxBytes)) return fail(1009);
        len = Number(big);
        at = 10;
      }
      if (len > maxBytes || partsSize + len > maxBytes) return fail(1009);
      if (buffered.length < at + 4 + len) return; // the rest of the frame is still on its way
      const mask = buffered.subarray(at, at + 4);
      const payload = Buffer.from(buffered.subarray(at + 4, at + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
      buffered = buffered.subarray(at + 4 + len);
      if (opcode === OP_CLOSE) return conn.close();
      if (opcode === OP_PING) {
        socket.write(frame(OP_PONG, payload));
        continue;
      }
      if (opcode === OP_PONG) continue;
      if (opcode !== OP_TEXT && opcode !== OP_CONTINUATION) return fail(1003);
      parts.push(payload);
      partsSize += payload.length;
      if (!fin) continue;
      const text = Buffer.concat(parts, partsSize).toString('utf8');
      parts = [];
      partsSize = 0;
      onMessage(text, conn);
    }
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => {
    closed = true;
  });
  return conn;
}
