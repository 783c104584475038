/**
 * Several DCs: the loopback server listens as DCs 1, 2 and 4 (one state, auth keys per DC), the
 * account lives on DC 2 and the client is configured for DC 1, as a fresh install is for Telegram's
 * nearest DC. Checks that the client (mtcute 0.30.3 + our glue) follows PHONE_MIGRATE_2 at sign-in,
 * FILE_MIGRATE_4 on a later download (carrying the sign-in over with export/importAuthorization),
 * NETWORK_MIGRATE before sign-in, and that the saved session brings a restarted client straight
 * back to DC 2, still signed in.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  MemorySessionStore,
  TelegramConnection,
  accountStatus,
  checkPassword,
  loopbackConfig,
  sendCode,
  signIn,
} from '../../../electron/main/telegram/index';
import { downloadSecureFile, getPassword, getSecureValues, saveSecureValue, updateSecureSettings, uploadSecureFile } from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import { secretFingerprint } from '../../../electron/main/passport/crypto/index';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { seal, unsealFile } from './support/passport';

const PHONE = '+999 66 7 0042';
const DIGITS = '9996670042';
const PASSWORD = 'two-dc-pass';

const calls = (server: LoopbackTelegram, dc: number, method: string): number => server.dcs.find((d) => d.id === dc)?.stats.calls.get(method) ?? 0;
const opened = (server: LoopbackTelegram, dc: number): number => server.dcs.find((d) => d.id === dc)?.stats.connectionsOpened ?? 0;
/** The DCs whose auth keys are signed in to the account. */
const signedInDcs = (server: LoopbackTelegram, userId: bigint): number[] =>
  [...server.state.authKeys.values()].filter((k) => k.userId === userId).map((k) => Math.abs(k.dc) % 10000).sort();

