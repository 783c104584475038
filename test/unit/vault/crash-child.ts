/**
 * Child process of crash.test.ts (bundled with esbuild, run with plain node for a fast start).
 * Opens the vault in DIR and saves generation after generation, forever, until the parent kills
 * it with SIGKILL. Before each save it writes "begin N", after the commit "done N" (synchronously,
 * so a line the parent reads is a fact about the disk). The content of generation N is a pure
 * function of N (crash-content.ts), so the parent can check a state is exactly one generation's.
 * Usage: node child.mjs DIR   (env CRASH_VAULT_KEY: hex vault key, or empty for keyless)
 */
import { writeSync } from 'node:fs';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { blobBytes, contentFor } from './crash-content';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: child DIR');
const keyHex = process.env.CRASH_VAULT_KEY ?? '';
const store = await VaultStore.open(dir, keyHex === '' ? null : Buffer.from(keyHex, 'hex'));
writeSync(1, `open ${store.state.generation}\n`);
for (let n = store.state.generation + 1; ; n++) {
  writeSync(1, `begin ${n}\n`);
  const { files, build } = contentFor(n);
  const names: string[] = [];
  for (let i = 0; i < files.length; i++) names.push(await store.putBlob(blobBytes(n, i)));
  await store.commit(build(names));
  writeSync(1, `done ${n}\n`);
}
