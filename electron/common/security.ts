/**
 * What the Security screen, the CLI and main share about the account's protection: its sessions
 * (account.getAuthorizations) and its two-step verification. Pure zod; no secrets in any of it.
 */
import { z } from 'zod';

/** Telegram's authorization hash (int64) as a signed decimal string; the current session's is "0". */
export const SessionHashSchema = z.string().regex(/^-?\d{1,19}$/, 'a session hash (signed decimal int64)');

export const SessionViewSchema = z.strictObject({
  hash: SessionHashSchema,
  /** This device's own session. */
  current: z.boolean(),
  /** Appeared since the person last looked (not in the seen set kept in local settings). */
  new: z.boolean(),
  deviceModel: z.string(),
  platform: z.string(),
  systemVersion: z.string(),
  appName: z.string(),
  appVersion: z.string(),
  apiId: z.number().int(),
  officialApp: z.boolean(),
  /** Signed in with the code but not (yet) with the two-step password. */
  passwordPending: z.boolean(),
  ip: z.string(),
  country: z.string(),
  region: z.string(),
  /** Unix seconds: first sign-in and last activity. */
  createdAt: z.number().int(),
  activeAt: z.number().int(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

export const SessionListSchema = z.strictObject({
  sessions: z.array(SessionViewSchema),
  /** Telegram could not be asked: this is the last list fetched, from `fetchedAt`. */
  stale: z.boolean(),
  /** Epoch ms when Telegram gave this list. */
  fetchedAt: z.number(),
});
export type SessionList = z.infer<typeof SessionListSchema>;

export const TwoStepStatusSchema = z.strictObject({
  hasPassword: z.boolean(),
  /** A confirmed recovery e-mail is set (Telegram never shows its address, only that it exists). */
  hasRecoveryEmail: z.boolean(),
  /** A recovery e-mail waiting for its code, masked as Telegram shows it (e.g. "p***@e***.com"). */
  emailUnconfirmedPattern: z.string().nullable(),
});
export type TwoStepStatus = z.infer<typeof TwoStepStatusSchema>;

/** What the renderer polls (no network): new sessions not acknowledged yet, and a sign-out from elsewhere. */
export const SecurityAlertsSchema = z.strictObject({
  newSessions: z.array(SessionViewSchema),
  /** Set when this device's session was ended from another device (it is now signed out). */
  signedOutReason: z.string().nullable(),
});
export type SecurityAlerts = z.infer<typeof SecurityAlertsSchema>;

export const SIGNED_OUT_ELSEWHERE = 'This device was signed out from another device.';
