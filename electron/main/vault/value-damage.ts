/**
 * Which files of a value are damaged on disk, found cheaply (one stat per file, nothing decrypted):
 * what the lists show, so one missing or damaged scan marks its value, not the whole vault.
 * Reading the file still checks it completely.
 */
import type { StoredFile, StoredValue } from './store/state';
import type { BlobDamage, VaultStore } from './store/vault-store';

export interface FileDamage {
  /** front_side, reverse_side, selfie, files[i] or translation[i]. */
  slot: string;
  reason: BlobDamage;
}

/** Every file of `v` with its slot name, in a fixed order. */
export function filesWithSlots(v: StoredValue): { slot: string; file: StoredFile }[] {
  const out: { slot: string; file: StoredFile }[] = [];
  if (v.frontSide) out.push({ slot: 'front_side', file: v.frontSide });
  if (v.reverseSide) out.push({ slot: 'reverse_side', file: v.reverseSide });
  if (v.selfie) out.push({ slot: 'selfie', file: v.selfie });
  (v.files ?? []).forEach((file, i) => out.push({ slot: `files[${i}]`, file }));
  (v.translation ?? []).forEach((file, i) => out.push({ slot: `translation[${i}]`, file }));
  return out;
}

export function valueDamage(store: VaultStore, v: StoredValue): FileDamage[] {
  const found: FileDamage[] = [];
  for (const { slot, file } of filesWithSlots(v)) {
    const reason = store.blobDamage(file);
    if (reason !== null) found.push({ slot, reason });
  }
  return found;
}

/** `views` (one per value of the store's state, by type) with their `damaged` filled in. */
export function withDamage<T extends { type: StoredValue['type']; damaged: FileDamage[] }>(store: VaultStore, views: T[]): T[] {
  const byType = new Map(store.frozenState.values.map((v) => [v.type, v]));
  for (const view of views) {
    const stored = byType.get(view.type);
    view.damaged = stored === undefined ? [] : valueDamage(store, stored);
  }
  return views;
}
