/**
 * TelegramPassport (password.ts in electron/main/vault/telegram) against the real loopback server:
 * the 2FA password: no password yet (setup with the passport secret and a recovery e-mail), a password change that re-wraps the same secret. Each scenario uses its own account.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import type { LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { getPassword, getPasswordSettings } from '../../../electron/main/telegram/passport-api';
import { expectAppError } from './support';
import { PASSPORT, PERSONAL, PW, passportRig } from './passport-rig';

describe('TelegramPassport password (loopback server)', { timeout: 90_000 }, () => {
  const rig = passportRig();
  const { account, passportFor, mirrorDir, userOf } = rig;
  let server: LoopbackTelegram;
  let front: Buffer;
  before(() => {
    ({ server, front } = rig);
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

  test('the server state and the mirrors hold no plaintext field values and no image bytes', () => {
    rig.assertNothingInPlaintext(true);
  });
});
