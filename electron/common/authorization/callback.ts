/**
 * Where the service's page is sent when the request ends (PASSPORT-SPEC §5): its callback_url with
 * `tg_passport=success`, `tg_passport=cancel`, or `tg_passport=error&error=CODE`.
 *
 * Appended as tdesktop does (qthelp::url_append_query_or_hash): at the very end of the URL, with
 * `&` if the tail already has a query and `?` otherwise — so a single-page app's `#/route?x=1`
 * receives it in its hash route, where its router reads it.
 * Only Telegram's codes that a service may learn are forwarded (tdesktop ForwardServiceErrorRequired).
 */
import type { ServiceErrorCode } from './link';

export type AuthorizationOutcome = { kind: 'success' } | { kind: 'cancel' } | { kind: 'error'; code: ServiceErrorCode };

export const FORWARDED_SERVICE_ERRORS: readonly ServiceErrorCode[] = [
  'BOT_INVALID',
  'PUBLIC_KEY_REQUIRED',
  'PUBLIC_KEY_INVALID',
  'SCOPE_EMPTY',
  'PAYLOAD_EMPTY',
];

export function isForwardedServiceError(code: string): code is ServiceErrorCode {
  return (FORWARDED_SERVICE_ERRORS as readonly string[]).includes(code);
}

export function callbackUrlFor(callbackUrl: string, outcome: AuthorizationOutcome): string {
  const add =
    outcome.kind === 'success' ? 'tg_passport=success' : outcome.kind === 'cancel' ? 'tg_passport=cancel' : `tg_passport=error&error=${outcome.code}`;
  const query = callbackUrl.lastIndexOf('?');
  const hash = callbackUrl.lastIndexOf('#');
  if (query < 0 || query < hash) return `${callbackUrl}?${add}`;
  const tail = callbackUrl.slice(query + 1);
  return tail === '' || tail.endsWith('&') ? `${callbackUrl}${add}` : `${callbackUrl}&${add}`;
}
