/**
 * The app's unlock of a Telegram Passport (confirm: 'background', issue 19): the list comes from this
 * device's copy as soon as the password opens it, and the check with Telegram ends in the background.
 * Against the loopback server (restarted on the same port and state where a test needs Telegram gone):
 *  - a value changed on another device while we showed the copy is brought in by the check, and a queued
 *    edit of a value changed there is a conflict (nothing overwritten on Telegram);
 *  - the network dropped mid-unlock: the copy stays usable, says it could not confirm, nothing overwritten;
 *  - a wrong password costs one KDF and is WRONG_PASSWORD, not a network error (OFFLINE only without a copy);
 *  - Telegram refusing the password that opened the copy (changed on another device) is said so;
 *  - an upload interrupted mid-file is sent again whole, or queued and sent whole later: never half-saved.
 */
import { takeKdfRuns } from '../../support/kdf-counter'; // first: it counts the KDFs of the modules below
import { test, describe, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { getPassword } from '../../../electron/main/telegram/passport-api';
import type { TelegramConnection } from '../../../electron/main/telegram/index';
import { TelegramPassport, type TelegramPassportOptions } from '../../../electron/main/vault/telegram/index';
import { CHECK_START_MAX_WAIT_MS, WRONG_PASSWORD_GRACE_MS } from '../../../electron/main/vault/telegram/unlock';
import { expectAppError, freshAccount, noiseJpeg, secondDevice, waitOnline } from './support';

const PW = 'background unlock pw';
const PERSONAL = { first_name: 'Wilhelmina', last_name: 'Oakenshaw', birth_date: '12.03.1984', gender: 'female', country_code: 'NZ', residence_country_code: 'AU' };
const ADDRESS = { street_line1: 'Harbourview Terrace 12', city: 'Dunedin', country_code: 'NZ', post_code: '9016' };
/** Short timeouts: a request to a stopped server fails (OFFLINE) in a few seconds, reconnects come quickly. */
const FAST = { requestTimeoutMs: 4000, reconnectBaseMs: 50, reconnectMaxMs: 300 };

describe('TelegramPassport unlock from this device’s copy, checked with Telegram in the background', { timeout: 120_000 }, () => {
  let tmp: string;
  let stateFile: string;
  let server: LoopbackTelegram;
  let port: number;
  let rsaKey: string;
  let dirs = 0;
  const conns: TelegramConnection[] = [];
  const passports: TelegramPassport[] = [];

  let up = false;
  const restartServer = async (): Promise<void> => {
    server = await startLoopbackTelegram({ stateFile, rsaKey, port });
    up = true;
  };
  const stopServer = async (): Promise<void> => {
    up = false;
    await server.close();
  };
  const mirrorDir = (): string => join(tmp, `mirror-${dirs++}`);
  const open = async (conn: TelegramConnection, userId: bigint, dir: string, extra: Partial<TelegramPassportOptions> = {}): Promise<TelegramPassport> => {
    const tp = await TelegramPassport.open({ conn, accountId: userId, dir, keychain: null, autoSync: false, ...extra });
    passports.push(tp);
    return tp;
  };
  /** An account with a Passport on device A (mirror at `dir`), and a second device B of the same account. */
  const twoDevices = async (): Promise<{ a: TelegramPassport; b: TelegramPassport; conn: TelegramConnection; bConn: TelegramConnection; userId: bigint; dir: string }> => {
    const acc = await freshAccount(server, PW, FAST);
    conns.push(acc.conn);
    const dir = mirrorDir();
    const a = await open(acc.conn, acc.userId, dir);
    await a.unlock(PW);
    await a.save({ type: 'personal_details', data: PERSONAL });
    await a.save({ type: 'address', data: ADDRESS });
    const bConn = await secondDevice(server, acc.phone, PW, FAST);
    conns.push(bConn);
    const b = await open(bConn, acc.userId, mirrorDir());
    await b.unlock(PW);
    return { a, b, conn: acc.conn, bConn, userId: acc.userId, dir };
  };
  const dataOf = async (tp: TelegramPassport, type: string): Promise<Record<string, string> | undefined> => (await tp.list()).find((v) => v.type === type)?.data;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pv-tgbackground-'));
    mkdirSync(join(tmp, 'server'));
    stateFile = join(tmp, 'server', 'state.json');
    server = await startLoopbackTelegram({ stateFile });
    up = true;
    port = server.port;
    rsaKey = server.privateKeyPem;
  });
  // A test that failed with Telegram stopped does not take the next ones down with it.
  beforeEach(async () => {
    if (!up) await restartServer();
    server.faults.latencyMs = 0;
  });
  after(async () => {
    for (const p of passports) p.close();
    await Promise.all(conns.map((c) => c.close()));
    if (up) await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('the copy is the list at once; the check brings in what another device changed and marks a queued edit of it as a conflict', async () => {
    const { a, b, conn } = await twoDevices();
    // An edit made on A while Telegram was away, queued…
    await stopServer();
    const mine = { ...ADDRESS, street_line1: 'Harbourview Terrace 14' };
    assert.equal((await a.save({ type: 'address', data: mine })).status, 'queued');
    a.lock();
    await restartServer();
    await waitOnline(conn);
    // …while B changed both values on Telegram.
    const changed = { ...PERSONAL, last_name: 'Oakenshaw-Reid' };
    const theirs = { ...ADDRESS, city: 'Mosgiel' };
    await b.save({ type: 'personal_details', data: changed });
    await b.save({ type: 'address', data: theirs });

    takeKdfRuns();
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.checking, true);
    assert.equal(r.mode, 'online');
    const shown = new Map(r.values.map((v) => [v.type, v]));
    assert.deepEqual(shown.get('personal_details')?.data, PERSONAL, 'the list is this device’s copy');
    assert.deepEqual(shown.get('address')?.data, mine);
    assert.equal(shown.get('address')?.pending, true);

    await a.checked();
    assert.equal(takeKdfRuns(), 2, 'one KDF for the copy, one for Telegram’s password check, nothing derived twice');
    const st = a.status();
    assert.deepEqual([st.check, st.checkError, st.mode], [null, null, 'online']);
    assert.deepEqual(await dataOf(a, 'personal_details'), changed, 'the value changed elsewhere is brought in');
    const address = (await a.list()).find((v) => v.type === 'address');
    assert.deepEqual(address?.data, mine, 'the queued edit is kept');
    assert.equal(address?.conflict, true);
    assert.deepEqual(st.conflicts, ['address']);
    await b.refresh();
    assert.deepEqual(await dataOf(b, 'address'), theirs, 'nothing overwritten on Telegram');
  });

  test('Telegram’s check starts once the list has been shown (the page asks), or by itself soon after: not beside the list', async () => {
    const { a } = await twoDevices();
    a.lock();
    const checks = (): number => server.stats.calls.get('account.getPasswordSettings') ?? 0;
    const fetches = (): number => server.stats.calls.get('account.getAllSecureValues') ?? 0;
    const before = checks();
    const fetchedBefore = fetches();
    takeKdfRuns();
    assert.equal((await a.unlock(PW, { confirm: 'background' })).checking, true);
    await new Promise((resolve) => setTimeout(resolve, CHECK_START_MAX_WAIT_MS / 3)); // the page draws the list
    assert.equal(takeKdfRuns(), 1, 'only the copy’s KDF while the list is drawn');
    assert.equal(fetches(), fetchedBefore, 'no values asked for (nor their answer handled) while the list is drawn');
    assert.equal(a.status().check, 'checking');
    await a.checked(); // the page asks once its frame is drawn
    assert.equal(takeKdfRuns(), 1, 'then Telegram’s SRP hash');
    assert.deepEqual([checks() - before, fetches() - fetchedBefore, a.status().check], [1, 1, null], 'one password check, the values asked for once');

    // Nobody asks (a hidden window, a caller without a screen): it starts by itself.
    a.lock();
    assert.equal((await a.unlock(PW, { confirm: 'background' })).checking, true);
    for (let i = 0; i < 100 && a.status().check === 'checking'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual([checks() - before, a.status().check], [2, null]);
  });

  test('network dropped mid-unlock: the copy stays usable and says it could not confirm; nothing is overwritten', async () => {
    const { a, b, conn, dir } = await twoDevices();
    const changed = { ...PERSONAL, first_name: 'Willa' };
    await b.save({ type: 'personal_details', data: changed });
    const scan = await noiseJpeg(400, 300, 41);
    await a.refresh();
    await a.save({ type: 'utility_bill', files: [scan] });
    a.lock();
    await b.save({ type: 'personal_details', data: { ...changed, first_name: 'Mina' } });
    const stateBefore = readFileSync(join(dir, 'state'));

    // Telegram answers slowly, then goes away while the unlock's requests are out.
    server.faults.latencyMs = 1500;
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.checking, true);
    assert.equal(a.status().check, 'checking');
    await stopServer();
    await a.checked();
    const st = a.status();
    assert.equal(st.check, 'unconfirmed');
    assert.match(st.checkError?.message ?? '', /Telegram/);
    assert.equal(st.mode, 'offline');
    assert.equal(a.unlocked, true, 'still unlocked: the copy is usable');
    const list = await a.list();
    assert.deepEqual(list.find((v) => v.type === 'personal_details')?.data, changed, 'the copy as it was');
    const bill = list.find((v) => v.type === 'utility_bill');
    assert.deepEqual(await a.readFile('utility_bill', bill!.files[0]!.fileHash), scan, 'its scans open');
    assert.deepEqual(readFileSync(join(dir, 'state')), stateBefore, 'the mirror was not written');
    // Edits still work: queued for later.
    assert.equal((await a.save({ type: 'address', data: { ...ADDRESS, post_code: '9010' } })).status, 'queued');
    await restartServer();
    await waitOnline(conn);
  });

  test('a wrong password costs one KDF and is WRONG_PASSWORD, not a network error; without a copy, offline is OFFLINE', async () => {
    const { a, conn, dir, userId } = await twoDevices();
    a.lock();
    const stateBefore = readFileSync(join(dir, 'state'));
    // Telegram up: the copy refuses it (one KDF), Telegram refuses it too (its own SRP hash).
    takeKdfRuns();
    const online = await expectAppError(a.unlock('background unlock pW', { confirm: 'background' }), 'WRONG_PASSWORD');
    assert.match(online.message, /password/i);
    assert.equal(takeKdfRuns(), 2, 'the copy’s KDF and Telegram’s check, once each');
    assert.equal(a.unlocked, false);

    // Telegram gone, and known to be: the copy's refusal is the answer, after its one KDF.
    await stopServer();
    for (let i = 0; i < 200 && !conn.knownUnreachable; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(conn.knownUnreachable);
    takeKdfRuns();
    let t = Date.now();
    await expectAppError(a.unlock('background unlock pW', { confirm: 'background' }), 'WRONG_PASSWORD');
    assert.equal(takeKdfRuns(), 1, 'one KDF (the copy), no second derivation to explain it');
    assert.ok(Date.now() - t < FAST.requestTimeoutMs, `refused in ${Date.now() - t} ms, not after the request timeout`);
    assert.equal(a.unlocked, false);
    assert.deepEqual(readFileSync(join(dir, 'state')), stateBefore, 'nothing written');

    // The right password offline opens the copy, and says it could not confirm it.
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.mode, 'offline');
    await a.checked();
    assert.equal(a.status().check, 'unconfirmed');
    a.lock();

    // A device with no copy yet, offline: a network error, whatever the password.
    const bare = await open(conn, userId, mirrorDir());
    await expectAppError(bare.unlock('anything at all', { confirm: 'background' }), 'OFFLINE');

    await restartServer();
    await waitOnline(conn);
    // Telegram up but silent for longer than the grace: the copy's refusal stands, well before the timeout.
    server.faults.latencyMs = FAST.requestTimeoutMs + 2000;
    t = Date.now();
    await expectAppError(a.unlock('background unlock pW', { confirm: 'background' }), 'WRONG_PASSWORD');
    const took = Date.now() - t;
    assert.ok(took >= WRONG_PASSWORD_GRACE_MS && took < FAST.requestTimeoutMs, `refused after ${took} ms: the grace, not the timeout`);
    server.faults.latencyMs = 0;
  });

  test('Telegram refusing the password that opened the copy (changed on another device) is said so; nothing is synced', async () => {
    const { a, b, conn } = await twoDevices();
    a.lock();
    await b.changePassword(PW, 'the new background pw'); // the same secret, wrapped under the new password
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.checking, true);
    await a.checked();
    assert.equal(a.status().check, 'password_changed');
    assert.equal(a.status().mode, 'offline');
    assert.deepEqual(await dataOf(a, 'personal_details'), PERSONAL, 'the copy stays readable');
    assert.equal((await a.save({ type: 'address', data: { ...ADDRESS, city: 'Oamaru' } })).status, 'queued', 'edits wait for the current password');
    a.lock();
    // The new password does not open the old copy; Telegram accepts it: the copy takes the new wrapping.
    const again = await a.unlock('the new background pw', { confirm: 'background' });
    assert.equal(again.checking, false, 'the copy did not open: Telegram’s answer was waited for');
    assert.equal(again.mode, 'online');
    assert.equal(a.status().check, null);
    await waitOnline(conn);
  });

  test('another call asking for the password state during the check (a new SRP challenge) is no verdict on the password', async () => {
    const { a, conn } = await twoDevices();
    a.lock();
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.checking, true);
    // The app's status and security screens ask account.getPassword while the check's answer is on its way.
    await Promise.all([getPassword(conn), getPassword(conn), a.checked()]);
    assert.deepEqual([a.status().check, a.status().checkError, a.status().mode], [null, null, 'online']);
  });

  test('Telegram’s copy of the key found damaged by the check: the Passport locks and says so (the lock screen offers the reset)', async () => {
    const { a, userId } = await twoDevices();
    a.lock();
    const pw = server.state.users.get(userId)?.password;
    assert.ok(pw?.secure);
    pw.secure = { ...pw.secure, secret: randomBytes(32) }; // same id, garbage secret: damage, not a wrong password
    const r = await a.unlock(PW, { confirm: 'background' });
    assert.equal(r.checking, true, 'the copy opened');
    await a.checked();
    assert.equal(a.unlocked, false);
    assert.equal(a.status().corrupted, true);
  });

  test('an upload interrupted mid-file is sent again whole, or queued and sent whole later: never half-saved', async () => {
    const { a, b, bConn } = await twoDevices();
    const big = await noiseJpeg(2400, 1800, 43); // several 512 KiB parts
    assert.ok(big.length > 1024 * 1024, `a scan of ${big.length} bytes`);
    // The link drops on a part: mtcute sends it again on the new connection; the value is whole.
    server.faults.dropNext('upload.saveFilePart');
    assert.equal((await a.save({ type: 'utility_bill', files: [big] })).status, 'saved');
    await b.refresh();
    const seen = (await b.list()).find((v) => v.type === 'utility_bill');
    assert.deepEqual(await b.readFile('utility_bill', seen!.files[0]!.fileHash), big, 'the other device gets the whole scan');

    // Telegram goes away after the first part: the save is queued, Telegram keeps the value it had.
    const second = await noiseJpeg(2400, 1800, 44);
    const before = server.stats.calls.get('upload.saveFilePart') ?? 0;
    server.faults.latencyMs = 300;
    const saving = a.save({ type: 'utility_bill', files: [{ keep: seen!.files[0]!.fileHash }, second] });
    for (let i = 0; i < 400 && (server.stats.calls.get('upload.saveFilePart') ?? 0) <= before; i++) await new Promise((r) => setTimeout(r, 10));
    await stopServer();
    assert.equal((await saving).status, 'queued');
    await restartServer();
    await waitOnline(bConn);
    await b.refresh();
    assert.equal((await b.list()).find((v) => v.type === 'utility_bill')?.files.length, 1, 'no half-saved value on Telegram');
    // Back online: the queued save uploads the file again from its first part.
    const report = await a.sync();
    assert.deepEqual(report.applied, ['utility_bill']);
    await b.refresh();
    const after = (await b.list()).find((v) => v.type === 'utility_bill');
    assert.equal(after?.files.length, 2);
    assert.deepEqual(await b.readFile('utility_bill', after.files[1]!.fileHash), second, 'the second scan is whole');
  });
});
