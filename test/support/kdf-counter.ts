/**
 * Counts the 100000-round PBKDF2-HMAC-SHA512 runs (the passport secret's KDF and Telegram's SRP hash)
 * of everything imported AFTER this module: import it first. It wraps node:crypto's `pbkdf2` and
 * updates the live ESM bindings (syncBuiltinESMExports), so modules that take `pbkdf2` from
 * node:crypto when they load (promisify at the top of passport-secret.ts and srp.ts) get the wrapper.
 * Node's test runner gives each test file a process of its own, so nothing else is affected.
 */
import type * as NodeCrypto from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const crypto = createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
const original = crypto.pbkdf2;
let runs = 0;

crypto.pbkdf2 = ((...args: Parameters<typeof original>) => {
  if (args[2] >= 100_000 && args[4] === 'sha512') runs++;
  original(...args);
});
syncBuiltinESMExports();

/** The KDF runs started since the last call. */
export function takeKdfRuns(): number {
  const n = runs;
  runs = 0;
  return n;
}
