/** IPC namespace `app`: the app itself: version, platform, opening links. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';

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

export const appChannels = {
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
  'app.openLink': channel({
    summary: 'Open an http(s) link in the default browser (privacy policies, callbacks).',
    request: z.strictObject({ url: HttpUrl }),
    result: z.strictObject({ opened: z.boolean() }),
    errors: ['BAD_INPUT'],
  }),
} as const;
