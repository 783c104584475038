/** Helpers for the Telegram Passport (vault/telegram) integration tests. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { MemorySessionStore, TelegramConnection, loopbackConfig, type TelegramConfigInput } from '../../../electron/main/telegram/index';
import { signInAs } from '../telegram/support/passport';

export { expectAppError, noiseJpeg, seal, signInAs, unseal } from '../telegram/support/passport';

/** A connection to `server` (its own session store, so a test can carry the session over). */
export function connectTo(server: { port: number; publicKeyPem: string }, overrides: Partial<TelegramConfigInput> = {}, store = new MemorySessionStore()): TelegramConnection {
  return new TelegramConnection(
    loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, overrides: { requestTimeoutMs: 10_000, ...overrides } }),
    store,
    { logLevel: 0 },
  );
}

let nextPhone = 0;

/** A fresh test account (99966 7 NNNN: code 77777) with `password` (none if undefined), signed in. */
export async function freshAccount(
  server: LoopbackTelegram,
  password: string | undefined,
  overrides: Partial<TelegramConfigInput> = {},
): Promise<{ conn: TelegramConnection; phone: string; userId: bigint; session: MemorySessionStore }> {
  const phone = `999667${String(1000 + nextPhone++).padStart(4, '0')}`;
  const user = server.createAccount({ phone, firstName: 'Test', ...(password !== undefined ? { password } : {}) });
  const session = new MemorySessionStore();
  const conn = connectTo(server, overrides, session);
  await signInAs(conn, phone, () => server.lastCode(phone), password);
  await conn.persistSession();
  return { conn, phone, userId: user.id, session };
}

/** Another client of the same account: signs in again (a second device). */
export async function secondDevice(server: LoopbackTelegram, phone: string, password: string | undefined, overrides: Partial<TelegramConfigInput> = {}): Promise<TelegramConnection> {
  const conn = connectTo(server, overrides);
  await signInAs(conn, phone, () => server.lastCode(phone), password);
  return conn;
}

/** Every file under `dir`, recursively, concatenated. */
export function allBytesUnder(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

/**
 * Asserts that none of `texts` (as UTF-8, and as they would appear JSON-escaped) and no 32-byte
 * window of any of `images` (taken at several offsets) occurs in `haystack`.
 */
export function assertNoPlaintext(haystack: Buffer, texts: readonly string[], images: readonly Buffer[], where: string): void {
  assert.ok(haystack.length > 0, `${where}: nothing to scan`);
  for (const t of texts) assert.equal(haystack.includes(Buffer.from(t, 'utf8')), false, `${where} holds the plaintext "${t}"`);
  for (const img of images) {
    for (const at of [0, 16, Math.floor(img.length / 3), Math.floor(img.length / 2), img.length - 40]) {
      assert.equal(haystack.includes(img.subarray(at, at + 32)), false, `${where} holds image bytes at offset ${at}`);
    }
  }
}
