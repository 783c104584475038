/** 2FA password state (account.getPassword) with a fresh SRP challenge each time. */
import { randomBytes } from 'node:crypto';
import { DH_G, DH_PRIME_BYTES } from '../crypto/dh';
import { newSrpChallenge } from '../crypto/srp';
import type { TlObject } from '../tl/codec';
import type { MethodTable } from './types';

export const accountMethods: MethodTable = {
  'account.getPassword': (ctx) => {
    // Before sign-in completes, the account is the one whose code was just accepted.
    const userId = ctx.key.userId ?? ctx.key.passwordPendingUserId;
    const user = userId === undefined ? undefined : ctx.state.users.get(userId);
    const pw = user?.password;
    const base: TlObject = {
      _: 'account.password',
      // The client appends 32 random bytes of its own to salt1 when it sets a new password.
      new_algo: {
        _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow',
        salt1: randomBytes(8),
        salt2: randomBytes(16),
        g: DH_G,
        p: DH_PRIME_BYTES,
      },
      new_secure_algo: { _: 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000', salt: randomBytes(8) },
      secure_random: randomBytes(32),
    };
    if (!pw) return base;
    const challenge = newSrpChallenge(pw.verifier);
    ctx.key.srp = challenge;
    return {
      ...base,
      has_password: true,
      has_recovery: pw.email !== undefined,
      current_algo: {
        _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow',
        salt1: pw.salt1,
        salt2: pw.salt2,
        g: DH_G,
        p: DH_PRIME_BYTES,
      },
      srp_B: challenge.B,
      srp_id: challenge.srpId,
      ...(pw.hint !== undefined ? { hint: pw.hint } : {}),
    };
  },
};
