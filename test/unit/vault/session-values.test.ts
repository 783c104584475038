// values.ts on a local vault: what a locked vault and a missing confirmation refuse, and `writing`
// closing the vault only when another writer changed it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { closeActive, lock, sessionState } from '../../../electron/main/vault/session/session-state';
import { createLocal, unlock } from '../../../electron/main/vault/session/unlock';
import * as values from '../../../electron/main/vault/session/values';
import { DELETE_ALL_CONFIRMATION } from '../../../electron/main/vault/telegram/index';
import { telegramSession } from './session-fakes';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

test('local: delete all needs the typed confirmation and an unlocked vault; remove needs it unlocked', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-session-values-'));
  const s = sessionState({ dataDir, keychain: null, idleLockMs: 0 });
  try {
    await createLocal(s, 'correct horse battery');
    await values.saveValue(s, { type: 'email', plain: 'a@example.org' });
    await values.saveValue(s, { type: 'phone_number', plain: '15551234567' });
    await assert.rejects(values.removeAllValues(s, 'delete'), (e: unknown) => e instanceof AppError && e.code === 'CONFIRMATION_REQUIRED' && e.details?.['expected'] === DELETE_ALL_CONFIRMATION);
    assert.equal((await values.listValues(s)).length, 2, 'nothing deleted');
    lock(s);
    await rejectsWith(values.removeValue(s, 'email'), 'VAULT_LOCKED');
    await rejectsWith(values.removeAllValues(s, DELETE_ALL_CONFIRMATION), 'VAULT_LOCKED');
    await unlock(s, 'correct horse battery');
    await values.removeAllValues(s, DELETE_ALL_CONFIRMATION);
    assert.deepEqual(await values.listValues(s), []);
    assert.equal(s.progress, null);
  } finally {
    closeActive(s);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('writing: only a VAULT_BUSY that says the vault changed closes it (and tells onLock)', async () => {
  let locks = 0;
  const { s, fake } = telegramSession({ onLock: () => locks++ });
  await rejectsWith(values.writing(s, () => Promise.reject(new AppError('VAULT_BUSY', 'held'))), 'VAULT_BUSY');
  await rejectsWith(values.writing(s, () => Promise.reject(new AppError('OFFLINE', 'no network'))), 'OFFLINE');
  assert.notEqual(s.active, null, 'still open');
  assert.equal(await values.writing(s, () => Promise.resolve(3)), 3);
  await rejectsWith(values.writing(s, () => Promise.reject(new AppError('VAULT_BUSY', 'changed', { changed: true }))), 'VAULT_BUSY');
  assert.deepEqual([s.active, fake.calls, locks], [null, ['close'], 1]);
});
