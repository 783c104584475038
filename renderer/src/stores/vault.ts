/** The Passport on this device as main reports it. Decrypted fields come and go per document; no key ever does. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChannelResult, RequestOf, ResultOf } from '@common/ipc/api';
import type { ChannelName } from '@common/ipc/contract';
import type { SecureValueTypeName } from '@common/passport/secure-value-types';
import { afterPaint } from '../after-paint';
import { explainError } from '../explain-error';
import { vaultApi } from '../ipc';

export type VaultStatus = ResultOf<'vault.status'>;
export type StoredDocument = NonNullable<ResultOf<'vault.read'>>;
export type Progress = ResultOf<'vault.progress'>;

export const useVaultStore = defineStore('vault', () => {
  const status = ref<VaultStatus | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** The code of the last failure, for screens that act on it (SYNC_CONFLICT, VAULT_LOCKED…). */
  const errorCode = ref<string | null>(null);
  /** An upload or sync in progress, polled while a save runs. */
  const progress = ref<Progress>(null);
  const api = () => vaultApi().vault;
  const isTelegram = computed(() => status.value?.kind === 'telegram');

  /** Runs a call; keeps the explanation of a failure for the screen. Returns the value or null. */
  async function call<C extends ChannelName>(run: () => Promise<ChannelResult<C>>): Promise<ResultOf<C> | null> {
    // The request leaves first, then the screen is marked busy: the redraw that follows (a disabled
    // button, a spinner) then runs while main works, not before the request is sent (an unlock's KDF
    // started a redraw later: bench/render.ts, "click → unlock request sent").
    const answer = run();
    busy.value = true;
    error.value = null;
    errorCode.value = null;
    try {
      const r = await answer;
      if (r.ok) return r.value;
      error.value = explainError(r.error);
      errorCode.value = r.error.code;
      return null;
    } finally {
      busy.value = false;
    }
  }

  /** Polls main's progress while `work` runs (uploads can take a while on a slow link). */
  async function withProgress<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const poll = async (): Promise<void> => {
      while (!done) {
        const r = await vaultApi().vault.progress();
        if (!done && r.ok) progress.value = r.value;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    void poll();
    try {
      return await work;
    } finally {
      done = true;
      progress.value = null;
    }
  }

  /** The status is the one an unlock just answered with, and no screen has asked for the status since. */
  let answeredByUnlock = false;
  async function refresh(): Promise<void> {
    answeredByUnlock = false;
    const s = await call<'vault.status'>(() => api().status());
    if (s !== null) status.value = s;
    // A check this page did not start (an unlock before a reload): followed too, or 'Checking' stays.
    if (s?.telegram?.check === 'checking' && following === 0) void followCheck();
  }
  /**
   * refresh() for a screen that opens, except the first right after an unlock: the unlock answered with
   * the status, and reading it again would make main decrypt the list a second time and this page draw
   * it twice while it first appears (bench/render.ts).
   */
  async function refreshUnlessUnlocked(): Promise<void> {
    if (answeredByUnlock) {
      answeredByUnlock = false;
      return;
    }
    await refresh();
  }
  /** Re-reads the status after a failure, keeping the failure for the screen. */
  async function refreshKeepingError(): Promise<void> {
    const failure = [error.value, errorCode.value] as const;
    await refresh();
    [error.value, errorCode.value] = failure;
  }
  /**
   * A background re-read for the shell's poll: it neither marks the store busy nor clears an error a
   * screen is showing. Only while a Telegram Passport is open and something may change without a click
   * (offline, or edits waiting: main sends them by itself when the connection returns).
   */
  async function poll(): Promise<void> {
    const s = status.value;
    const tg = s?.telegram ?? null;
    if (s?.unlocked !== true || tg === null || (tg.mode !== 'offline' && tg.pending === 0 && tg.conflicts.length === 0)) return;
    const r = await api().status();
    if (r.ok) status.value = r.value;
  }
  async function createLocal(password: string): Promise<boolean> {
    const s = await call<'vault.createLocal'>(() => api().createLocal({ password }));
    if (s !== null) status.value = s;
    return s !== null;
  }
  /** After an unlock from this device's copy: the status once Telegram has checked it (values up to date, conflicts marked). */
  let following = 0;
  async function followCheck(start?: Promise<void>): Promise<void> {
    following++;
    try {
      await start;
      const r = await api().whenChecked();
      if (r.ok) status.value = r.value;
    } finally {
      following--;
    }
  }
  async function unlock(password: string, rememberDays?: number): Promise<ResultOf<'vault.unlock'> | null> {
    const r = await call<'vault.unlock'>(() => api().unlock(rememberDays === undefined ? { password } : { password, rememberDays }));
    if (r !== null) {
      status.value = r.status;
      answeredByUnlock = true;
      // Waiting on the check is no part of showing the list: asked once the list's frame is drawn.
      if (r.status.telegram?.check === 'checking') void followCheck(afterPaint());
    } else if (errorCode.value === 'SECRET_CHECKSUM' || errorCode.value === 'SECRET_FINGERPRINT') {
      // A damaged key: main now reports it in the status, and the lock screen offers the reset.
      await refreshKeepingError();
    }
    return r;
  }
  /** With the 2FA password typed at sign-in, which main kept for this one unlock. */
  async function unlockWithSignInPassword(rememberDays?: number): Promise<ResultOf<'vault.unlockWithSignInPassword'> | null> {
    const r = await call<'vault.unlockWithSignInPassword'>(() => api().unlockWithSignInPassword(rememberDays === undefined ? {} : { rememberDays }));
    if (r !== null) status.value = r.status;
    else await refreshKeepingError();
    return r;
  }
  async function lock(): Promise<void> {
    answeredByUnlock = false;
    const s = await call<'vault.lock'>(() => api().lock());
    if (s !== null) status.value = s;
  }
  const read = (type: SecureValueTypeName) => call<'vault.read'>(() => api().read({ type }));
  async function save(request: RequestOf<'vault.save'>): Promise<ResultOf<'vault.save'> | null> {
    const r = await withProgress(call<'vault.save'>(() => api().save(request)));
    await refreshKeepingError();
    return r;
  }
  async function remove(type: SecureValueTypeName): Promise<boolean> {
    const r = await call<'vault.remove'>(() => api().remove({ type }));
    await refresh();
    return r?.removed === true;
  }
  async function removeAll(confirmation: string): Promise<boolean> {
    const r = await call<'vault.removeAll'>(() => api().removeAll({ confirmation }));
    await refresh();
    return r !== null;
  }
  async function sync(): Promise<ResultOf<'vault.sync'> | null> {
    const r = await withProgress(call<'vault.sync'>(() => api().sync()));
    await refresh();
    return r;
  }
  /** `seen`: the server hash of the other version the person was shown (null: shown as deleted there). */
  async function resolve(type: SecureValueTypeName, choice: 'mine' | 'theirs', seen?: string | null): Promise<ResultOf<'vault.resolve'> | null> {
    const r = await withProgress(call<'vault.resolve'>(() => api().resolve(seen === undefined ? { type, choice } : { type, choice, seen })));
    await refresh();
    return r;
  }
  async function setupPassword(password: string, hint: string, email: string): Promise<ResultOf<'vault.setupPassword'> | null> {
    const r = await call<'vault.setupPassword'>(() => api().setupPassword(email === '' ? { password, hint } : { password, hint, email }));
    await refresh();
    return r;
  }
  async function confirmRecoveryEmail(code: string): Promise<boolean> {
    const r = await call<'vault.confirmRecoveryEmail'>(() => api().confirmRecoveryEmail({ code }));
    await refresh();
    return r !== null;
  }
  async function changePassword(current: string, next: string, hint: string): Promise<boolean> {
    return (await call<'vault.changePassword'>(() => api().changePassword({ current, next, hint }))) !== null;
  }
  /** Saves an encrypted backup where the person picks in main's save dialog; null = cancelled or failed (see error). */
  async function exportBackup(password?: string): Promise<ResultOf<'vault.exportBackup'> | null> {
    return withProgress(call<'vault.exportBackup'>(() => api().exportBackup(password === undefined ? {} : { password })));
  }
  /** Picks a backup in main's open dialog and reads its manifest (no password). */
  const chooseBackup = () => call<'vault.chooseBackup'>(() => api().chooseBackup({}));
  async function restoreBackup(backupId: string, password: string): Promise<ResultOf<'vault.restoreBackup'> | null> {
    const r = await withProgress(call<'vault.restoreBackup'>(() => api().restoreBackup({ backupId, password })));
    await refreshKeepingError();
    return r;
  }
  const localVault = () => call<'vault.localVault'>(() => api().localVault({}));
  async function attachLocal(password: string): Promise<ResultOf<'vault.attachLocal'> | null> {
    const r = await withProgress(call<'vault.attachLocal'>(() => api().attachLocal({ password })));
    await refreshKeepingError();
    return r;
  }
  const requestRecovery = () => call<'vault.requestRecovery'>(() => api().requestRecovery({}));
  async function recoverPassword(code: string, password: string, hint: string): Promise<boolean> {
    const r = await call<'vault.recoverPassword'>(() => api().recoverPassword(password === '' ? { code } : { code, password, hint }));
    await refreshKeepingError();
    return r !== null;
  }
  async function resetPassport(password: string, confirmation: string): Promise<boolean> {
    const r = await call<'vault.resetPassport'>(() => api().resetPassport({ password, confirmation }));
    await refresh();
    return r !== null;
  }

  return {
    status,
    busy,
    error,
    errorCode,
    progress,
    isTelegram,
    refresh,
    refreshUnlessUnlocked,
    poll,
    createLocal,
    unlock,
    unlockWithSignInPassword,
    lock,
    read,
    save,
    remove,
    removeAll,
    sync,
    resolve,
    setupPassword,
    confirmRecoveryEmail,
    changePassword,
    resetPassport,
    exportBackup,
    chooseBackup,
    restoreBackup,
    requestRecovery,
    recoverPassword,
    localVault,
    attachLocal,
  };
});
