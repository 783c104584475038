/** Schemas and error lists that more than one IPC namespace uses (each namespace's own are in its file). */
import { z } from 'zod';
import { SecureValueTypeNameSchema } from '../../passport/secure-value-types';

/** How Telegram sent the login code; the phone_code_hash stays in main. */
export const CodeInfo = z.strictObject({
  type: z.string(),
  nextType: z.string().nullable(),
  timeoutSec: z.number().int().nullable(),
  length: z.number().int().nullable(),
});
export const Saved = z.strictObject({ type: SecureValueTypeNameSchema, status: z.enum(['saved', 'queued']) });
export const VerificationCode = z.string().regex(/^[0-9A-Za-z-]{3,16}$/, 'the code as sent');
export const VAULT_ERRORS = ['VAULT_NOT_FOUND', 'VAULT_CORRUPT', 'VAULT_LOCKED', 'VAULT_ACCOUNT_MISMATCH', 'VAULT_ROLLBACK', 'VAULT_BUSY'] as const;
export const TELEGRAM_ERRORS = ['OFFLINE', 'FLOOD_WAIT', 'TELEGRAM_ERROR', 'TELEGRAM_NOT_CONFIGURED'] as const;
