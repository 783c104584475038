/** IPC namespace `settings`: the app settings. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';
import { AppSettingsSchema, SettingsViewSchema } from '../../settings';

export const settingsChannels = {
  'settings.get': channel({
    summary: 'The app’s settings (nothing secret) and whether the tg: links choice took effect in the OS.',
    request: z.strictObject({}),
    result: SettingsViewSchema,
    errors: [],
  }),
  'settings.set': channel({
    summary: 'Change some settings; saved, then applied (tg: links: the app asks the OS to send them here, or stops).',
    request: AppSettingsSchema.partial(),
    result: SettingsViewSchema,
    errors: [],
  }),
} as const;
