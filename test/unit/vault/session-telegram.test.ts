// The Telegram-only parts of the session (telegram-password.ts, telegram-sync.ts) over a fake Passport:
// what they forward, the 2FA state they forget, the progress they report and clear, the lock after a
// recovery; and the refusal on a local vault.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { sessionState } from '../../../electron/main/vault/session/session-state';
import * as password from '../../../electron/main/vault/session/telegram-password';
import * as sync from '../../../electron/main/vault/session/telegram-sync';
import { createLocal } from '../../../electron/main/vault/session/unlock';
import { attachLocal, localVaultInfo } from '../../../electron/main/vault/session/attach-local';
import { telegramSession } from './session-fakes';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);
const known = { state: { hasPassword: true, hasRecovery: false, hasSecureValues: false, hint: 'h', emailUnconfirmedPattern: null, newSecureSalt: null, secureRandom: Buffer.alloc(0) }, at: 0 };

describe('telegram-password', () => {
  test('each change is forwarded and forgets the cached 2FA state; set-up counts as an unlock', async () => {
    let unlocks = 0;
    const { s, fake } = telegramSession({ onUnlock: () => unlocks++ });
    s.password = known;
    await password.setupPassword(s, 'pw', 'hint', 'a@b.c');
    assert.equal(s.password, null);
    assert.equal(unlocks, 1);
    s.password = known;
    await password.confirmRecoveryEmail(s, '12345');
    assert.equal(s.password, null);
    s.password = known;
    await password.changePassword(s, 'old', 'new', 'h2');
    assert.equal(s.password, null);
    assert.deepEqual(await password.requestRecovery(s), { emailPattern: 'o***@example.org' });
    await password.resetPassport(s, 'pw', 'RESET');
    assert.deepEqual(fake.calls, ['setup pw hint a@b.c', 'confirm 12345', 'change old new h2', 'request', 'reset pw RESET']);
    assert.equal(unlocks, 1, 'only the set-up unlocks');
  });

  test('a recovery locks the Passport and tells the other plaintext holders', async () => {
    let locks = 0;
    const { s, fake } = telegramSession({ onLock: () => locks++ });
    s.password = known;
    await password.recoverPassword(s, '54321');
    assert.deepEqual(fake.calls, ['recover 54321', 'lock']);
    assert.equal(s.password, null);
    assert.equal(locks, 1);
  });
});

describe('telegram-sync', () => {
  test('sync and resolve report progress while they run and clear it afterwards', async () => {
    const { s, fake } = telegramSession();
    const seen: unknown[] = [];
    fake.steps = [[1, 3], [3, 3]];
    // The fake calls onProgress synchronously; record what the session shows at each step.
    Object.defineProperty(s, 'progress', {
      get: () => seen.at(-1) ?? null,
      set: (v: unknown) => void seen.push(v),
      configurable: true,
    });
    await sync.syncQueued(s);
    assert.deepEqual(seen, [{ operation: 'sync', done: 1, total: 3 }, { operation: 'sync', done: 3, total: 3 }, null]);
    seen.length = 0;
    await sync.resolve(s, 'passport', 'mine', 'hash');
    assert.deepEqual(seen, [{ operation: 'sync', done: 1, total: 3 }, { operation: 'sync', done: 3, total: 3 }, null]);
    assert.equal(await sync.otherVersion(s, 'passport'), null);
    assert.deepEqual(fake.calls, ['sync', 'resolve passport mine hash', 'other passport']);
  });
});

test('on a local vault the Telegram-only calls say NOT_SIGNED_IN; there is no local Passport to attach', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pv-session-telegram-'));
  const s = sessionState({ dataDir, keychain: null, idleLockMs: 0 });
  try {
    await rejectsWith(password.changePassword(s, 'a', 'b', ''), 'VAULT_NOT_FOUND');
    await createLocal(s, 'correct horse battery');
    await rejectsWith(password.setupPassword(s, 'pw', ''), 'NOT_SIGNED_IN');
    await rejectsWith(password.changePassword(s, 'a', 'b', ''), 'NOT_SIGNED_IN');
    await rejectsWith(password.requestRecovery(s), 'NOT_SIGNED_IN');
    await rejectsWith(password.recoverPassword(s, '1'), 'NOT_SIGNED_IN');
    await rejectsWith(password.resetPassport(s, 'pw', 'x'), 'NOT_SIGNED_IN');
    await rejectsWith(sync.syncQueued(s), 'NOT_SIGNED_IN');
    await rejectsWith(sync.resolve(s, 'passport', 'theirs'), 'NOT_SIGNED_IN');
    await rejectsWith(attachLocal(s, 'correct horse battery'), 'NOT_SIGNED_IN');
    assert.deepEqual(await localVaultInfo(s), { exists: false, documents: 0 }, 'the local vault is the open one, not one to attach');
  } finally {
    if (s.active?.kind === 'local') s.active.vault.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('attach-local: a locked account Passport is refused before the local one is opened', async () => {
  const { s, fake } = telegramSession();
  fake.unlocked = false;
  await rejectsWith(attachLocal(s, 'whatever'), 'VAULT_LOCKED');
  fake.unlocked = true;
  await rejectsWith(attachLocal(s, 'whatever'), 'VAULT_NOT_FOUND');
});
