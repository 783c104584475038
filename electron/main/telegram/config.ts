/**
 * Where the main process's Telegram client connects, and as whom. Production Telegram by
 * default; `loopbackConfig()` points it at the loopback server (`npm run dev:local`, tests).
 * A user gets their own api_id/api_hash at https://my.telegram.org → "API development tools".
 */
import { z } from 'zod';

export const TelegramEndpointSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  dcId: z.number().int().min(1).max(5),
});
export type TelegramEndpoint = z.infer<typeof TelegramEndpointSchema>;

export const TelegramConfigSchema = z
  .strictObject({
    apiId: z.number().int().positive(),
    apiHash: z.string().regex(/^[0-9a-f]{32}$/i, 'api_hash is 32 hex digits'),
    /** Absent: Telegram's production DCs (mtcute's built-in list and keys). */
    endpoint: TelegramEndpointSchema.optional(),
    /** PKCS#1 PEM of the server's RSA key; required with a custom endpoint. */
    serverPublicKeyPem: z.string().includes('BEGIN RSA PUBLIC KEY').optional(),
    /** FLOOD_WAIT up to this many seconds is waited out automatically (the UI shows a countdown). */
    floodSleepThresholdSec: z.number().int().min(0).max(300).default(10),
    /** A request not answered in this time fails with OFFLINE. */
    requestTimeoutMs: z.number().int().min(100).max(600_000).default(20_000),
    /** Reconnect backoff: first retry after this, doubling up to `reconnectMaxMs`. */
    reconnectBaseMs: z.number().int().min(0).default(250),
    reconnectMaxMs: z.number().int().min(100).default(10_000),
  })
  .refine((c) => c.endpoint === undefined || c.serverPublicKeyPem !== undefined, {
    message: 'a custom endpoint needs the server RSA public key',
  });
export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;
export type TelegramConfigInput = z.input<typeof TelegramConfigSchema>;

/** Credentials the loopback server accepts (it checks only their format). */
export const LOOPBACK_API = { apiId: 1, apiHash: '00000000000000000000000000000000' } as const;

export function loopbackConfig(p: {
  host?: string;
  port: number;
  publicKeyPem: string;
  dcId?: number;
  overrides?: Partial<TelegramConfigInput>;
}): TelegramConfig {
  return TelegramConfigSchema.parse({
    ...LOOPBACK_API,
    endpoint: { host: p.host ?? '127.0.0.1', port: p.port, dcId: p.dcId ?? 2 },
    serverPublicKeyPem: p.publicKeyPem,
    ...p.overrides,
  });
}

/** Parses "HOST:PORT" (the CLI's --server). */
export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(s);
  if (!m?.[1] || !m[2]) throw new Error(`expected HOST:PORT, got "${s}"`);
  return { host: m[1], port: Number(m[2]) };
}
