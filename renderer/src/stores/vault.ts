/** The Passport on this device as main reports it. Decrypted fields come and go per document; no key ever does. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RequestOf, ResultOf } from '@common/ipc/api';
import type { SecureValueTypeName } from '@common/passport/secure-value-types';
import { explainError } from '../explain-error';
import { vaultApi } from '../ipc';

export type VaultStatus = ResultOf<'vault.status'>;

export const useVaultStore = defineStore('vault', () => {
  const status = ref<VaultStatus | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const api = () => vaultApi().vault;

  /** Runs a call; keeps the explanation of a failure for the screen. Returns the value or null. */
  async function call<T>(run: () => Promise<{ ok: true; value: T } | { ok: false; error: Parameters<typeof explainError>[0] }>): Promise<T | null> {
    busy.value = true;
    error.value = null;
    try {
      const r = await run();
      if (r.ok) return r.value;
      error.value = explainError(r.error);
      return null;
    } finally {
      busy.value = false;
    }
  }

  async function refresh(): Promise<void> {
    const s = await call(() => api().status());
    if (s !== null) status.value = s;
  }
  async function createLocal(password: string): Promise<boolean> {
    const s = await call(() => api().createLocal({ password }));
    if (s !== null) status.value = s;
    return s !== null;
  }
  async function unlock(password: string, rememberDays?: number): Promise<boolean> {
    const s = await call(() => api().unlock(rememberDays === undefined ? { password } : { password, rememberDays }));
    if (s !== null) {
      const { remembered: _remembered, ...rest } = s;
      status.value = rest;
    }
    return s !== null;
  }
  async function lock(): Promise<void> {
    const s = await call(() => api().lock());
    if (s !== null) status.value = s;
  }
  const read = (type: SecureValueTypeName) => call(() => api().read({ type }));
  async function save(request: RequestOf<'vault.save'>): Promise<boolean> {
    const r = await call(() => api().save(request));
    await refresh();
    return r !== null;
  }
  async function remove(type: SecureValueTypeName): Promise<boolean> {
    const r = await call(() => api().remove({ type }));
    await refresh();
    return r?.removed === true;
  }

  return { status, busy, error, refresh, createLocal, unlock, lock, read, save, remove };
});
