/**
 * Local-only mode: a passport secret under a password with Telegram's scheme, all 13 types saved
 * and read back through the store, validation, wrong password, "remember", and a scan of the disk
 * for plaintext.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { SECURE_VALUE_TYPE_NAMES } from '../../../electron/common/passport';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { decryptPassportSecret, KDF_PBKDF2 } from '../../../electron/main/passport/crypto/passport-secret';
import { secretFingerprint } from '../../../electron/main/passport/crypto/secret';
import { LocalVault } from '../../../electron/main/vault/local/local-vault';
import type { ValueInput } from '../../../electron/main/vault/local/value-codec';
import { MemoryBackend } from '../keychain/fake-backend';
import { fakeScan, findPlaintext, MARK, sampleValues, scansOf, tempDir } from './samples';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const PASSWORD = Buffer.from('correct horse battery staple');

describe('local-only vault', () => {
  for (const sealed of [true, false]) {
    test(`all 13 types round-trip through the store and a reopen (${sealed ? 'sealed' : 'keyless'}); no plaintext on disk`, async () => {
      const dir = join(tempDir(), 'v');
      const kc = sealed ? new Keychain(() => Promise.resolve(new MemoryBackend())) : null;
      const samples = sampleValues();
      const vault = await LocalVault.init(dir, PASSWORD, kc);
      for (const v of samples) await vault.save(v);
      assert.deepEqual(vault.list().map((s) => s.type).sort(), [...SECURE_VALUE_TYPE_NAMES].sort());
      vault.close();

      const again = await LocalVault.open(dir, kc);
      await assert.rejects(again.read('passport'), code('VAULT_LOCKED'));
      await again.unlock(PASSWORD);
      for (const input of samples) {
        const got = await again.read(input.type);
        assert.ok(got, input.type);
        if (input.data) assert.deepEqual(got.data, input.data, `${input.type} data`);
        assert.equal(got.plain, input.plain, `${input.type} plain`);
        for (const key of ['frontSide', 'reverseSide', 'selfie'] as const) {
          assert.equal(got[key]?.equals(input[key] ?? Buffer.alloc(0)) ?? input[key] === undefined, true, `${input.type} ${key}`);
        }
        assert.deepEqual(got.files?.map((b) => b.toString('hex')), input.files?.map((b) => Buffer.from(b).toString('hex')));
        assert.deepEqual(got.translation?.map((b) => b.toString('hex')), input.translation?.map((b) => Buffer.from(b).toString('hex')));
      }
      again.close();

      // Field values and scan bytes appear in no file of the vault. In a keyless vault phone and
      // email are plain by Passport's own design (securePlainData): only sealing hides them.
      const strings = Object.values(MARK).filter((s) => sealed || (s !== MARK.phone && s !== MARK.email));
      assert.deepEqual(findPlaintext([dir], strings, samples.flatMap(scansOf)), []);
    });
  }

  test('the secret is wrapped the Telegram way: PBKDF2, 8 + 32 byte salt, secret id = fingerprint', async () => {
    const dir = join(tempDir(), 'v');
    const vault = await LocalVault.init(dir, PASSWORD, null);
    const s = vault.store.state.secretSettings;
    assert.ok(s);
    assert.equal(s.algo, KDF_PBKDF2);
    assert.equal(Buffer.from(s.salt, 'base64').length, 40);
    // Decrypting with the crypto core directly (as Telegram clients do) gives the same secret.
    const secret = await decryptPassportSecret({
      encryptedSecret: Buffer.from(s.encryptedSecret, 'base64'),
      password: PASSWORD,
      salt: Buffer.from(s.salt, 'base64'),
      algo: KDF_PBKDF2,
    });
    assert.equal(secretFingerprint(secret).toString(), s.secretId);
    vault.close();
  });

  test('wrong password → WRONG_PASSWORD (many wrong passwords, none ever unlocks)', async () => {
    const dir = join(tempDir(), 'v');
    (await LocalVault.init(dir, PASSWORD, null)).close();
    const vault = await LocalVault.open(dir, null);
    for (let i = 0; i < 5; i++) {
      await assert.rejects(vault.unlock(Buffer.from(`wrong ${i}`)), code('WRONG_PASSWORD'));
    }
    assert.equal(vault.unlocked, false);
    await vault.unlock(PASSWORD);
    assert.equal(vault.unlocked, true);
    vault.close();
  });

  test('values are validated with the shared schemas and the catalogue', async () => {
    const dir = join(tempDir(), 'v');
    const vault = await LocalVault.init(dir, PASSWORD, null);
    const bad: ValueInput[] = [
      { type: 'personal_details', data: { first_name: 'A' } },
      { type: 'passport', data: { document_no: 'X1', expiry_date: '31.02.2030' } },
      { type: 'passport', data: { document_no: 'X1' }, reverseSide: fakeScan(100) },
      { type: 'address', data: { street_line1: 'S', city: 'Cc', country_code: 'de', post_code: '10115' } },
      { type: 'utility_bill', data: { a: 'b' } },
      { type: 'utility_bill', files: Array.from({ length: 21 }, () => fakeScan(10)) },
      { type: 'phone_number', plain: '+49 170' },
      { type: 'email', plain: 'no-at-sign' },
      { type: 'email' },
      { type: 'driver_license', data: { document_no: 'X' }, frontSide: Buffer.alloc(0) },
      { type: 'driver_license', data: { document_no: 'X' }, frontSide: Buffer.alloc(10 * 1024 * 1024 + 1) },
    ];
    for (const v of bad) await assert.rejects(vault.save(v), code('BAD_INPUT'), JSON.stringify(v).slice(0, 80));
    assert.equal(vault.store.state.generation, 1, 'nothing was committed');
    vault.close();
  });

  test('remembered for N days: reopens unlocked until expiry, then the password is needed again', async () => {
    let now = Date.now();
    const backend = new MemoryBackend();
    const kc = new Keychain(() => Promise.resolve(backend), { now: () => now });
    const dir = join(tempDir(), 'v');
    const vault = await LocalVault.init(dir, PASSWORD, kc);
    await vault.save({ type: 'phone_number', plain: '4915112345' });
    assert.deepEqual(await vault.unlock(PASSWORD, { rememberDays: 14 }), { remembered: true });
    vault.close();

    const a = await LocalVault.open(dir, kc);
    assert.equal(await a.unlockRemembered(), true);
    assert.equal((await a.read('phone_number'))?.plain, '4915112345');
    a.close();
    now += 14 * 86_400_000;
    const b = await LocalVault.open(dir, kc);
    assert.equal(await b.unlockRemembered(), false);
    assert.equal(b.unlocked, false);
    assert.ok(!(await kc.listAccounts()).some((x) => x.startsWith('passport-secret:')), 'expired entry deleted');
    b.close();
  });

  test('remove deletes the value and its files', async () => {
    const dir = join(tempDir(), 'v');
    const vault = await LocalVault.init(dir, PASSWORD, null);
    await vault.save({ type: 'utility_bill', files: [fakeScan(100), fakeScan(200)] });
    assert.equal(await vault.remove('utility_bill'), true);
    assert.equal(await vault.remove('utility_bill'), false);
    assert.equal(await vault.read('utility_bill'), null);
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(join(dir, 'blobs')), []);
    vault.close();
  });
});
