/** IPC namespace `update`: the app updates. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';
import { UpdateStatusSchema } from '../../update';

export const updateChannels = {
  'update.status': channel({
    summary: 'Where the app’s own updates stand: off until the person allows them in Settings, then checking, downloading, ready to install.',
    request: z.strictObject({}),
    result: UpdateStatusSchema,
    errors: [],
  }),
  'update.check': channel({
    summary: 'Check for a new version now (only when updates are on; a check or download under way is not started twice).',
    request: z.strictObject({}),
    result: UpdateStatusSchema,
    errors: [],
  }),
  'update.install': channel({
    summary: 'Restart into the downloaded, verified update: the person’s consent to install. The app quits.',
    request: z.strictObject({}),
    result: z.strictObject({ restarting: z.literal(true) }),
    errors: ['UPDATE_NOT_READY'],
  }),
} as const;
