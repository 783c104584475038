/** IPC namespace `authorization`: sharing with a service (Passport authorization forms) and the share history. ../contract.ts assembles the namespaces. */
import { z } from 'zod';
import { AppErrorShape } from '../../error-shape';
import { channel } from '../channel';
import { AuthorizationRequestSchema, FormViewSchema, HistoryEntrySchema, MAX_LINK_LENGTH } from '../../authorization/index';
import { SecureValueTypeNameSchema } from '../../passport/secure-value-types';
import { TELEGRAM_ERRORS } from './shared';

const RequestId = z.string().regex(/^[0-9a-f]{24}$/, 'a request id');
const OpenedRequest = z.strictObject({ requestId: z.string(), request: AuthorizationRequestSchema });
/** Where the service was sent back to; `opened: false` = show the URL for the person to copy. */
const Closed = z.strictObject({ callbackUrl: z.string().nullable(), opened: z.boolean() });
/** Telegram refusals a service is told about (tg_passport=error&error=CODE). */
const SERVICE_ERRORS = ['BOT_INVALID', 'PUBLIC_KEY_REQUIRED', 'PUBLIC_KEY_INVALID', 'SCOPE_EMPTY', 'PAYLOAD_EMPTY'] as const;

export const authorizationChannels = {
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
} as const;
