/**
 * The demo account anyone can sign in with against the loopback server (`npm run dev:local`).
 * It follows Telegram's test-number convention: phone 99966XYYYY signs in with code XXXXX.
 */
import { randomBytes } from 'node:crypto';
import { passwordHash, verifierFromHash } from './crypto/srp';
import type { LoopbackState, UserRecord } from './state';

export const DEMO_ACCOUNT = {
  /** As typed in the app: country code +999, number 66 2 1234. */
  phone: '+999 66 2 1234',
  phoneDigits: '9996621234',
  code: '22222',
  password: 'passport-demo',
  hint: 'passport-…',
  firstName: 'Demo',
  lastName: 'Vault',
} as const;

export interface NewAccount {
  phone: string;
  firstName: string;
  lastName?: string;
  /** Sets up 2FA the way a client would: the server keeps only the SRP verifier. */
  password?: string;
  hint?: string;
  email?: string;
  /** The DC the account lives on, on a several-DC server (default: the first DC). */
  homeDc?: number;
}

export function createAccount(state: LoopbackState, a: NewAccount): UserRecord {
  const phone = a.phone.replace(/\D/g, '');
  if (state.userByPhone(phone)) throw new Error(`an account with phone ${phone} already exists`);
  const user = state.createUser(phone, a.firstName, a.lastName ?? '');
  if (a.homeDc !== undefined) {
    user.homeDc = a.homeDc;
    state.save();
  }
  if (a.password !== undefined) {
    // salt1 = 8 server bytes + 32 client bytes, as account.updatePasswordSettings produces.
    const salt1 = randomBytes(40);
    const salt2 = randomBytes(16);
    user.password = {
      salt1,
      salt2,
      verifier: verifierFromHash(passwordHash(a.password, salt1, salt2)),
      hint: a.hint,
      email: a.email,
    };
    state.save();
  }
  return user;
}

export function seedDemoAccount(state: LoopbackState): void {
  if (state.userByPhone(DEMO_ACCOUNT.phoneDigits)) return;
  createAccount(state, {
    phone: DEMO_ACCOUNT.phoneDigits,
    firstName: DEMO_ACCOUNT.firstName,
    lastName: DEMO_ACCOUNT.lastName,
    password: DEMO_ACCOUNT.password,
    hint: DEMO_ACCOUNT.hint,
  });
}
