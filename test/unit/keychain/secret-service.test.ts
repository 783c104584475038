/**
 * The Keychain module against the REAL OS keychain through keytar (in CI: a throwaway GNOME
 * Keyring, see .ci/with-keyring.sh). Runs under a random service name so it never touches the
 * app's own entries on a developer's machine, and removes everything it made.
 *
 * With PASSPORT_VAULT_EXPECT_KEYCHAIN=1 (CI) an unreachable keychain FAILS these tests; without it
 * they are skipped with the reason.
 *   dbus-run-session -- bash .ci/with-keyring.sh node --import tsx --test test/unit/keychain/secret-service.test.ts
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { probeKeychain } from '../../../electron/main/keychain/availability';
import { loadKeytarBackend } from '../../../electron/main/keychain/backend';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { forgetEverything } from '../../../electron/main/vault/forget';
import { importBackup } from '../../../electron/main/vault/backup/import';
import { LocalVault } from '../../../electron/main/vault/local/local-vault';
import { openVaultStore } from '../../../electron/main/vault/vault-keys';
import { tempDir } from '../vault/samples';

const expect = process.env.PASSPORT_VAULT_EXPECT_KEYCHAIN === '1';
const status = await probeKeychain();
const skip = !status.available && !expect ? `no keychain reachable (${status.reason ?? ''}); set PASSPORT_VAULT_EXPECT_KEYCHAIN=1 to make this a failure` : false;
const SERVICE = `passport-vault-test-${randomBytes(6).toString('hex')}`;
const DAY = 86_400_000;

describe('keychain on the real Secret Service', { skip }, () => {
  let now = Date.now();
  const kc = new Keychain(loadKeytarBackend, { service: SERVICE, now: () => now });

  after(async () => {
    if (status.available) await kc.forgetAll().catch(() => undefined);
  });

  test('the keychain is reachable', () => {
    assert.ok(status.available, `expected a reachable keychain (PASSPORT_VAULT_EXPECT_KEYCHAIN=1): ${status.reason ?? ''}`);
  });

  test('session round trip: set, get, list, delete', async () => {
    await kc.setSession('1BVtsOKABu6RealisticLookingSession==');
    assert.equal(await kc.getSession(), '1BVtsOKABu6RealisticLookingSession==');
    assert.deepEqual(await kc.listAccounts(), ['mtproto-session']);
    await kc.deleteSession();
    assert.equal(await kc.getSession(), undefined);
    assert.deepEqual(await kc.listAccounts(), []);
  });

  test('vault key round trip', async () => {
    const id = randomBytes(16).toString('hex');
    const key = await kc.createVaultKey(id);
    assert.ok((await kc.getVaultKey(id))?.equals(key));
    await kc.deleteVaultKey(id);
    assert.equal(await kc.getVaultKey(id), null);
  });

  test('remembered secret: recalled before expiry, deleted from the keyring when read after it', async () => {
    const id = randomBytes(16).toString('hex');
    const secret = generateSecret();
    await kc.rememberPassportSecret(id, secret, 1);
    assert.ok((await kc.recallPassportSecret(id))?.secret.equals(secret));
    now += DAY + 1;
    assert.equal(await kc.recallPassportSecret(id), null);
    assert.deepEqual(await kc.listAccounts(), []);
    now = Date.now();
  });

  test('a local vault sealed with a real key; "remember" and recall; forget everything', async () => {
    const dir = join(tempDir(), 'v');
    const password = Buffer.from('real keyring password');
    const vault = await LocalVault.init(dir, password, kc);
    assert.equal(vault.store.sealing, 'aes-256-gcm');
    assert.deepEqual(vault.keychainUse, { status: 'used' });
    await vault.save({ type: 'email', plain: 'real@example.org' });
    assert.deepEqual(await vault.unlock(password, { rememberDays: 3 }), { remembered: true });
    vault.close();

    const again = await LocalVault.open(dir, kc);
    assert.equal(again.unlocked, false);
    assert.equal(await again.unlockRemembered(), true);
    assert.equal((await again.read('email'))?.plain, 'real@example.org');
    again.close();

    await kc.setSession('session');
    const accounts = await kc.listAccounts();
    assert.deepEqual(accounts, ['mtproto-session', `passport-secret:${again.vaultId}`, `vault-generation:${again.vaultId}`, `vault-key:${again.vaultId}`]);
    const result = await forgetEverything(kc, [dir]);
    assert.deepEqual(result, { keychain: { deleted: 4 }, vaultsRemoved: 1 });
    assert.deepEqual(await kc.listAccounts(), []);
    await assert.rejects(openVaultStore(dir, kc), (e: unknown) => e instanceof AppError && e.code === 'VAULT_NOT_FOUND');
  });

  test('a backup imported into a new folder: a wrong password leaves no folder and no key; the right one a sealed vault', async () => {
    const source = await LocalVault.init(join(tempDir(), 'src'), Buffer.from('backup password'), null);
    const scan = randomBytes(600_000);
    await source.save({ type: 'utility_bill', files: [scan] });
    const backup = join(tempDir(), 'b.pvbackup');
    await source.backupTo(backup);
    source.close();

    // The target vault is prepared while the password is checked; a wrong one must undo all of it.
    const target = join(tempDir(), 'restored');
    await assert.rejects(importBackup(backup, Buffer.from('wrong'), target, kc), (e: unknown) => e instanceof AppError && e.code === 'WRONG_PASSWORD');
    assert.ok(!existsSync(target), 'no folder left behind');
    assert.deepEqual(await kc.listAccounts(), [], 'no key left behind');

    const result = await importBackup(backup, Buffer.from('backup password'), target, kc);
    assert.deepEqual(await kc.listAccounts(), [`vault-generation:${result.vaultId}`, `vault-key:${result.vaultId}`]);
    const restored = await LocalVault.open(target, kc);
    assert.equal(restored.store.sealing, 'aes-256-gcm');
    await restored.unlock(Buffer.from('backup password'));
    const bill = await restored.read('utility_bill');
    assert.ok(bill?.files?.[0]?.equals(scan), 'the scan comes back byte for byte');
    restored.close();
    await forgetEverything(kc, [target]);
  });
});
