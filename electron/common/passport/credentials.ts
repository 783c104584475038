/**
 * Shapes of the credentials JSON a service receives (core.telegram.org/passport "Credentials",
 * PASSPORT-SPEC §1d) and of the Bot API `PassportData` that carries it. Pure zod, no `node:`.
 * Every byte string is standard base64 with `=` padding.
 */
import { z } from 'zod';
import { base64String } from '../base64-schema';
import { MAX_FILES_PER_VALUE, MAX_TRANSLATIONS_PER_VALUE, SecureValueTypeNameSchema } from './secure-value-types';

/** Standard base64 (not base64url), padded; empty is not allowed. */
export const Base64String = base64String().min(4);

export const DataCredentialsSchema = z.object({ data_hash: Base64String, secret: Base64String });
export type DataCredentials = z.infer<typeof DataCredentialsSchema>;

export const FileCredentialsSchema = z.object({ file_hash: Base64String, secret: Base64String });
export type FileCredentials = z.infer<typeof FileCredentialsSchema>;

export const SecureValueCredentialsSchema = z.object({
  data: DataCredentialsSchema.optional(),
  front_side: FileCredentialsSchema.optional(),
  reverse_side: FileCredentialsSchema.optional(),
  selfie: FileCredentialsSchema.optional(),
  files: z.array(FileCredentialsSchema).max(MAX_FILES_PER_VALUE).optional(),
  translation: z.array(FileCredentialsSchema).max(MAX_TRANSLATIONS_PER_VALUE).optional(),
});
export type SecureValueCredentials = z.infer<typeof SecureValueCredentialsSchema>;

/** `secure_data` is keyed by type string; phone and email never appear in it. */
export const SecureDataSchema = z.partialRecord(SecureValueTypeNameSchema, SecureValueCredentialsSchema);
export type SecureData = z.infer<typeof SecureDataSchema>;

/**
 * `nonce` when the service's scope is a `{…}` object, `payload` for the legacy array scopes
 * (tdesktop FormController:270-274). Exactly one of them is present.
 */
export const CredentialsSchema = z.union([
  z.object({ secure_data: SecureDataSchema, nonce: z.string() }),
  z.object({ secure_data: SecureDataSchema, payload: z.string() }),
]);
export type Credentials = z.infer<typeof CredentialsSchema>;

/** Bot API `EncryptedCredentials`. */
export const EncryptedCredentialsSchema = z.object({
  data: Base64String,
  hash: Base64String,
  secret: Base64String,
});
export type EncryptedCredentials = z.infer<typeof EncryptedCredentialsSchema>;

/** Bot API `PassportFile` (the bytes are downloaded separately by `file_id`). */
export const PassportFileSchema = z.looseObject({ file_id: z.string() });

/** Bot API `EncryptedPassportElement`. */
export const EncryptedPassportElementSchema = z.looseObject({
  type: SecureValueTypeNameSchema,
  data: Base64String.optional(),
  phone_number: z.string().optional(),
  email: z.string().optional(),
  files: z.array(PassportFileSchema).optional(),
  front_side: PassportFileSchema.optional(),
  reverse_side: PassportFileSchema.optional(),
  selfie: PassportFileSchema.optional(),
  translation: z.array(PassportFileSchema).optional(),
  hash: z.string().optional(),
});
export type EncryptedPassportElement = z.infer<typeof EncryptedPassportElementSchema>;

/** Bot API `PassportData`. */
export const PassportDataSchema = z.object({
  data: z.array(EncryptedPassportElementSchema),
  credentials: EncryptedCredentialsSchema,
});
export type PassportData = z.infer<typeof PassportDataSchema>;
