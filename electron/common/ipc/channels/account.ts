/** IPC namespace `account`: signing in to Telegram and out. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';
import { CodeInfo, TELEGRAM_ERRORS } from './shared';

const AccountUser = z.strictObject({
  id: z.number().int(),
  phone: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string().nullable(),
});

export const accountChannels = {
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
