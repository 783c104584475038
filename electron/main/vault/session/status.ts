/**
 * What the app shows about the open Passport: whether it exists and is unlocked, each value's badge,
 * and on Telegram the account's 2FA state (asked of Telegram, cached; unknown while it cannot be
 * reached, when the hint last seen still helps at the lock screen), the queue and the conflicts.
 */
import { AppError } from '../../../common/errors';
import { secureValueTypeInfo, type SecureValueTypeName } from '../../../common/passport';
import type { PasswordState } from '../../telegram/passport-api';
import type { ValueSummary } from '../local/local-vault';
import type { TelegramPassport } from '../telegram/telegram-passport';
import type { FileDamage } from '../value-damage';
import type { PassportValue } from '../value-view';
import { currentVault } from './open-vault';
import { now, type SessionState } from './session-state';

/** What the list shows about one value: enough for its status badge, no field values. */
export interface ValueOverview extends ValueSummary {
  /** A required scan slot (front side, reverse side, or the scans of an address proof) is empty. */
  missingScans: boolean;
  /** The document's expiry date (DD.MM.YYYY), if it has one. */
  expiresOn: string | null;
  /** How many service errors still apply to it. */
  serviceErrors: number;
  /** An edit waits to be sent to Telegram. */
  pending: boolean;
  conflict: boolean;
  /** Why the value cannot be read, if it cannot. */
  problem: string | null;
  /** Its files missing or damaged on this device (the rest of the vault is fine). */
  damaged: FileDamage[];
}

export interface TelegramVaultStatus {
  mode: 'online' | 'offline' | null;
  /** null = not known (Telegram not reached yet). */
  hasPassword: boolean | null;
  hint: string | null;
  /** A recovery e-mail waits for its code (masked address). */
  emailUnconfirmedPattern: string | null;
  /** The last unlock found the passport secret damaged: offer a backup, then the reset. */
  corrupted: boolean;
  pending: number;
  conflicts: SecureValueTypeName[];
  /** The background check with Telegram after an unlock from this device's copy (TelegramPassportStatus.check). */
  check: 'checking' | 'unconfirmed' | 'password_changed' | null;
  /** Why the check could not confirm the copy (Telegram's or the network's words). */
  checkError: string | null;
  /** While locked: ms left of the 2FA password kept from the sign-in for one unlock; null: none kept. */
  signInPasswordMs: number | null;
}

export interface VaultStatus {
  readonly exists: boolean;
  readonly kind: 'local' | 'telegram' | null;
  readonly unlocked: boolean;
  readonly keychain: 'used' | 'unavailable' | 'off' | null;
  readonly values: ValueOverview[];
  readonly idleLockMinutes: number;
  readonly telegram: TelegramVaultStatus | null;
}

/** Don't ask Telegram for the 2FA state more often than this while it cannot be reached. */
export const PASSWORD_STATE_RETRY_MS = 30_000;

export function overview(v: PassportValue): ValueOverview {
  const info = secureValueTypeInfo(v.type);
  const missingScans =
    (info.fileSlots.includes('front_side') && v.frontSide === undefined) ||
    (info.fileSlots.includes('reverse_side') && v.reverseSide === undefined) ||
    (info.files && v.files.length === 0);
  const files = [v.frontSide, v.reverseSide, v.selfie].filter((f) => f !== undefined).length + v.files.length + v.translation.length;
  const e = v.serviceErrors;
  return {
    type: v.type,
    label: v.label,
    updatedAt: v.updatedAt,
    hasData: v.data !== undefined || v.plain !== undefined,
    files,
    missingScans,
    expiresOn: v.data?.['expiry_date'] !== undefined && v.data['expiry_date'] !== '' ? v.data['expiry_date'] : null,
    serviceErrors: e.value.length + e.lists.files.length + e.lists.translation.length + Object.keys(e.fields).length + Object.keys(e.files).length,
    pending: v.pending,
    conflict: v.conflict,
    problem: v.problem?.message ?? null,
    damaged: v.damaged,
  };
}

/** The account's 2FA state, cached; unknown (null) while Telegram cannot be reached. */
export async function passwordState(s: SessionState, passport: Pick<TelegramPassport, 'passwordState'>, fresh = false): Promise<PasswordState | null> {
  const p = s.password;
  if (!fresh && p !== null && (p.state !== null || now(s) - p.at < PASSWORD_STATE_RETRY_MS)) return p.state;
  try {
    s.password = { state: await passport.passwordState(), at: now(s) };
  } catch (e) {
    if (!(e instanceof AppError) || (e.code !== 'OFFLINE' && e.code !== 'FLOOD_WAIT')) throw e;
    s.password = { state: p?.state ?? null, at: now(s) };
  }
  return s.password.state;
}

/** `telegramValues`: the Telegram Passport's list, when the caller has it already (an unlock just made it). */
export async function vaultStatus(s: SessionState, telegramValues?: PassportValue[]): Promise<VaultStatus> {
  const a = await currentVault(s);
  const idleLockMinutes = Math.round(s.options.idleLockMs / 60_000);
  if (a === null) return { exists: false, kind: null, unlocked: false, keychain: null, values: [], idleLockMinutes, telegram: null };
  if (a.kind === 'local') {
    const v = a.vault;
    const values = v.unlocked
      ? v.values().map(overview)
      : v.listChecked().map((x) => ({ ...x, missingScans: false, expiresOn: null, serviceErrors: 0, pending: false, conflict: false, problem: null }));
    return { exists: true, kind: 'local', unlocked: v.unlocked, keychain: v.keychainUse.status, values, idleLockMinutes, telegram: null };
  }
  const tp = a.passport;
  const st = tp.status();
  const pw = st.unlocked ? (s.password?.state ?? null) : await passwordState(s, tp);
  return {
    exists: true,
    kind: 'telegram',
    unlocked: st.unlocked,
    keychain: st.keychain,
    values: st.unlocked ? (telegramValues ?? (await tp.list())).map(overview) : [],
    idleLockMinutes,
    telegram: {
      mode: st.mode,
      hasPassword: pw?.hasPassword ?? null,
      // Offline the 2FA state is unknown; the hint last seen on Telegram still helps at the lock screen.
      hint: pw !== null ? pw.hint : tp.mirroredHint(),
      emailUnconfirmedPattern: pw?.emailUnconfirmedPattern ?? null,
      corrupted: st.corrupted,
      pending: st.pending.length,
      conflicts: st.conflicts,
      check: st.check,
      checkError: st.checkError?.message ?? null,
      signInPasswordMs: st.unlocked ? null : (s.options.account?.signInPasswordMs?.() ?? null),
    },
  };
}
