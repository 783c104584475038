/** Words for the coded errors the main process returns (from the catalogue). Unknown codes fall back to main's own message. */
import { MAX_LINK_LENGTH } from '@common/authorization/request';
import type { ErrorCode } from '@common/errors';
import { section, t } from './i18n/i18n';

interface CodedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export function explainError(error: CodedError): string {
  return section('errors')[error.code] ?? error.message;
}

/** Seconds to wait, for errors that say so (FLOOD_WAIT). */
export function waitSeconds(error: CodedError): number | null {
  const s = error.details?.['seconds'];
  return error.code === 'FLOOD_WAIT' && typeof s === 'number' ? s : null;
}

/**
 * A Passport link that cannot be opened, in words a person can act on: what such a link looks like and
 * where to get it, not the parser's reason (which stays as the detail of a damaged link). `typed`: the
 * text as pasted, when there is one (a web address gets its own advice).
 */
export function explainLinkError(error: CodedError, typed?: string): string {
  if (error.code !== 'AUTH_LINK_INVALID') return explainError(error);
  const parameter = error.details?.['parameter'];
  const reason = error.details?.['reason'];
  if (parameter === 'link') {
    if (typed !== undefined && typed.trim().length > MAX_LINK_LENGTH) return t('requests.linkErrors.tooLong');
    if (typed !== undefined && /^\s*https?:/i.test(typed)) return t('requests.linkErrors.webAddress');
    return t('requests.linkErrors.notALink');
  }
  if (parameter === 'domain') return t('requests.linkErrors.chat');
  return t('requests.linkErrors.damaged', { detail: typeof parameter === 'string' && typeof reason === 'string' ? `${parameter} ${reason}` : error.message });
}
