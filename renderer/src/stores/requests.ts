/**
 * The Passport requests the person is working on, kept across navigation: a missing document is
 * filled in its editor and the person comes back to the same request, with the same choices, and a
 * freshly fetched form. Only what main shows is kept here (statuses, labels, the chosen type per
 * item): main keeps the request itself (key, nonce, callback) and every secret.
 */
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { ResultOf } from '@common/ipc/api';
import type { SecureValueTypeName } from '@common/passport/secure-value-types';
import { explainError, explainLinkError } from '../explain-error';
import { t } from '../i18n/i18n';
import { vaultApi } from '../ipc';

export type OpenedRequest = ResultOf<'authorization.open'>;
export type RequestForm = ResultOf<'authorization.getForm'>;
export interface ClosedRequest {
  callbackUrl: string | null;
  opened: boolean;
  outcome: 'shared' | 'cancelled';
  service: string;
}

export const useRequestsStore = defineStore('requests', () => {
  const requests = ref<OpenedRequest[]>([]);
  const forms = reactive<Record<string, RequestForm>>({});
  /** Per request: item index → the type the person picked (or the suggested one). */
  const choices = reactive<Record<string, Record<number, SecureValueTypeName>>>({});
  const formErrors = reactive<Record<string, string>>({});
  const closed = reactive<Record<string, ClosedRequest>>({});
  const busy = ref(false);
  const api = () => vaultApi().authorization;

  /** Forgets the view state of requests main no longer has open. */
  function prune(): void {
    const open = new Set(requests.value.map((r) => r.requestId));
    for (const id of Object.keys(forms)) if (!open.has(id)) delete forms[id];
    for (const id of Object.keys(choices)) if (!open.has(id)) delete choices[id];
  }

  async function loadList(): Promise<string | null> {
    const [pending, list] = await Promise.all([api().takePending(), api().list()]);
    if (list.ok) requests.value = list.value.requests;
    prune();
    return pending.ok && pending.value.invalid.length > 0 ? pending.value.invalid.map((e) => explainLinkError(e)).join(' ') : null;
  }

  /** Fetches (or re-fetches, after the person filled something in) the form; keeps still-valid choices. */
  async function review(id: string): Promise<void> {
    busy.value = true;
    delete formErrors[id];
    const r = await api().getForm({ requestId: id });
    busy.value = false;
    if (!r.ok) {
      formErrors[id] = r.error.code === 'NOT_SIGNED_IN' ? t('requests.signInToReview') : explainError(r.error);
      return;
    }
    const before = choices[id] ?? {};
    forms[id] = r.value;
    choices[id] = Object.fromEntries(
      r.value.items.map((i) => {
        const kept = before[i.index];
        return [i.index, kept !== undefined && i.options.some((o) => o.type === kept) ? kept : i.suggested];
      }),
    );
  }

  /** Forms shown before the person went elsewhere (e.g. to fill a document in): fetched again. */
  async function refreshForms(): Promise<void> {
    for (const id of Object.keys(forms)) await review(id);
  }

  /** Every item's chosen option is ready to share. */
  function canAuthorize(id: string): boolean {
    const form = forms[id];
    const picked = choices[id] ?? {};
    return form !== undefined && form.items.every((i) => i.options.find((o) => o.type === (picked[i.index] ?? i.suggested))?.status === 'ready');
  }

  async function authorize(id: string): Promise<boolean> {
    const form = forms[id];
    if (form === undefined) return false;
    busy.value = true;
    delete formErrors[id];
    const picked = Object.entries(choices[id] ?? {}).map(([item, type]) => ({ item: Number(item), type }));
    const r = await api().authorize({ requestId: id, choices: picked });
    busy.value = false;
    if (!r.ok) {
      formErrors[id] = explainError(r.error);
      return false;
    }
    closed[id] = { callbackUrl: r.value.callbackUrl, opened: r.value.opened, outcome: 'shared', service: form.service.name };
    return true;
  }

  async function cancel(id: string, service: string): Promise<void> {
    const r = await api().cancel({ requestId: id });
    if (r.ok) closed[id] = { callbackUrl: r.value.callbackUrl, opened: r.value.opened, outcome: 'cancelled', service };
    else formErrors[id] = explainError(r.error);
  }

  return { requests, forms, choices, formErrors, closed, busy, loadList, review, refreshForms, canAuthorize, authorize, cancel };
});
