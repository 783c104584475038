/**
 * TelegramPassport (values.ts and transfer.ts in electron/main/vault/telegram) against the real loopback server:
 * values with files (parallel uploads with progress, reuse by id, replacing and removing scans), validation before anything is sent, delete one / all, and what a second device sees. Each scenario uses its own account.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { getAllSecureValues } from '../../../electron/main/telegram/passport-api';
import { DELETE_ALL_CONFIRMATION } from '../../../electron/main/vault/telegram/index';
import { expectAppError, secondDevice } from './support';
import { ADDRESS, PASSPORT, PERSONAL, PW, passportRig } from './passport-rig';

describe('TelegramPassport values (loopback server)', { timeout: 90_000 }, () => {
  const rig = passportRig();
  const { account, passportFor, userOf, conns } = rig;
  let server: LoopbackTelegram;
  let front: Buffer;
  let selfie: Buffer;
  let bill1: Buffer;
  let bill2: Buffer;
  before(() => {
    ({ server, front, selfie, bill1, bill2 } = rig);
  });

  test('values: personal details, passport with front side + selfie, address, utility bill with two scans; read back on a second device', async () => {
    const { conn, userId, phone } = await account(PW);
    const tp = await passportFor(conn, userId);
    await tp.unlock(PW);

    const partsBefore = server.stats.calls.get('upload.saveFilePart') ?? 0;
    assert.deepEqual(await tp.save({ type: 'personal_details', data: PERSONAL }), { type: 'personal_details', status: 'saved' });
    const progress: [number, number][] = [];
    await tp.save({ type: 'passport', data: PASSPORT, frontSide: front, selfie }, (d, t) => progress.push([d, t]));
    await tp.save({ type: 'address', data: ADDRESS });
    await tp.save({ type: 'utility_bill', files: [bill1, bill2] });
    const parts = (server.stats.calls.get('upload.saveFilePart') ?? 0) - partsBefore;
    assert.ok(parts >= 4, `every scan was uploaded (${parts} parts)`);
    const last = progress.at(-1);
    assert.ok(last && last[0] === last[1] && last[1] > front.length + selfie.length, 'progress reaches the total of both encrypted scans');

    const list = await tp.list();
    assert.deepEqual(list.map((v) => v.type), ['personal_details', 'passport', 'address', 'utility_bill']);
    const byType = new Map(list.map((v) => [v.type, v]));
    assert.deepEqual(byType.get('personal_details')?.data, PERSONAL);
    const pp = byType.get('passport');
    assert.ok(pp?.frontSide && pp.selfie);
    assert.deepEqual(pp.data, PASSPORT);
    assert.equal(pp.pending, false);
    assert.equal(pp.frontSide.uploaded, true);
    assert.deepEqual(await tp.readFile('passport', pp.frontSide.fileHash), front);
    assert.deepEqual(await tp.readFile('passport', pp.selfie.fileHash), selfie);
    const ub = byType.get('utility_bill');
    assert.equal(ub?.files.length, 2);
    assert.deepEqual(await tp.readFile('utility_bill', ub.files[1]!.fileHash), bill2);

    // What Telegram holds: the value hashes the list shows, files by the ids the mirror keeps.
    const server1 = await getAllSecureValues(conn);
    const serverPp = server1.find((v) => v.type === 'passport');
    assert.equal(serverPp?.hash.toString('base64'), pp.serverHash);

    // Editing only the fields keeps both scans: reused by id, nothing uploaded again.
    const partsMid = server.stats.calls.get('upload.saveFilePart') ?? 0;
    await tp.save({ type: 'passport', data: { ...PASSPORT, expiry_date: '' } });
    assert.equal((server.stats.calls.get('upload.saveFilePart') ?? 0) - partsMid, 0, 'no upload');
    const serverPp2 = (await getAllSecureValues(conn)).find((v) => v.type === 'passport');
    assert.equal(serverPp2?.frontSide?.id, serverPp?.frontSide?.id, 'same server file');
    assert.notEqual(serverPp2?.hash.toString('base64'), pp.serverHash, 'new data, new hash');
    // Replacing one scan of two and removing the selfie: {keep} plus new bytes, null.
    await tp.save({ type: 'utility_bill', files: [{ keep: ub.files[0]!.fileHash }, bill1] });
    await tp.save({ type: 'passport', selfie: null, data: PASSPORT });
    const after = new Map((await tp.list()).map((v) => [v.type, v]));
    assert.equal(after.get('passport')?.selfie, undefined);
    assert.ok(after.get('passport')?.frontSide);
    assert.equal(after.get('utility_bill')?.files[0]?.fileHash, ub.files[0]!.fileHash);

    // A second device (own mirror) sees the same plaintext.
    const other = await secondDevice(server, phone, PW);
    conns.push(other);
    const tp2 = await passportFor(other, userId);
    await tp2.unlock(PW);
    const list2 = new Map((await tp2.list()).map((v) => [v.type, v]));
    assert.deepEqual(list2.get('personal_details')?.data, PERSONAL);
    assert.deepEqual(list2.get('passport')?.data, PASSPORT);
    assert.deepEqual(list2.get('address')?.data, ADDRESS);
    const f2 = list2.get('passport')?.frontSide;
    assert.ok(f2);
    assert.deepEqual(await tp2.readFile('passport', f2.fileHash), front);
    const ub2 = list2.get('utility_bill');
    assert.deepEqual(await Promise.all((ub2?.files ?? []).map((f) => tp2.readFile('utility_bill', f.fileHash))), [bill1, bill1]);
  });

  test('validation happens before anything is sent: schemas, JPEG only, ≤ 10 MiB, slots of the type', async () => {
    const { conn, userId } = await account(PW);
    const tp = await passportFor(conn, userId);
    await tp.unlock(PW);
    const calls = server.stats.calls.get('account.saveSecureValue') ?? 0;
    await expectAppError(tp.save({ type: 'personal_details', data: { ...PERSONAL, birth_date: '31.02.1990' } }), 'BAD_INPUT');
    await expectAppError(tp.save({ type: 'passport', data: PASSPORT, frontSide: Buffer.from('\x89PNG\r\n\x1a\n0000') }), 'SCAN_NOT_AN_IMAGE');
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(10 * 1024 * 1024)]);
    await expectAppError(tp.save({ type: 'passport', data: PASSPORT, frontSide: huge }), 'SCAN_TOO_LARGE');
    await expectAppError(tp.save({ type: 'passport', data: PASSPORT, reverseSide: front }), 'BAD_INPUT');
    await expectAppError(tp.save({ type: 'utility_bill', files: [] }), 'BAD_INPUT');
    await expectAppError(tp.save({ type: 'passport', data: PASSPORT, frontSide: { keep: 'AAAA' } }), 'BAD_INPUT');
    await expectAppError(tp.save({ type: 'phone_number', plain: '12ab' }), 'BAD_INPUT');
    assert.equal(server.stats.calls.get('account.saveSecureValue') ?? 0, calls, 'nothing reached Telegram');
    assert.deepEqual(await tp.list(), []);
    // Telegram's own refusals come back coded, and the mirror is unchanged.
    await expectAppError(tp.save({ type: 'email', plain: 'someone@example.org' }), 'EMAIL_VERIFICATION_NEEDED');
    assert.deepEqual(await tp.list(), []);
  });

  test('delete one, then delete all (only with the typed confirmation)', async () => {
    const { conn, userId } = await account(PW);
    const tp = await passportFor(conn, userId);
    await tp.unlock(PW);
    await tp.save({ type: 'personal_details', data: PERSONAL });
    await tp.save({ type: 'address', data: ADDRESS });
    await tp.save({ type: 'passport', data: PASSPORT, frontSide: front });
    assert.deepEqual(await tp.remove('address'), { type: 'address', status: 'saved' });
    assert.deepEqual([...userOf(userId).secureValues.keys()].sort(), ['secureValueTypePassport', 'secureValueTypePersonalDetails']);
    assert.deepEqual((await tp.list()).map((v) => v.type), ['personal_details', 'passport']);

    await expectAppError(tp.removeAll('delete all documents'), 'CONFIRMATION_REQUIRED');
    assert.equal(userOf(userId).secureValues.size, 2, 'nothing deleted without the exact confirmation');
    await tp.removeAll(DELETE_ALL_CONFIRMATION);
    assert.equal(userOf(userId).secureValues.size, 0);
    assert.deepEqual(await tp.list(), []);
    assert.equal(server.state.secureFiles.size > 0 && [...server.state.secureFiles.values()].some((f) => f.ownerId === userId), false, 'the files went too');
  });

  test('the server state and the mirrors hold no plaintext field values and no image bytes', () => {
    rig.assertNothingInPlaintext(true);
  });
});
