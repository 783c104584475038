/**
 * A Telegram Passport authorization request as the app handles it, after parsing the link a
 * service made with one of the Passport SDKs (PASSPORT-SPEC §5). Pure zod: main, preload, the
 * renderer and the loopback server share it.
 */
import { z } from 'zod';
import { SecureValueTypeNameSchema } from '../passport/secure-value-types';

/** Links longer than this are refused (the OS and argv handling cap them at the same size). */
export const MAX_LINK_LENGTH = 8192;
/** More items than Telegram has types (13) plus room for one_of combinations; beyond is abuse. */
export const MAX_SCOPE_ITEMS = 32;

export const INT64_MAX = 2n ** 63n - 1n;

/**
 * One requested type with its flags (TL `secureRequiredType`). Flags are kept only where they
 * mean something: `selfie` for the four identity documents, `translation` for identity documents
 * and address proofs, `nativeNames` for personal details.
 */
export const RequiredTypeSchema = z.strictObject({
  type: SecureValueTypeNameSchema,
  selfie: z.boolean(),
  translation: z.boolean(),
  nativeNames: z.boolean(),
});
export type RequiredType = z.infer<typeof RequiredTypeSchema>;

/** One required element: a single type, or a choice of one of several (TL `secureRequiredTypeOneOf`). */
export const RequiredItemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('type'), ...RequiredTypeSchema.shape }),
  z.strictObject({ kind: z.literal('one_of'), types: z.array(RequiredTypeSchema).min(1).max(13) }),
]);
export type RequiredItem = z.infer<typeof RequiredItemSchema>;

/** The 64-bit bot id as decimal text (it does not fit a JS number), 1 … 2^63-1. */
export const BotIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, 'a positive decimal integer')
  .refine((s) => BigInt(s) <= INT64_MAX, 'at most 2^63-1');

export const CallbackUrlSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'an absolute http(s) URL without credentials');

export const AuthorizationRequestSchema = z.strictObject({
  botId: BotIdSchema,
  /** What is required, normalised: aliases expanded, compact packing undone, legacy lists read. */
  scope: z.array(RequiredItemSchema).min(1).max(MAX_SCOPE_ITEMS),
  /** The scope exactly as the service sent it (ends trimmed): Telegram wants it verbatim. */
  scopeText: z.string().min(1).max(MAX_LINK_LENGTH),
  /** `object` = `{"data":…}`, `compact` = the JS SDK's `{"d":…}` packing, `legacy` = a plain list. */
  scopeFormat: z.enum(['object', 'compact', 'legacy']),
  /** PEM, `\r\n` normalised to `\n`. */
  publicKey: z.string().min(1).max(MAX_LINK_LENGTH),
  /** The credentials JSON key: `nonce` for `{…}` scopes, `payload` for legacy ones. */
  nonceKey: z.enum(['nonce', 'payload']),
  nonce: z.string().min(1).max(MAX_LINK_LENGTH),
  callbackUrl: CallbackUrlSchema.nullable(),
  /** `tg://resolve?domain=telegrampassport&…` or `tg://passport?…` (also under our own scheme). */
  dialect: z.enum(['resolve', 'passport']),
  scheme: z.enum(['tg', 'passport-vault']),
});
export type AuthorizationRequest = z.infer<typeof AuthorizationRequestSchema>;

/** Every type a scope mentions, in order of first appearance. */
export function typesOfScope(scope: readonly RequiredItem[]): RequiredType['type'][] {
  const seen = new Set<RequiredType['type']>();
  for (const item of scope) {
    for (const t of item.kind === 'type' ? [item] : item.types) seen.add(t.type);
  }
  return [...seen];
}
