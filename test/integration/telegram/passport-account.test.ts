/**
 * The account side of the Passport over MTProto (mtcute ↔ loopback): first-time 2FA with the
 * passport secret and a recovery e-mail, phone and e-mail verification before plain values,
 * the Passport config, secret rotation and reset, removing the password, and recovery by
 * e-mail code (which loses the Passport, as on Telegram).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemorySessionStore, cancelCode, checkPassword, sendCode, signIn, type TelegramConnection } from '../../../electron/main/telegram/index';
import {
  cancelPasswordEmail,
  confirmPasswordEmail,
  getAllSecureValues,
  getPassportConfig,
  getPassword,
  getPasswordSettings,
  recoverPassword,
  removePassword,
  requestPasswordRecovery,
  resendPasswordEmail,
  saveSecureValue,
  sendVerifyEmailCode,
  sendVerifyPhoneCode,
  setPassword,
  setRecoveryEmail,
  updateSecureSettings,
  verifyEmail,
  verifyPhone,
} from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import { startRig, type Rig } from './support/loopback';
import { expectAppError, seal, signInAs } from './support/passport';

const PW = 'correct horse battery';

describe('Passport account flows over MTProto (mtcute ↔ loopback)', { timeout: 60_000 }, () => {
  let rig: Rig;
  let conn: TelegramConnection;
  const phone = '+999 66 5 0001'; // test number: code 55555
  let secret: Buffer;
  let secretId: bigint;

  before(async () => {
    rig = await startRig();
    rig.server.createAccount({ phone, firstName: 'Vera' });
    conn = rig.connect();
    await signInAs(conn, phone, () => rig.server.lastCode(phone));
  });
  after(async () => {
    await rig.close();
  });

  test('first 2FA password with the passport secret and a recovery e-mail in one call; the e-mail waits for its code', async () => {
    const before = await getPassword(conn);
    assert.equal(before.hasPassword, false);
    await expectAppError(getPasswordSettings(conn, PW), 'PASSWORD_REQUIRED');
    await expectAppError(updateSecureSettings(conn, PW, 'reset'), 'PASSWORD_REQUIRED');

    const res = await setPassword(conn, { password: PW, hint: 'horse', email: 'vera@example.org', createPassportSecret: true });
    assert.deepEqual(res.emailUnconfirmed, { codeLength: 6 });
    assert.ok(res.passportSecret);
    secret = res.passportSecret.secret;
    secretId = res.passportSecret.secretId;

    const after = await getPassword(conn);
    assert.equal(after.hasPassword, true);
    assert.equal(after.hint, 'horse');
    assert.equal(after.hasRecovery, false, 'not until confirmed');
    assert.equal(after.emailUnconfirmedPattern, 'v***@e******.org');
    await expectAppError(setPassword(conn, { password: 'again' }), 'PASSWORD_ALREADY_SET');

    const settings = await getPasswordSettings(conn, PW);
    assert.equal(settings.email, null);
    assert.ok(settings.secureSettings);
    assert.deepEqual(await openPassportSecret(settings.secureSettings, PW), secret);

    // Wrong code, resend (the old code dies), then the right one.
    const first = rig.server.lastEmailCode('vera@example.org');
    assert.ok(first);
    await expectAppError(confirmPasswordEmail(conn, first === '000000' ? '000001' : '000000'), 'VERIFICATION_CODE_INVALID');
    await resendPasswordEmail(conn);
    const second = rig.server.lastEmailCode('vera@example.org');
    assert.ok(second);
    if (second !== first) await expectAppError(confirmPasswordEmail(conn, first), 'VERIFICATION_CODE_INVALID');
    await confirmPasswordEmail(conn, second);
    assert.equal((await getPassword(conn)).hasRecovery, true);
    assert.equal((await getPasswordSettings(conn, PW)).email, 'vera@example.org');

    // A later change can be cancelled; the confirmed address stays.
    await expectAppError(setRecoveryEmail(conn, PW, 'other@example.org'), 'EMAIL_UNCONFIRMED');
    await cancelPasswordEmail(conn);
    assert.equal((await getPassword(conn)).emailUnconfirmedPattern, null);
    await expectAppError(setRecoveryEmail(conn, PW, 'not-an-email'), 'EMAIL_INVALID');
    assert.equal((await getPasswordSettings(conn, PW)).email, 'vera@example.org');
  });

  test('phone: another number needs a code first (which cannot sign anyone in); the own number does not', async () => {
    const other = '+999 66 7 4242'; // code 77777
    await expectAppError(saveSecureValue(conn, { type: 'phone_number', plain: { phone: other } }, secretId), 'PHONE_VERIFICATION_NEEDED');
    const sent = await sendVerifyPhoneCode(conn, other);
    assert.equal(sent.type, 'sms');
    const code = rig.server.lastCode(other);
    assert.equal(code, '77777');
    // The verification code is no login code, even for its own number.
    rig.server.createAccount({ phone: other, firstName: 'Other' });
    const stranger = rig.connect();
    await expectAppError(signIn(stranger, other, sent.phoneCodeHash, '77777'), 'PHONE_CODE_EXPIRED');
    await stranger.close();

    await expectAppError(verifyPhone(conn, other, sent.phoneCodeHash, '12345'), 'PHONE_CODE_INVALID');
    await verifyPhone(conn, other, sent.phoneCodeHash, '77777');
    const saved = await saveSecureValue(conn, { type: 'phone_number', plain: { phone: other } }, secretId);
    assert.deepEqual(saved.plain, { phone: '9996674242' });
    // The code is used up.
    await expectAppError(verifyPhone(conn, other, sent.phoneCodeHash, '77777'), 'PHONE_CODE_EXPIRED');
    // A pending verification can be cancelled through auth.cancelCode.
    const again = await sendVerifyPhoneCode(conn, '+999 66 8 0000');
    await cancelCode(conn, '+999 66 8 0000', again.phoneCodeHash);
    await expectAppError(verifyPhone(conn, '+999 66 8 0000', again.phoneCodeHash, '88888'), 'PHONE_CODE_EXPIRED');

    const own = await saveSecureValue(conn, { type: 'phone_number', plain: { phone } }, secretId);
    assert.deepEqual(own.plain, { phone: '9996650001' });
  });

  test('e-mail: verified by code before it can be saved', async () => {
    const email = 'vera.passport@example.net';
    await expectAppError(saveSecureValue(conn, { type: 'email', plain: { email } }, secretId), 'EMAIL_VERIFICATION_NEEDED');
    await expectAppError(sendVerifyEmailCode(conn, 'vera@'), 'EMAIL_INVALID');
    const sent = await sendVerifyEmailCode(conn, email);
    assert.deepEqual(sent, { emailPattern: `v${'*'.repeat(12)}@e******.net`, length: 6 });
    const code = rig.server.lastEmailCode(email);
    assert.ok(code);
    await expectAppError(verifyEmail(conn, code === '999999' ? '999998' : '999999'), 'VERIFICATION_CODE_INVALID');
    assert.equal(await verifyEmail(conn, code), email);
    await expectAppError(verifyEmail(conn, code), 'VERIFICATION_CODE_EXPIRED');
    const saved = await saveSecureValue(conn, { type: 'email', plain: { email } }, secretId);
    assert.deepEqual(saved.plain, { email });
    assert.deepEqual((await getAllSecureValues(conn)).map((v) => v.type).sort(), ['email', 'phone_number']);
  });

  test('help.getPassportConfig: countries → languages, then "not modified" for the same hash', async () => {
    const cfg = await getPassportConfig(conn);
    assert.ok(cfg);
    assert.equal(cfg.countriesLangs.RU, 'ru');
    assert.equal(cfg.countriesLangs.UA, 'uk');
    assert.equal(await getPassportConfig(conn, cfg.hash), null);
    assert.ok(await getPassportConfig(conn, cfg.hash + 1));
  });

  test('a new passport secret drops the values saved under the old one; re-wrapping the same secret keeps them; reset drops all', async () => {
    const details = seal(Buffer.from('{"first_name":"Vera"}'), secret);
    await saveSecureValue(conn, { type: 'personal_details', data: { encrypted: details.encrypted, dataHash: details.hash, encryptedSecret: details.encryptedSecret } }, secretId);
    assert.equal((await getAllSecureValues(conn)).length, 3);

    // Same secret, new salt (what a password change does): values stay.
    const pw = await getPassword(conn);
    assert.ok(pw.newSecureSalt);
    await updateSecureSettings(conn, PW, await wrapPassportSecret(secret, PW, pw.newSecureSalt));
    assert.equal((await getAllSecureValues(conn)).length, 3);

    // Another secret: the encrypted values (and the plain ones saved under the old id) are gone.
    const next = generatePassportSecret(pw.secureRandom);
    const wrapped = await wrapPassportSecret(next, PW, pw.newSecureSalt);
    await updateSecureSettings(conn, PW, wrapped);
    assert.deepEqual(await getAllSecureValues(conn), []);
    await expectAppError(saveSecureValue(conn, { type: 'phone_number', plain: { phone } }, secretId), 'SECURE_SECRET_MISMATCH');
    await saveSecureValue(conn, { type: 'phone_number', plain: { phone } }, wrapped.secretId);
    secret = next;
    secretId = wrapped.secretId;

    await updateSecureSettings(conn, PW, 'reset');
    assert.equal((await getPasswordSettings(conn, PW)).secureSettings, null);
    assert.deepEqual(await getAllSecureValues(conn), []);
    assert.equal((await getPassword(conn)).hasSecureValues, false);
  });

  test('removing the password deletes the recovery e-mail, the secret and every value', async () => {
    const pw = await getPassword(conn);
    assert.ok(pw.newSecureSalt);
    const wrapped = await wrapPassportSecret(secret, PW, pw.newSecureSalt);
    await updateSecureSettings(conn, PW, wrapped);
    await saveSecureValue(conn, { type: 'phone_number', plain: { phone } }, wrapped.secretId);
    assert.equal((await getPassword(conn)).hasSecureValues, true);

    await expectAppError(removePassword(conn, 'wrong'), 'PASSWORD_HASH_INVALID');
    await removePassword(conn, PW);
    const after = await getPassword(conn);
    assert.equal(after.hasPassword, false);
    assert.equal(after.hasRecovery, false);
    assert.equal(after.hasSecureValues, false);
    assert.deepEqual(await getAllSecureValues(conn), []);
  });

  test('recovery by e-mail code during sign-in: new password, signed in, Passport gone', async () => {
    const rphone = '+999 66 3 0002'; // code 33333
    rig.server.createAccount({ phone: rphone, firstName: 'Rita', password: 'old-pass', email: 'rita@example.com' });
    const store = new MemorySessionStore();
    const first = rig.connect({}, store);
    await signInAs(first, rphone, () => rig.server.lastCode(rphone), 'old-pass');
    const set = await getPassword(first);
    assert.ok(set.newSecureSalt);
    const s = generatePassportSecret(set.secureRandom);
    const w = await wrapPassportSecret(s, 'old-pass', set.newSecureSalt);
    await updateSecureSettings(first, 'old-pass', w);
    await saveSecureValue(first, { type: 'phone_number', plain: { phone: rphone } }, w.secretId);

    // A second device has forgotten the password.
    const device = rig.connect();
    const sent = await sendCode(device, rphone);
    const step = await signIn(device, rphone, sent.phoneCodeHash, '33333');
    assert.equal(step.status, 'password_needed');
    assert.deepEqual(await requestPasswordRecovery(device), { emailPattern: 'r***@e******.com' });
    const code = rig.server.lastEmailCode('rita@example.com');
    assert.ok(code);
    await expectAppError(recoverPassword(device, code === '123456' ? '123457' : '123456'), 'VERIFICATION_CODE_INVALID');
    const user = await recoverPassword(device, code, { password: 'new-pass', hint: 'new' });
    assert.equal(user.phone, '9996630002');

    const pw = await getPassword(device);
    assert.equal(pw.hasPassword, true);
    assert.equal(pw.hint, 'new');
    assert.equal(pw.hasSecureValues, false);
    assert.deepEqual(await getAllSecureValues(device), []);
    assert.equal((await getPasswordSettings(device, 'new-pass')).secureSettings, null);
    await expectAppError(getPasswordSettings(device, 'old-pass'), 'PASSWORD_HASH_INVALID');
    await expectAppError(recoverPassword(device, code), 'PASSWORD_RECOVERY_UNAVAILABLE');
    // The first device can sign in with the new password only.
    await expectAppError(checkPasswordFresh(rig, rphone, 'old-pass'), 'PASSWORD_HASH_INVALID');
  });

  test('no recovery e-mail: recovery is not available', async () => {
    await expectAppError(requestPasswordRecovery(conn), 'PASSWORD_RECOVERY_UNAVAILABLE');
    await setPassword(conn, { password: PW });
    await expectAppError(requestPasswordRecovery(conn), 'PASSWORD_RECOVERY_UNAVAILABLE');
  });
});

async function checkPasswordFresh(rig: Rig, phone: string, password: string): Promise<void> {
  const c = rig.connect();
  const sent = await sendCode(c, phone);
  const code = rig.server.lastCode(phone);
  assert.ok(code);
  await signIn(c, phone, sent.phoneCodeHash, code);
  try {
    await checkPassword(c, password);
  } finally {
    await c.close();
  }
}
