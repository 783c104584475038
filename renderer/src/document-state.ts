/** One word (and a tone) for where a document stands, from the list summary main sends. */
import type { ResultOf } from '@common/ipc/api';

type Summary = ResultOf<'vault.status'>['values'][number];
export interface DocumentState {
  readonly label: string;
  readonly tone: 'ok' | 'warn' | 'error' | 'muted';
  readonly key: 'conflict' | 'problem' | 'damaged' | 'service_error' | 'expired' | 'expiring' | 'missing_scans' | 'pending' | 'complete';
}

/** "Expiring soon" = within this many days, as banks and border checks count it. */
export const EXPIRING_SOON_DAYS = 90;

/** DD.MM.YYYY → epoch ms at midnight UTC; null if not a date. */
export function passportDateMs(d: string): number | null {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(d);
  if (m === null) return null;
  return Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
}

export function documentState(v: Summary, now = Date.now()): DocumentState {
  if (v.conflict) return { key: 'conflict', label: 'Changed elsewhere', tone: 'error' };
  if (v.problem !== null) return { key: 'problem', label: 'Cannot be read', tone: 'error' };
  if (v.damaged.length > 0) return { key: 'damaged', label: v.damaged.length === 1 ? 'Damaged scan' : `${v.damaged.length} damaged scans`, tone: 'error' };
  if (v.serviceErrors > 0) return { key: 'service_error', label: v.serviceErrors === 1 ? '1 fix requested' : `${v.serviceErrors} fixes requested`, tone: 'error' };
  const expires = v.expiresOn === null ? null : passportDateMs(v.expiresOn);
  if (expires !== null && expires < now) return { key: 'expired', label: 'Expired', tone: 'error' };
  if (expires !== null && expires - now < EXPIRING_SOON_DAYS * 86_400_000) return { key: 'expiring', label: 'Expires soon', tone: 'warn' };
  if (v.missingScans) return { key: 'missing_scans', label: 'Missing scans', tone: 'warn' };
  if (v.pending) return { key: 'pending', label: 'Waiting to sync', tone: 'muted' };
  return { key: 'complete', label: 'Complete', tone: 'ok' };
}

type Damage = Summary['damaged'][number];
const REASONS: Record<Damage['reason'], string> = { missing: 'missing', not_a_file: 'not a file', wrong_size: 'damaged (wrong size)' };

/** "front side: missing; scan 2: damaged (wrong size)": which files of a document are damaged on this device, for people. */
export function describeDamage(damaged: readonly Damage[]): string {
  const slot = (s: string): string => {
    const m = /^(files|translation)\[(\d+)\]$/.exec(s);
    if (m === null) return s.replace('_', ' ');
    return `${m[1] === 'files' ? 'scan' : 'translation'} ${Number(m[2]) + 1}`;
  };
  return damaged.map((d) => `${slot(d.slot)}: ${REASONS[d.reason]}`).join('; ');
}
