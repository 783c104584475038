/**
 * The server checked by a client that is not mtcute: a hand-written MTProto client (see
 * support/raw-client.ts) does the handshake over each transport, makes real calls, and signs in
 * with a code and the 2FA password (its own SRP).
 * (GramJS was considered: it speaks layer 198, has Telegram's keys built in and ignores custom
 * ports, so it cannot talk to this server without patching its internals.)
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_ACCOUNT, startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { Cursor, RawClient, rawTl, srpCheckPassword, type RawTransport } from './support/raw-client';

const CONFIG_ID = 0xcc1a241e;
const RPC_ERROR_ID = 0x2144ca19;
const PONG_ID = 0x347773c5;
const NEW_SESSION_ID = 0x9ec20908;
const SENT_CODE_ID = 0x5e002502;
const ACCOUNT_PASSWORD_ID = 0x957b50fb;
const AUTHORIZATION_ID = 0x2ea2c0d4;
const LOGGED_OUT_ID = 0xc3a2835f;
const USER_ID = 0x31774388;
const VECTOR_ID = 0x1cb5c415;
const API_HASH = '0123456789abcdef0123456789abcdef';

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

/** The id of a `user` (flags, flags2, then id). */
function userId(c: Cursor): bigint {
  assert.equal(c.u32(), USER_ID);
  c.u32();
  c.u32();
  return c.i64();
}

/** The user of an `auth.authorization`. */
function authorizedUserId(body: Buffer): bigint {
  const c = new Cursor(body, 4);
  const flags = c.u32();
  if (flags & (1 << 1)) c.u32(); // otherwise_relogin_days
  if (flags & 1) c.u32(); // tmp_sessions
  if (flags & (1 << 2)) c.bytes(); // future_auth_token
  return userId(c);
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

  test('signs in: a code (a wrong one first), SESSION_PASSWORD_NEEDED, the 2FA password by SRP (a wrong one first); then account data, and sign-out', async () => {
    const client = new RawClient(server.port, 'intermediate', server.publicKeyPem);
    await client.open();
    try {
      await client.handshake();
      const phone = rawTl.tlStr(DEMO_ACCOUNT.phoneDigits);
      const getSelf = Buffer.concat([rawTl.u32(0x0d91a548), rawTl.u32(VECTOR_ID), rawTl.u32(1), rawTl.u32(0xf7c1b13f)]);

      const sent = await client.call(Buffer.concat([rawTl.u32(0xa677244f), phone, rawTl.u32(4242), rawTl.tlStr(API_HASH), rawTl.u32(0xad253d78), rawTl.u32(0)]));
      assert.equal(sent.id, SENT_CODE_ID);
      const c = new Cursor(sent.body, 4);
      c.u32(); // flags
      c.u32(); // the code type's constructor
      c.u32(); // its length
      const hash = rawTl.tlStr(c.str());
      const code = server.lastCode(DEMO_ACCOUNT.phoneDigits);
      assert.ok(code !== undefined, 'the server sent a code');

      const signIn = (typed: string): Buffer => Buffer.concat([rawTl.u32(0x8d52a951), rawTl.u32(1), phone, hash, rawTl.tlStr(typed)]);
      assert.deepEqual(parseRpcError(await client.call(signIn(code === '11111' ? '11112' : '11111'))), { code: 400, message: 'PHONE_CODE_INVALID' });
      assert.deepEqual(parseRpcError(await client.call(signIn(code))), { code: 401, message: 'SESSION_PASSWORD_NEEDED' });
      assert.deepEqual(parseRpcError(await client.call(getSelf)), { code: 401, message: 'AUTH_KEY_UNREGISTERED' }, 'not signed in before the password');

      const checkPassword = async (password: string): Promise<{ id: number; body: Buffer }> => {
        const info = await client.call(rawTl.u32(0x548a30f5)); // account.getPassword: a fresh srp_B each time
        assert.equal(info.id, ACCOUNT_PASSWORD_ID);
        return client.call(Buffer.concat([rawTl.u32(0xd18b4d16), srpCheckPassword(info.body, password)]));
      };
      assert.deepEqual(parseRpcError(await checkPassword(`${DEMO_ACCOUNT.password}!`)), { code: 400, message: 'PASSWORD_HASH_INVALID' });
      const auth = await checkPassword(DEMO_ACCOUNT.password);
      assert.equal(auth.id, AUTHORIZATION_ID);
      const expected = server.state.userByPhone(DEMO_ACCOUNT.phoneDigits)?.id;
      assert.ok(expected !== undefined);
      assert.equal(authorizedUserId(auth.body), expected);

      const self = await client.call(getSelf);
      assert.equal(self.id, VECTOR_ID);
      const v = new Cursor(self.body, 4);
      assert.equal(v.u32(), 1);
      assert.equal(userId(v), expected, 'signed in: the key now reads the account');

      assert.equal((await client.call(rawTl.u32(0x3e72ba19))).id, LOGGED_OUT_ID);
      assert.deepEqual(parseRpcError(await client.call(getSelf)), { code: 401, message: 'AUTH_KEY_UNREGISTERED' }, 'signed out');
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
