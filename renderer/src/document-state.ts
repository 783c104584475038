/** One word (and a tone) for where a document stands, from the list summary main sends. */
import type { ResultOf } from '@common/ipc/api';
import { t, tn } from './i18n/i18n';

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
  if (v.conflict) return { key: 'conflict', label: t('state.conflict'), tone: 'error' };
  if (v.problem !== null) return { key: 'problem', label: t('state.problem'), tone: 'error' };
  if (v.damaged.length > 0) return { key: 'damaged', label: tn('state.damaged', v.damaged.length), tone: 'error' };
  if (v.serviceErrors > 0) return { key: 'service_error', label: tn('state.serviceError', v.serviceErrors), tone: 'error' };
  const expires = v.expiresOn === null ? null : passportDateMs(v.expiresOn);
  if (expires !== null && expires < now) return { key: 'expired', label: t('state.expired'), tone: 'error' };
  if (expires !== null && expires - now < EXPIRING_SOON_DAYS * 86_400_000) return { key: 'expiring', label: t('state.expiring'), tone: 'warn' };
  if (v.missingScans) return { key: 'missing_scans', label: t('state.missingScans'), tone: 'warn' };
  if (v.pending) return { key: 'pending', label: t('state.pending'), tone: 'muted' };
  return { key: 'complete', label: t('state.complete'), tone: 'ok' };
}

type Damage = Summary['damaged'][number];

/** "front side: missing; scan 2: damaged (wrong size)": which files of a document are damaged on this device, for people. */
export function describeDamage(damaged: readonly Damage[]): string {
  const slot = (s: string): string => {
    const m = /^(files|translation)\[(\d+)\]$/.exec(s);
    if (m === null) return s === 'front_side' || s === 'reverse_side' || s === 'selfie' ? t(`state.slots.${s}`) : s;
    return t(m[1] === 'files' ? 'state.scanN' : 'state.translationN', { n: Number(m[2]) + 1 });
  };
  return damaged.map((d) => t('state.damagedSlot', { slot: slot(d.slot), reason: t(`state.damage.${d.reason}`) })).join('; ');
}
