/** Helpers for the Passport integration tests: sign-in, test images, sealing values and files. */
import assert from 'node:assert/strict';
import { AppError } from '../../../../electron/common/errors';
import { checkPassword, sendCode, signIn, type TelegramConnection } from '../../../../electron/main/telegram/index';
import type { SecureFileRef } from '../../../../electron/main/telegram/passport-api';
import { testJpeg } from '../../../support/test-jpeg';
import { decryptData, decryptValueSecret, encryptData, encryptValueSecret } from '../../../../electron/main/passport/crypto/index';

export async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

/** Signs `conn` in with the code the server sent; `password` for accounts with 2FA. */
export async function signInAs(conn: TelegramConnection, phone: string, code: () => string | undefined, password?: string): Promise<void> {
  const sent = await sendCode(conn, phone);
  const c = code();
  assert.ok(c !== undefined, 'the server sent a code');
  const step = await signIn(conn, phone, sent.phoneCodeHash, c);
  if (step.status === 'password_needed') {
    assert.ok(password !== undefined, 'this account needs its 2FA password');
    await checkPassword(conn, password);
  } else {
    assert.equal(step.status, 'signed_in');
  }
}

/** A real JPEG of noise (incompressible, so it spans several upload parts when large). */
export const noiseJpeg = (width: number, height: number, seed: number): Promise<Buffer> => testJpeg(seed, width, height, { look: 'noise', quality: 89 });

/** Encrypts plaintext for the cloud: ciphertext, its hash, and its secret under the passport secret. */
export function seal(plain: Uint8Array, passportSecret: Buffer): { encrypted: Buffer; hash: Buffer; encryptedSecret: Buffer } {
  const { encrypted, hash, secret } = encryptData(plain);
  const encryptedSecret = encryptValueSecret(secret, passportSecret, hash);
  secret.fill(0);
  return { encrypted, hash, encryptedSecret };
}

/** The reverse of `seal`, checking every hash on the way. */
export function unseal(encrypted: Uint8Array, hash: Uint8Array, encryptedSecret: Uint8Array, passportSecret: Buffer): Buffer {
  const secret = decryptValueSecret(encryptedSecret, passportSecret, hash);
  return Buffer.from(decryptData(encrypted, hash, secret));
}

export const unsealFile = (encrypted: Buffer, f: SecureFileRef, passportSecret: Buffer): Buffer => unseal(encrypted, f.fileHash, f.encryptedSecret, passportSecret);
