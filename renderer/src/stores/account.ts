/** The Telegram account as main reports it, and the sign-in steps. Main keeps the phone_code_hash and the session. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChannelResult, ResultOf } from '@common/ipc/api';
import type { ChannelName } from '@common/ipc/contract';
import { explainError, waitSeconds } from '../explain-error';
import { vaultApi } from '../ipc';

export type AccountStatus = ResultOf<'account.status'>;

export const useAccountStore = defineStore('account', () => {
  const status = ref<AccountStatus | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** Epoch ms until which Telegram asked us to wait (FLOOD_WAIT), for a live countdown. */
  const waitUntil = ref<number | null>(null);

  const stage = computed(() => status.value?.stage ?? 'signed_out');

  async function refresh(): Promise<void> {
    const r = await vaultApi().account.status();
    if (r.ok) status.value = r.value;
    else error.value = explainError(r.error);
  }

  /** Runs one step; on failure keeps the explanation (and any wait) for the screen, then re-reads the status. */
  async function step<C extends ChannelName>(call: () => Promise<ChannelResult<C>>): Promise<ChannelResult<C>> {
    busy.value = true;
    error.value = null;
    try {
      const r = await call();
      if (!r.ok) {
        error.value = explainError(r.error);
        const s = waitSeconds(r.error);
        waitUntil.value = s === null ? null : Date.now() + s * 1000;
      }
      await refresh();
      return r;
    } finally {
      busy.value = false;
    }
  }

  const api = () => vaultApi().account;
  return {
    status,
    stage,
    busy,
    error,
    waitUntil,
    refresh,
    sendCode: (countryCode: string, number: string) => step<'account.sendCode'>(() => api().sendCode({ countryCode, number })),
    resendCode: () => step<'account.resendCode'>(() => api().resendCode()),
    submitCode: (code: string) => step<'account.submitCode'>(() => api().submitCode({ code })),
    submitPassword: (password: string) => step<'account.submitPassword'>(() => api().submitPassword({ password })),
    startOver: () => step<'account.startOver'>(() => api().startOver()),
    signOut: () => step<'account.signOut'>(() => api().signOut()),
  };
});
