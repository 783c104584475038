/**
 * The account's security check-up as main reports it: two-step verification, the active sessions
 * (new ones marked), and the alerts main keeps (new sessions, a sign-out from another device). Ending
 * sessions goes through main; the renderer holds nothing secret here.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ResultOf } from '@common/ipc/api';
import type { ErrorCode } from '@common/errors';
import { explainError } from '../explain-error';
import { t } from '../i18n/i18n';
import { vaultApi } from '../ipc';

export type SessionList = ResultOf<'security.sessions'>;
export type Session = SessionList['sessions'][number];
export type TwoStep = ResultOf<'security.status'>;
export type Alerts = ResultOf<'security.alerts'>;
type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string } };

/** "Pixel 8 Pro · Telegram Android 11.2.1": how a session is named to the person. */
export function sessionName(s: Pick<Session, 'deviceModel' | 'appName' | 'appVersion'>): string {
  return t('security.sessionName', { device: s.deviceModel.trim() || t('security.unknownDevice'), app: `${s.appName} ${s.appVersion}`.trim() });
}

/** "Android 14" rather than "Android Android 14": the platform only when the system version does not start with it. */
export function systemLine(s: Pick<Session, 'platform' | 'systemVersion'>): string {
  const v = s.systemVersion.trim();
  return v.toLowerCase().startsWith(s.platform.toLowerCase()) ? v : `${s.platform} ${v}`.trim();
}

export const useSecurityStore = defineStore('security', () => {
  const twoStep = ref<TwoStep | null>(null);
  const list = ref<SessionList | null>(null);
  const alerts = ref<Alerts>({ newSessions: [], signedOutReason: null });
  const error = ref<string | null>(null);
  const busy = ref(false);
  const api = () => vaultApi().security;
  const newCount = computed(() => alerts.value.newSessions.length);

  /** Reads the two-step state and the sessions; each failure is explained (offline: the stale list stays). */
  async function load(): Promise<void> {
    const [s, l] = await Promise.all([api().status(), api().sessions()]);
    error.value = null;
    if (s.ok) twoStep.value = s.value;
    if (l.ok) list.value = l.value;
    const failed = !l.ok ? l.error : !s.ok ? s.error : null;
    if (failed !== null) error.value = explainError(failed);
    await pollAlerts();
  }

  /** No network: what main noticed by itself (new sessions, a sign-out from another device). */
  async function pollAlerts(): Promise<void> {
    const r = await api().alerts();
    if (r.ok) alerts.value = r.value;
  }

  /** An action on the sessions; afterwards everything is read again (ended sessions leave the list). */
  async function run(call: () => Promise<Outcome>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    let failure: string | null = null;
    try {
      const r = await call();
      if (!r.ok) failure = explainError(r.error);
    } finally {
      busy.value = false;
    }
    await load();
    if (failure !== null) error.value = failure;
    return failure === null;
  }

  return {
    twoStep,
    list,
    alerts,
    error,
    busy,
    newCount,
    load,
    pollAlerts,
    end: (hash: string) => run(() => api().endSession({ hash })),
    endOthers: () => run(() => api().endOtherSessions()),
    acknowledge: (hashes: string[]) => run(() => api().acknowledge({ hashes })),
  };
});
