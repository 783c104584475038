/**
 * Backups of the open Passport through VaultService (what the app's Settings call), and the
 * forgotten-password recovery: a local Passport exported, emptied and restored (scans
 * byte-identical, a wrong password refused); a Telegram Passport exported, its 2FA password
 * changed, then recovered by e-mail code — Telegram and this device's copy lose the Passport — and the
 * backup restored into the new, empty Passport with the password it was made under (not the later one);
 * and a local-only Passport attached to a signed-in account (copied, re-encrypted under its key).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { DELETE_ALL_CONFIRMATION } from '../../../electron/main/vault/telegram/index';
import { VaultService } from '../../../electron/main/vault/session/vault-service';
import { connectTo, expectAppError, noiseJpeg } from './support';
import { signInAs } from '../telegram/support/passport';

const PERSONAL = { first_name: 'Ottoline', last_name: 'Fairweatherby', birth_date: '02.11.1979', gender: 'female', country_code: 'NL', residence_country_code: 'BE' };
const PASSPORT = { document_no: 'QX83HV27LM', expiry_date: '14.06.2033' };

describe('backups of the open Passport, and password recovery', { timeout: 120_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pv-backup-restore-'));
  let server: LoopbackTelegram;
  let front: Buffer;

  before(async () => {
    server = await startLoopbackTelegram({ port: 0 });
    front = await noiseJpeg(640, 420, 7);
  });
  after(async () => {
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('local: export, delete all, restore; a wrong password restores nothing', async () => {
    const vault = new VaultService({ dataDir: join(tmp, 'local'), keychain: null, idleLockMs: 0 });
    try {
      await vault.createLocal('local password 1');
      await vault.save({ type: 'personal_details', data: PERSONAL });
      await vault.save({ type: 'passport', data: PASSPORT, frontSide: new Uint8Array(front) });
      const path = join(tmp, 'local.pvbackup');
      const counts = await vault.exportBackup(path);
      assert.deepEqual({ values: counts.values, files: counts.files }, { values: 2, files: 1 });
      assert.equal(vault.progress(), null, 'progress is cleared afterwards');

      await vault.removeAll(DELETE_ALL_CONFIRMATION);
      assert.equal((await vault.list()).length, 0);
      await expectAppError(vault.restoreBackup(path, 'not the password'), 'WRONG_PASSWORD');
      assert.equal((await vault.list()).length, 0, 'nothing restored with a wrong password');

      const report = await vault.restoreBackup(path, 'local password 1');
      assert.deepEqual([...report.restored].sort(), ['passport', 'personal_details']);
      assert.deepEqual(report.skipped, []);
      const pass = await vault.value('passport');
      assert.deepEqual(pass?.data, PASSPORT);
      assert.ok(pass?.frontSide);
      assert.ok((await vault.readFile('passport', pass.frontSide.fileHash)).equals(front), 'the scan comes back byte for byte');
      assert.deepEqual((await vault.value('personal_details'))?.data, PERSONAL);
      // Locked: the password opens the key for the export only; without it, refused.
      vault.lock();
      await expectAppError(vault.exportBackup(join(tmp, 'locked.pvbackup')), 'VAULT_LOCKED');
      const again = await vault.exportBackup(join(tmp, 'locked.pvbackup'), 'local password 1');
      assert.equal(again.values, 2);
      assert.equal(vault.passportSecret(), null, 'still locked after a locked export');
    } finally {
      vault.close();
    }
  });

  test('telegram: backup, password change, recovery by e-mail code drops the Passport; the backup restores with the password it was made under', async () => {
    const phone = '9996674321';
    const email = 'ottoline@example.org';
    const user = server.createAccount({ phone, firstName: 'Otto', password: 'first pw', email });
    const conn = connectTo(server);
    await signInAs(conn, phone, () => server.lastCode(phone), 'first pw');
    const vault = new VaultService({
      dataDir: join(tmp, 'tg'),
      keychain: null,
      idleLockMs: 0,
      account: { userId: () => Promise.resolve(Number(user.id)), connection: () => conn },
    });
    try {
      await vault.unlock('first pw');
      await vault.save({ type: 'personal_details', data: PERSONAL });
      const path = join(tmp, 'tg.pvbackup');
      assert.equal((await vault.exportBackup(path)).values, 1);
      await vault.changePassword('first pw', 'second pw', '');

      const { emailPattern } = await vault.requestRecovery();
      assert.notEqual(emailPattern, email, 'the address is masked');
      assert.match(emailPattern, /\*/);
      const code = server.lastEmailCode(email);
      assert.ok(code);
      await expectAppError(vault.recoverPassword('000000', { password: 'third pw', hint: '' }), 'VERIFICATION_CODE_INVALID');
      await vault.recoverPassword(code, { password: 'third pw', hint: 'new' });
      assert.equal(server.state.users.get(user.id)?.secureValues.size, 0, 'Telegram dropped every value');
      const st = await vault.status();
      assert.equal(st.unlocked, false);
      assert.equal(st.values.length, 0);
      assert.equal(st.telegram?.hasPassword, true);

      const r = await vault.unlock('third pw');
      assert.equal(r.created, true, 'a new, empty Passport');
      assert.equal((await vault.list()).length, 0, 'the device copy followed Telegram');
      await expectAppError(vault.restoreBackup(path, 'second pw'), 'WRONG_PASSWORD');
      const report = await vault.restoreBackup(path, 'first pw');
      assert.deepEqual(report.restored, ['personal_details']);
      assert.deepEqual((await vault.value('personal_details'))?.data, PERSONAL);
      assert.equal(server.state.users.get(user.id)?.secureValues.size, 1, 'sent to Telegram under the new key');
    } finally {
      vault.close();
      await conn.close();
    }
  });
  test('attach: the local Passport of this device is copied into the signed-in account’s, re-encrypted under its key', async () => {
    const dataDir = join(tmp, 'attach');
    const local = new VaultService({ dataDir, keychain: null, idleLockMs: 0 });
    await local.createLocal('local only pw');
    await local.save({ type: 'personal_details', data: PERSONAL });
    await local.save({ type: 'passport', data: PASSPORT, frontSide: new Uint8Array(front) });
    local.close();

    const phone = '9996674322';
    const user = server.createAccount({ phone, firstName: 'Att', password: 'account pw' });
    const conn = connectTo(server);
    await signInAs(conn, phone, () => server.lastCode(phone), 'account pw');
    const vault = new VaultService({ dataDir, keychain: null, idleLockMs: 0, account: { userId: () => Promise.resolve(Number(user.id)), connection: () => conn } });
    try {
      assert.deepEqual(await vault.localVaultInfo(), { exists: true, documents: 2 });
      await expectAppError(vault.attachLocal('local only pw'), 'VAULT_LOCKED');
      await vault.unlock('account pw');
      await expectAppError(vault.attachLocal('account pw'), 'WRONG_PASSWORD');
      assert.equal(server.state.users.get(user.id)?.secureValues.size, 0);
      const report = await vault.attachLocal('local only pw');
      assert.deepEqual([...report.restored].sort(), ['passport', 'personal_details']);
      assert.equal(server.state.users.get(user.id)?.secureValues.size, 2, 'both sent to Telegram');
      const pass = await vault.value('passport');
      assert.deepEqual(pass?.data, PASSPORT);
      assert.ok(pass?.frontSide);
      assert.ok((await vault.readFile('passport', pass.frontSide.fileHash)).equals(front));
      assert.equal((await vault.localVaultInfo()).documents, 2, 'the local Passport stays as it was');
    } finally {
      vault.close();
      await conn.close();
    }
  });
});
