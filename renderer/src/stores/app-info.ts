/** What the main process says about the app and this device (version, platform, keychain). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ResultOf } from '@common/ipc/api';
import { t } from '../i18n/i18n';
import { vaultApi } from '../ipc';

export type AppInfo = ResultOf<'app.info'>;

export const useAppInfoStore = defineStore('app-info', () => {
  const info = ref<AppInfo | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    const result = await vaultApi().app.info();
    loading.value = false;
    if (result.ok) info.value = result.value;
    else error.value = t('shell.appInfoError', { message: result.error.message, code: result.error.code });
  }

  return { info, error, loading, load };
});
