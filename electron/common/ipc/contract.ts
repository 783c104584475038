/**
 * THE IPC contract: every channel between the renderer and the main process, declared once.
 * The main-side router, the preload API and the renderer's types are all derived from this object.
 * Adding a channel = one entry here + one handler in electron/main/handlers/<namespace>.ts.
 *
 * Channel names are `namespace.method`; the renderer calls them as `passportVault.namespace.method(request)`.
 * Requests are strict objects: unknown fields are rejected, not ignored.
 */
import { z } from 'zod';
import { channel } from './channel';

const HttpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without credentials');

export const contract = {
  'app.info': channel({
    summary: 'Version, platform and whether an OS keychain is usable.',
    request: z.strictObject({}),
    result: z.strictObject({
      name: z.string(),
      version: z.string(),
      platform: z.enum(['darwin', 'win32', 'linux', 'other']),
      arch: z.string(),
      keychain: z.strictObject({
        available: z.boolean(),
        /** Why not, in words a person understands; absent when available. */
        reason: z.string().optional(),
      }),
    }),
    errors: [],
  }),
  'app.openExternal': channel({
    summary: 'Open an http(s) link in the default browser (privacy policies, callbacks).',
    request: z.strictObject({ url: HttpUrl }),
    result: z.strictObject({ opened: z.boolean() }),
    errors: ['BAD_INPUT'],
  }),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
