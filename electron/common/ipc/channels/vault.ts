/** IPC namespace `vault`: the Passport: unlock, values and files, password, backups, sync and conflicts. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { channel } from '../channel';
import { SecureValueTypeNameSchema } from '../../passport/secure-value-types';
import { Saved, VerificationCode, VAULT_ERRORS, TELEGRAM_ERRORS } from './shared';

/** A file of a document missing or damaged on this device (found by a stat, nothing decrypted). */
const FileDamage = z.strictObject({ slot: z.string(), reason: z.enum(['missing', 'not_a_file', 'wrong_size']) });
/** What the list shows about one document: enough for its status badge, no field values. */
const ValueSummary = z.strictObject({
  type: SecureValueTypeNameSchema,
  label: z.string(),
  updatedAt: z.number(),
  hasData: z.boolean(),
  files: z.number().int(),
  missingScans: z.boolean(),
  /** DD.MM.YYYY, when the document has an expiry date. */
  expiresOn: z.string().nullable(),
  serviceErrors: z.number().int(),
  pending: z.boolean(),
  conflict: z.boolean(),
  problem: z.string().nullable(),
  damaged: z.array(FileDamage),
});
const VaultStatus = z.strictObject({
  exists: z.boolean(),
  kind: z.enum(['local', 'telegram']).nullable(),
  unlocked: z.boolean(),
  keychain: z.enum(['used', 'unavailable', 'off']).nullable(),
  values: z.array(ValueSummary),
  idleLockMinutes: z.number().int(),
  /** For the Passport of a Telegram account: its 2FA state (null = not known yet) and sync state. */
  telegram: z
    .strictObject({
      mode: z.enum(['online', 'offline']).nullable(),
      hasPassword: z.boolean().nullable(),
      hint: z.string().nullable(),
      emailUnconfirmedPattern: z.string().nullable(),
      corrupted: z.boolean(),
      pending: z.number().int(),
      conflicts: z.array(SecureValueTypeNameSchema),
      /**
       * After an unlock that showed this device's copy first: 'checking' while Telegram is asked,
       * 'unconfirmed' when it could not be (`checkError` says why; the list is this device's copy),
       * 'password_changed' when Telegram refused the password that opened the copy; null otherwise.
       */
      check: z.enum(['checking', 'unconfirmed', 'password_changed']).nullable(),
      checkError: z.string().nullable(),
      /** While locked: ms left of the 2FA password kept from the sign-in for one unlock (vault.unlockWithSignInPassword); null: none. */
      signInPasswordMs: z.number().int().nonnegative().nullable(),
    })
    .nullable(),
});
/** A file's handle: its file_hash (standard base64), which is also what service errors name. */
const FileHash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a file hash');
const FileMeta = z.strictObject({ fileHash: FileHash, size: z.number().int(), date: z.number(), uploaded: z.boolean() });
/** In a save: keep a file the document has (reorder by listing them), or attach a scan prepared by scan.prepare. */
const FileRef = z.union([z.strictObject({ keep: FileHash }), z.strictObject({ scanId: z.string().regex(/^[0-9a-f]{24}$/, 'a scan id') })]);
const BackupCounts = z.strictObject({ values: z.number().int(), files: z.number().int(), fileBytes: z.number().int() });
const BACKUP_ERRORS = ['BACKUP_CORRUPT', 'UNSUPPORTED_VERSION', 'BAD_INPUT'] as const;
const SyncReport = z.strictObject({
  applied: z.array(SecureValueTypeNameSchema),
  conflicts: z.array(z.strictObject({ type: SecureValueTypeNameSchema, base: z.string().nullable(), server: z.string().nullable() })),
  failed: z.array(z.strictObject({ type: SecureValueTypeNameSchema, code: z.string(), message: z.string() })),
  offline: z.boolean(),
});
const Password = z.string().min(1).max(256);
const UnlockResult = z.strictObject({
  status: VaultStatus,
  remembered: z.union([z.boolean(), z.string()]),
  /** First use: a passport secret was created. */
  created: z.boolean(),
  mode: z.enum(['online', 'offline']).nullable(),
});
/** A data object as the Passport schemas have it: every value a string. Validated against the type's schema in main. */
const DataFields = z.record(z.string().max(64), z.string().max(1024));
/** A document as another device saved it on Telegram, for comparing in a conflict (files by count only). */
const OtherVersion = z.strictObject({
  data: DataFields.nullable(),
  plain: z.string().nullable(),
  files: z.strictObject({ frontSide: z.boolean(), reverseSide: z.boolean(), selfie: z.boolean(), scans: z.number().int(), translations: z.number().int() }),
  /** Telegram's hash of that version: "keep mine" with it is refused if the document changed again since. */
  serverHash: z.string(),
});

