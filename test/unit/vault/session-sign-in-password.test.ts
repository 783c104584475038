// Unlocking with the 2FA password typed at sign-in (unlock.ts over a fake Passport and a real
// HeldPassword behind the account link): one use, wiped after it whatever happens, gone on lock, and
// refused for a local vault or when none is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { HeldPassword } from '../../../electron/main/account/sign-in-password';
import { lock } from '../../../electron/main/vault/session/session-state';
import { vaultStatus } from '../../../electron/main/vault/session/status';
import { unlock, unlockWithSignInPassword } from '../../../electron/main/vault/session/unlock';
import { telegramSession } from './session-fakes';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => e instanceof AppError && e.code === code);

function session() {
  const held = new HeldPassword(60_000);
  const taken: Buffer[] = [];
  const { s, fake } = telegramSession({
    account: {
      userId: () => Promise.resolve(7),
      connection: () => {
        throw new Error('no connection in unit tests');
      },
      takeSignInPassword: () => {
        const b = held.take();
        if (b !== null) taken.push(b);
        return b;
      },
      signInPasswordMs: () => held.remainingMs(),
      forgetSignInPassword: () => held.wipe(),
    },
  });
  fake.unlocked = false;
  s.password = { state: null, at: Date.now() }; // the 2FA state is not asked of Telegram here
  return { s, fake, held, taken };
}

test('the status offers it while kept; one unlock uses it, then it is zeroed and gone', async () => {
  const { s, fake, held, taken } = session();
  held.hold('passport-demo');
  assert.ok(((await vaultStatus(s)).telegram?.signInPasswordMs ?? 0) > 0);
  const r = await unlockWithSignInPassword(s);
  assert.equal(r.status.unlocked, true);
  assert.deepEqual(fake.calls, ['unlock passport-demo']);
  assert.ok(taken[0]?.every((x) => x === 0), 'the bytes were zeroed after the derivation');
  assert.equal(r.status.telegram?.signInPasswordMs, null);
  fake.unlocked = false;
  await rejectsWith(unlockWithSignInPassword(s), 'SIGN_IN_PASSWORD_GONE');
});

test('a failed unlock wipes it too (no second try with it)', async () => {
  const { s, fake, held, taken } = session();
  fake.password = 'changed-elsewhere';
  held.hold('passport-demo');
  await rejectsWith(unlockWithSignInPassword(s), 'WRONG_PASSWORD');
  assert.ok(taken[0]?.every((x) => x === 0));
  await rejectsWith(unlockWithSignInPassword(s), 'SIGN_IN_PASSWORD_GONE');
});

test('locking wipes it (suspend, screen lock), and so does unlocking with a typed password', async () => {
  const { s, held } = session();
  held.hold('passport-demo');
  lock(s);
  assert.equal(held.remainingMs(), null);
  held.hold('passport-demo');
  await unlock(s, 'passport-demo');
  assert.equal(held.remainingMs(), null);
});

test('nothing kept: refused with its own code, nothing tried', async () => {
  const { s, fake } = session();
  await rejectsWith(unlockWithSignInPassword(s), 'SIGN_IN_PASSWORD_GONE');
  assert.deepEqual(fake.calls, []);
});
