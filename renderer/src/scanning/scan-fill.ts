/**
 * What the person took from the Scan screen, waiting for a document editor to pick it up (each editor
 * takes its own part once): the MRZ values they accepted, and a scan they chose to put into a document
 * to type its values by hand. In memory only; nothing here is saved until the person presses Save in the editor.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PageSide, ScannedForSlot } from './scan-slot';

export type FillTarget = 'personal_details' | 'passport' | 'identity_card';

export interface ScanForDocument {
  readonly side: PageSide;
  readonly scan: ScannedForSlot;
}

export const useScanFillStore = defineStore('scan-fill', () => {
  const pending = ref<Partial<Record<FillTarget, Record<string, string>>>>({});
  const scans = ref<Partial<Record<string, ScanForDocument>>>({});
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
  /** A scan for one page of a document (`type`); the editor of that type puts it in the slot. */
  function offerScan(type: string, scan: ScanForDocument): void {
    scans.value = { ...scans.value, [type]: scan };
  }
  function takeScan(type: string): ScanForDocument | null {
    const s = scans.value[type];
    if (s === undefined) return null;
    const { [type]: _taken, ...rest } = scans.value;
    scans.value = rest;
    return s;
  }
  return { pending, scans, offer, take, offerScan, takeScan };
});
