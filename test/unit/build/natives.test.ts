/**
 * Only ABI-stable natives ship: every `.node` file in the production dependency tree must be N-API
 * (export `napi_register_module_v1`), so the same build loads in Node and in Electron. A module built
 * against one runtime's V8 ABI (better-sqlite3, once pulled in by @mtcute/node) fails here by name.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkNativeModules, elfDynamicSymbols, NAPI_SYMBOL } from '../../../build/native-modules';
import { REPO_ROOT } from '../../support/paths';

test('every native module in the production dependency tree is N-API', () => {
  const checks = checkNativeModules(REPO_ROOT);
  // keytar (the keychain) and sharp (scans) are known natives: not finding them would mean the walk is broken.
  for (const known of ['node_modules/keytar', `node_modules/@img/sharp-${process.platform}-${process.arch}`]) {
    assert.ok(checks.some((c) => c.module === known), `${known} not found among ${checks.map((c) => c.file).join(', ')}`);
  }
  const bad = checks.filter((c) => !c.napi).map((c) => `${c.module}: ${c.file} ${c.error ?? `does not export ${NAPI_SYMBOL}`}`);
  assert.deepEqual(bad, [], `natives that are not N-API:\n${bad.join('\n')}`);
});

test('the ELF reader agrees with nm -D where binutils is installed', (t) => {
  const file = join(REPO_ROOT, 'node_modules/keytar/build/Release/keytar.node');
  const nm = spawnSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8', timeout: 30_000 });
  if (nm.error !== undefined || nm.status !== 0) {
    t.skip('nm not available');
    return;
  }
  const fromNm = nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).at(-1) ?? '').filter((n) => n !== '');
  const ours = elfDynamicSymbols(readFileSync(file));
  assert.ok(ours.includes(NAPI_SYMBOL));
  assert.deepEqual([...new Set(ours.map((n) => n.replace(/@.*$/, '')))].sort(), [...new Set(fromNm.map((n) => n.replace(/@.*$/, '')))].sort());
  assert.throws(() => elfDynamicSymbols(Buffer.from('not elf at all, just text, long enough to pass the size check')), /not an ELF file/);
});
