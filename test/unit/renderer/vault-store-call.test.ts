/**
 * The vault store's calls to main (renderer/src/stores/vault.ts): the request leaves before the store
 * marks itself busy, so the redraw that marking starts (the lock screen's disabled button and spinner)
 * runs while main works, not ahead of the request (an unlock's KDF started after it: bench/render.ts).
 * With a fake window.passportVault in Node; Pinia without a component.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { register } from 'node:module';
import { createPinia, setActivePinia } from 'pinia';

// The renderer's '@common/…' alias (tsconfig.web.json, Vite) for this one import of a renderer store.
const common = new URL('../../../electron/common/', import.meta.url).href;
register(
  `data:text/javascript,${encodeURIComponent(
    `export async function resolve(s, c, next) { return next(s.startsWith('@common/') ? ${JSON.stringify(common)} + s.slice(8) + '.ts' : s, c); }`,
  )}`,
);

/** What this test reads of the store. */
interface VaultStoreSeen {
  readonly busy: boolean;
  readonly errorCode: string | null;
  unlock(password: string): Promise<unknown>;
}

test('unlock: the request is sent before the store is busy, and busy until the answer', async () => {
  const busyAtSend: boolean[] = [];
  let answer: (v: unknown) => void = () => undefined;
  const vault = {
    unlock: () => {
      busyAtSend.push(store.busy);
      return new Promise((resolve) => (answer = resolve));
    },
  };
  (globalThis as unknown as { window: unknown }).window = { passportVault: { vault } };
  // Imported by a computed name: the renderer store is type-checked with the renderer (tsconfig.web.json).
  const storePath = new URL('../../../renderer/src/stores/vault.ts', import.meta.url).href;
  const { useVaultStore } = (await import(storePath)) as { useVaultStore: () => VaultStoreSeen };
  setActivePinia(createPinia());
  const store = useVaultStore();
  const pending = store.unlock('correct horse');
  assert.deepEqual(busyAtSend, [false], 'sent before the busy mark');
  assert.equal(store.busy, true, 'busy while main works');
  answer({ ok: false, error: { code: 'WRONG_PASSWORD', message: 'Wrong password.' } });
  assert.equal(await pending, null);
  assert.equal(store.busy, false);
  assert.equal(store.errorCode, 'WRONG_PASSWORD');
});
