/**
 * THE IPC contract: every channel between the renderer and the main process, declared once.
 * The main-side router, the preload API and the renderer's types are all derived from this object.
 * Adding a channel = one entry here + one handler in electron/main/handlers/<namespace>.ts.
 *
 * Channel names are `namespace.method`; the renderer calls them as `passportVault.namespace.method(request)`.
 * Requests are strict objects: unknown fields are rejected, not ignored.
 */
import { z } from 'zod';
import { AppErrorShape } from '../errors';
import { channel } from './channel';
import { AuthorizationRequestSchema, FormViewSchema, HistoryEntrySchema, MAX_LINK_LENGTH } from '../authorization/index';
import { SecureValueTypeNameSchema } from '../passport/secure-value-types';
import { AppSettingsSchema, SettingsViewSchema } from '../settings';

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
const ValueSummary = z.strictObject({
  type: SecureValueTypeNameSchema,
  label: z.string(),
  updatedAt: z.number(),
  hasData: z.boolean(),
  files: z.number().int(),
});
const VaultStatus = z.strictObject({
  exists: z.boolean(),
  kind: z.enum(['local']).nullable(),
  unlocked: z.boolean(),
  keychain: z.enum(['used', 'unavailable', 'off']).nullable(),
  values: z.array(ValueSummary),
  idleLockMinutes: z.number().int(),
});
/** A data object as the Passport schemas have it: every value a string. Validated against the type's schema in main. */
const DataFields = z.record(z.string().max(64), z.string().max(1024));
const VAULT_ERRORS = ['VAULT_NOT_FOUND', 'VAULT_CORRUPT', 'VAULT_LOCKED'] as const;
const TELEGRAM_ERRORS = ['OFFLINE', 'FLOOD_WAIT', 'TELEGRAM_ERROR', 'TELEGRAM_NOT_CONFIGURED'] as const;

