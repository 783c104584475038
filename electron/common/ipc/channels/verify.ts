/** IPC namespace `verify`: proving a phone number or an e-mail address for the Passport. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';
import { CodeInfo, Saved, VerificationCode, VAULT_ERRORS, TELEGRAM_ERRORS } from './shared';

export const verifyChannels = {
  'verify.sendPhoneCode': channel({
    summary: 'Send a code to prove a phone number for the Passport (the number is kept in main for the next steps).',
    request: z.strictObject({ phone: z.string().regex(/^\+?[\d\s()-]{5,24}$/, 'a phone number with its country code') }),
    result: CodeInfo,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'PHONE_NUMBER_INVALID'],
  }),
  'verify.resendPhoneCode': channel({
    summary: 'Send the phone verification code again.',
    request: z.strictObject({}),
    result: CodeInfo,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'PHONE_CODE_EXPIRED'],
  }),
  'verify.cancelPhoneCode': channel({
    summary: 'Cancel a pending phone verification.',
    request: z.strictObject({}),
    result: z.strictObject({}),
    errors: [...TELEGRAM_ERRORS, 'NOT_SIGNED_IN'],
  }),
  'verify.confirmPhone': channel({
    summary: 'Check the phone code; on success the verified number is saved as the Passport’s phone.',
    request: z.strictObject({ code: VerificationCode }),
    result: Saved,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'PHONE_CODE_INVALID', 'PHONE_CODE_EXPIRED', 'SYNC_CONFLICT', 'PHONE_VERIFICATION_NEEDED'],
  }),
  'verify.useAccountPhone': channel({
    summary: 'Save the Telegram account’s own phone number as the Passport’s phone (no code needed).',
    request: z.strictObject({}),
    result: Saved,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'SYNC_CONFLICT', 'BAD_INPUT'],
  }),
  'verify.sendEmailCode': channel({
    summary: 'Send a code to prove an e-mail address for the Passport.',
    request: z.strictObject({ email: z.string().min(3).max(254) }),
    result: z.strictObject({ emailPattern: z.string(), length: z.number().int() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'EMAIL_INVALID', 'BAD_INPUT'],
  }),
  'verify.confirmEmail': channel({
    summary: 'Check the e-mail code; on success the verified address is saved as the Passport’s e-mail.',
    request: z.strictObject({ code: VerificationCode }),
    result: Saved,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'VERIFICATION_CODE_INVALID', 'VERIFICATION_CODE_EXPIRED', 'SYNC_CONFLICT', 'EMAIL_VERIFICATION_NEEDED'],
  }),
} as const;
