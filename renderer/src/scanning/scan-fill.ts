/**
 * Values the person accepted on the Scan screen, waiting for the document editor to pick them up
 * (each editor takes its own part once). In memory only; nothing here is saved until the person
 * presses Save in the editor.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type FillTarget = 'personal_details' | 'passport' | 'identity_card';

export const useScanFillStore = defineStore('scan-fill', () => {
  const pending = ref<Partial<Record<FillTarget, Record<string, string>>>>({});
  function offer(target: FillTarget, values: Record<string, string>): void {
    pending.value = { ...pending.value, [target]: values };
  }
  function take(target: string): Record<string, string> | null {
    const v = pending.value[target as FillTarget];
    if (v === undefined) return null;
    const { [target as FillTarget]: _taken, ...rest } = pending.value;
    pending.value = rest;
    return v;
  }
  return { pending, offer, take };
});