const RequestId = z.string().regex(/^[0-9a-f]{24}$/, 'a request id');
const OpenedRequest = z.strictObject({ requestId: z.string(), request: AuthorizationRequestSchema });
/** Where the service was sent back to; `opened: false` = show the URL for the person to copy. */
const Closed = z.strictObject({ callbackUrl: z.string().nullable(), opened: z.boolean() });
/** Telegram refusals a service is told about (tg_passport=error&error=CODE). */
const SERVICE_ERRORS = ['BOT_INVALID', 'PUBLIC_KEY_REQUIRED', 'PUBLIC_KEY_INVALID', 'SCOPE_EMPTY', 'PAYLOAD_EMPTY'] as const;

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
  'app.openLink': channel({
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
  'vault.status': channel({
    summary: 'Whether a Passport exists on this device, whether it is unlocked, and what it holds (no secrets).',
    request: z.strictObject({}),
    result: VaultStatus,
    errors: ['VAULT_CORRUPT', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.createLocal': channel({
    summary: 'Create a Passport kept only on this device, under a new password.',
    request: z.strictObject({ password: z.string().min(1).max(256) }),
    result: VaultStatus,
    errors: ['VAULT_EXISTS', 'BAD_INPUT', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.unlock': channel({
    summary: 'Unlock with the password; optionally remember the unlocked Passport in the keychain for N days.',
    request: z.strictObject({ password: z.string().min(1).max(256), rememberDays: z.number().int().min(1).max(365).optional() }),
    result: VaultStatus.extend({ remembered: z.union([z.boolean(), z.string()]) }),
    errors: [...VAULT_ERRORS, 'WRONG_PASSWORD', 'SECRET_CHECKSUM', 'SECRET_FINGERPRINT', 'KEYCHAIN_UNAVAILABLE'],
  }),
  'vault.lock': channel({
    summary: 'Lock now: every decrypted secret leaves memory.',
    request: z.strictObject({}),
    result: VaultStatus,
    errors: ['VAULT_CORRUPT'],
  }),
  'vault.read': channel({
    summary: 'One document, decrypted: its fields, its plain value, and the sizes of its scans.',
    request: z.strictObject({ type: SecureValueTypeNameSchema }),
    result: z
      .strictObject({
        type: SecureValueTypeNameSchema,
        data: DataFields.nullable(),
        plain: z.string().nullable(),
        scans: z.array(z.strictObject({ slot: z.enum(['front_side', 'reverse_side', 'selfie', 'files', 'translation']), index: z.number().int(), bytes: z.number().int() })),
        updatedAt: z.number(),
      })
      .nullable(),
    errors: [...VAULT_ERRORS, 'DATA_HASH_MISMATCH', 'BAD_PADDING'],
  }),
  'vault.save': channel({
    summary: 'Save a document’s fields (or a phone/email); its scans are kept.',
    request: z.strictObject({ type: SecureValueTypeNameSchema, data: DataFields.optional(), plain: z.string().max(255).optional() }),
    result: ValueSummary,
    errors: [...VAULT_ERRORS, 'BAD_INPUT', 'DATA_HASH_MISMATCH', 'BAD_PADDING'],
  }),
  'vault.remove': channel({
    summary: 'Delete one document and its scans.',
    request: z.strictObject({ type: SecureValueTypeNameSchema }),
    result: z.strictObject({ removed: z.boolean() }),
    errors: [...VAULT_ERRORS],
  }),
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
  'authorization.open': channel({
    summary: 'Parse a Passport link (pasted, dropped or typed) and keep the request open in main.',
    request: z.strictObject({ link: z.string().max(MAX_LINK_LENGTH + 1024) }),
    result: OpenedRequest,
    errors: ['AUTH_LINK_INVALID'],
  }),
  'authorization.takePending': channel({
    summary: 'Requests that reached the app from the OS, the command line or a second instance since the last call.',
    request: z.strictObject({}),
    result: z.strictObject({ opened: z.array(OpenedRequest), invalid: z.array(AppErrorShape) }),
    errors: [],
  }),
  'authorization.list': channel({
    summary: 'The requests still open (so a view can come back to one).',
    request: z.strictObject({}),
    result: z.strictObject({ requests: z.array(OpenedRequest) }),
    errors: [],
  }),
  'authorization.getForm': channel({
    summary: 'Fetch the authorization form from Telegram: the service, each item with its status, the choices.',
    request: z.strictObject({ requestId: RequestId }),
    result: FormViewSchema,
    errors: [...TELEGRAM_ERRORS, ...SERVICE_ERRORS, 'NOT_SIGNED_IN', 'AUTH_REQUEST_UNKNOWN'],
  }),
  'authorization.authorize': channel({
    summary: 'The person pressed Authorize: share the chosen values with the service, then open its callback.',
    request: z.strictObject({
      requestId: RequestId,
      choices: z.array(z.strictObject({ item: z.number().int().min(0).max(64), type: SecureValueTypeNameSchema })).max(64),
    }),
    result: Closed.extend({ types: z.array(SecureValueTypeNameSchema) }),
    errors: [...TELEGRAM_ERRORS, ...SERVICE_ERRORS, 'NOT_SIGNED_IN', 'AUTH_REQUEST_UNKNOWN', 'AUTH_DATA_MISSING', 'VAULT_LOCKED', 'BAD_INPUT', 'BAD_KEY', 'SECRET_CHECKSUM'],
  }),
  'authorization.cancel': channel({
    summary: 'Close a request; the service is told (tg_passport=cancel, or error=CODE after a Telegram refusal).',
    request: z.strictObject({ requestId: RequestId }),
    result: Closed,
    errors: ['AUTH_REQUEST_UNKNOWN'],
  }),
  'authorization.history': channel({
    summary: 'What was shared with whom and when (and what was declined); kept encrypted, so readable only while unlocked.',
    request: z.strictObject({}),
    result: z.strictObject({ entries: z.array(HistoryEntrySchema) }),
    errors: ['VAULT_LOCKED', 'VAULT_CORRUPT', 'UNSUPPORTED_VERSION'],
  }),
  'settings.get': channel({
    summary: 'The app’s settings (nothing secret) and whether the tg: links choice took effect in the OS.',
    request: z.strictObject({}),
    result: SettingsViewSchema,
    errors: [],
  }),
  'settings.set': channel({
    summary: 'Change some settings; saved, then applied (tg: links: the app asks the OS to send them here, or stops).',
    request: AppSettingsSchema.partial(),
    result: SettingsViewSchema,
    errors: [],
  }),
  'scan.prepare': channel({
    summary: 'Checks and re-encodes a document photo in main (JPEG ≤2048 px, q89, no metadata) and keeps it in memory for the vault; returns its size and an opaque id.',
    request: z.strictObject({ bytes: z.instanceof(Uint8Array) }),
    result: z.strictObject({
      scanId: z.string().regex(/^[0-9a-f]{24}$/),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      byteLength: z.number().int().positive(),
    }),
    errors: ['SCAN_NOT_AN_IMAGE', 'SCAN_UNSUPPORTED_FORMAT', 'SCAN_TOO_SMALL', 'SCAN_ASPECT', 'SCAN_TOO_LARGE'],
    // SCAN_LIMITS.maxInputBytes (25 MiB) plus room for the envelope: main refuses larger files itself, with a clear message.
    maxPayloadBytes: 26 * 1024 * 1024,
  }),
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
