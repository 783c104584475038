/** Where the repo and its test outputs are, whichever way the tests were started. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = process.env['PASSPORT_VAULT_ROOT'] ?? resolve(import.meta.dirname, '../..');

/** Screenshots and traces go under test-results/<kind>/ (ignored by git, kept by CI as artifacts). */
export function resultsDir(kind: string): string {
  const dir = join(REPO_ROOT, 'test-results', kind);
  mkdirSync(dir, { recursive: true });
  return dir;
}
