/**
 * Child process of history-store.test.ts's crash test (bundled with esbuild, run with plain node).
 * Appends entry after entry to the history in DIR until the parent kills it with SIGKILL, writing
 * "begin N" before each append and "done N" after it (synchronously: a line the parent reads is a
 * fact about the disk). Usage: node child.mjs DIR   (env HISTORY_SECRET: hex passport secret)
 */
import { writeSync } from 'node:fs';
import { EncryptedHistoryStore } from '../../../electron/main/authorization/history-store';
import { entryFor } from './history-entries';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: child DIR');
const secret = Buffer.from(process.env.HISTORY_SECRET ?? '', 'hex');
const store = new EncryptedHistoryStore(dir, () => secret, { maxEntries: 1_000_000 });
const start = (await store.list()).length;
writeSync(1, `open ${start}\n`);
for (let n = start + 1; ; n++) {
  writeSync(1, `begin ${n}\n`);
  await store.append(entryFor(n));
  writeSync(1, `done ${n}\n`);
}
