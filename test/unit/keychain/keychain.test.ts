/**
 * The Keychain module over fake backends: the round trips, expiry, and above all the unavailable
 * paths (failing, hanging, unloadable keychain): coded KEYCHAIN_UNAVAILABLE, the app keeps working,
 * and nothing secret lands on disk instead. The real Secret Service: secret-service.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { keychainBackedSessionStore } from '../../../electron/main/account/session-persistence';
import { Keychain, MAX_REMEMBER_DAYS } from '../../../electron/main/keychain/keychain';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { forgetEverything } from '../../../electron/main/vault/forget';
import { LocalVault } from '../../../electron/main/vault/local/local-vault';
import { createVaultStore, openVaultStore } from '../../../electron/main/vault/vault-keys';
import { findPlaintext, tempDir } from '../vault/samples';
import { failingBackend, hangingBackend, MemoryBackend } from './fake-backend';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const VAULT_ID = 'ab'.repeat(16);
const DAY = 86_400_000;

describe('keychain over a working backend', () => {
  test('session: set, get, delete', async () => {
    const kc = new Keychain(() => Promise.resolve(new MemoryBackend()));
    assert.equal(await kc.getSession(), undefined);
    await kc.setSession('1BQANOTAREALSESSION');
    assert.equal(await kc.getSession(), '1BQANOTAREALSESSION');
    const store = keychainBackedSessionStore(kc);
    assert.equal(await store.load(), '1BQANOTAREALSESSION');
    await store.clear();
    assert.equal(await kc.getSession(), undefined);
  });

  test('vault key: created random, read back, deleted; a damaged entry is refused', async () => {
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend));
    const key = await kc.createVaultKey(VAULT_ID);
    assert.equal(key.length, 32);
    assert.ok((await kc.getVaultKey(VAULT_ID))?.equals(key));
    assert.notDeepEqual(await kc.createVaultKey('cd'.repeat(16)), key);
    await kc.deleteVaultKey(VAULT_ID);
    assert.equal(await kc.getVaultKey(VAULT_ID), null);
    await backend.setPassword('passport-vault', `vault-key:${VAULT_ID}`, Buffer.alloc(16).toString('base64'));
    await assert.rejects(kc.getVaultKey(VAULT_ID), code('VAULT_CORRUPT'));
    await assert.rejects(kc.getVaultKey('not-an-id'), code('BAD_INPUT'));
  });

  test('remembered passport secret: returned before expiry, deleted when read after it', async () => {
    let now = 1_700_000_000_000;
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend), { now: () => now });
    const secret = generateSecret();
    const expiresAt = await kc.rememberPassportSecret(VAULT_ID, secret, 7);
    assert.equal(expiresAt, now + 7 * DAY);
    now += 7 * DAY - 1;
    const got = await kc.recallPassportSecret(VAULT_ID);
    assert.ok(got?.secret.equals(secret));
    now += 1;
    assert.equal(await kc.recallPassportSecret(VAULT_ID), null);
    assert.deepEqual(await kc.listAccounts(), [], 'the expired entry was deleted on read');
  });

  test('remembered entries that are unreadable, not a secret, or too far ahead are deleted', async () => {
    const now = 1_700_000_000_000;
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend), { now: () => now });
    const account = `passport-secret:${VAULT_ID}`;
    const bad = [
      'not json',
      JSON.stringify({ v: 1, secret: Buffer.alloc(32).toString('base64'), expiresAt: now + DAY }),
      JSON.stringify({ v: 1, secret: generateSecret().toString('base64'), expiresAt: now + (MAX_REMEMBER_DAYS + 2) * DAY }),
      JSON.stringify({ v: 2, secret: generateSecret().toString('base64'), expiresAt: now + DAY }),
    ];
    for (const text of bad) {
      await backend.setPassword('passport-vault', account, text);
      assert.equal(await kc.recallPassportSecret(VAULT_ID), null, text.slice(0, 30));
      assert.equal(await backend.getPassword('passport-vault', account), null);
    }
    await assert.rejects(kc.rememberPassportSecret(VAULT_ID, generateSecret(), 0), code('BAD_INPUT'));
    await assert.rejects(kc.rememberPassportSecret(VAULT_ID, generateSecret(), MAX_REMEMBER_DAYS + 1), code('BAD_INPUT'));
    await assert.rejects(kc.rememberPassportSecret(VAULT_ID, Buffer.alloc(32), 3), code('SECRET_CHECKSUM'));
  });

  test('forgetAll deletes every entry of the service and no other service', async () => {
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend));
    await kc.setSession('s');
    await kc.createVaultKey(VAULT_ID);
    await kc.rememberPassportSecret(VAULT_ID, generateSecret(), 3);
    await backend.setPassword('other-app', 'x', 'y');
    assert.equal(await kc.forgetAll(), 3);
    assert.deepEqual(await kc.listAccounts(), []);
    assert.equal(await backend.getPassword('other-app', 'x'), 'y');
  });
});

describe('keychain unavailable', () => {
  const variants: [string, Keychain][] = [
    ['every call fails', new Keychain(() => Promise.resolve(failingBackend))],
    ['every call hangs', new Keychain(() => Promise.resolve(hangingBackend), { timeoutMs: 50 })],
    ['the module does not load', new Keychain(() => Promise.reject(new Error('keytar.node: cannot open shared object')))],
  ];
  for (const [name, kc] of variants) {
    test(`${name}: every operation is KEYCHAIN_UNAVAILABLE with a safe message`, async () => {
      const ops: (() => Promise<unknown>)[] = [
        () => kc.getSession(),
        () => kc.setSession('s'),
        () => kc.deleteSession(),
        () => kc.getVaultKey(VAULT_ID),
        () => kc.createVaultKey(VAULT_ID),
        () => kc.deleteVaultKey(VAULT_ID),
        () => kc.rememberPassportSecret(VAULT_ID, generateSecret(), 1),
        () => kc.recallPassportSecret(VAULT_ID),
        () => kc.forgetPassportSecret(VAULT_ID),
        () => kc.listAccounts(),
        () => kc.forgetAll(),
      ];
      for (const op of ops) {
        await assert.rejects(op(), (e: unknown) => {
          assert.ok(e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE', String(e));
          assert.doesNotMatch(e.message, /X11|shared object/, 'the cause text is not passed through');
          return true;
        });
      }
      const store = keychainBackedSessionStore(kc);
      assert.equal(await store.load(), undefined, 'no session, not an error, at start-up');
      // Signing in still works: the session is kept for this run only, and says so.
      await store.save('1BQANOTAREALSESSION');
      assert.equal(await store.load(), '1BQANOTAREALSESSION');
      assert.equal(store.persisted(), false);
      await store.clear();
      assert.equal(await store.load(), undefined);
    });
  }

  test('a new vault is created keyless and says why; it opens without the keychain later', async () => {
    const dir = join(tempDir(), 'v');
    const kc = new Keychain(() => Promise.resolve(failingBackend));
    const { store, keychain } = await createVaultStore(dir, kc, 'local');
    assert.equal(store.sealing, 'none');
    assert.equal(keychain.status, 'unavailable');
    store.close();
    const again = await openVaultStore(dir, kc);
    assert.equal(again.keychain.status, 'unavailable');
    again.store.close();
  });

  test('a sealed vault does not open while the keychain is unavailable (no downgrade)', async () => {
    const dir = join(tempDir(), 'v');
    const backend = new MemoryBackend();
    const { store } = await createVaultStore(dir, new Keychain(() => Promise.resolve(backend)), 'local');
    assert.equal(store.sealing, 'aes-256-gcm');
    store.close();
    await assert.rejects(openVaultStore(dir, new Keychain(() => Promise.resolve(failingBackend))), code('KEYCHAIN_UNAVAILABLE'));
    // Reachable keychain without the key (forgotten): refused too, with the same code.
    await assert.rejects(openVaultStore(dir, new Keychain(() => Promise.resolve(new MemoryBackend()))), code('KEYCHAIN_UNAVAILABLE'));
  });

  test('"remember my Passport" without a keychain: unlock works, nothing is remembered, nothing on disk', async () => {
    const dir = join(tempDir(), 'v');
    const kc = new Keychain(() => Promise.resolve(failingBackend));
    const vault = await LocalVault.init(dir, Buffer.from('pw-remember'), kc);
    vault.lock();
    const { remembered } = await vault.unlock(Buffer.from('pw-remember'), { rememberDays: 30 });
    assert.equal(typeof remembered, 'string', 'the reason it was not remembered');
    await assert.rejects(vault.unlockRemembered(), code('KEYCHAIN_UNAVAILABLE'));
    // The secret (raw, base64, hex) appears in no file of the vault.
    const secret = (vault as unknown as { secret: Buffer }).secret;
    assert.equal(secret.length, 32);
    assert.deepEqual(findPlaintext([dir], [secret.toString('base64'), secret.toString('hex')], [secret]), []);
    vault.close();
  });

  test('forget everything: keychain entries and vault files go; an unreachable keychain is reported, files still go', async () => {
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend));
    const dir = join(tempDir(), 'v');
    const vault = await LocalVault.init(dir, Buffer.from('pw'), kc);
    await vault.unlock(Buffer.from('pw'), { rememberDays: 2 });
    vault.close();
    await kc.setSession('session');
    // Session, vault key, remembered secret, and the vault's last committed generation.
    assert.equal((await kc.listAccounts()).length, 4);
    const result = await forgetEverything(kc, [dir]);
    assert.deepEqual(result, { keychain: { deleted: 4 }, vaultsRemoved: 1 });
    assert.equal(backend.entries.size, 0);
    assert.ok(!existsSync(dir));

    const dir2 = join(tempDir(), 'v');
    (await LocalVault.init(dir2, Buffer.from('pw'), null)).close();
    const down = await forgetEverything(new Keychain(() => Promise.resolve(failingBackend)), [dir2]);
    assert.ok('unavailable' in down.keychain);
    assert.equal(down.vaultsRemoved, 1);
    assert.ok(!existsSync(dir2) || readdirSync(dir2).length === 0);
  });
});
