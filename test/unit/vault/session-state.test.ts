// session-state.ts and open-vault.ts: the idle lock armed only while unlocked, lock and close, progress,
// the password bytes wiped; which vault is open and the vault folders on this device.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../electron/common/errors';
import * as open from '../../../electron/main/vault/session/open-vault';
import { closeActive, endProgress, lock, sessionState, touch, tracker, withPasswordBytes } from '../../../electron/main/vault/session/session-state';
import { createLocal } from '../../../electron/main/vault/session/unlock';
import { telegramSession } from './session-fakes';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

test('touch arms the idle lock only while unlocked; lock wipes and tells onLock; progress ends with endProgress', async () => {
  let locks = 0;
  const { s, fake } = telegramSession({ idleLockMs: 50, onLock: () => locks++ });
  fake.unlocked = false;
  touch(s);
  assert.equal(s.idleTimer, undefined, 'locked: no idle timer');
  fake.unlocked = true;
  tracker(s, 'upload')(1, 4);
  assert.deepEqual(s.progress, { operation: 'upload', done: 1, total: 4 });
  assert.notEqual(s.idleTimer, undefined, 'a progress step is activity');
  await sleep(120);
  assert.deepEqual([fake.calls, locks], [['lock'], 1], 'locked after the quiet time');
  endProgress(s);
  assert.equal(s.progress, null);
  lock(s);
  assert.equal(locks, 2, 'every lock tells onLock');
});

test('closeActive closes the Passport, forgets the 2FA state and (Telegram) the services’ errors', () => {
  const { s, fake } = telegramSession();
  s.serviceErrorsByBot.set('bot', []);
  s.password = { state: null, at: 1 };
  closeActive(s);
  assert.deepEqual([fake.calls, s.active, s.password, s.serviceErrorsByBot.size], [['close'], null, null, 0]);
  closeActive(s); // nothing open: nothing to do
});

test('withPasswordBytes wipes the bytes, also when the work fails', async () => {
  let kept: Buffer | undefined;
  assert.equal(await withPasswordBytes('pässword', (b) => ((kept = b), Promise.resolve(b.toString('utf8')))), 'pässword');
  assert.ok(kept?.every((x) => x === 0));
  await assert.rejects(withPasswordBytes('secret', (b) => ((kept = b), Promise.reject(new Error('boom')))), /boom/);
  assert.ok(kept?.every((x) => x === 0));
});

test('open-vault: the account Passport is kept while the account is the same; service errors reach it', async () => {
  const { s, fake } = telegramSession();
  const a = s.active;
  assert.equal(await open.currentVault(s), a);
  assert.equal(await open.activeVaultName(s), 'telegram-7');
  assert.equal(await open.requireTelegram(s), a?.kind === 'telegram' ? a.passport : null);
  assert.deepEqual(open.passportSecret(s, 'telegram'), Buffer.from('telegram secret'));
  assert.equal(open.passportSecret(s, 'local'), null, 'not the kind asked for');
  open.setServiceErrors(s, 'bot1', [{} as never, {} as never]);
  open.setServiceErrors(s, 'bot2', [{} as never]);
  open.setServiceErrors(s, 'bot1', []);
  assert.deepEqual(fake.calls, ['service errors 2', 'service errors 3', 'service errors 1']);
});

test('open-vault: no vault, then the local one; the vault folders are the local vault and numbered mirrors', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-session-open-'));
  const s = sessionState({ dataDir, keychain: null, idleLockMs: 0 });
  try {
    assert.equal(await open.currentVault(s), null);
    assert.equal(await open.activeVaultName(s), null);
    await rejectsWith(open.requireVault(s), 'VAULT_NOT_FOUND');
    assert.deepEqual(open.vaultDirectories(s), []);
    await createLocal(s, 'correct horse battery');
    assert.equal(open.hasLocalVault(s), true);
    assert.equal(await open.activeVaultName(s), 'local');
    await rejectsWith(open.requireTelegram(s), 'NOT_SIGNED_IN');
    await rejectsWith(open.telegramConnection(s), 'NOT_SIGNED_IN');
    assert.ok(open.passportSecret(s) !== null && open.passportSecret(s, 'telegram') === null);
    for (const name of ['42', '43', 'notes']) mkdirSync(join(dataDir, 'telegram', name), { recursive: true });
    writeFileSync(join(dataDir, 'telegram', '42', 'vault.json'), '{}');
    writeFileSync(join(dataDir, 'telegram', 'notes', 'vault.json'), '{}');
    assert.deepEqual(open.vaultDirectories(s), [join(dataDir, 'vault'), join(dataDir, 'telegram', '42')]);
  } finally {
    closeActive(s);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
