/**
 * Several sessions on one loopback account, seen from the app's side (mtcute through the app's
 * TelegramConnection, AccountService and SecurityService) and from another device (a plain mtcute
 * client): the list with each device's own initConnection metadata, updateNewAuthorization pushed to
 * the app, ending one / all others (an ended key's next call: AUTH_KEY_UNREGISTERED), ending one that
 * is already gone, Telegram's FRESH_RESET_AUTHORISATION_FORBIDDEN, and this device ended elsewhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { SIGNED_OUT_ELSEWHERE } from '../../../electron/common/security';
import { AccountService } from '../../../electron/main/account/account-service';
import { SeenSessionsFile } from '../../../electron/main/account/security/seen-sessions';
import { SecurityService, type NewSessionNotice } from '../../../electron/main/account/security/security-service';
import { endOtherSessions, endSession, listSessions, onNewAuthorization, twoStepStatus } from '../../../electron/main/account/security/sessions-api';
import { MemorySessionStore, sendCode, signIn, type TelegramConnection } from '../../../electron/main/telegram/index';
import { OTHER_DEVICE, signInOtherDevice } from '../../support/other-device';
import { startRig, type Rig } from './support/loopback';

const rejectsWithRpc = async (p: Promise<unknown>, text: string): Promise<void> => {
  await assert.rejects(p, (e: unknown) => e instanceof Error && e.message.includes(text));
};

async function signInApp(conn: TelegramConnection, rig: Rig, phone: string): Promise<void> {
  const sent = await sendCode(conn, phone);
  const r = await signIn(conn, phone, sent.phoneCodeHash, rig.server.lastCode(phone) ?? '');
  assert.equal(r.status, 'signed_in');
}

async function waitFor<T>(what: string, fn: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('loopback multi-session accounts', { timeout: 120_000 }, () => {
  let rig: Rig;
  const phone = '+9996670001';
  before(async () => {
    rig = await startRig();
    rig.server.createAccount({ phone, firstName: 'Sessions' });
  });
  after(async () => {
    await rig.close();
  });

  test('the list, the pushed update, ending one (twice), and the ended key refused', async () => {
    const app = rig.connect();
    await signInApp(app, rig, phone);
    const announced: string[] = [];
    const stop = onNewAuthorization(app, (h) => announced.push(h));
    // The app is listening once it has made a call that accepts updates (mtcute's updates.getState).
    assert.equal((await listSessions(app)).length, 1);

    const other = await signInOtherDevice(rig.server, { phone });
    const hash = await waitFor('updateNewAuthorization', () => announced[0]);
    stop();

    const list = await listSessions(app);
    assert.equal(list.length, 2);
    const mine = list.find((s) => s.current);
    const theirs = list.find((s) => !s.current);
    assert.ok(mine && theirs);
    assert.equal(mine.hash, '0', 'the asking session is listed with hash 0, as Telegram does');
    assert.equal(theirs.hash, hash, 'the update named the new session');
    assert.deepEqual(
      { deviceModel: theirs.deviceModel, systemVersion: theirs.systemVersion, appVersion: theirs.appVersion, apiId: theirs.apiId },
      { deviceModel: OTHER_DEVICE.deviceModel, systemVersion: OTHER_DEVICE.systemVersion, appVersion: OTHER_DEVICE.appVersion, apiId: OTHER_DEVICE.apiId },
    );
    assert.equal(theirs.platform, 'Android');
    assert.equal(theirs.appName, 'Telegram Android');
    assert.equal(theirs.ip, '127.0.0.1');
    assert.equal(theirs.country, 'Loopback');
    assert.equal(theirs.officialApp, false);
    assert.ok(Math.abs(theirs.createdAt - Date.now() / 1000) < 30 && theirs.activeAt >= theirs.createdAt);
    assert.equal(mine.deviceModel, 'Desktop', 'the app introduces itself as a desktop');
    assert.match(mine.systemVersion, /^(Linux|macOS|Windows) /);

    // The other device sees itself as current and the app under its real hash.
    const fromOther = await other.client.call({ _: 'account.getAuthorizations' });
    assert.deepEqual(fromOther.authorizations.map((a) => a.current === true).sort(), [false, true]);
    assert.equal(await other.whoAmI(), (await app.client.getMe()).id);

    assert.deepEqual(await endSession(app, hash), { ended: true });
    await rejectsWithRpc(other.whoAmI(), 'AUTH_KEY_UNREGISTERED');
    assert.deepEqual(await endSession(app, hash), { ended: false }, 'already gone: not an error');
    assert.equal((await listSessions(app)).length, 1);
    await assert.rejects(endSession(app, '0'), (e: unknown) => e instanceof AppError && e.code === 'BAD_INPUT');
    await other.close();
    await app.close();
  });

  test('auth.resetAuthorizations ends every other session and keeps this one', async () => {
    const app = rig.connect();
    await signInApp(app, rig, phone);
    const a = await signInOtherDevice(rig.server, { phone });
    const b = await signInOtherDevice(rig.server, { phone }, { deviceModel: 'MacBook Air', systemVersion: 'macOS 14.5', appVersion: '5.1', apiId: 2040 });
    const names = (await listSessions(app)).map((s) => `${s.platform}/${s.appName}`);
    assert.ok(names.includes('macOS/Telegram Desktop') && names.includes('Android/Telegram Android'), names.join(', '));
    await endOtherSessions(app);
    await rejectsWithRpc(a.whoAmI(), 'AUTH_KEY_UNREGISTERED');
    await rejectsWithRpc(b.whoAmI(), 'AUTH_KEY_UNREGISTERED');
    const left = await listSessions(app);
    assert.deepEqual(left.map((s) => s.current), [true]);
    assert.equal((await twoStepStatus(app)).hasPassword, false);
    await Promise.all([a.close(), b.close(), app.close()]);
  });
});

describe('FRESH_RESET_AUTHORISATION_FORBIDDEN when the server enforces Telegram’s age rule', { timeout: 60_000 }, () => {
  let rig: Rig;
  const phone = '+9996680001';
  before(async () => {
    rig = await startRig({ sessions: { freshResetSeconds: 3600 } });
    rig.server.createAccount({ phone, firstName: 'Fresh' });
  });
  after(async () => {
    await rig.close();
  });

  test('a session signed in just now cannot end others: SESSION_TOO_NEW, explained', async () => {
    const app = rig.connect();
    await signInApp(app, rig, phone);
    const other = await signInOtherDevice(rig.server, { phone });
    const theirs = (await listSessions(app)).find((s) => !s.current);
    assert.ok(theirs);
    for (const attempt of [endSession(app, theirs.hash), endOtherSessions(app)]) {
      await assert.rejects(attempt, (e: unknown) => e instanceof AppError && e.code === 'SESSION_TOO_NEW' && /24 hours/.test(e.message));
    }
    assert.equal(typeof (await other.whoAmI()), 'number', 'the other session still works');
    await Promise.all([other.close(), app.close()]);
  });
});

describe('SecurityService against the loopback server', { timeout: 120_000 }, () => {
  let rig: Rig;
  let dir: string;
  const phone = '+9996690001';
  before(async () => {
    rig = await startRig();
    rig.server.createAccount({ phone, firstName: 'Watcher', password: 'watch-pw' });
    dir = mkdtempSync(join(tmpdir(), 'pv-security-'));
  });
  after(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('baseline, a new session announced once and marked new, acknowledged, then this device ended elsewhere', async () => {
    const store = new MemorySessionStore();
    const account = new AccountService({ sessions: store, connect: () => rig.connect({ requestTimeoutMs: 1500 }, store) });
    const sent = await account.sendCode('+999', '6690001');
    assert.equal(sent.type, 'app');
    const r = await account.submitCode(rig.server.lastCode(phone) ?? '');
    assert.equal(r.status, 'password_needed');
    await account.submitPassword('watch-pw');

    const notices: NewSessionNotice[] = [];
    const security = new SecurityService({ account, seen: new SeenSessionsFile(dir), isUnlocked: () => false, notify: (n) => notices.push(n), checkEveryMs: 0 });
    // A session that existed before the first look is the baseline, not an alarm.
    const early = await signInOtherDevice(rig.server, { phone, password: 'watch-pw' }, { deviceModel: 'Old Tablet', systemVersion: 'Android 12', appVersion: '9.0', apiId: 4 });
    await security.tick();
    const first = await security.list();
    assert.deepEqual(first.sessions.map((s) => s.new), [false, false]);
    assert.equal(first.stale, false);
    assert.deepEqual(security.alerts(), { newSessions: [], signedOutReason: null });

    const intruder = await signInOtherDevice(rig.server, { phone, password: 'watch-pw' });
    // Telegram's updateNewAuthorization makes the service look at once (no periodic check: checkEveryMs 0).
    const alert = await waitFor('the new-session alert', () => security.alerts().newSessions[0]);
    assert.equal(alert.deviceModel, OTHER_DEVICE.deviceModel);
    assert.equal(notices.length, 1);
    assert.match(notices[0]?.body ?? '', /Pixel 8 Pro · Telegram Android 11\.2\.1 · 127\.0\.0\.1 \(Loopback\)/);
    const again = await security.list();
    assert.deepEqual(again.sessions.filter((s) => s.new).map((s) => s.hash), [alert.hash]);
    assert.equal(notices.length, 1, 'announced once');

    // Seen by another SecurityService on the same data folder (another run of the app): still new.
    const rerun = new SecurityService({ account, seen: new SeenSessionsFile(dir), isUnlocked: () => false });
    assert.deepEqual((await rerun.list()).sessions.filter((s) => s.new).map((s) => s.hash), [alert.hash]);
    await security.acknowledge([alert.hash]);
    assert.deepEqual(security.alerts().newSessions, []);
    assert.deepEqual((await rerun.list()).sessions.filter((s) => s.new), []);

    // Offline (Telegram does not answer within the request timeout): the last list, stale, with its time.
    const fresh = await security.list();
    rig.server.faults.latencyMs = 3000;
    const stale = await security.list();
    rig.server.faults.latencyMs = 0;
    assert.deepEqual(stale, { ...fresh, stale: true });

    // The early device ends this one: the app notices on its next call and signs out, with the reason.
    const appHash = (await early.client.call({ _: 'account.getAuthorizations' })).authorizations.find((a) => a.deviceModel === 'Desktop')?.hash;
    assert.ok(appHash);
    await early.client.call({ _: 'account.resetAuthorization', hash: appHash });
    await assert.rejects(security.list(), (e: unknown) => e instanceof AppError && e.code === 'NOT_SIGNED_IN' && e.message === SIGNED_OUT_ELSEWHERE);
    assert.equal(account.confirmedUserId(), null);
    assert.equal(await store.load(), undefined, 'the dead session is forgotten');
    assert.equal((await account.status()).stage, 'signed_out');
    assert.deepEqual(security.alerts(), { newSessions: [], signedOutReason: SIGNED_OUT_ELSEWHERE });
    security.close();
    await Promise.all([early.close(), intruder.close(), account.close()]);
  });
});
