/**
 * The Passport half of the Telegram connection, end to end: mtcute client (passport-api.ts) ↔
 * loopback server over TCP. Passport secret under the 2FA password, secure values with files
 * (encrypted by the crypto core, uploaded in parallel parts, downloaded in ranges), deletion,
 * the server's rules, persistence across a restart, and proof that the server's stored state
 * holds no plaintext.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Long } from '@mtcute/core';
import { AppError } from '../../../electron/common/errors';
import { MemorySessionStore, type TelegramConnection } from '../../../electron/main/telegram/index';
import {
  deleteSecureValues,
  downloadSecureFile,
  getAllSecureValues,
  getPassword,
  getPasswordSettings,
  getSecureValues,
  saveSecureValue,
  updateSecureSettings,
  uploadSecureFile,
  UPLOAD_PART_SIZE,
  type SecureValue,
} from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import { srpPasswordHash } from '../../../electron/main/telegram/srp';
import { isValidSecret, secretFingerprint } from '../../../electron/main/passport/crypto/index';
import { DEMO_ACCOUNT } from '../../../tools/loopback-telegram/index';
import { startRig, type Rig } from './support/loopback';
import { expectAppError, noiseJpeg, seal, signInAs, unseal, unsealFile } from './support/passport';

const PERSONAL = {
  first_name: 'Zebulon',
  last_name: 'Quintavalle',
  birth_date: '17.03.1987',
  gender: 'male',
  country_code: 'IT',
  residence_country_code: 'DE',
};
const PASSPORT_DATA = { document_no: 'YB7Q41XK93', expiry_date: '09.11.2031' };

describe('Passport over MTProto: secret, values, files (mtcute ↔ loopback)', { timeout: 60_000 }, () => {
  let dir: string;
  let stateFile: string;
  let rig: Rig;
  let conn: TelegramConnection;
  let store: MemorySessionStore;
  let passportSecret: Buffer;
  let secretId: bigint;
  let front: Buffer;
  let selfie: Buffer;
  let bill: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pv-passport-'));
    stateFile = join(dir, 'state.json');
    rig = await startRig({ stateFile });
    store = new MemorySessionStore();
    conn = rig.connect({}, store);
    await signInAs(conn, DEMO_ACCOUNT.phone, () => rig.server.lastCode(DEMO_ACCOUNT.phone), DEMO_ACCOUNT.password);
    // ~1.3 MB front side (3 parts), a smaller selfie, and a > 10 MiB "scan" for the big-file path.
    [front, selfie] = await Promise.all([noiseJpeg(1000, 700, 1), noiseJpeg(480, 640, 2)]);
    bill = randomBytes(10 * 1024 * 1024 + 300_000);
  });
  after(async () => {
    await rig.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('getPassword: a password, no Passport yet, a PBKDF2 algo with an 8-byte salt and 32 bytes of secure_random', async () => {
    const pw = await getPassword(conn);
    assert.equal(pw.hasPassword, true);
    assert.equal(pw.hasSecureValues, false);
    assert.equal(pw.hint, DEMO_ACCOUNT.hint);
    assert.equal(pw.newSecureSalt?.length, 8);
    assert.equal(pw.secureRandom.length, 32);
    assert.notDeepEqual((await getPassword(conn)).secureRandom, pw.secureRandom, 'fresh each time');
    const settings = await getPasswordSettings(conn, DEMO_ACCOUNT.password);
    assert.deepEqual({ email: settings.email, secureSettings: settings.secureSettings }, { email: null, secureSettings: null });
    assert.ok(settings.srpSalts !== null && settings.srpSalts.salt1.length > 0 && settings.srpSalts.salt2.length > 0, 'the SRP salts, for the next check');
  });

  test('a wrong password is PASSWORD_HASH_INVALID (the server checks the SRP proof)', async () => {
    await expectAppError(getPasswordSettings(conn, 'passport-dem0'), 'PASSWORD_HASH_INVALID');
    await expectAppError(updateSecureSettings(conn, 'nope', 'reset'), 'PASSWORD_HASH_INVALID');
  });

  test('an SRP hash computed ahead with the last salts is used when they still match, ignored when not', async () => {
    const { srpSalts } = await getPasswordSettings(conn, DEMO_ACCOUNT.password);
    assert.ok(srpSalts !== null);
    const ahead = (password: string, salts: { salt1: Buffer; salt2: Buffer }) => ({ ...salts, hash: srpPasswordHash(password, salts.salt1, salts.salt2) });
    assert.ok((await getPasswordSettings(conn, DEMO_ACCOUNT.password, ahead(DEMO_ACCOUNT.password, srpSalts))).srpSalts);
    // Matching salts: the hash given is what is proven — a hash of another password fails, so it was used.
    await expectAppError(getPasswordSettings(conn, DEMO_ACCOUNT.password, ahead('another password', srpSalts)), 'PASSWORD_HASH_INVALID');
    // Other salts (the password changed elsewhere): ignored, the hash is computed afresh.
    const stale = { salt1: randomBytes(srpSalts.salt1.length), salt2: randomBytes(srpSalts.salt2.length) };
    assert.ok((await getPasswordSettings(conn, DEMO_ACCOUNT.password, ahead('another password', stale))).srpSalts);
  });

  test('without a passport secret, saving a value is SECURE_SECRET_REQUIRED', async () => {
    const sealed = seal(Buffer.from(JSON.stringify(PERSONAL)), generatePassportSecret(randomBytes(32)));
    await expectAppError(
      saveSecureValue(conn, { type: 'personal_details', data: { encrypted: sealed.encrypted, dataHash: sealed.hash, encryptedSecret: sealed.encryptedSecret } }, 1n),
      'SECURE_SECRET_REQUIRED',
    );
  });

  test('create the passport secret, store it under the password, read it back and open it', async () => {
    const pw = await getPassword(conn);
    assert.ok(pw.newSecureSalt);
    const secret = generatePassportSecret(pw.secureRandom);
    assert.ok(isValidSecret(secret));
    const wrapped = await wrapPassportSecret(secret, DEMO_ACCOUNT.password, pw.newSecureSalt);
    assert.equal(wrapped.salt.length, 40);
    assert.deepEqual(wrapped.salt.subarray(0, 8), pw.newSecureSalt, 'the server salt, then 32 client bytes');
    await updateSecureSettings(conn, DEMO_ACCOUNT.password, wrapped);

    const back = await getPasswordSettings(conn, DEMO_ACCOUNT.password);
    assert.ok(back.secureSettings);
    assert.equal(back.secureSettings.algo, 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000');
    assert.deepEqual(back.secureSettings.salt, wrapped.salt);
    assert.deepEqual(back.secureSettings.encryptedSecret, wrapped.encryptedSecret);
    assert.notDeepEqual(back.secureSettings.encryptedSecret, secret, 'the server holds it encrypted');
    assert.equal(back.secureSettings.secretId, secretFingerprint(secret));

    const opened = await openPassportSecret(back.secureSettings, DEMO_ACCOUNT.password);
    assert.deepEqual(opened, secret);
    assert.equal(secretFingerprint(opened), back.secureSettings.secretId);
    // The wrong password does not open it (checksum), and the id catches a swapped secret.
    await expectAppError(openPassportSecret(back.secureSettings, 'passport-demo!'), 'SECRET_CHECKSUM');
    await expectAppError(openPassportSecret({ ...back.secureSettings, secretId: back.secureSettings.secretId ^ 1n }, DEMO_ACCOUNT.password), 'SECRET_FINGERPRINT');
    passportSecret = opened;
    secretId = back.secureSettings.secretId;
  });

  test('personal details and a passport with front side + selfie: encrypt, upload in parallel parts, save, read back, download, decrypt', async () => {
    const details = seal(Buffer.from(JSON.stringify(PERSONAL)), passportSecret);
    const savedDetails = await saveSecureValue(
      conn,
      { type: 'personal_details', data: { encrypted: details.encrypted, dataHash: details.hash, encryptedSecret: details.encryptedSecret } },
      secretId,
    );
    assert.equal(savedDetails.hash.length, 32);

    const frontSealed = seal(front, passportSecret);
    const selfieSealed = seal(selfie, passportSecret);
    const progress: [number, number][] = [];
    const partsBefore = rig.server.stats.calls.get('upload.saveFilePart') ?? 0;
    const [frontUp, selfieUp] = await Promise.all([
      uploadSecureFile(conn, frontSealed.encrypted, frontSealed.hash, frontSealed.encryptedSecret, (d, t) => progress.push([d, t])),
      uploadSecureFile(conn, selfieSealed.encrypted, selfieSealed.hash, selfieSealed.encryptedSecret),
    ]);
    const expectedParts = Math.ceil(frontSealed.encrypted.length / UPLOAD_PART_SIZE) + Math.ceil(selfieSealed.encrypted.length / UPLOAD_PART_SIZE);
    assert.ok(expectedParts >= 3, `the front side spans several parts (${frontSealed.encrypted.length} bytes)`);
    assert.equal(frontUp.parts + selfieUp.parts, expectedParts);
    assert.equal((rig.server.stats.calls.get('upload.saveFilePart') ?? 0) - partsBefore, expectedParts);
    assert.deepEqual(progress.at(-1), [frontSealed.encrypted.length, frontSealed.encrypted.length]);
    assert.ok(progress.every(([d], i) => i === 0 || d > (progress[i - 1]?.[0] ?? 0)), 'progress only grows');

    const doc = seal(Buffer.from(JSON.stringify(PASSPORT_DATA)), passportSecret);
    const savedPassport = await saveSecureValue(
      conn,
      { type: 'passport', data: { encrypted: doc.encrypted, dataHash: doc.hash, encryptedSecret: doc.encryptedSecret }, frontSide: frontUp, selfie: selfieUp },
      secretId,
    );
    assert.equal(savedPassport.frontSide?.size, frontSealed.encrypted.length);
    assert.deepEqual(savedPassport.frontSide?.fileHash, frontSealed.hash);
    assert.notDeepEqual(savedPassport.hash, savedDetails.hash);

    // A new connection (same session) reads everything back.
    const reader = rig.connect({}, new MemorySessionStore(await store.load()));
    const all = await getAllSecureValues(reader);
    assert.deepEqual(all.map((v) => v.type).sort(), ['passport', 'personal_details']);
    const byType = new Map(all.map((v) => [v.type, v]));
    const pd = byType.get('personal_details');
    const pp = byType.get('passport');
    assert.ok(pd?.data && pp?.data && pp.frontSide && pp.selfie);
    assert.deepEqual(JSON.parse(unseal(pd.data.encrypted, pd.data.dataHash, pd.data.encryptedSecret, passportSecret).toString()), PERSONAL);
    assert.deepEqual(JSON.parse(unseal(pp.data.encrypted, pp.data.dataHash, pp.data.encryptedSecret, passportSecret).toString()), PASSPORT_DATA);
    assert.deepEqual(pp.hash, savedPassport.hash, 'secureValue.hash is stable and handed through unchanged');
    assert.equal(pp.reverseSide, null);

    const dlProgress: number[] = [];
    const [frontEnc, selfieEnc] = await Promise.all([
      downloadSecureFile(reader, pp.frontSide, (d) => dlProgress.push(d)),
      downloadSecureFile(reader, pp.selfie),
    ]);
    assert.deepEqual(frontEnc, frontSealed.encrypted, 'the server returns the uploaded ciphertext byte for byte');
    assert.deepEqual(unsealFile(frontEnc, pp.frontSide, passportSecret), front);
    assert.deepEqual(unsealFile(selfieEnc, pp.selfie, passportSecret), selfie);
    assert.equal(dlProgress.at(-1), pp.frontSide.size);
    // The file's secret only opens with this passport secret.
    assert.throws(() => unsealFile(frontEnc, pp.frontSide!, generatePassportSecret(randomBytes(32))), AppError);
    await reader.close();
  });

  test('re-saving with inputSecureFile keeps the stored files; getSecureValue filters by type', async () => {
    const [pp] = await getSecureValues(conn, ['passport', 'driver_license']);
    assert.ok(pp?.frontSide && pp.selfie && pp.data);
    const newDoc = seal(Buffer.from(JSON.stringify({ ...PASSPORT_DATA, expiry_date: '' })), passportSecret);
    const saved = await saveSecureValue(
      conn,
      { type: 'passport', data: { encrypted: newDoc.encrypted, dataHash: newDoc.hash, encryptedSecret: newDoc.encryptedSecret }, frontSide: pp.frontSide, selfie: pp.selfie },
      secretId,
    );
    assert.equal(saved.frontSide?.id, pp.frontSide.id);
    assert.equal(saved.selfie?.id, pp.selfie.id);
    assert.notDeepEqual(saved.hash, pp.hash, 'new data, new hash');
    // A file reference with a wrong access_hash is refused.
    await expectAppError(
      saveSecureValue(conn, { type: 'passport', data: { encrypted: newDoc.encrypted, dataHash: newDoc.hash, encryptedSecret: newDoc.encryptedSecret }, frontSide: { ...pp.frontSide, accessHash: pp.frontSide.accessHash ^ 1n } }, secretId),
      'SECURE_VALUE_INVALID',
    );
  });

  test('a file over 10 MiB goes up with saveBigFilePart and comes back intact', async () => {
    const sealed = seal(bill, passportSecret);
    const bigBefore = rig.server.stats.calls.get('upload.saveBigFilePart') ?? 0;
    const up = await uploadSecureFile(conn, sealed.encrypted, sealed.hash, sealed.encryptedSecret, undefined, { parallel: 6 });
    assert.equal((rig.server.stats.calls.get('upload.saveBigFilePart') ?? 0) - bigBefore, up.parts);
    assert.equal(up.parts, Math.ceil(sealed.encrypted.length / UPLOAD_PART_SIZE));
    const saved = await saveSecureValue(conn, { type: 'utility_bill', files: [up] }, secretId);
    const file = saved.files[0];
    assert.ok(file);
    const enc = await downloadSecureFile(conn, file, undefined, { parallel: 6 });
    assert.deepEqual(unsealFile(enc, file, passportSecret), bill);
  });

  test('upload rules: MD5 of the encrypted bytes is checked, missing parts are named, a failed save can be retried', async () => {
    const sealed = seal(front, passportSecret);
    const up = await uploadSecureFile(conn, sealed.encrypted, sealed.hash, sealed.encryptedSecret);
    const doc = seal(Buffer.from(JSON.stringify(PASSPORT_DATA)), passportSecret);
    const data = { encrypted: doc.encrypted, dataHash: doc.hash, encryptedSecret: doc.encryptedSecret };
    const badMd5 = await expectAppError(saveSecureValue(conn, { type: 'identity_card', data, frontSide: { ...up, md5Checksum: '0'.repeat(32) } }, secretId), 'UPLOAD_FAILED');
    assert.equal(badMd5.details?.rpc, 'MD5_CHECKSUM_INVALID');
    const missing = await expectAppError(saveSecureValue(conn, { type: 'identity_card', data, frontSide: { ...up, parts: up.parts + 1 } }, secretId), 'UPLOAD_FAILED');
    assert.equal(missing.details?.part, up.parts);
    // The parts survived the refusals: the correct reference still works.
    const saved = await saveSecureValue(conn, { type: 'identity_card', data, frontSide: up }, secretId);
    assert.deepEqual(saved.frontSide?.fileHash, sealed.hash);
    // …and an upload attaches once.
    await expectAppError(saveSecureValue(conn, { type: 'driver_license', data, frontSide: up }, secretId), 'UPLOAD_FAILED');
    await deleteSecureValues(conn, ['identity_card']);
  });

  test('download rules: limit must divide 1 MiB in 4 KiB units, no request crosses a 1 MiB boundary, foreign locations are refused', async () => {
    const [pp] = await getSecureValues(conn, ['passport']);
    const f = pp?.frontSide;
    assert.ok(f);
    const location = { _: 'inputSecureFileLocation' as const, id: Long.fromString(f.id.toString()), accessHash: Long.fromString(f.accessHash.toString()) };
    const getFile = (offset: number, limit: number, precise = false): Promise<unknown> =>
      conn.run('getFile', (tg) => tg.call({ _: 'upload.getFile', location, offset, limit, ...(precise ? { precise: true } : {}) }));
    const rpcOf = async (p: Promise<unknown>): Promise<unknown> => (await expectAppError(p, 'TELEGRAM_ERROR')).details?.rpc;
    assert.equal(await rpcOf(getFile(0, 1000)), 'LIMIT_INVALID');
    assert.equal(await rpcOf(getFile(0, 3 * 4096)), 'LIMIT_INVALID', '12 KiB does not divide 1 MiB');
    assert.equal(await rpcOf(getFile(1024, 4096)), 'OFFSET_INVALID');
    assert.equal(await rpcOf(getFile(1024 * 1024 - 4096, 8192)), 'LIMIT_INVALID', 'crosses the 1 MiB boundary');
    assert.equal(await rpcOf(getFile(0, 2 * 1024 * 1024)), 'LIMIT_INVALID');
    // precise allows 1 KiB granularity within one 1 MiB window.
    const res = (await getFile(1024, 3 * 1024, true)) as { bytes: Uint8Array };
    const whole = await downloadSecureFile(conn, f);
    assert.deepEqual(Buffer.from(res.bytes), whole.subarray(1024, 4096));
    // Past the end: empty.
    const tail = (await getFile(Math.ceil(f.size / 4096) * 4096 + 1024 * 1024, 4096)) as { bytes: Uint8Array };
    assert.equal(tail.bytes.length, 0);
    await expectAppError(downloadSecureFile(conn, { ...f, accessHash: f.accessHash ^ 1n }), 'DOWNLOAD_FAILED');
  });

  test('the server enforces which fields a type may carry and the current secret id', async () => {
    const d = seal(Buffer.from(JSON.stringify(PERSONAL)), passportSecret);
    const data = { encrypted: d.encrypted, dataHash: d.hash, encryptedSecret: d.encryptedSecret };
    await expectAppError(saveSecureValue(conn, { type: 'personal_details', data }, secretId ^ 1n), 'SECURE_SECRET_MISMATCH');
    // The client refuses before sending…
    await expectAppError(saveSecureValue(conn, { type: 'utility_bill', data, files: [] }, secretId), 'BAD_INPUT');
    // …and the server refuses too when a client does not (raw call: personal details with a selfie).
    const [pp] = await getSecureValues(conn, ['passport']);
    const selfieRef = pp?.selfie;
    assert.ok(selfieRef);
    const raw = conn.run('raw save', (tg) =>
      tg.call({
        _: 'account.saveSecureValue',
        value: {
          _: 'inputSecureValue',
          type: { _: 'secureValueTypePersonalDetails' },
          data: { _: 'secureData', data: d.encrypted, dataHash: d.hash, secret: d.encryptedSecret },
          selfie: { _: 'inputSecureFile', id: Long.fromString(selfieRef.id.toString()), accessHash: Long.fromString(selfieRef.accessHash.toString()) },
        },
        secureSecretId: Long.fromString(secretId.toString()),
      }),
    );
    assert.equal((await expectAppError(raw, 'TELEGRAM_ERROR')).details?.rpc, 'SECURE_VALUE_FIELD_INVALID');
  });

  test('delete one value; the rest stays', async () => {
    await deleteSecureValues(conn, ['personal_details']);
    const all = await getAllSecureValues(conn);
    assert.deepEqual(all.map((v) => v.type).sort(), ['passport', 'utility_bill']);
    assert.equal((await getPassword(conn)).hasSecureValues, true);
  });

  test('everything survives a server restart from its state file', async () => {
    const before = await getAllSecureValues(conn);
    const session = await store.load();
    const { privateKeyPem, port } = rig.server;
    await rig.close();
    // Same address and key: the stored session names this DC's address.
    rig = await startRig({ stateFile, rsaKey: privateKeyPem, port });
    conn = rig.connect({}, new MemorySessionStore(session));
    const after = await getAllSecureValues(conn);
    const key = (vs: SecureValue[]): string => JSON.stringify(vs.map((v) => [v.type, v.hash.toString('hex'), v.frontSide?.id.toString()]).sort());
    assert.equal(key(after), key(before));
    const pp = after.find((v) => v.type === 'passport');
    assert.ok(pp?.frontSide);
    assert.deepEqual(unsealFile(await downloadSecureFile(conn, pp.frontSide), pp.frontSide, passportSecret), front);
  });

  test('the stored state holds no plaintext: no field value, no image bytes, no passport secret', async () => {
    assert.ok(rig.server.stateFiles);
    const json = readFileSync(rig.server.stateFiles.json);
    const blobs = readdirSync(rig.server.stateFiles.filesDir).map((n) => readFileSync(join(rig.server.stateFiles!.filesDir, n)));
    const stored = Buffer.concat([json, ...blobs]);
    // What the server legitimately keeps is all there (so the search below looks at real data)…
    assert.equal(blobs.length, 3, 'front side, selfie, bill: the files still referenced');
    const pp = (await getAllSecureValues(conn)).find((v) => v.type === 'passport');
    assert.ok(pp?.data && pp.frontSide);
    assert.ok(json.includes(pp.data.encrypted.toString('base64')), 'the data ciphertext is stored');
    assert.ok(stored.includes((await downloadSecureFile(conn, pp.frontSide)).subarray(0, 4096)), 'the file ciphertext is stored');
    assert.ok(json.includes(DEMO_ACCOUNT.phoneDigits), 'the account phone (not secret) is stored');

    // …and none of the plaintext, in any encoding a careless server might use.
    const needles: [string, Buffer][] = [];
    for (const value of [...Object.values(PERSONAL), ...Object.values(PASSPORT_DATA)].filter((v) => v.length >= 4)) {
      needles.push([value, Buffer.from(value)]);
      needles.push([`${value} (hex)`, Buffer.from(Buffer.from(value).toString('hex'))]);
    }
    needles.push(['personal JSON (base64)', Buffer.from(Buffer.from(JSON.stringify(PERSONAL)).toString('base64').slice(0, 24))]);
    needles.push(['passport secret', passportSecret], ['passport secret (hex)', Buffer.from(passportSecret.toString('hex'))]);
    needles.push(['passport secret (base64)', Buffer.from(passportSecret.toString('base64'))]);
    needles.push(['the 2FA password', Buffer.from(DEMO_ACCOUNT.password)]);
    for (const [name, img] of [['front side', front], ['selfie', selfie], ['bill', bill]] as const) {
      // Windows from the middle of each image (past the JPEG header, which is generic).
      for (const at of [0.3, 0.5, 0.8]) {
        const off = Math.floor(img.length * at);
        needles.push([`${name} bytes @${off}`, img.subarray(off, off + 32)]);
        needles.push([`${name} bytes @${off} (base64)`, Buffer.from(img.subarray(off - (off % 3), off - (off % 3) + 48).toString('base64'))]);
      }
    }
    // The search itself can fail: a planted needle is found.
    const planted = Buffer.concat([stored, Buffer.from('Quintavalle')]);
    assert.ok(planted.includes(Buffer.from(PERSONAL.last_name)));
    for (const [name, needle] of needles) assert.equal(stored.includes(needle), false, `${name} is in the server's stored state`);
    assert.ok(existsSync(stateFile));
  });
});
