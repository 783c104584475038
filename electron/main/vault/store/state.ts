/**
 * What the offline mirror holds, in Passport's OWN encrypted format (what `account.getAllSecureValues`
 * returns and `account.saveSecureValue` sends), so a later sync moves these bytes unchanged:
 *
 * - each value: `data` = {ciphertext, data_hash, value secret encrypted under the passport secret};
 *   files = {file_hash, file secret encrypted under the passport secret} + the ciphertext bytes,
 *   which live in a blob (the JSON holds the blob's name); phone/email as plain text, exactly as
 *   `securePlainPhone` / `securePlainEmail` keep them;
 * - `secretSettings`: `secureSecretSettings` (algo + full salt, encrypted passport secret, secret id),
 *   so the password unlocks the passport secret offline;
 * - `pendingEdits`: offline edits, already encrypted, each with the server `secureValue.hash` it was
 *   based on, so a later sync can tell when the server moved on in between (a conflict).
 *
 * Every byte string is standard base64. The whole object is validated on read: a record that
 * authenticates but does not have this shape is refused as VAULT_CORRUPT.
 */
import { z } from 'zod';
import { base64String } from '../../../common/base64-schema';
import { SecureValueTypeNameSchema, MAX_FILES_PER_VALUE, MAX_TRANSLATIONS_PER_VALUE } from '../../../common/passport';
import { KDF_PBKDF2, KDF_SHA512 } from '../../passport/crypto/passport-secret';

const B64 = base64String();
/** Blob names: 16 random bytes, hex. Never derived from content, so equal scans never collide. */
export const BlobName = z.string().regex(/^[0-9a-f]{32}$/);
const Millis = z.number().int().nonnegative();

export const StoredFileSchema = z.strictObject({
  blob: BlobName,
  /** `file_hash` (SHA-256 of the padded plaintext). */
  fileHash: B64,
  /** The file secret encrypted under the passport secret (`secureFile.secret`). */
  secret: B64,
  /** Size of the Passport ciphertext in bytes. */
  size: z.number().int().positive(),
  date: Millis,
  /**
   * Where Telegram keeps this file (`secureFile.id` / `access_hash` as signed decimal int64, and
   * its DC), when it came from or went to the cloud: a later save reuses it by id
   * (`inputSecureFile`) instead of uploading it again. Absent for files never uploaded.
   */
  remote: z
    .strictObject({
      id: z.string().regex(/^-?\d{1,19}$/),
      accessHash: z.string().regex(/^-?\d{1,19}$/),
      dcId: z.number().int().nonnegative(),
    })
    .optional(),
});
export type StoredFile = z.infer<typeof StoredFileSchema>;

export const StoredDataSchema = z.strictObject({
  data: B64,
  dataHash: B64,
  secret: B64,
});
export type StoredData = z.infer<typeof StoredDataSchema>;

export const PlainDataSchema = z.union([z.strictObject({ phone: z.string() }), z.strictObject({ email: z.string() })]);
export type PlainData = z.infer<typeof PlainDataSchema>;

export const StoredValueSchema = z.strictObject({
  type: SecureValueTypeNameSchema,
  data: StoredDataSchema.optional(),
  frontSide: StoredFileSchema.optional(),
  reverseSide: StoredFileSchema.optional(),
  selfie: StoredFileSchema.optional(),
  files: z.array(StoredFileSchema).max(MAX_FILES_PER_VALUE).optional(),
  translation: z.array(StoredFileSchema).max(MAX_TRANSLATIONS_PER_VALUE).optional(),
  plainData: PlainDataSchema.optional(),
  /** The server's `secureValue.hash` of this value, when it came from (or went to) Telegram. */
  serverHash: B64.optional(),
  updatedAt: Millis,
});
export type StoredValue = z.infer<typeof StoredValueSchema>;

export const SecretSettingsSchema = z.strictObject({
  algo: z.enum([KDF_PBKDF2, KDF_SHA512]),
  /** The full stored salt (server part + 32 client bytes); used as is. */
  salt: B64,
  encryptedSecret: B64,
  /** `secure_secret_id` as a signed decimal int64. */
  secretId: z.string().regex(/^-?\d{1,19}$/),
});
export type SecretSettings = z.infer<typeof SecretSettingsSchema>;

export const PendingEditSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32}$/),
  type: SecureValueTypeNameSchema,
  op: z.enum(['save', 'delete']),
  /** The encrypted value to save (op "save"). */
  value: StoredValueSchema.optional(),
  /** The server hash the edit was made on top of; null when the server had no such value. */
  baseServerHash: B64.nullable(),
  createdAt: Millis,
});
export type PendingEdit = z.infer<typeof PendingEditSchema>;

export const VaultContentSchema = z.strictObject({
  /** "local": a local-only Passport; "telegram": a mirror of an account's Passport. */
  origin: z.enum(['local', 'telegram']),
  secretSettings: SecretSettingsSchema.nullable(),
  values: z.array(StoredValueSchema),
  pendingEdits: z.array(PendingEditSchema),
  /**
   * For origin "telegram": the account the mirror belongs to (Telegram user id, decimal), and its 2FA
   * password hint as last seen on Telegram, so the lock screen can show it offline too.
   */
  account: z.strictObject({ userId: z.string().regex(/^\d{1,20}$/), hint: z.string().max(1024).optional() }).optional(),
});
export type VaultContent = z.infer<typeof VaultContentSchema>;

/** What a commit writes: the content plus the generation number the envelope carries. */
export interface VaultState extends VaultContent {
  readonly generation: number;
}

export function emptyContent(origin: VaultContent['origin']): VaultContent {
  return { origin, secretSettings: null, values: [], pendingEdits: [] };
}

/** Every blob a content references (values and queued edits alike: both must survive GC). */
export function referencedBlobs(content: VaultContent): Set<string> {
  const names = new Set<string>();
  const addValue = (v: StoredValue): void => {
    for (const f of [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])]) {
      if (f !== undefined) names.add(f.blob);
    }
  };
  content.values.forEach(addValue);
  for (const e of content.pendingEdits) if (e.value !== undefined) addValue(e.value);
  return names;
}

/** All files of a value, in a fixed order (front, reverse, selfie, files, translation). */
export function filesOf(v: StoredValue): StoredFile[] {
  return [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])].filter(
    (f): f is StoredFile => f !== undefined,
  );
}
