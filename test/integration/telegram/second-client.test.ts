/**
 * The server checked by a client that is not mtcute: a hand-written MTProto client (see
 * support/raw-client.ts) does the handshake over each transport and makes real calls.
 * (GramJS was considered: it speaks layer 198, has Telegram's keys built in and ignores custom
 * ports, so it cannot talk to this server without patching its internals.)
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { Cursor, RawClient, rawTl, type RawTransport } from './support/raw-client';

const CONFIG_ID = 0xcc1a241e;
const RPC_ERROR_ID = 0x2144ca19;
const PONG_ID = 0x347773c5;
const NEW_SESSION_ID = 0x9ec20908;

function parseConfigHead(body: Buffer): { thisDc: number; dcs: { id: number; ip: string; port: number }[] } {
  const c = new Cursor(body, 4);
  c.u32(); // flags
  c.u32(); // date
  c.u32(); // expires
  c.u32(); // test_mode (Bool)
  const thisDc = c.u32();
  assert.equal(c.u32(), 0x1cb5c415);
  const dcs = Array.from({ length: c.u32() }, () => {
    assert.equal(c.u32(), 0x18b7a10d);
    const flags = c.u32();
    const id = c.u32();
    const ip = c.str();
    const port = c.u32();
    if (flags & (1 << 10)) c.bytes();
    return { id, ip, port };
  });
  return { thisDc, dcs };
}

function parseRpcError(r: { id: number; body: Buffer }): { code: number; message: string } {
  assert.equal(r.id, RPC_ERROR_ID);
  const c = new Cursor(r.body, 4);
  return { code: c.u32(), message: c.str() };
}

describe('an independent MTProto client against the loopback server', { timeout: 60_000 }, () => {
  let server: LoopbackTelegram;
  before(async () => {
    server = await startLoopbackTelegram();
  });
  after(async () => {
    await server.close();
  });

  for (const transport of ['abridged', 'full', 'intermediate'] as RawTransport[]) {
    test(`${transport} transport: handshake, then help.getConfig`, async () => {
      const client = new RawClient(server.port, transport, server.publicKeyPem);
      await client.open();
      try {
        const handshakes = server.stats.handshakes;
        const key = await client.handshake();
        assert.equal(key.length, 256);
        assert.equal(server.stats.handshakes, handshakes + 1);
        assert.deepEqual(server.transports().filter((t) => t === transport).length >= 1, true);
        const res = await client.call(rawTl.u32(0xc4f9186b));
        assert.equal(res.id, CONFIG_ID);
        assert.deepEqual(parseConfigHead(res.body), { thisDc: 2, dcs: [{ id: 2, ip: '127.0.0.1', port: server.port }] });
        assert.ok(client.notices.includes(NEW_SESSION_ID), 'the server announced the new session');
      } finally {
        client.close();
      }
    });
  }

  test('gzip_packed requests inside a container with a ping; rpc errors for bad input', async () => {
    const client = new RawClient(server.port, 'full', server.publicKeyPem);
    await client.open();
    try {
      await client.handshake();
      const res = await client.call(rawTl.u32(0xc4f9186b), { gzip: true, container: true });
      assert.equal(res.id, CONFIG_ID);
      assert.ok(client.notices.includes(PONG_ID), 'the ping in the container was answered');

      const sendCode = Buffer.concat([
        rawTl.u32(0xa677244f),
        rawTl.tlStr('12'),
        rawTl.u32(4242),
        rawTl.tlStr('0123456789abcdef0123456789abcdef'),
        rawTl.u32(0xad253d78),
        rawTl.u32(0),
      ]);
      assert.deepEqual(parseRpcError(await client.callBare(sendCode)), { code: 400, message: 'PHONE_NUMBER_INVALID' });
      assert.deepEqual(parseRpcError(await client.callBare(rawTl.u32(0x0badf00d))), { code: 400, message: 'INPUT_METHOD_INVALID' });
      // Unauthorised key asking for account data.
      const getUsers = Buffer.concat([rawTl.u32(0x0d91a548), rawTl.u32(0x1cb5c415), rawTl.u32(1), rawTl.u32(0xf7c1b13f)]);
      assert.deepEqual(parseRpcError(await client.callBare(getUsers)), { code: 401, message: 'AUTH_KEY_UNREGISTERED' });
    } finally {
      client.close();
    }
  });

  test('a wrong salt gets bad_server_salt with the right one, then the call goes through', async () => {
    const client = new RawClient(server.port, 'abridged', server.publicKeyPem);
    await client.open();
    try {
      await client.handshake();
      server.rotateSalts();
      await assert.rejects(client.call(rawTl.u32(0xc4f9186b)), /bad_server_salt/);
      assert.equal((await client.call(rawTl.u32(0xc4f9186b))).id, CONFIG_ID);
    } finally {
      client.close();
    }
  });
});
