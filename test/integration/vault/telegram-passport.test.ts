/**
 * TelegramPassport (electron/main/vault/telegram) against the real loopback server: unlocking
 * (first use, wrong password, legacy SHA512 migration, damaged secret and its reset, password
 * change, no password yet), values with files (parallel uploads, reuse by id, validation), delete
 * one / all, and what a second device sees. Each scenario uses its own account.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import type { TelegramConnection } from '../../../electron/main/telegram/index';
import { getAllSecureValues, getPassword, getPasswordSettings, saveSecureValue, updateSecureSettings } from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import { cbcEncryptShort, derivePasswordHash, KDF_PBKDF2, KDF_SHA512, secretFingerprint } from '../../../electron/main/passport/crypto/index';
import { DELETE_ALL_CONFIRMATION, RESET_CONFIRMATION, TelegramPassport } from '../../../electron/main/vault/telegram/index';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { allBytesUnder, assertNoPlaintext, expectAppError, freshAccount, noiseJpeg, seal, secondDevice } from './support';

const PW = 'telegram passport pw';
const PERSONAL = {
  first_name: 'Ottoline',
  last_name: 'Fairweatherby',
  birth_date: '02.11.1979',
  gender: 'female',
  country_code: 'NL',
  residence_country_code: 'BE',
};
const PASSPORT = { document_no: 'QX83HV27LM', expiry_date: '14.06.2033' };
const ADDRESS = { street_line1: 'Lindqvistgracht 771', city: 'Zwartewaal', country_code: 'NL', post_code: '3238 KR' };

describe('TelegramPassport: unlock, values, files (loopback server)', { timeout: 90_000 }, () => {
  let server: LoopbackTelegram;
  let tmp: string;
  const conns: TelegramConnection[] = [];
  const passports: TelegramPassport[] = [];
  let front: Buffer;
  let selfie: Buffer;
  let bill1: Buffer;
  let bill2: Buffer;
  let dirs = 0;

  const mirrorDir = (): string => join(tmp, `mirror-${dirs++}`);
  async function account(password: string | undefined) {
    const a = await freshAccount(server, password);
    conns.push(a.conn);
    return a;
  }
  async function passportFor(conn: TelegramConnection, userId: bigint, dir = mirrorDir()): Promise<TelegramPassport> {
    const tp = await TelegramPassport.open({ conn, accountId: userId, dir, keychain: null });
    passports.push(tp);
    return tp;
  }
  const userOf = (userId: bigint) => {
    const u = server.state.users.get(userId);
    assert.ok(u);
    return u;
  };

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pv-tgpassport-'));
    mkdirSync(join(tmp, 'server'));
    server = await startLoopbackTelegram({ stateFile: join(tmp, 'server', 'state.json') });
    [front, selfie, bill1, bill2] = await Promise.all([noiseJpeg(900, 640, 11), noiseJpeg(400, 520, 12), noiseJpeg(700, 990, 13), noiseJpeg(700, 990, 14)]);
  });
  after(async () => {
    for (const p of passports) p.close();
    await Promise.all(conns.map((c) => c.close()));
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('first use creates the passport secret (secure_random mixed in, PBKDF2 under a 40-byte salt) and unlocks', async () => {
    const { conn, userId } = await account(PW);
    const dir = mirrorDir();
    const tp = await passportFor(conn, userId, dir);
    assert.equal(tp.status().mirror, false);
    const res = await tp.unlock(PW);
    assert.deepEqual({ mode: res.mode, created: res.created, migrated: res.migrated }, { mode: 'online', created: true, migrated: false });
    assert.equal(tp.unlocked, true);

    const stored = userOf(userId).password?.secure;
    assert.ok(stored, 'the server holds the wrapped secret');
    assert.equal(stored.algo, KDF_PBKDF2);
    assert.equal(stored.salt.length, 40);
    const settings = (await getPasswordSettings(conn, PW)).secureSettings;
    assert.ok(settings);
    const secret = await openPassportSecret(settings, PW);
    assert.equal(secretFingerprint(secret), stored.secretId);

    // The mirror holds exactly the server's secure settings, for this account.
    assert.equal(tp.status().mirror, true);
    const mirror = await VaultStore.open(dir, null);
    assert.equal(mirror.state.origin, 'telegram');
    assert.deepEqual(mirror.state.account, { userId: userId.toString() });
    assert.deepEqual(mirror.state.secretSettings, {
      algo: KDF_PBKDF2,
      salt: stored.salt.toString('base64'),
      encryptedSecret: stored.secret.toString('base64'),
      secretId: stored.secretId.toString(),
    });
    mirror.close();
  });

  test('a second unlock opens the same secret (created: false); wrong password is WRONG_PASSWORD', async () => {
    const { conn, userId } = await account(PW);
    const dir = mirrorDir();
    const tp = await passportFor(conn, userId, dir);
    await tp.unlock(PW);
    const id1 = userOf(userId).password?.secure?.secretId;
    tp.lock();
    assert.equal(tp.unlocked, false);
    await expectAppError(tp.list(), 'VAULT_LOCKED');
    const res = await tp.unlock(PW);
    assert.equal(res.created, false);
    assert.equal(userOf(userId).password?.secure?.secretId, id1, 'the same secret');
    tp.lock();
    const wrong = await expectAppError(tp.unlock('telegram passport pW'), 'WRONG_PASSWORD');
    assert.match(wrong.message, /password/i);
    assert.equal(tp.unlocked, false);
    tp.close();

    // Reopened from disk (the app restarted): the mirror is this account's; another account is refused.
    const reopened = await passportFor(conn, userId, dir);
    assert.equal(reopened.status().mirror, true);
    reopened.close();
    await expectAppError(TelegramPassport.open({ conn, accountId: userId + 1n, dir, keychain: null }), 'VAULT_ACCOUNT_MISMATCH');
  });

  test('no 2FA password: unlock says PASSWORD_REQUIRED; setupPassword creates password + secret (recovery e-mail by code)', async () => {
    const { conn, userId } = await account(undefined);
    const tp = await passportFor(conn, userId);
    await expectAppError(tp.unlock(PW), 'PASSWORD_REQUIRED');
    assert.equal((await tp.passwordState()).hasPassword, false);
    const res = await tp.setupPassword(PW, 'the usual', 'ottoline@example.org');
    assert.equal(res.emailUnconfirmed?.codeLength, 6);
    assert.equal(tp.unlocked, true);
    const code = server.lastEmailCode('ottoline@example.org');
    assert.ok(code);
    await tp.confirmRecoveryEmail(code);
    assert.equal((await getPasswordSettings(conn, PW)).email, 'ottoline@example.org');
    assert.equal((await getPassword(conn)).hint, 'the usual');
    assert.equal(await tp.save({ type: 'personal_details', data: PERSONAL }).then((r) => r.status), 'saved');
    tp.lock();
    const again = await tp.unlock(PW);
    assert.equal(again.created, false);
    assert.deepEqual((await tp.list()).map((v) => v.data), [PERSONAL]);
    await expectAppError(tp.setupPassword('another one', ''), 'PASSWORD_ALREADY_SET');
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

  test('password change re-wraps the same secret: values stay readable with the new password only', async () => {
    const { conn, userId } = await account(PW);
    const dir = mirrorDir();
    const tp = await passportFor(conn, userId, dir);
    await tp.unlock(PW);
    await tp.save({ type: 'passport', data: PASSPORT, frontSide: front });
    const idBefore = userOf(userId).password?.secure?.secretId;
    const saltBefore = userOf(userId).password?.secure?.salt;
    await expectAppError(tp.changePassword('not it', 'new pw 2'), 'WRONG_PASSWORD');
    await tp.changePassword(PW, 'new pw 2', 'second');
    const sec = userOf(userId).password?.secure;
    assert.equal(sec?.secretId, idBefore, 'the same passport secret');
    assert.notDeepEqual(sec?.salt, saltBefore, 'wrapped again under a fresh salt');
    assert.equal(userOf(userId).secureValues.size, 1, 'Telegram kept the values');
    tp.lock();
    await expectAppError(tp.unlock(PW), 'WRONG_PASSWORD');
    await tp.unlock('new pw 2');
    const [pp] = await tp.list();
    assert.ok(pp?.frontSide);
    assert.deepEqual(pp.data, PASSPORT);
    assert.deepEqual(await tp.readFile('passport', pp.frontSide.fileHash), front);
    assert.equal((await getPassword(conn)).hint, 'second');
  });

  test('legacy SHA512 secret: opened, re-wrapped with PBKDF2 and saved silently; same secret, values readable', async () => {
    const { conn, userId } = await account(PW);
    // Another (old) client set the Passport up with the legacy algo and saved a value.
    const pw = await getPassword(conn);
    const secret = generatePassportSecret(pw.secureRandom);
    const salt = randomBytes(40);
    const hash = await derivePasswordHash(Buffer.from(PW), salt, KDF_SHA512);
    const encryptedSecret = cbcEncryptShort({ key: hash.subarray(0, 32), iv: hash.subarray(32, 48) }, secret);
    const secretId = secretFingerprint(secret);
    await updateSecureSettings(conn, PW, { algo: KDF_SHA512, salt, encryptedSecret, secretId });
    const sealed = seal(Buffer.from(JSON.stringify(PERSONAL)), secret);
    await saveSecureValue(conn, { type: 'personal_details', data: { encrypted: sealed.encrypted, dataHash: sealed.hash, encryptedSecret: sealed.encryptedSecret } }, secretId);
    assert.equal(userOf(userId).password?.secure?.algo, KDF_SHA512);

    const tp = await passportFor(conn, userId);
    const res = await tp.unlock(PW);
    assert.equal(res.migrated, true);
    assert.equal(res.created, false);
    const now = userOf(userId).password?.secure;
    assert.equal(now?.algo, KDF_PBKDF2);
    assert.equal(now.salt.length, 40);
    assert.equal(now.secretId, secretId, 'the same secret');
    assert.equal(userOf(userId).secureValues.size, 1, 'the values survive');
    assert.deepEqual((await tp.list())[0]?.data, PERSONAL);
    // …and it opens with PBKDF2 from now on, to the very same bytes.
    const settings = (await getPasswordSettings(conn, PW)).secureSettings;
    assert.ok(settings);
    assert.deepEqual(await openPassportSecret(settings, PW), secret);
    tp.lock();
    assert.equal((await tp.unlock(PW)).migrated, false);
  });

  test('damaged secret: SECRET_CHECKSUM / SECRET_FINGERPRINT; reset only with the typed confirmation, then a fresh Passport', async () => {
    const { conn, userId } = await account(PW);
    const tp = await passportFor(conn, userId);
    await tp.unlock(PW);
    await tp.save({ type: 'personal_details', data: PERSONAL });
    const good = userOf(userId).password?.secure;
    assert.ok(good);
    tp.lock();

    // Same secret id, garbage secret: the password is right (SRP), so this is damage.
    await updateSecureSettings(conn, PW, { algo: KDF_PBKDF2, salt: good.salt, encryptedSecret: randomBytes(32), secretId: good.secretId });
    // (1 in 255 random blocks passes the checksum; then the fingerprint catches it.)
    const e1 = await tp.unlock(PW).then(
      () => assert.fail('unlocked a damaged secret'),
      (e: unknown) => e,
    );
    assert.ok(e1 instanceof Error && 'code' in e1 && (e1.code === 'SECRET_CHECKSUM' || e1.code === 'SECRET_FINGERPRINT'), String(e1));
    assert.equal(tp.status().corrupted, true);
    assert.equal(tp.unlocked, false);

    // A valid secret that is not the one its id names.
    const other = generatePassportSecret(randomBytes(32));
    const wrapped = await wrapPassportSecret(other, PW, good.salt.subarray(0, 8));
    await updateSecureSettings(conn, PW, { ...wrapped, secretId: good.secretId });
    await expectAppError(tp.unlock(PW), 'SECRET_FINGERPRINT');
    assert.equal(userOf(userId).secureValues.size, 1, 'nothing deleted so far');

    await expectAppError(tp.resetPassport(PW, 'delete my passport'), 'CONFIRMATION_REQUIRED');
    await expectAppError(tp.resetPassport(PW, ''), 'CONFIRMATION_REQUIRED');
    assert.equal(userOf(userId).secureValues.size, 1, 'still nothing deleted');
    assert.equal(userOf(userId).password?.secure?.secretId, good.secretId);
    await expectAppError(tp.resetPassport('wrong', RESET_CONFIRMATION), 'WRONG_PASSWORD');

    await tp.resetPassport(PW, RESET_CONFIRMATION);
    const fresh = userOf(userId).password?.secure;
    assert.ok(fresh);
    assert.notEqual(fresh.secretId, good.secretId, 'a new secret');
    assert.equal(userOf(userId).secureValues.size, 0, 'Telegram dropped the values under the old id');
    assert.equal(tp.unlocked, true);
    assert.equal(tp.status().corrupted, false);
    await tp.save({ type: 'address', data: ADDRESS });
    tp.lock();
    assert.equal((await tp.unlock(PW)).created, false);
    assert.deepEqual((await tp.list()).map((v) => v.data), [ADDRESS]);
  });

  test('the server state and the mirrors hold no plaintext field values and no image bytes', () => {
    const texts = [PERSONAL.first_name, PERSONAL.last_name, PASSPORT.document_no, ADDRESS.street_line1, ADDRESS.city, '"birth_date"', '"document_no"', '"street_line1"'];
    const images = [front, selfie, bill1, bill2];
    assert.ok(server.stateFiles);
    const serverBytes = Buffer.concat([allBytesUnder(join(tmp, 'server'))]);
    assertNoPlaintext(serverBytes, texts, images, 'the server state');
    for (let i = 0; i < dirs; i++) {
      try {
        assertNoPlaintext(allBytesUnder(join(tmp, `mirror-${i}`)), texts, images, `mirror ${i}`);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // a mirror never created
        throw e;
      }
    }
    // The scan looked at real ciphertext.
    assert.ok(serverBytes.length > front.length, 'the server stored the encrypted scans');
  });
});
