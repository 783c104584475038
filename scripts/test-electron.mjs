#!/usr/bin/env node
// `npm run test:electron`: the real-Electron smoke run (test/electron/smoke.test.ts) wherever an Electron
// binary exists. Not part of `npm test`: our machines cannot download Electron; the release workflow runs it
// on every OS after packaging.
//
// Electron: $PASSPORT_VAULT_ELECTRON, else the `electron` devDependency's binary (npm downloads it unless
// ELECTRON_SKIP_BINARY_DOWNLOAD=1). The app: $PASSPORT_VAULT_ELECTRON_APP, else the packaged app.asar under
// dist/ (electron-builder's output), else this repo's build (npm run build).
// Exit codes: the test run's (0 passed, 1 failed); 77 = skipped, no Electron binary (never a pass).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SKIPPED = 77;
const root = fileURLToPath(new URL('..', import.meta.url));

function electronBinary() {
  const fromEnv = process.env.PASSPORT_VAULT_ELECTRON;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  // Where the electron package keeps its binary (its index.js would try to download a missing one: not here).
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function packagedApp() {
  if (process.env.PASSPORT_VAULT_ELECTRON_APP) return process.env.PASSPORT_VAULT_ELECTRON_APP;
  const dist = join(root, 'dist');
  if (existsSync(dist)) {
    for (const dir of readdirSync(dist)) {
      for (const asar of [join(dist, dir, 'resources', 'app.asar'), ...appBundles(join(dist, dir))]) if (existsSync(asar)) return asar;
    }
  }
  return existsSync(join(root, 'out', 'main', 'index.js')) ? root : null;
}

/** macOS: dist/mac*\/Passport Vault.app/Contents/Resources/app.asar */
function appBundles(dir) {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.app')).map((n) => join(dir, n, 'Contents', 'Resources', 'app.asar'));
  } catch {
    return [];
  }
}

const electron = electronBinary();
if (electron === null) {
  console.log('skipped: no Electron binary');
  process.exit(SKIPPED);
}
const app = packagedApp();
if (app === null) {
  console.error('test:electron: nothing to run — package the app (electron-builder) or run npm run build first');
  process.exit(1);
}
console.log(`test:electron: ${electron} running ${app}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', join('test', 'electron', 'smoke.test.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PV_ELECTRON_BIN: electron, PV_ELECTRON_APP: app, PASSPORT_VAULT_ROOT: root },
});
process.exit(r.status ?? 1);
