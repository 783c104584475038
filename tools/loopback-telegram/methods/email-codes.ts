/**
 * Codes "sent by e-mail": confirming a recovery e-mail, verifying a Passport e-mail, recovering a
 * forgotten password. One outstanding code per purpose and account; tests read them through
 * `server.lastEmailCode(email)`.
 */
import { randomInt } from 'node:crypto';
import type { EmailCodeRecord } from '../state';
import { type CallContext, RpcError } from './types';

export const EMAIL_CODE_LENGTH = 6;

/** Loose but realistic: something@something.tld, no spaces, ≤ 255 characters. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim();
  if (email.length > 255 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new RpcError(400, 'EMAIL_INVALID');
  return email;
}

/** "alice@example.com" → "a***@e******.com", the way Telegram shows where a code went. */
export function emailPattern(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  const mask = (s: string): string => (s.length <= 1 ? s : `${s[0] ?? ''}${'*'.repeat(s.length - 1)}`);
  return `${mask(local)}@${mask(host)}${tld}`;
}

export function issueEmailCode(ctx: CallContext, userId: bigint, email: string, purpose: EmailCodeRecord['purpose']): EmailCodeRecord {
  const rec: EmailCodeRecord = {
    userId,
    email,
    code: String(randomInt(0, 10 ** EMAIL_CODE_LENGTH)).padStart(EMAIL_CODE_LENGTH, '0'),
    expiresAt: Date.now() + ctx.server.codeTtlMs,
    purpose,
  };
  ctx.state.emailCodes.set(`${purpose}:${userId}`, rec);
  ctx.state.sentEmailCodes.push(rec);
  ctx.onCode(email, rec.code);
  return rec;
}

export function pendingEmailCode(ctx: CallContext, userId: bigint, purpose: EmailCodeRecord['purpose']): EmailCodeRecord | undefined {
  const rec = ctx.state.emailCodes.get(`${purpose}:${userId}`);
  if (rec && Date.now() > rec.expiresAt) return undefined;
  return rec;
}

/**
 * Checks `code` against the outstanding code; consumes it on success. `expired` is the error
 * Telegram gives when there is no live code for this purpose (it differs per method).
 */
export function consumeEmailCode(
  ctx: CallContext,
  userId: bigint,
  purpose: EmailCodeRecord['purpose'],
  code: string,
  expired: string,
): EmailCodeRecord {
  if (code.trim() === '') throw new RpcError(400, 'CODE_EMPTY');
  const rec = pendingEmailCode(ctx, userId, purpose);
  if (!rec) throw new RpcError(400, expired);
  if (rec.code !== code.trim()) throw new RpcError(400, 'CODE_INVALID');
  ctx.state.emailCodes.delete(`${purpose}:${userId}`);
  return rec;
}
