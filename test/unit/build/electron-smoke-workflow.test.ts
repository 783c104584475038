/**
 * The release workflow's real-Electron smoke job, checked where it cannot run: the YAML parses, the job
 * runs on every OS after packaging, calls the documented `npm run test:electron` (Xvfb + a throwaway
 * Secret Service on Linux), and publishing waits for it. And the command itself, on a machine without
 * an Electron binary, reports "skipped: no Electron binary" with exit code 77, never 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../support/paths';

interface Step {
  name?: string;
  run?: string;
  if?: string;
  uses?: string;
}
interface Job {
  needs?: string | string[];
  strategy?: { matrix?: { include?: { os: string; target: string }[] } };
  steps: Step[];
}

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/release.yml'), 'utf8')) as { jobs: Record<string, Job> };
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

test('the release workflow parses and has an Electron smoke job per OS that runs after packaging', () => {
  const job = workflow.jobs['electron-smoke'];
  assert.ok(job !== undefined, 'electron-smoke job');
  assert.deepEqual(job.strategy?.matrix?.include?.map((m) => m.target).sort(), ['--linux', '--mac', '--win']);
  const runs = job.steps.map((s) => s.run ?? '');
  const packaging = runs.findIndex((r) => /electron-builder .*--dir/.test(r));
  const smoke = runs.map((r, i) => (r.includes('npm run test:electron') ? i : -1)).filter((i) => i >= 0);
  assert.ok(packaging >= 0, 'packages the app');
  assert.ok(smoke.length >= 1 && smoke.every((i) => i > packaging), 'the smoke run comes after packaging');
  const linux = job.steps.find((s) => s.if === "runner.os == 'Linux'" && s.run?.includes('npm run test:electron'));
  assert.match(linux?.run ?? '', /^xvfb-run -a dbus-run-session -- bash \.ci\/with-keyring\.sh npm run test:electron$/);
  const others = job.steps.find((s) => s.if === "runner.os != 'Linux'" && s.run?.includes('npm run test:electron'));
  assert.equal(others?.run, 'npm run test:electron');
  const needs = workflow.jobs['publish']?.needs;
  assert.ok(Array.isArray(needs) && needs.includes('electron-smoke') && needs.includes('build'), 'publishing waits for the smoke run');
});

test('test:electron is the documented command, and not part of npm test', () => {
  assert.equal(pkg.scripts['test:electron'], 'node scripts/test-electron.mjs');
  assert.doesNotMatch(pkg.scripts['test'] ?? '', /test:electron/);
  assert.doesNotMatch(pkg.scripts['test:all'] ?? '', /electron/);
  assert.match(readme, /`npm run test:electron`/);
});

test('without an Electron binary it says "skipped: no Electron binary" and exits 77, not 0', () => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/test-electron.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PASSPORT_VAULT_ELECTRON: join(REPO_ROOT, 'no-such-electron-binary') },
  });
  assert.equal(r.status, 77, r.stderr);
  assert.equal(r.stdout.trim(), 'skipped: no Electron binary');
});
