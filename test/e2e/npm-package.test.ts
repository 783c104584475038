/**
 * What a user gets from npm: the built package (`npm pack`), installed with `npm install --omit=dev` into an
 * empty folder, runs `passport-vault` from package.json `bin` with plain node — no tsx, no TypeScript in the
 * package — seals and opens a file, and reads a passport photo's MRZ (`scan`: tesseract.js, its core and the
 * English data, pdf.js and its canvas all come from the installed production dependencies). About a minute, most of it npm installing the production
 * dependencies from the local cache (`--prefer-offline`; `npm ci` filled it).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliEnv, ensureCliBuilt } from '../support/cli';
import { makeFixture } from '../support/scan-fixtures';
import { jpegPagesPdf } from '../support/pdf';
import { REPO_ROOT } from '../support/paths';

describe('the npm package, installed with --omit=dev', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'pv-npm-'));
  const app = join(dir, 'app');
  let tgz = '';
  let packed: string[] = [];
  let bin = '';
  after(() => rmSync(dir, { recursive: true, force: true }));

  before(() => {
    ensureCliBuilt();
    const npm = (args: string[], cwd: string): string =>
      execFileSync('npm', args, { cwd, encoding: 'utf8', env: cliEnv({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }), stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000, killSignal: 'SIGKILL' });
    const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], REPO_ROOT)) as { filename: string; files: { path: string }[] }[];
    assert.ok(info !== undefined);
    tgz = join(dir, info.filename);
    packed = info.files.map((f) => f.path).sort();
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pv-npm-check', private: true }));
    npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tgz], app);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules/passport-vault/package.json'), 'utf8')) as { bin: Record<string, string> };
    bin = join(app, 'node_modules/passport-vault', pkg.bin['passport-vault'] ?? '');
  });

  test('ships the built command and no TypeScript sources', () => {
    assert.ok(packed.includes('out/cli/index.cjs'), packed.join('\n'));
    assert.deepEqual(packed.filter((p) => /\.[cm]?ts$/.test(p) || /^(electron|renderer|test|tools|bench|scripts|bin)\//.test(p)), []);
  });

  test('installs no tsx, TypeScript or other development tool', () => {
    for (const dev of ['tsx', 'typescript', 'esbuild', 'electron', 'zod', 'better-sqlite3', '@mtcute/node']) {
      assert.ok(!existsSync(join(app, 'node_modules', dev)), `${dev} installed`);
    }
  });

  test('node <bin> new-secret, seal and open work from the installed package', () => {
    const run = (...args: string[]): Record<string, unknown> => {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: app, encoding: 'utf8', env: cliEnv(), timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const { secret } = run('new-secret') as { secret: string };
    const plain = randomBytes(300_000);
    writeFileSync(join(app, 'scan.bin'), plain);
    const { hash } = run('seal', '--secret', secret, '--in', join(app, 'scan.bin'), '--out', join(app, 'scan.enc')) as { hash: string };
    assert.deepEqual(run('open', '--secret', secret, '--hash', hash, '--in', join(app, 'scan.enc'), '--out', join(app, 'scan.out')), { ok: true });
    assert.ok(readFileSync(join(app, 'scan.out')).equals(plain));
    // The installed command reports a coded error, not a stack trace.
    const bad = spawnSync(process.execPath, [bin, 'frobnicate'], { cwd: app, encoding: 'utf8', env: cliEnv(), timeout: 60_000 });
    assert.equal(bad.status, 2);
    assert.equal((JSON.parse(bad.stderr) as { error: { code: string } }).error.code, 'BAD_INPUT');
  });

  test('node <bin> scan reads a passport photo and a PDF of it with what the package installed', async () => {
    const f = await makeFixture(7, 'TD3', 'clean');
    writeFileSync(join(app, 'passport.jpg'), f.photo.jpeg);
    writeFileSync(join(app, 'passport.pdf'), await jpegPagesPdf([f.photo.jpeg]));
    // Run from another folder than the package's: nothing may be looked up relative to the working directory.
    const r = spawnSync(process.execPath, [bin, 'scan', join(app, 'passport.jpg'), join(app, 'passport.pdf')], { cwd: dir, encoding: 'utf8', env: cliEnv(), timeout: 180_000 });
    assert.equal(r.status, 0, r.stderr);
    const { results } = JSON.parse(r.stdout) as { results: { status: string; mrz: string[]; fields: { document_number: string } }[] };
    assert.equal(results.length, 2);
    for (const one of results) {
      assert.ok(one.status === 'ok' || one.status === 'confirm', JSON.stringify(one));
      assert.deepEqual(one.mrz, f.mrz);
      assert.equal(one.fields.document_number, f.identity.documentNumber);
    }
  });
});
