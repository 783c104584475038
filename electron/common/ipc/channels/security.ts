/**
 * The `security.*` channels (Settings → Security): the account's sessions and two-step verification.
 * Spread into the contract in ../contract.ts; the handlers are electron/main/handlers/security.ts.
 */
import { z } from 'zod';
import { SecurityAlertsSchema, SessionHashSchema, SessionListSchema, TwoStepStatusSchema } from '../../security';
import { channel } from '../channel';

const TELEGRAM = ['OFFLINE', 'FLOOD_WAIT', 'TELEGRAM_ERROR', 'TELEGRAM_NOT_CONFIGURED', 'NOT_SIGNED_IN'] as const;

export const securityChannels = {
  'security.status': channel({
    summary: 'The account’s two-step verification: password on or off, recovery e-mail set or waiting for its code (masked).',
    request: z.strictObject({}),
    result: TwoStepStatusSchema,
    errors: [...TELEGRAM],
  }),
  'security.sessions': channel({
    summary: 'The account’s active sessions (this device marked, new ones marked); offline, the last list fetched, marked stale.',
    request: z.strictObject({}),
    result: SessionListSchema,
    errors: [...TELEGRAM],
  }),
  'security.endSession': channel({
    summary: 'End one session (after the person confirmed it by its device); one already gone is not an error (ended: false).',
    request: z.strictObject({ hash: SessionHashSchema }),
    result: z.strictObject({ ended: z.boolean() }),
    errors: [...TELEGRAM, 'BAD_INPUT', 'SESSION_TOO_NEW'],
  }),
  'security.endOtherSessions': channel({
    summary: 'End every session but this device’s (after the person confirmed it).',
    request: z.strictObject({}),
    result: z.strictObject({}),
    errors: [...TELEGRAM, 'SESSION_TOO_NEW'],
  }),
  'security.alerts': channel({
    summary: 'No network: sessions that appeared since the person last looked, and whether this device was signed out from another one.',
    request: z.strictObject({}),
    result: SecurityAlertsSchema,
    errors: [],
  }),
  'security.acknowledge': channel({
    summary: 'The person says these sessions were theirs: they are no longer marked new.',
    request: z.strictObject({ hashes: z.array(SessionHashSchema).min(1).max(200) }),
    result: SecurityAlertsSchema,
    errors: ['NOT_SIGNED_IN'],
  }),
} as const;
