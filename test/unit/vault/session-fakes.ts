/** A stand-in Telegram Passport for the session parts' unit tests: records calls, no network. */
import { AppError } from '../../../electron/common/errors';
import type { TelegramPassport } from '../../../electron/main/vault/telegram/telegram-passport';
import type { TransferProgress } from '../../../electron/main/telegram/passport-api';
import { sessionState, type SessionState, type VaultServiceOptions } from '../../../electron/main/vault/session/session-state';

export interface FakePassport {
  calls: string[];
  unlocked: boolean;
  /** Progress steps each transfer reports before it ends. */
  steps: [number, number][];
  /** The 2FA password `unlock` accepts. */
  password: string;
}

const report = { applied: [], conflicts: [], failed: [], offline: false };

/** A session whose open vault is a fake Telegram Passport of account 7 (the account link names it). */
export function telegramSession(options: Partial<VaultServiceOptions> = {}): { s: SessionState; fake: FakePassport } {
  const fake: FakePassport = { calls: [], unlocked: true, steps: [[1, 2]], password: 'passport-demo' };
  const transfer = async (name: string, onProgress?: TransferProgress): Promise<typeof report> => {
    fake.calls.push(name);
    for (const [done, total] of fake.steps) onProgress?.(done, total);
    return report;
  };
  const passport = {
    get unlocked() {
      return fake.unlocked;
    },
    setupPassword: (pw: string, hint: string, email?: string) => (fake.calls.push(`setup ${pw} ${hint} ${email}`), Promise.resolve({ emailUnconfirmed: null })),
    confirmRecoveryEmail: (code: string) => (fake.calls.push(`confirm ${code}`), Promise.resolve()),
    changePassword: (cur: string, next: string, hint: string) => (fake.calls.push(`change ${cur} ${next} ${hint}`), Promise.resolve()),
    requestRecovery: () => (fake.calls.push('request'), Promise.resolve({ emailPattern: 'o***@example.org' })),
    recoverPassword: (code: string) => (fake.calls.push(`recover ${code}`), Promise.resolve()),
    resetPassport: (pw: string, confirmation: string) => (fake.calls.push(`reset ${pw} ${confirmation}`), Promise.resolve()),
    sync: (onProgress?: TransferProgress) => transfer('sync', onProgress),
    resolve: (type: string, choice: string, onProgress?: TransferProgress, seen?: string | null) => transfer(`resolve ${type} ${choice} ${seen}`, onProgress),
    otherVersion: (type: string) => (fake.calls.push(`other ${type}`), Promise.resolve(null)),
    unlock: (pw: string) => {
      fake.calls.push(`unlock ${pw}`);
      if (pw !== fake.password) return Promise.reject(new AppError('WRONG_PASSWORD', 'Wrong password.'));
      fake.unlocked = true;
      return Promise.resolve({ created: false, mode: 'online' as const });
    },
    status: () => ({ unlocked: fake.unlocked, keychain: null, mode: 'online' as const, corrupted: false, pending: [], conflicts: [] }),
    list: () => Promise.resolve([]),
    mirroredHint: () => null,
    lock: () => {
      fake.calls.push('lock');
      fake.unlocked = false;
    },
    close: () => fake.calls.push('close'),
    currentSecret: () => (fake.unlocked ? Buffer.from('telegram secret') : null),
    setServiceErrors: (errors: readonly unknown[]) => fake.calls.push(`service errors ${errors.length}`),
  };
  const s = sessionState({
    dataDir: '/nonexistent-pv-session-test',
    keychain: null,
    idleLockMs: 0,
    account: { userId: () => Promise.resolve(7), connection: () => { throw new Error('no connection in unit tests'); } },
    ...options,
  });
  s.active = { kind: 'telegram', passport: passport as unknown as TelegramPassport, userId: 7 };
  return { s, fake };
}
