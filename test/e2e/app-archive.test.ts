/** The app archive: the right files, nothing else, within budget, and reproducible. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import asar from '@electron/asar';
import { APP_ARCHIVE_BUDGET_BYTES, archiveDigest, packAppArchive, sha256File } from '../../build/app-archive';
import { BRIDGE_MARKER } from '../support/bridge/host';
import { REPO_ROOT } from '../support/paths';

describe('app archive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pv-asar-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const first = join(dir, 'first.asar');

  test('holds the build output and package.json, nothing of sources, tests, tools or maps', async () => {
    const files = await packAppArchive(REPO_ROOT, first);
    for (const required of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) assert.ok(files.includes(required), required);
    for (const f of files) {
      assert.ok(f === 'package.json' || f.startsWith('out/'), `unexpected ${f}`);
      assert.doesNotMatch(f, /\.map$|\.test\.|\/test\/|loopback|bridge/);
      assert.ok(!asar.extractFile(first, f).toString('latin1').includes(BRIDGE_MARKER), `${f} mentions the test bridge`);
    }
    const size = statSync(first).size;
    console.log(`app.asar: ${(size / 1024).toFixed(0)} KiB of ${(APP_ARCHIVE_BUDGET_BYTES / 1024).toFixed(0)} KiB budget (${((100 * size) / APP_ARCHIVE_BUDGET_BYTES).toFixed(0)}%), ${files.length} files`);
    assert.ok(size <= APP_ARCHIVE_BUDGET_BYTES, `app.asar is ${size} bytes, over the ${APP_ARCHIVE_BUDGET_BYTES} budget`);
  });

  test('packing twice gives byte-identical archives', async () => {
    const second = join(dir, 'second.asar');
    await packAppArchive(REPO_ROOT, second);
    assert.equal(sha256File(second), sha256File(first));
  });

  test('rebuilding the same commit gives a byte-identical archive', async () => {
    const before = readFileSync(first);
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: REPO_ROOT, stdio: 'ignore', timeout: 240_000 });
    const rebuilt = join(dir, 'rebuilt.asar');
    await packAppArchive(REPO_ROOT, rebuilt);
    assert.deepEqual(archiveDigest(rebuilt), archiveDigest(first));
    assert.ok(readFileSync(rebuilt).equals(before));
  });

  test('verify-build says match for our own archive and names the file that differs in a tampered one', async () => {
    const run = (p: string) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/verify-build.ts'), p], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 240_000 });
    const ok = run(first);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { match: boolean }).match, true);

    // A package whose renderer bundle was altered after the build.
    const src = join(dir, 'tampered-src');
    asar.extractAll(first, src);
    const files = archiveDigest(first).map((e) => e.path);
    const js = files.find((f) => f.startsWith('out/renderer/assets/') && f.endsWith('.js'));
    assert.ok(js !== undefined);
    writeFileSync(join(src, js), 'console.log("evil")');
    const tampered = join(dir, 'tampered.asar');
    await asar.createPackageFromFiles(src, tampered, files.map((f) => join(src, f)));
    const bad = run(tampered);
    assert.equal(bad.status, 1);
    assert.deepEqual((JSON.parse(bad.stdout) as { differing: string[] }).differing, [js]);
  });
});
