/** IPC namespace `device`: what this device keeps, and forgetting it. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';

export const deviceChannels = {
  'device.cached': channel({
    summary: 'What this device keeps in the keychain and on disk (kinds of entries, never their content).',
    request: z.strictObject({}),
    result: z.strictObject({
      keychainAvailable: z.boolean(),
      reason: z.string().nullable(),
      session: z.boolean(),
      vaultKey: z.boolean(),
      rememberedPassport: z.boolean(),
      localVault: z.boolean(),
    }),
    errors: ['VAULT_CORRUPT'],
  }),
  'device.forgetEverything': channel({
    summary: 'Remove every keychain entry and local file of the app, after the typed confirmation FORGET.',
    request: z.strictObject({ confirmation: z.string().max(16) }),
    result: z.strictObject({ keychainDeleted: z.number().int().nullable(), keychainUnavailable: z.string().nullable(), vaultsRemoved: z.number().int() }),
    errors: ['BAD_INPUT', 'VAULT_CORRUPT', 'KEYCHAIN_UNAVAILABLE'],
  }),
} as const;
