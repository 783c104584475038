import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../electron/common/errors';
import {
  MemorySessionStore,
  accountStatus,
  cancelCode,
  checkPassword,
  joinPhone,
  logOut,
  resendCode,
  sendCode,
  signIn,
} from '../../../electron/main/telegram/index';
import { DEMO_ACCOUNT } from '../../../tools/loopback-telegram/index';
import { startRig, type Rig } from './support/loopback';

const rejectsWith = async (p: Promise<unknown>, code: string): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, but it succeeded`);
};

describe('mtcute client ↔ loopback server: sign-in', { timeout: 120_000 }, () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(async () => {
    await rig.close();
  });

  test('handshake over TCP, then help.getConfig describes this server', async () => {
    const conn = rig.connect();
    const before = rig.server.stats.handshakes;
    const cfg = await conn.run('config', (tg) => tg.call({ _: 'help.getConfig' }));
    assert.equal(rig.server.stats.handshakes, before + 1);
    assert.equal(cfg.thisDc, 2);
    assert.deepEqual(
      cfg.dcOptions.map((o) => [o.id, o.ipAddress, o.port]),
      [[2, '127.0.0.1', rig.server.port]],
    );
    assert.equal(conn.connectionStatus, 'online');
    assert.deepEqual(rig.server.transports(), ['intermediate']);
    await conn.close();
  });

  test('demo account: code, then 2FA password (SRP) with its hint; status; sign-out', async () => {
    const store = new MemorySessionStore();
    const conn = rig.connect({}, store);
    const phone = joinPhone('+999', '66 2 1234');
    const sent = await sendCode(conn, phone);
    assert.equal(sent.type, 'app');
    assert.equal(sent.length, 5);
    assert.equal(rig.server.lastCode(phone), DEMO_ACCOUNT.code);

    const step = await signIn(conn, phone, sent.phoneCodeHash, DEMO_ACCOUNT.code);
    assert.deepEqual(step, { status: 'password_needed', hint: DEMO_ACCOUNT.hint });
    assert.equal(await store.load(), undefined, 'nothing is stored before sign-in completes');

    const done = await checkPassword(conn, DEMO_ACCOUNT.password);
    assert.equal(done.user.phone, DEMO_ACCOUNT.phoneDigits);
    assert.equal(done.user.firstName, DEMO_ACCOUNT.firstName);
    const saved = await store.load();
    assert.ok(saved !== undefined && saved.length > 300, 'the session (with its auth key) went to the store');

    assert.deepEqual(await accountStatus(conn), { signed_in: true, user: { id: done.user.id, phone: DEMO_ACCOUNT.phoneDigits } });

    // A new connection restores the session from the store and is still signed in.
    const again = rig.connect({}, new MemorySessionStore(saved));
    const handshakes = rig.server.stats.handshakes;
    assert.equal((await accountStatus(again)).signed_in, true);
    assert.equal(rig.server.stats.handshakes, handshakes, 'the stored auth key was reused, no new handshake');
    await again.close();

    await logOut(conn);
    assert.equal(await store.load(), undefined, 'sign-out forgets the stored session');
    assert.deepEqual(await accountStatus(conn), { signed_in: false, user: null });
    await conn.close();
  });

  test('an account without 2FA signs in with the code alone', async () => {
    rig.server.createAccount({ phone: '+44 7700 900123', firstName: 'Ada' });
    const conn = rig.connect();
    const sent = await sendCode(conn, '+447700900123');
    const code = rig.server.lastCode('447700900123');
    assert.ok(code !== undefined && /^\d{5}$/.test(code));
    const res = await signIn(conn, '+447700900123', sent.phoneCodeHash, code);
    assert.equal(res.status, 'signed_in');
    await conn.close();
  });

  test('invalid phone, wrong code, expired code, resend and cancel are explained', async () => {
    const conn = rig.connect();
    await rejectsWith(sendCode(conn, '+12'), 'PHONE_NUMBER_INVALID');
    assert.throws(() => joinPhone('+', '123'), /country code/);

    const phone = '+9996631234'; // test number on "DC 3": code 33333
    rig.server.createAccount({ phone, firstName: 'Test' });
    const sent = await sendCode(conn, phone);
    await rejectsWith(signIn(conn, phone, sent.phoneCodeHash, '00000'), 'PHONE_CODE_INVALID');

    const resent = await resendCode(conn, phone, sent.phoneCodeHash);
    assert.equal(resent.type, 'sms');
    assert.equal(rig.server.lastCode(phone), '33333');

    await cancelCode(conn, phone, resent.phoneCodeHash);
    await rejectsWith(signIn(conn, phone, resent.phoneCodeHash, '33333'), 'PHONE_CODE_EXPIRED');

    const fresh = await sendCode(conn, phone);
    rig.server.expireCodes();
    await rejectsWith(signIn(conn, phone, fresh.phoneCodeHash, '33333'), 'PHONE_CODE_EXPIRED');
    await conn.close();
  });

  test('wrong password five times gives clear errors and no lock-up; then the right one works', async () => {
    const phone = '+9996641234';
    rig.server.createAccount({ phone, firstName: 'Pat', password: 'right password', hint: 'not the wrong one' });
    const conn = rig.connect();
    const sent = await sendCode(conn, phone);
    assert.deepEqual(await signIn(conn, phone, sent.phoneCodeHash, '44444'), { status: 'password_needed', hint: 'not the wrong one' });
    for (let i = 0; i < 5; i++) {
      const e = await rejectsWith(checkPassword(conn, `wrong ${i}`), 'PASSWORD_HASH_INVALID');
      assert.match(e.message, /password is wrong/);
    }
    const ok = await checkPassword(conn, 'right password');
    assert.equal(ok.user.phone, '9996641234');
    await conn.close();
  });
});
