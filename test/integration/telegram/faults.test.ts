import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { MemorySessionStore, TelegramConnection, loopbackConfig, type FloodWaitNotice } from '../../../electron/main/telegram/index';
import { startLoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { startRig, type Rig } from './support/loopback';

const getConfig = (conn: TelegramConnection): Promise<number> => conn.run('config', async (tg) => (await tg.call({ _: 'help.getConfig' })).thisDc);

async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

describe('faults injected by the loopback server', { timeout: 120_000 }, () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(async () => {
    await rig.close();
  });

  test('FLOOD_WAIT_3 is announced, waited out, and the call then succeeds', async () => {
    const conn = rig.connect();
    await getConfig(conn);
    const notices: FloodWaitNotice[] = [];
    conn.onFloodWait((n) => notices.push(n));
    rig.server.faults.injectFloodWait('help.getConfig', 3);
    const calls = rig.server.stats.calls.get('help.getConfig') ?? 0;
    const t0 = Date.now();
    assert.equal(await getConfig(conn), 2);
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 2900, `waited only ${elapsed} ms`);
    assert.deepEqual(notices.map((n) => [n.method, n.seconds]), [['help.getConfig', 3]]);
    assert.equal(rig.server.stats.calls.get('help.getConfig'), calls + 2);
    await conn.close();
  });

  test('a FLOOD_WAIT longer than the threshold comes back as FLOOD_WAIT with its seconds', async () => {
    const conn = rig.connect({ floodSleepThresholdSec: 2 });
    rig.server.faults.injectFloodWait('auth.sendCode', 30);
    const t0 = Date.now();
    const e = await expectAppError(
      conn.run('send code', (tg) => tg.sendCode({ phone: '+9996621234' })),
      'FLOOD_WAIT',
    );
    assert.equal(e.details?.seconds, 30);
    assert.ok(Date.now() - t0 < 5000);
    await conn.close();
  });

  test('a connection dropped mid-request is re-established and the request retried', async () => {
    const conn = rig.connect();
    await getConfig(conn);
    const opened = rig.server.stats.connectionsOpened;
    const calls = rig.server.stats.calls.get('help.getNearestDc') ?? 0;
    rig.server.faults.dropNext('help.getNearestDc');
    const res = await conn.run('nearest dc', (tg) => tg.call({ _: 'help.getNearestDc' }));
    assert.equal(res.thisDc, 2);
    assert.equal(rig.server.stats.calls.get('help.getNearestDc'), calls + 2, 'sent, dropped, sent again');
    assert.ok(rig.server.stats.connectionsOpened > opened, 'a new TCP connection was made');
    await conn.close();
  });

  test('forgotten server salts (bad_server_salt) and a slow link are handled transparently', async () => {
    const conn = rig.connect();
    await getConfig(conn);
    rig.server.rotateSalts();
    assert.equal(await getConfig(conn), 2);
    rig.server.faults.latencyMs = 300;
    try {
      const t0 = Date.now();
      assert.equal(await getConfig(conn), 2);
      assert.ok(Date.now() - t0 >= 300);
    } finally {
      rig.server.faults.latencyMs = 0;
    }
    await conn.close();
  });

  test('methods the server does not implement answer an rpc_error, not a crash', async () => {
    const conn = rig.connect();
    const e = await expectAppError(conn.run('app config', (tg) => tg.call({ _: 'help.getAppConfig', hash: 0 })), 'TELEGRAM_ERROR');
    assert.equal(e.details?.rpc, 'METHOD_NOT_IMPLEMENTED');
    assert.equal(await getConfig(conn), 2, 'the connection is still usable');
    await conn.close();
  });
});

describe('no network', { timeout: 60_000 }, () => {
  test('with no server, requests fail with OFFLINE within the timeout', async () => {
    const server = await startLoopbackTelegram({ seedDemo: false });
    const { port, publicKeyPem } = server;
    await server.close();
    const conn = new TelegramConnection(loopbackConfig({ port, publicKeyPem, overrides: { requestTimeoutMs: 1500 } }), new MemorySessionStore(), { logLevel: 0 });
    const t0 = Date.now();
    await expectAppError(getConfig(conn), 'OFFLINE');
    assert.ok(Date.now() - t0 < 4000);
    assert.notEqual(conn.connectionStatus, 'online');
    await conn.close();
  });

  test('after the server goes away and comes back, the client reconnects and keeps its auth key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopback-tg-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startLoopbackTelegram({ stateFile, seedDemo: false });
      const { port, privateKeyPem, publicKeyPem } = first;
      const conn = new TelegramConnection(
        loopbackConfig({ port, publicKeyPem, overrides: { requestTimeoutMs: 3000, reconnectBaseMs: 100, reconnectMaxMs: 400 } }),
        new MemorySessionStore(),
        { logLevel: Number(process.env.MTCUTE_LOG ?? 0) },
      );
      const statuses: string[] = [];
      conn.onStatus((s) => statuses.push(s));
      assert.equal(await getConfig(conn), 2);
      await first.close();
      await expectAppError(getConfig(conn), 'OFFLINE');

      const second = await startLoopbackTelegram({ port, stateFile, rsaKey: privateKeyPem, seedDemo: false });
      try {
        const deadline = Date.now() + 10_000;
        let ok = false;
        while (!ok && Date.now() < deadline) {
          ok = await getConfig(conn).then(
            () => true,
            () => false,
          );
        }
        assert.ok(ok, 'the client came back online');
        assert.equal(second.stats.handshakes, 0, 'the persisted auth key was still valid');
        assert.ok(statuses.includes('online') && statuses.includes('connecting'), statuses.join(','));
      } finally {
        await conn.close();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
