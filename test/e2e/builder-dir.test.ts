/**
 * `electron-builder --dir` with our config over an unpacked Electron (`electronDist`): the real packaging
 * pipeline — file set, production dependencies, app.asar, unpacked native modules, fuses, update feed —
 * run here and its output checked.
 *
 * PASSPORT_VAULT_ELECTRON_DIST names an unpacked Electron for Linux where one exists. Our machines cannot
 * download Electron, so without it the test makes a stand-in: one file carrying Electron's fuse wire
 * (sentinel, version, Electron's default fuse states). electron-builder copies it, names it, and flips its
 * fuses exactly as it would the real binary; nothing here ever executes it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import asar from '@electron/asar';
import fuses from '@electron/fuses'; // CommonJS: its named exports are not visible to an ESM import
import { selectPackagedFiles } from '../../build/app-archive';
import config, { CLI_ONLY_DEPENDENCIES } from '../../build/electron-builder.config';
import { BRIDGE_MARKER } from '../support/bridge/host';
import { REPO_ROOT } from '../support/paths';

const { FuseV1Options, getCurrentFuseWire } = fuses;
/** How a fuse's state is written on the wire. */
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in wire order (RunAsNode … GrantFileProtocolExtraPrivileges): '1' on, '0' off. */
const ELECTRON_DEFAULT_FUSES = '10110001';

function standInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from('stand-in for the Electron binary; '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES)]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
  const electronVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(join(dir, 'version'), electronVersion);
  return dir;
}

const FUSE_OPTION: Record<string, fuses.FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

const realDist = process.env['PASSPORT_VAULT_ELECTRON_DIST'];

describe(`electron-builder --dir over ${realDist === undefined ? 'a stand-in Electron (no binary on this machine)' : `the Electron in ${realDist}`}`, { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pv-builder-'));
  const out = join(dir, 'dist');
  const unpacked = join(out, 'linux-unpacked');
  const resources = join(unpacked, 'resources');
  const appAsar = join(resources, 'app.asar');
  let entries: string[] = [];
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(() => {
    const electronDist = realDist ?? standInElectron(join(dir, 'electron-dist'));
    const run = spawnSync(
      join(REPO_ROOT, 'node_modules/.bin/electron-builder'),
      // Rebuilding native modules for Electron needs Electron's headers from the internet; a release build does it.
      ['--dir', '--linux', '--config', 'build/electron-builder.config.ts', `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${out}`, '--publish', 'never'],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 },
    );
    assert.equal(run.status, 0, `electron-builder failed:\n${run.stdout}\n${run.stderr}`);
    entries = asar.listPackage(appAsar, { isPack: false }).map((p) => p.replace(/^[\\/]+/, ''));
  });

  test('the binary carries the fuses the config sets', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'passport-vault'));
    const wanted = config.electronFuses ?? {};
    assert.ok(Object.keys(wanted).length > 0);
    for (const [name, on] of Object.entries(wanted)) {
      const option = FUSE_OPTION[name];
      assert.ok(option !== undefined, `unknown fuse ${name}`);
      assert.equal(wire[option], on === true ? ON : OFF, name);
    }
  });

  test('app.asar: our build output byte for byte, production dependencies, and nothing else', () => {
    const ours = selectPackagedFiles(REPO_ROOT);
    const outside = entries.filter((p) => !p.startsWith('node_modules') && !('files' in asar.statFile(appAsar, p, false)));
    assert.deepEqual(outside.sort(), ours, 'outside node_modules: exactly the config’s file set');
    for (const f of ours.filter((p) => p.startsWith('out/'))) {
      assert.ok(asar.extractFile(appAsar, f).equals(readFileSync(join(REPO_ROOT, f))), `${f} differs from the build`);
    }
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // What only the npm command loads (the scan reader's Tesseract, pdf.js, canvas) stays out; the rest is in.
    const cliOnly = (dep: string): boolean => CLI_ONLY_DEPENDENCIES.some((c) => dep === c || dep.startsWith(`${c}/`));
    for (const dep of Object.keys(pkg.dependencies)) {
      const packaged = entries.includes(`node_modules/${dep}/package.json`);
      assert.equal(packaged, !cliOnly(dep), cliOnly(dep) ? `command-line-only dependency ${dep} packaged` : `dependency ${dep} missing`);
    }
    // Development tools and what the bundler already inlined stay out.
    for (const dev of ['electron', 'electron-vite', 'vite', 'vue', 'zod', 'typescript', 'tsx', 'playwright-core', 'fast-check', 'telegram', 'tesseract.js']) {
      assert.ok(!entries.includes(`node_modules/${dev}`), `dev dependency ${dev} packaged`);
    }
  });

  test('no source maps, TypeScript sources or declarations, tests, test bridge or loopback server', () => {
    const bad = entries.filter((p) => /\.map$|\.[cm]?ts$|\.(test|spec)\.|(^|\/)(__tests__|tests?)\/|loopback-telegram/.test(p));
    assert.deepEqual(bad, []);
    for (const p of entries.filter((e) => e.startsWith('out/'))) {
      if ('files' in asar.statFile(appAsar, p, false)) continue;
      assert.ok(!asar.extractFile(appAsar, p).toString('latin1').includes(BRIDGE_MARKER), `${p} mentions the test bridge`);
    }
    const size = statSync(appAsar).size;
    console.log(`electron-builder app.asar (with production dependencies): ${(size / 1024 / 1024).toFixed(1)} MiB, ${entries.length} entries`);
  });

  test('native modules sit outside the archive and load: MTProto client, keychain, image codec', () => {
    for (const native of ['node_modules/keytar/build/Release/keytar.node', 'node_modules/sharp/package.json']) {
      assert.ok(existsSync(join(resources, 'app.asar.unpacked', native)), `${native} not unpacked`);
    }
    // The packaged tree as the app sees it: the archive with its unpacked files laid over it.
    const tree = join(dir, 'tree');
    asar.extractAll(appAsar, tree);
    cpSync(join(resources, 'app.asar.unpacked'), tree, { recursive: true });
    const script = `
      const { MemoryStorage } = await import('@mtcute/core');
      const keytar = (await import('keytar')).default;
      const sharp = (await import('sharp')).default;
      const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).jpeg({ quality: 89 }).toBuffer();
      console.log(JSON.stringify({ storage: typeof MemoryStorage, keytar: typeof keytar.getPassword, jpeg: jpeg.subarray(0, 2).toString('hex') }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tree, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), { storage: 'function', keytar: 'function', jpeg: 'ffd8' });
  });

  test('the update feed is written for electron-updater: GitHub Releases, published ones only', () => {
    const yml = readFileSync(join(resources, 'app-update.yml'), 'utf8');
    assert.match(yml, /^provider: github$/m);
    assert.match(yml, /^releaseType: release$/m);
    assert.doesNotMatch(yml, /token/i);
  });
});
