/**
 * The offline half of TelegramPassport: unlock from the mirror while Telegram is down, edits queued
 * (already encrypted), the server restarted (same port, same state file, same key), sync; and a value
 * changed on another device meanwhile is reported as a conflict, never overwritten.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import type { TelegramConnection } from '../../../electron/main/telegram/index';
import { TelegramPassport, type SyncReport, type TelegramPassportOptions } from '../../../electron/main/vault/telegram/index';
import { allBytesUnder, assertNoPlaintext, connectTo, expectAppError, freshAccount, noiseJpeg, secondDevice, signInAs, waitOnline } from './support';

const PW = 'offline passport pw';
const PERSONAL = { first_name: 'Bartholomew', last_name: 'Kingsnorth', birth_date: '23.08.1968', gender: 'male', country_code: 'GB', residence_country_code: 'IE' };
const PASSPORT = { document_no: 'ZK5521QTR', expiry_date: '01.01.2030' };
const LICENSE = { document_no: 'DL-77X13', expiry_date: '' };
/** Short timeouts: a request to a stopped server fails (OFFLINE) in ~2.5 s, and reconnects come quickly. */
const FAST = { requestTimeoutMs: 2500, reconnectBaseMs: 50, reconnectMaxMs: 300 };

describe('TelegramPassport offline: mirror, edit queue, sync, conflicts', { timeout: 90_000 }, () => {
  let tmp: string;
  let stateFile: string;
  let server: LoopbackTelegram;
  let port: number;
  let rsaKey: string;
  const conns: TelegramConnection[] = [];
  const passports: TelegramPassport[] = [];
  let front: Buffer;
  let licenseFront: Buffer;

  async function restartServer(): Promise<void> {
    server = await startLoopbackTelegram({ stateFile, rsaKey, port });
  }
  function open(conn: TelegramConnection, userId: bigint, dir: string, extra: Partial<TelegramPassportOptions> = {}): Promise<TelegramPassport> {
    return TelegramPassport.open({ conn, accountId: userId, dir, keychain: null, ...extra }).then((tp) => {
      passports.push(tp);
      return tp;
    });
  }
  /** What Telegram holds for the account, decrypted by a fresh device with its own mirror. */
  async function seenByAnotherDevice(phone: string, userId: bigint, dir: string): Promise<Map<string, Record<string, string> | undefined>> {
    const conn = await secondDevice(server, phone, PW);
    conns.push(conn);
    const tp = await open(conn, userId, dir);
    await tp.unlock(PW);
    const out = new Map((await tp.list()).map((v) => [v.type, v.data]));
    tp.close();
    return out;
  }


  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pv-tgoffline-'));
    mkdirSync(join(tmp, 'server'));
    stateFile = join(tmp, 'server', 'state.json');
    server = await startLoopbackTelegram({ stateFile });
    port = server.port;
    rsaKey = server.privateKeyPem;
    [front, licenseFront] = await Promise.all([noiseJpeg(800, 560, 21), noiseJpeg(640, 400, 22)]);
  });
  after(async () => {
    for (const p of passports) p.close();
    await Promise.all(conns.map((c) => c.close()));
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('server down: unlock from the mirror, edit offline (queued, encrypted), restart, sync, the edit is on Telegram', async () => {
    const a = await freshAccount(server, PW, FAST);
    conns.push(a.conn);
    const dir = join(tmp, 'mirror-a');
    const tp = await open(a.conn, a.userId, dir);
    await tp.unlock(PW);
    await tp.save({ type: 'personal_details', data: PERSONAL });
    await tp.save({ type: 'passport', data: PASSPORT, frontSide: front });
    tp.close();

    await server.close();
    // The app restarts while Telegram is unreachable: the mirror is all there is.
    let autoReport: (r: SyncReport | { error: unknown }) => void = () => undefined;
    const autoSynced = new Promise<SyncReport | { error: unknown }>((resolve) => (autoReport = resolve));
    const off = await open(a.conn, a.userId, dir, { onAutoSync: (r) => autoReport(r) });
    // Once a reconnection attempt has failed, unlock does not wait out the request timeout.
    for (let i = 0; i < 100 && !a.conn.knownUnreachable; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(a.conn.knownUnreachable, 'the connection knows the server is down');
    let t = Date.now();
    await expectAppError(off.unlock('offline passport pW'), 'WRONG_PASSWORD');
    assert.ok(Date.now() - t < FAST.requestTimeoutMs, `wrong password refused in ${Date.now() - t} ms, before the request timeout`);
    t = Date.now();
    const res = await off.unlock(PW);
    assert.ok(Date.now() - t < FAST.requestTimeoutMs, `offline unlock took ${Date.now() - t} ms, not waiting for the request timeout`);
    assert.equal(res.mode, 'offline');
    const list = await off.list();
    assert.deepEqual(list.map((v) => [v.type, v.data]), [['personal_details', PERSONAL], ['passport', PASSPORT]]);
    assert.deepEqual(await off.readFile('passport', list[1]!.frontSide!.fileHash), front, 'scans are mirrored too');

    const edited = { ...PERSONAL, last_name: 'Kingsnorth-Vale' };
    assert.deepEqual(await off.save({ type: 'personal_details', data: edited }), { type: 'personal_details', status: 'queued' });
    assert.deepEqual(await off.save({ type: 'driver_license', data: LICENSE, frontSide: licenseFront }), { type: 'driver_license', status: 'queued' });
    assert.deepEqual(await off.remove('passport'), { type: 'passport', status: 'queued' });
    assert.deepEqual(off.status().pending.map((p) => [p.type, p.op]), [['personal_details', 'save'], ['driver_license', 'save'], ['passport', 'delete']]);
    const local = new Map((await off.list()).map((v) => [v.type, v]));
    assert.deepEqual(local.get('personal_details')?.data, edited);
    assert.equal(local.get('personal_details')?.pending, true);
    assert.equal(local.get('driver_license')?.frontSide?.uploaded, false);
    assert.equal(local.has('passport'), false);
    const offlineSync = await off.sync();
    assert.equal(offlineSync.offline, true);
    assert.deepEqual(offlineSync.applied, []);

    // Telegram is back: the connection comes online and the queue goes out by itself.
    await restartServer();
    const first = await autoSynced;
    assert.ok('applied' in first, `the automatic sync ran (${JSON.stringify(first)})`);
    // A reconnect can flap once: whatever the first pass did not send stays queued for the next.
    const applied = [...first.applied];
    for (let i = 0; i < 3 && off.status().pending.length > 0; i++) {
      await waitOnline(a.conn);
      const more = await off.sync();
      assert.deepEqual([more.conflicts, more.failed], [[], []]);
      applied.push(...more.applied);
    }
    assert.deepEqual(first.conflicts, []);
    assert.deepEqual(first.failed, []);
    assert.deepEqual(applied, ['personal_details', 'driver_license', 'passport'], 'each queued edit sent once, in order');
    assert.equal(off.status().mode, 'online');
    assert.deepEqual(off.status().pending, []);
    const seen = await seenByAnotherDevice(a.phone, a.userId, join(tmp, 'mirror-a2'));
    assert.deepEqual([...seen.keys()].sort(), ['driver_license', 'personal_details']);
    assert.deepEqual(seen.get('personal_details'), edited);
    assert.deepEqual(seen.get('driver_license'), LICENSE);
    const after = new Map((await off.list()).map((v) => [v.type, v]));
    assert.equal(after.get('driver_license')?.frontSide?.uploaded, true);
    assert.deepEqual(await off.readFile('driver_license', after.get('driver_license')!.frontSide!.fileHash), licenseFront);
  });

  test('a value changed on another device meanwhile is a conflict: queued offline edit and online save alike; resolved by choice', async () => {
    const a = await freshAccount(server, PW, FAST);
    conns.push(a.conn);
    const dir = join(tmp, 'mirror-c');
    const tp = await open(a.conn, a.userId, dir, { autoSync: false });
    await tp.unlock(PW);
    await tp.save({ type: 'personal_details', data: PERSONAL });

    // Offline edit on device A…
    await server.close();
    const mine = { ...PERSONAL, first_name: 'Barty' };
    assert.equal((await tp.save({ type: 'personal_details', data: mine })).status, 'queued');
    await restartServer();
    await waitOnline(a.conn);
    // …while device B changes the same value on Telegram.
    const b = await secondDevice(server, a.phone, PW);
    conns.push(b);
    const tpB = await open(b, a.userId, join(tmp, 'mirror-c-b'));
    await tpB.unlock(PW);
    const theirs = { ...PERSONAL, first_name: 'Bart' };
    assert.equal((await tpB.save({ type: 'personal_details', data: theirs })).status, 'saved');
    const hashB = (await tpB.list())[0]?.serverHash;

    const report = await tp.sync();
    assert.deepEqual(report.applied, []);
    assert.equal(report.conflicts.length, 1);
    assert.equal(report.conflicts[0]?.type, 'personal_details');
    assert.equal(report.conflicts[0]?.server, hashB);
    assert.notEqual(report.conflicts[0]?.base, hashB);
    assert.deepEqual(tp.status().conflicts, ['personal_details']);
    const [local] = await tp.list();
    assert.equal(local?.conflict, true);
    assert.deepEqual(local.data, mine, 'my edit is kept locally');
    assert.deepEqual((await seenByAnotherDevice(a.phone, a.userId, join(tmp, 'mirror-c2'))).get('personal_details'), theirs, 'nothing overwritten');
    // Syncing again changes nothing.
    assert.equal((await tp.sync()).conflicts.length, 1);
    // The person can see the other device's version before choosing (decrypted here, not stored).
    const other = await tp.otherVersion('personal_details');
    assert.deepEqual(other?.data, theirs);
    assert.equal(other?.serverHash, hashB);
    assert.deepEqual(other?.files, { frontSide: false, reverseSide: false, selfie: false, scans: 0, translations: 0 });

    // Resolve: take theirs.
    await tp.resolve('personal_details', 'theirs');
    assert.deepEqual(tp.status().pending, []);
    assert.deepEqual((await tp.list())[0]?.data, theirs);

    // Online, a save on top of a stale version is refused the same way (SYNC_CONFLICT), nothing changes.
    await tpB.save({ type: 'personal_details', data: { ...theirs, last_name: 'Kings' } });
    const err = await expectAppError(tp.save({ type: 'personal_details', data: mine }), 'SYNC_CONFLICT');
    assert.equal(err.details?.type, 'personal_details');
    assert.deepEqual((await seenByAnotherDevice(a.phone, a.userId, join(tmp, 'mirror-c3'))).get('personal_details'), { ...theirs, last_name: 'Kings' });
    assert.deepEqual(tp.status().pending, []);

    // A queued conflict resolved with "mine" goes over their version, deliberately.
    await tp.refresh();
    await server.close();
    await tp.save({ type: 'personal_details', data: mine });
    await restartServer();
    await Promise.all([waitOnline(a.conn), waitOnline(b)]);
    await tpB.save({ type: 'personal_details', data: theirs });
    assert.equal((await tp.sync()).conflicts.length, 1);
    // "Keep mine" after looking: refused if the other version changed again since it was shown.
    const shown = await tp.otherVersion('personal_details');
    await tpB.save({ type: 'personal_details', data: { ...theirs, last_name: 'Later' } });
    await expectAppError(tp.resolve('personal_details', 'mine', undefined, shown?.serverHash), 'SYNC_CONFLICT');
    assert.deepEqual((await seenByAnotherDevice(a.phone, a.userId, join(tmp, 'mirror-c5'))).get('personal_details'), { ...theirs, last_name: 'Later' }, 'not overwritten');
    const again = await tp.otherVersion('personal_details');
    assert.equal(again?.data?.['last_name'], 'Later');
    const resolved = await tp.resolve('personal_details', 'mine', undefined, again?.serverHash);
    assert.deepEqual(resolved.applied, ['personal_details']);
    assert.deepEqual((await seenByAnotherDevice(a.phone, a.userId, join(tmp, 'mirror-c4'))).get('personal_details'), mine);
  });

  test('the 2FA hint last seen on Telegram is kept in the mirror, for the lock screen offline', async () => {
    const phone = '9996675999';
    const user = server.createAccount({ phone, firstName: 'Hint', password: PW, hint: 'kept offline' });
    const conn = connectTo(server, FAST);
    conns.push(conn);
    await signInAs(conn, phone, () => server.lastCode(phone), PW);
    const dir = join(tmp, 'mirror-h');
    const tp = await open(conn, user.id, dir);
    assert.equal(tp.mirroredHint(), null, 'no mirror yet');
    assert.equal((await tp.passwordState()).hint, 'kept offline');
    await tp.unlock(PW); // the first unlock makes the mirror: the hint read before goes into it
    tp.close();

    await server.close();
    const off = await open(conn, user.id, dir);
    assert.equal(off.mirroredHint(), 'kept offline');
    off.close();
    await restartServer();
  });

  test('the server state and the mirrors hold no plaintext field values and no image bytes', () => {
    const texts = [PERSONAL.first_name, PERSONAL.last_name, 'Kingsnorth-Vale', 'Barty', PASSPORT.document_no, LICENSE.document_no, '"birth_date"', '"document_no"'];
    const images = [front, licenseFront];
    assertNoPlaintext(allBytesUnder(join(tmp, 'server')), texts, images, 'the server state');
    for (const m of ['mirror-a', 'mirror-a2', 'mirror-c', 'mirror-c-b', 'mirror-c2', 'mirror-c3', 'mirror-c4']) {
      assertNoPlaintext(allBytesUnder(join(tmp, m)), texts, images, m);
    }
  });
});
