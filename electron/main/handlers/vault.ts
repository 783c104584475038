/** Handlers of the `vault.*` channels over the VaultService. Decrypted scans stay in main: only their sizes cross. */
import type { NamespaceHandlers } from '../ipc/router';
import type { VaultService } from '../vault/session/vault-service';

export function createVaultHandlers(service: VaultService): NamespaceHandlers<'vault'> {
  return {
    status: () => service.status(),
    createLocal: ({ password }) => service.createLocal(password),
    unlock: ({ password, rememberDays }) => service.unlock(password, rememberDays),
    async lock() {
      service.lock();
      return service.status();
    },
    async read({ type }) {
      const v = await service.read(type);
      if (v === null) return null;
      const scans: { slot: 'front_side' | 'reverse_side' | 'selfie' | 'files' | 'translation'; index: number; bytes: number }[] = [];
      const single = [
        ['front_side', v.frontSide],
        ['reverse_side', v.reverseSide],
        ['selfie', v.selfie],
      ] as const;
      for (const [slot, b] of single) if (b !== undefined) scans.push({ slot, index: 0, bytes: b.length });
      (v.files ?? []).forEach((b, index) => scans.push({ slot: 'files', index, bytes: b.length }));
      (v.translation ?? []).forEach((b, index) => scans.push({ slot: 'translation', index, bytes: b.length }));
      for (const b of [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])]) b?.fill(0);
      return { type: v.type, data: v.data ?? null, plain: v.plain ?? null, scans, updatedAt: v.updatedAt };
    },
    save: ({ type, data, plain }) => service.save({ type, ...(data !== undefined ? { data } : {}), ...(plain !== undefined ? { plain } : {}) }),
    async remove({ type }) {
      return { removed: await service.remove(type) };
    },
  };
}
