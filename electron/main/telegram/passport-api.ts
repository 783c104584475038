/**
 * The Passport half of the Telegram API, typed, over raw mtcute calls on a TelegramConnection:
 * the 2FA password state and settings (SRP computed by mtcute's own utils; the password never
 * leaves this process), the passport secret's wrapped form, secure values, secure files
 * (parallel part upload / ranged download of ENCRYPTED bytes), phone and e-mail verification,
 * the recovery e-mail, password recovery, and help.getPassportConfig.
 *
 * Everything that goes out is already encrypted by the caller with the crypto core; this module
 * only moves bytes and maps errors (passport-errors.ts, then errors.ts). `secureValue.hash` is
 * Telegram's and opaque: it is handed back as is (acceptAuthorization's value_hashes).
 * Imports nothing from `electron`. This file gathers the parts: password-api.ts, secure-values-api.ts,
 * secure-files-api.ts, verification-api.ts, passport-config-api.ts (passport-tl.ts: what they share).
 */
export type { SecureSecretSettings } from './passport-setup';
export { secureValueTypeFromTl, tlType } from './passport-tl';
export * from './password-api';
export * from './secure-values-api';
export * from './secure-files-api';
export * from './verification-api';
export * from './passport-config-api';
