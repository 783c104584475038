/** Helpers for the Telegram Passport (vault/telegram) integration tests. */
import type { LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { MemorySessionStore, TelegramConnection, loopbackConfig, type TelegramConfigInput } from '../../../electron/main/telegram/index';
import { getPassword } from '../../../electron/main/telegram/passport-api';
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

/** Waits until `conn` answers again after a server restart (mtcute reconnects with backoff). */
export async function waitOnline(conn: TelegramConnection): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      await getPassword(conn);
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
    }
  }
}

export { allBytesUnder, assertNoPlaintext } from '../../support/plaintext-scan';
