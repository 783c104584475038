/** Words for the coded errors the main process returns (from the catalogue). Unknown codes fall back to main's own message. */
import type { ErrorCode } from '@common/errors';
import { section } from './i18n/i18n';

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