export const vaultChannels = {
  'vault.status': channel({
    summary: 'Which Passport this device works on (local or the Telegram account’s), whether it is unlocked, and what it holds (no field values).',
    request: z.strictObject({}),
    result: VaultStatus,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.createLocal': channel({
    summary: 'Create a Passport kept only on this device, under a new password.',
    request: z.strictObject({ password: Password }),
    result: VaultStatus,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'VAULT_EXISTS', 'BAD_INPUT', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.unlock': channel({
    summary: 'Unlock with the password (a Telegram Passport: the 2FA password; it opens from this device’s copy when there is one, then Telegram checks it: see vault.whenChecked); optionally remember it in the keychain for N days.',
    request: z.strictObject({ password: Password, rememberDays: z.number().int().min(1).max(365).optional() }),
    result: UnlockResult,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'WRONG_PASSWORD', 'SECRET_CHECKSUM', 'SECRET_FINGERPRINT', 'KEYCHAIN_UNAVAILABLE', 'PASSWORD_REQUIRED', 'UNSUPPORTED_ALGO', 'BAD_INPUT', 'NOT_SIGNED_IN'],
  }),
  'vault.whenChecked': channel({
    summary: 'After an unlock that showed this device’s copy: waits until Telegram has checked it (values brought up to date, conflicts marked), then the status.',
    request: z.strictObject({}),
    result: VaultStatus,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS],
  }),
  'vault.unlockWithSignInPassword': channel({
    summary: 'Unlock the account’s Passport with the 2FA password typed at sign-in a moment ago (kept in main for this one use, then wiped); optionally remember it.',
    request: z.strictObject({ rememberDays: z.number().int().min(1).max(365).optional() }),
    result: UnlockResult,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'SIGN_IN_PASSWORD_GONE', 'WRONG_PASSWORD', 'SECRET_CHECKSUM', 'SECRET_FINGERPRINT', 'KEYCHAIN_UNAVAILABLE', 'PASSWORD_REQUIRED', 'UNSUPPORTED_ALGO', 'BAD_INPUT', 'NOT_SIGNED_IN'],
  }),
  'vault.lock': channel({
    summary: 'Lock now: every decrypted secret leaves memory.',
    request: z.strictObject({}),
    result: VaultStatus,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS],
  }),
  'vault.read': channel({
    summary: 'One document, decrypted in main: its fields, its plain value, its files (metadata), sync state and the errors services reported.',
    request: z.strictObject({ type: SecureValueTypeNameSchema }),
    result: z
      .strictObject({
        type: SecureValueTypeNameSchema,
        data: DataFields.nullable(),
        plain: z.string().nullable(),
        frontSide: FileMeta.nullable(),
        reverseSide: FileMeta.nullable(),
        selfie: FileMeta.nullable(),
        files: z.array(FileMeta),
        translation: z.array(FileMeta),
        pending: z.boolean(),
        conflict: z.boolean(),
        syncError: z.string().nullable(),
        problem: z.string().nullable(),
        damaged: z.array(FileDamage),
        /** Errors a service left: on the whole document, on the scan / translation list as a whole, per field name, per file hash. */
        serviceErrors: z.strictObject({
          value: z.array(z.string()),
          lists: z.strictObject({ files: z.array(z.string()), translation: z.array(z.string()) }),
          fields: z.record(z.string(), z.string()),
          files: z.record(z.string(), z.string()),
        }),
        updatedAt: z.number(),
      })
      .nullable(),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'DATA_HASH_MISMATCH', 'BAD_PADDING'],
  }),
  'vault.file': channel({
    summary: 'One scan of a document, decrypted in main: a small preview or the full image (JPEG).',
    request: z.strictObject({ type: SecureValueTypeNameSchema, fileHash: FileHash, size: z.enum(['thumb', 'full']) }),
    result: z.strictObject({ bytes: z.instanceof(Uint8Array), width: z.number().int(), height: z.number().int() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'BAD_INPUT', 'DATA_HASH_MISMATCH', 'BAD_PADDING', 'SCAN_NOT_AN_IMAGE'],
  }),
  'vault.save': channel({
    summary: 'Save a document: fields or phone/email, and its files (slots left out keep theirs; null or a shorter list removes; new scans by their scan id). On Telegram it is sent at once, or queued offline.',
    request: z.strictObject({
      type: SecureValueTypeNameSchema,
      data: DataFields.optional(),
      plain: z.string().max(255).optional(),
      frontSide: FileRef.nullable().optional(),
      reverseSide: FileRef.nullable().optional(),
      selfie: FileRef.nullable().optional(),
      files: z.array(FileRef).max(20).optional(),
      translation: z.array(FileRef).max(20).optional(),
    }),
    result: Saved,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'BAD_INPUT', 'DATA_HASH_MISMATCH', 'BAD_PADDING', 'SYNC_CONFLICT', 'SCAN_TOO_LARGE', 'SCAN_NOT_AN_IMAGE', 'UPLOAD_FAILED', 'SECURE_VALUE_INVALID', 'PHONE_VERIFICATION_NEEDED', 'EMAIL_VERIFICATION_NEEDED', 'SECURE_SECRET_MISMATCH'],
  }),
  'vault.progress': channel({
    summary: 'The upload or sync in progress (bytes done of total), for a progress bar; null when none.',
    request: z.strictObject({}),
    result: z.strictObject({ operation: z.enum(['upload', 'sync', 'backup', 'restore']), done: z.number().int(), total: z.number().int() }).nullable(),
    errors: [],
  }),
  'vault.remove': channel({
    summary: 'Delete one document and its scans (queued while offline).',
    request: z.strictObject({ type: SecureValueTypeNameSchema }),
    result: z.strictObject({ removed: z.boolean(), status: z.enum(['saved', 'queued']) }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'SYNC_CONFLICT'],
  }),
  'vault.removeAll': channel({
    summary: 'Delete every document, after the typed confirmation DELETE ALL DOCUMENTS.',
    request: z.strictObject({ confirmation: z.string().max(64) }),
    result: z.strictObject({}),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'CONFIRMATION_REQUIRED'],
  }),
  'vault.setupPassword': channel({
    summary: 'No 2FA password yet: create it (with hint and optional recovery e-mail) together with the passport secret.',
    request: z.strictObject({ password: Password, hint: z.string().max(128), email: z.string().max(254).optional() }),
    result: z.strictObject({ emailUnconfirmed: z.strictObject({ codeLength: z.number().int() }).nullable() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'PASSWORD_ALREADY_SET', 'EMAIL_INVALID', 'PASSWORD_SETTINGS_INVALID'],
  }),
  'vault.confirmRecoveryEmail': channel({
    summary: 'Confirm the recovery e-mail with the code Telegram sent to it.',
    request: z.strictObject({ code: VerificationCode }),
    result: z.strictObject({}),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'VERIFICATION_CODE_INVALID', 'VERIFICATION_CODE_EXPIRED', 'EMAIL_UNCONFIRMED'],
  }),
  'vault.changePassword': channel({
    summary: 'Change the 2FA password; the same passport secret is re-encrypted under the new one.',
    request: z.strictObject({ current: Password, next: Password, hint: z.string().max(128) }),
    result: z.strictObject({}),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'WRONG_PASSWORD', 'BAD_INPUT', 'SECURE_SECRET_MISMATCH', 'PASSWORD_SETTINGS_INVALID'],
  }),
  'vault.resetPassport': channel({
    summary: 'A damaged passport secret: replace it (every document is lost), after the typed confirmation DELETE MY PASSPORT.',
    request: z.strictObject({ password: Password, confirmation: z.string().max(64) }),
    result: z.strictObject({}),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'WRONG_PASSWORD', 'CONFIRMATION_REQUIRED', 'UNSUPPORTED_ALGO'],
  }),
  'vault.exportBackup': channel({
    summary: 'Save an encrypted backup of the open Passport where the person chooses (a save dialog in main); null = cancelled. Locked: the password opens the key kept on this device for this export only.',
    request: z.strictObject({ password: Password.optional() }),
    result: z.strictObject({ fileName: z.string(), counts: BackupCounts }).nullable(),
    errors: [...VAULT_ERRORS, ...BACKUP_ERRORS, 'WRONG_PASSWORD', 'SECRET_CHECKSUM', 'SECRET_FINGERPRINT'],
  }),
  'vault.chooseBackup': channel({
    summary: 'Pick a backup file (an open dialog in main) and read what it holds without its password: types, dates, counts. null = cancelled.',
    request: z.strictObject({}),
    result: z
      .strictObject({
        backupId: z.string(),
        fileName: z.string(),
        createdAt: z.string(),
        values: z.array(z.strictObject({ type: SecureValueTypeNameSchema, updatedAt: z.string(), hasData: z.boolean(), files: z.number().int() })),
        counts: BackupCounts,
      })
      .nullable(),
    errors: [...BACKUP_ERRORS],
  }),
  'vault.restoreBackup': channel({
    summary: 'Restore the chosen backup into the open Passport (its documents replace those of the same types), with the password it was made under.',
    request: z.strictObject({ backupId: z.string().regex(/^[0-9a-f]{24}$/, 'a backup id'), password: Password }),
    result: z.strictObject({
      restored: z.array(SecureValueTypeNameSchema),
      skipped: z.array(z.strictObject({ type: SecureValueTypeNameSchema, code: z.string(), message: z.string() })),
    }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, ...BACKUP_ERRORS, 'WRONG_PASSWORD', 'SECRET_CHECKSUM', 'SECRET_FINGERPRINT', 'DATA_HASH_MISMATCH', 'BAD_PADDING', 'UPLOAD_FAILED', 'SECURE_VALUE_INVALID', 'SYNC_CONFLICT'],
  }),
  'vault.localVault': channel({
    summary: 'While an account’s Passport is open: whether this device also has a local-only Passport, and how many documents it holds (no field values).',
    request: z.strictObject({}),
    result: z.strictObject({ exists: z.boolean(), documents: z.number().int() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS],
  }),
  'vault.attachLocal': channel({
    summary: 'Copy the local-only Passport’s documents into the signed-in account’s Passport (decrypted in main with the local password, re-encrypted under the account’s key); the local one stays.',
    request: z.strictObject({ password: Password }),
    result: z.strictObject({
      restored: z.array(SecureValueTypeNameSchema),
      skipped: z.array(z.strictObject({ type: SecureValueTypeNameSchema, code: z.string(), message: z.string() })),
    }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'WRONG_PASSWORD', 'DATA_HASH_MISMATCH', 'BAD_PADDING', 'UPLOAD_FAILED', 'SECURE_VALUE_INVALID', 'SYNC_CONFLICT', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.requestRecovery': channel({
    summary: 'Forgotten 2FA password: Telegram e-mails a recovery code to the recovery address (returned masked).',
    request: z.strictObject({}),
    result: z.strictObject({ emailPattern: z.string() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'PASSWORD_RECOVERY_UNAVAILABLE'],
  }),
  'vault.recoverPassword': channel({
    summary: 'Recover the account with the e-mailed code, optionally with a new password. Telegram deletes the Passport (it was encrypted under the old password); this device’s copy goes too.',
    request: z.strictObject({ code: VerificationCode, password: Password.optional(), hint: z.string().max(128).optional() }),
    result: z.strictObject({}),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'VERIFICATION_CODE_INVALID', 'VERIFICATION_CODE_EXPIRED', 'PASSWORD_RECOVERY_UNAVAILABLE', 'UNSUPPORTED_ALGO'],
  }),
  'vault.sync': channel({
    summary: 'Send the edits made offline; conflicts and failures stay queued and are reported.',
    request: z.strictObject({}),
    result: SyncReport,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN'],
  }),
  'vault.otherVersion': channel({
    summary: 'In a conflict: the version another device saved on Telegram, decrypted in main, to compare before choosing (null: deleted there).',
    request: z.strictObject({ type: SecureValueTypeNameSchema }),
    result: z.strictObject({ version: OtherVersion.nullable() }),
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'DATA_HASH_MISMATCH', 'BAD_PADDING'],
  }),
  'vault.resolve': channel({
    summary: 'Settle a conflict: keep my edit (sent over the newer version) or take theirs. With `seen` (the other version shown), keeping mine is refused (SYNC_CONFLICT) if that version changed again since.',
    request: z.strictObject({ type: SecureValueTypeNameSchema, choice: z.enum(['mine', 'theirs']), seen: z.string().max(64).nullable().optional() }),
    result: SyncReport,
    errors: [...VAULT_ERRORS, ...TELEGRAM_ERRORS, 'NOT_SIGNED_IN', 'BAD_INPUT', 'SYNC_CONFLICT'],
  }),
} as const;