describe('several DCs: *_MIGRATE_N', { timeout: 120_000 }, () => {
  let server: LoopbackTelegram;
  let userId: bigint;
  const conns: TelegramConnection[] = [];
  /** A client configured for DC 1 (the server's first DC), as the app is before it knows better. */
  const connect = (store: MemorySessionStore): TelegramConnection => {
    const conn = new TelegramConnection(
      loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, dcId: 1, overrides: { requestTimeoutMs: 15_000 } }),
      store,
      { logLevel: 0 },
    );
    conns.push(conn);
    return conn;
  };

  before(async () => {
    server = await startLoopbackTelegram({ dcId: 1, extraDcs: [{ id: 2 }, { id: 4 }], seedDemo: false });
    userId = server.createAccount({ phone: DIGITS, firstName: 'Mira', password: PASSWORD, homeDc: 2 }).id;
  });
  after(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await server.close();
  });

  test('help.getConfig on DC 1 advertises all three DCs on their own ports', async () => {
    const conn = connect(new MemorySessionStore());
    const cfg = await conn.run('config', (tg) => tg.call({ _: 'help.getConfig' }));
    assert.equal(cfg.thisDc, 1);
    assert.deepEqual(
      cfg.dcOptions.map((o) => [o.id, o.port]),
      server.dcs.map((d) => [d.id, d.port]),
    );
    assert.equal(new Set(server.dcs.map((d) => d.port)).size, 3);
    await conn.close();
  });

  let store: MemorySessionStore;
  let secretId: bigint;
  let passportSecret: Buffer;

  test('sign-in follows PHONE_MIGRATE_2: the code, the password and the session are all on DC 2', async () => {
    store = new MemorySessionStore();
    const conn = connect(store);
    const sent = await sendCode(conn, PHONE);
    // DC 1 refused the phone (PHONE_MIGRATE_2) and the same request went to DC 2, which sent the code.
    assert.equal(calls(server, 1, 'auth.sendCode'), 1);
    assert.equal(calls(server, 2, 'auth.sendCode'), 1);
    const code = server.lastCode(PHONE);
    assert.ok(code !== undefined);
    const step = await signIn(conn, PHONE, sent.phoneCodeHash, code);
    assert.equal(step.status, 'password_needed');
    const done = await checkPassword(conn, PASSWORD);
    assert.equal(done.user.phone, DIGITS);
    assert.equal(calls(server, 1, 'auth.signIn') + calls(server, 1, 'auth.checkPassword'), 0, 'nothing of the sign-in reached DC 1');
    assert.equal(calls(server, 2, 'auth.checkPassword'), 1);
    assert.equal(await conn.run('dc', (tg) => tg.getPrimaryDcId()), 2);
    assert.deepEqual(signedInDcs(server, userId), [2]);
    assert.ok((await store.load()) !== undefined, 'the session was saved');

    // A Passport with one file, on DC 2 like everything of this account.
    const pw = await getPassword(conn);
    assert.ok(pw.newSecureSalt);
    passportSecret = generatePassportSecret(pw.secureRandom);
    await updateSecureSettings(conn, PASSWORD, await wrapPassportSecret(passportSecret, PASSWORD, pw.newSecureSalt));
    secretId = secretFingerprint(passportSecret);
    await conn.close();
  });

  let fileBytes: Buffer;

  test('after a restart the saved session talks to DC 2 directly, still signed in', async () => {
    const dc1Before = opened(server, 1);
    const dc2Before = calls(server, 2, 'users.getUsers');
    const conn = connect(store);
    const status = await accountStatus(conn);
    assert.equal(status.signed_in, true);
    assert.equal(status.user?.phone, DIGITS);
    assert.equal(calls(server, 2, 'users.getUsers'), dc2Before + 1);
    assert.equal(opened(server, 1), dc1Before, 'no connection to DC 1 (the configured endpoint) at all');

    fileBytes = randomBytes(1_300_000);
    const sealed = seal(fileBytes, passportSecret);
    const up = await uploadSecureFile(conn, sealed.encrypted, sealed.hash, sealed.encryptedSecret);
    const saved = await saveSecureValue(conn, { type: 'utility_bill', files: [up] }, secretId);
    assert.equal(saved.files[0]?.dcId, 2);
  });

  test('a later download follows FILE_MIGRATE_4 and signs the DC 4 key in with export/importAuthorization', async () => {
    const conn = conns.at(-1);
    assert.ok(conn);
    const [bill] = await getSecureValues(conn, ['utility_bill']);
    const ref = bill?.files[0];
    assert.ok(ref);
    // Telegram moved the file's storage to DC 4; the client still has the reference saying DC 2.
    const stored = server.state.secureFiles.get(ref.id);
    assert.ok(stored);
    stored.dcId = 4;

    const before = { dc2: calls(server, 2, 'upload.getFile'), dc4: calls(server, 4, 'upload.getFile') };
    const enc = await downloadSecureFile(conn, ref);
    assert.deepEqual(unsealFile(enc, ref, passportSecret), fileBytes);
    const chunks = Math.ceil(ref.size / (512 * 1024));
    assert.ok(chunks >= 3);
    // Every range asked of DC 2 first (at most the parallel ones in flight) answered FILE_MIGRATE_4; the rest went to DC 4 directly.
    const asked2 = calls(server, 2, 'upload.getFile') - before.dc2;
    assert.ok(asked2 >= 1 && asked2 <= chunks, `DC 2 got ${asked2}`);
    assert.ok(calls(server, 4, 'upload.getFile') - before.dc4 >= chunks, 'every range was served by DC 4');
    assert.equal(calls(server, 2, 'auth.exportAuthorization'), 1);
    assert.equal(calls(server, 4, 'auth.importAuthorization'), 1);
    assert.deepEqual(signedInDcs(server, userId), [2, 4]);
    assert.equal(await conn.run('dc', (tg) => tg.getPrimaryDcId()), 2, 'the account stays on DC 2');

    // The session saved now still names DC 2 as home: a restart goes there, not to the file DC.
    await conn.persistSession();
    await conn.close();
    const again = connect(store);
    const dc4Before = opened(server, 4);
    assert.equal((await accountStatus(again)).signed_in, true);
    assert.equal(await again.run('dc', (tg) => tg.getPrimaryDcId()), 2);
    assert.equal(opened(server, 4), dc4Before);
    await again.close();
  });

  test('NETWORK_MIGRATE_2 on sendCode moves a fresh client to DC 2 and the code comes from there', async () => {
    server.faults.injectError('auth.sendCode', 303, 'NETWORK_MIGRATE_2', 1, { dc: 1 });
    const conn = connect(new MemorySessionStore());
    const before = { dc1: calls(server, 1, 'auth.sendCode'), dc2: calls(server, 2, 'auth.sendCode') };
    await sendCode(conn, PHONE);
    assert.deepEqual([calls(server, 1, 'auth.sendCode') - before.dc1, calls(server, 2, 'auth.sendCode') - before.dc2], [1, 1]);
    assert.equal(await conn.run('dc', (tg) => tg.getPrimaryDcId()), 2);
    await conn.close();
  });

  test('two hops (NETWORK_MIGRATE_4, then PHONE_MIGRATE_2 from DC 4) end on DC 2: mtcute follows one per request, sendCode asks again', async () => {
    server.faults.injectError('auth.sendCode', 303, 'NETWORK_MIGRATE_4', 1, { dc: 1 });
    const conn = connect(new MemorySessionStore());
    const before = { dc1: calls(server, 1, 'auth.sendCode'), dc2: calls(server, 2, 'auth.sendCode'), dc4: calls(server, 4, 'auth.sendCode') };
    await sendCode(conn, PHONE);
    assert.deepEqual(
      [calls(server, 1, 'auth.sendCode') - before.dc1, calls(server, 4, 'auth.sendCode') - before.dc4, calls(server, 2, 'auth.sendCode') - before.dc2],
      [1, 2, 1],
      'DC 1 → NETWORK_MIGRATE_4 → DC 4 → PHONE_MIGRATE_2 (returned by mtcute); again on DC 4 → PHONE_MIGRATE_2 → DC 2',
    );
    assert.equal(await conn.run('dc', (tg) => tg.getPrimaryDcId()), 2);
    await conn.close();
  });

  test('auth keys are per DC: the saved key, said to be from DC 4, is unknown to DC 2 and the restarted client is signed out', async () => {
    const saved = [...server.state.authKeys.values()].filter((k) => k.userId === userId && Math.abs(k.dc) % 10000 === 2);
    assert.equal(saved.length, 1);
    const key = saved[0];
    assert.ok(key);
    key.dc = 4;
    try {
      const conn = connect(store);
      const dc2 = server.dcs.find((d) => d.id === 2);
      assert.ok(dc2);
      const handshakes = dc2.stats.handshakes;
      assert.deepEqual(await accountStatus(conn), { signed_in: false, user: null });
      assert.equal(dc2.stats.handshakes, handshakes + 1, 'DC 2 answered 404 for the key and the client made a new one');
      await conn.close();
    } finally {
      key.dc = 2;
    }
  });
});
