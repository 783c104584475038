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

const AccountUser = z.strictObject({
  id: z.number().int(),
  phone: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string().nullable(),
});
/** How Telegram sent the login code; the phone_code_hash stays in main. */
const CodeInfo = z.strictObject({
  type: z.string(),
  nextType: z.string().nullable(),
  timeoutSec: z.number().int().nullable(),
  length: z.number().int().nullable(),
});
const TELEGRAM_ERRORS = ['OFFLINE', 'FLOOD_WAIT', 'TELEGRAM_ERROR', 'TELEGRAM_NOT_CONFIGURED'] as const;

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
  'account.status': channel({
    summary: 'Where sign-in stands; answers without the network when no session is saved.',
    request: z.strictObject({}),
    result: z.strictObject({
      stage: z.enum(['signed_out', 'awaiting_code', 'awaiting_password', 'signed_in']),
      user: AccountUser.nullable(),
      code: CodeInfo.nullable(),
      passwordHint: z.string().nullable(),
      unverified: z.boolean(),
      connection: z.enum(['idle', 'connecting', 'online', 'offline', 'closed']),
    }),
    errors: [...TELEGRAM_ERRORS, 'NOT_SIGNED_IN'],
  }),
  'account.sendCode': channel({
    summary: 'Ask Telegram to send a login code to this phone number.',
    request: z.strictObject({
      countryCode: z.string().regex(/^\+?\d{1,4}$/, 'a country calling code such as +44'),
      number: z.string().regex(/^[\d\s()-]{3,20}$/, 'digits, spaces and dashes only'),
    }),
    result: CodeInfo,
    errors: [...TELEGRAM_ERRORS, 'PHONE_NUMBER_INVALID'],
  }),
  'account.resendCode': channel({
    summary: 'Send the login code again (possibly by another route).',
    request: z.strictObject({}),
    result: CodeInfo,
    errors: [...TELEGRAM_ERRORS, 'BAD_INPUT', 'PHONE_CODE_EXPIRED'],
  }),
  'account.startOver': channel({
    summary: 'Cancel a pending code or password step and go back to the phone number.',
    request: z.strictObject({}),
    result: z.strictObject({}),
    errors: [...TELEGRAM_ERRORS],
  }),
  'account.submitCode': channel({
    summary: 'Sign in with the code Telegram sent.',
    request: z.strictObject({ code: z.string().regex(/^\d{3,8}$/, 'the digits of the code') }),
    result: z.discriminatedUnion('status', [
      z.strictObject({ status: z.literal('signed_in'), user: AccountUser }),
      z.strictObject({ status: z.literal('password_needed'), hint: z.string().nullable() }),
      z.strictObject({ status: z.literal('sign_up_required') }),
    ]),
    errors: [...TELEGRAM_ERRORS, 'BAD_INPUT', 'PHONE_CODE_INVALID', 'PHONE_CODE_EXPIRED'],
  }),
  'account.submitPassword': channel({
    summary: 'Finish sign-in with the two-step verification password (checked by SRP in main).',
    request: z.strictObject({ password: z.string().min(1).max(256) }),
    result: z.strictObject({ user: AccountUser }),
    errors: [...TELEGRAM_ERRORS, 'BAD_INPUT', 'PASSWORD_HASH_INVALID'],
  }),
  'account.signOut': channel({
    summary: 'Sign out of Telegram and forget the session on this device.',
    request: z.strictObject({}),
    result: z.strictObject({}),
    errors: [...TELEGRAM_ERRORS],
  }),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
