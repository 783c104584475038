import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../electron/common/errors';
import { VaultService } from '../../../electron/main/vault/session/vault-service';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);
const personal = { first_name: 'Ada', last_name: 'Lovelace', birth_date: '10.12.1815', gender: 'female', country_code: 'GB', residence_country_code: 'GB' };

describe('VaultService (local-only Passport)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-vault-service-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const service = new VaultService({ dataDir, keychain: null, idleLockMs: 0 });

  test('no vault yet: status says so; unlock says VAULT_NOT_FOUND', async () => {
    assert.deepEqual(await service.status(), { exists: false, kind: null, unlocked: false, keychain: null, values: [], idleLockMinutes: 0, telegram: null });
    await rejectsWith(service.unlock('whatever1'), 'VAULT_NOT_FOUND');
  });

  test('a short password is refused; a good one creates an unlocked vault; a second create is refused', async () => {
    await rejectsWith(service.createLocal('short'), 'BAD_INPUT');
    const s = await service.createLocal('correct horse battery');
    assert.equal(s.exists && s.unlocked, true);
    assert.equal(s.keychain, 'off');
    await rejectsWith(service.createLocal('another password'), 'VAULT_EXISTS');
  });

  test('save, lock, read refused while locked, wrong password, right password', async () => {
    await service.save({ type: 'personal_details', data: personal });
    service.lock();
    assert.equal((await service.status()).unlocked, false);
    assert.deepEqual((await service.status()).values.map((v) => v.type), ['personal_details'], 'the list needs no password');
    await rejectsWith(service.value('personal_details'), 'VAULT_LOCKED');
    await rejectsWith(service.unlock('wrong password'), 'WRONG_PASSWORD');
    await service.unlock('correct horse battery');
    assert.deepEqual((await service.value('personal_details'))?.data, personal);
  });

  test('editing only the fields keeps the scans already stored', async () => {
    const front = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('front-side-scan-bytes')]); // JPEG magic: only JPEGs are stored
    await service.save({ type: 'passport', data: { document_no: 'X1234567', expiry_date: '01.01.2031' }, frontSide: front });
    await service.save({ type: 'passport', data: { document_no: 'X7654321', expiry_date: '01.01.2031' } });
    const v = await service.value('passport');
    assert.equal(v?.data?.['document_no'], 'X7654321');
    assert.ok(v?.frontSide !== undefined && (await service.readFile('passport', v.frontSide.fileHash)).equals(front), 'the front side survived the edit');
    assert.deepEqual(await service.remove('passport'), { removed: true, status: 'saved' });
    assert.equal(await service.value('passport'), null);
  });

  test('a reopened service (app restart) finds the vault locked and unlocks with the password', async () => {
    service.close();
    const again = new VaultService({ dataDir, keychain: null, idleLockMs: 0 });
    const s = await again.status();
    assert.equal(s.exists && !s.unlocked, true);
    await again.unlock('correct horse battery');
    assert.equal((await again.value('personal_details'))?.data?.['last_name'], 'Lovelace');
    again.close();
  });

  test('the idle lock fires after the configured quiet time, and activity postpones it', async () => {
    const idle = new VaultService({ dataDir, keychain: null, idleLockMs: 300 });
    await idle.unlock('correct horse battery');
    await sleep(200);
    await idle.value('personal_details'); // activity
    await sleep(200);
    assert.equal((await idle.status()).unlocked, true, 'still open: the read reset the timer');
    await sleep(250);
    assert.equal((await idle.status()).unlocked, false, 'locked after 300 ms of quiet');
    idle.close();
  });
});

test('every lock also runs onLock (prepared scans are dropped with the secret)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-vault-onlock-'));
  let locks = 0;
  const s = new VaultService({ dataDir, keychain: null, idleLockMs: 0, onLock: () => locks++ });
  await s.createLocal('correct horse battery');
  s.lock();
  assert.equal(locks, 1);
  s.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('VaultService and another writer (issue #21)', () => {
  test('the app holds the lock from its first write; a CLI write made before it makes the app reopen, not overwrite', async () => {
    const { LocalVault } = await import('../../../electron/main/vault/local/local-vault');
    const dataDir = mkdtempSync(join(tmpdir(), 'pv-vault-service-busy-'));
    const password = 'correct horse battery';
    const app = new VaultService({ dataDir, keychain: null, idleLockMs: 0 });
    await app.createLocal(password);
    const cli = await LocalVault.open(join(dataDir, 'vault'), null);
    await cli.unlock(Buffer.from(password));
    await rejectsWith(cli.save({ type: 'email', plain: 'cli@example.org' }), 'VAULT_BUSY');
    cli.close();
    app.close(); // quitting gives the lock up

    const reopened = new VaultService({ dataDir, keychain: null, idleLockMs: 0 });
    await reopened.unlock(password); // opened, not written yet
    const writer = await LocalVault.open(join(dataDir, 'vault'), null);
    await writer.unlock(Buffer.from(password));
    await writer.save({ type: 'email', plain: 'cli@example.org' });
    writer.close();
    await rejectsWith(reopened.save({ type: 'personal_details', data: personal }), 'VAULT_BUSY');
    const s = await reopened.status();
    assert.equal(s.unlocked, false, 'closed and opened again, locked');
    await reopened.unlock(password);
    await reopened.save({ type: 'personal_details', data: personal });
    assert.deepEqual((await reopened.list()).map((v) => v.type).sort(), ['email', 'personal_details'], 'the other write kept');
    reopened.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
