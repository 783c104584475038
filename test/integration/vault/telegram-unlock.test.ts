/**
 * TelegramPassport (unlock.ts and remembered-secret.ts in electron/main/vault/telegram) against the real
 * loopback server: first use, a second unlock and a wrong password, a reopened mirror, the legacy SHA512
 * secret re-wrapped, a damaged secret and its reset, a secret remembered in the keychain. Each scenario
 * uses its own account.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getPassword, getPasswordSettings, saveSecureValue, updateSecureSettings } from '../../../electron/main/telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../../electron/main/telegram/passport-setup';
import { cbcEncryptShort, derivePasswordHash, KDF_PBKDF2, KDF_SHA512, secretFingerprint } from '../../../electron/main/passport/crypto/index';
import { RESET_CONFIRMATION, TelegramPassport } from '../../../electron/main/vault/telegram/index';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { MemoryBackend } from '../../unit/keychain/fake-backend';
import { expectAppError, seal } from './support';
import { ADDRESS, PERSONAL, PW, passportRig } from './passport-rig';

describe('TelegramPassport unlock (loopback server)', { timeout: 90_000 }, () => {
  const rig = passportRig();
  const { account, passportFor, mirrorDir, userOf } = rig;
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

  test('a secret remembered in the keychain unlocks without the password; one that is no longer the account\'s is forgotten', async () => {
    const { conn, userId } = await account(PW);
    const plain = await passportFor(conn, userId);
    await plain.unlock(PW);
    assert.equal(await plain.remember(30), 'No keychain is in use');
    plain.close();

    const backend = new MemoryBackend();
    const tp = await TelegramPassport.open({ conn, accountId: userId, dir: mirrorDir(), keychain: new Keychain(() => Promise.resolve(backend)) });
    try {
      assert.equal(await tp.unlockRemembered(), false, 'no mirror yet');
      await expectAppError(tp.remember(30), 'VAULT_LOCKED');
      await tp.unlock(PW);
      await tp.save({ type: 'personal_details', data: PERSONAL });
      assert.equal(await tp.remember(30), true);
      const secretEntries = (): string[] => [...backend.entries.keys()].filter((k) => k.includes('passport-secret:'));
      assert.equal(secretEntries().length, 1);
      tp.lock();
      assert.equal(await tp.unlockRemembered(), true);
      assert.equal(tp.unlocked, true);
      assert.deepEqual((await tp.list()).map((v) => v.data), [PERSONAL]);

      // A new secret (reset): the remembered one no longer matches the mirror's fingerprint.
      await tp.resetPassport(PW, RESET_CONFIRMATION);
      tp.lock();
      assert.equal(await tp.unlockRemembered(), false);
      assert.equal(tp.unlocked, false);
      assert.deepEqual(secretEntries(), [], 'the stale secret was forgotten');
    } finally {
      tp.close();
    }
  });

  test('the server state and the mirrors hold no plaintext field values and no image bytes', () => {
    rig.assertNothingInPlaintext(false);
  });
});
