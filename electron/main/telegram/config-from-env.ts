/**
 * Which Telegram the app and the CLI talk to, from the environment:
 *   PASSPORT_VAULT_SERVER=HOST:PORT        a custom server (the loopback server of `npm run dev:local`)
 *   PASSPORT_VAULT_SERVER_KEY=FILE         its RSA key as PEM (public or private; only the public half is used)
 *   PASSPORT_VAULT_API_ID / _API_HASH      the app's Telegram API credentials (https://my.telegram.org →
 *                                          "API development tools"); required for production Telegram
 * Returns null when nothing usable is configured, so the caller can explain instead of failing later.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../common/errors';
import { LOOPBACK_API, TelegramConfigSchema, parseHostPort, type TelegramConfig } from './config';

export type Env = Readonly<Record<string, string | undefined>>;

export const NOT_CONFIGURED_MESSAGE =
  'This copy of Passport Vault has no Telegram API credentials. Get an api_id and api_hash at my.telegram.org ' +
  '(API development tools) and start the app with PASSPORT_VAULT_API_ID and PASSPORT_VAULT_API_HASH set, ' +
  'or try it locally against the loopback server (npm run dev:local).';

/** The PKCS#1 public key from any RSA PEM (mtcute wants `BEGIN RSA PUBLIC KEY`). */
export function rsaPublicKeyPkcs1(pem: string): string {
  try {
    return createPublicKey(pem).export({ type: 'pkcs1', format: 'pem' }).toString();
  } catch {
    throw new AppError('BAD_KEY', 'The server key is not an RSA key in PEM format.');
  }
}

export function telegramConfigFromEnv(env: Env, readText: (path: string) => string = (p) => readFileSync(p, 'utf8')): TelegramConfig | null {
  const apiId = env['PASSPORT_VAULT_API_ID'];
  const apiHash = env['PASSPORT_VAULT_API_HASH'];
  const api = apiId !== undefined && apiHash !== undefined ? { apiId: Number(apiId), apiHash } : null;
  const server = env['PASSPORT_VAULT_SERVER'];
  const parsed = (input: unknown): TelegramConfig => {
    const r = TelegramConfigSchema.safeParse(input);
    if (!r.success) throw new AppError('BAD_INPUT', `Telegram configuration: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return r.data;
  };
  if (server !== undefined && server !== '') {
    const keyFile = env['PASSPORT_VAULT_SERVER_KEY'];
    if (keyFile === undefined) throw new AppError('BAD_INPUT', 'PASSPORT_VAULT_SERVER needs PASSPORT_VAULT_SERVER_KEY (the server RSA key PEM file).');
    let endpoint: { host: string; port: number };
    try {
      endpoint = parseHostPort(server);
    } catch {
      throw new AppError('BAD_INPUT', `PASSPORT_VAULT_SERVER must be HOST:PORT, got “${server}”.`);
    }
    return parsed({ ...(api ?? LOOPBACK_API), endpoint: { ...endpoint, dcId: 2 }, serverPublicKeyPem: rsaPublicKeyPkcs1(readText(keyFile)) });
  }
  return api === null ? null : parsed(api);
}
