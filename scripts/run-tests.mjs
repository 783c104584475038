#!/usr/bin/env node
// Runs the project's tests with Node's own test runner (through tsx for TypeScript).
// Usage: node scripts/run-tests.mjs [unit] [integration] [e2e] [path/to/x.test.ts ...]
// unit        = test/unit/**, plus *.test.ts beside their subject under electron/ and tools/
// integration = test/integration/** (against the loopback Telegram server)
// e2e         = test/e2e/** (Chromium against the built renderer)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const kinds = process.argv.slice(2);
if (kinds.length === 0) kinds.push('unit');

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const roots = {
  unit: ['test/unit', 'electron', 'tools', 'scripts'],
  integration: ['test/integration'],
  e2e: ['test/e2e'],
};
const files = [];
for (const kind of kinds) {
  if (kind.endsWith('.test.ts')) {
    files.push(kind); // one file, as given
    continue;
  }
  if (!roots[kind]) {
    console.error(`unknown test kind: ${kind}`);
    process.exit(2);
  }
  for (const r of roots[kind]) walk(join(root, r), files);
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// Bounds, so that a hang costs minutes and names itself instead of eating CI's 90 minutes:
// - every test gets PER_TEST_MS unless it asks for its own timeout;
// - a watchdog kills the run when no test file has finished for STALL_MS (a test blocked in a
//   synchronous child process cannot time itself out) and prints the test files still running.
const PER_TEST_MS = Number(process.env.PASSPORT_VAULT_TEST_TIMEOUT_MS ?? 300_000);
const STALL_MS = Number(process.env.PASSPORT_VAULT_TEST_STALL_MS ?? 480_000);
mkdirSync(join(root, 'test-results'), { recursive: true });
const specLog = join(root, 'test-results', 'tests.log');
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${PER_TEST_MS}`,
    `--test-reporter=${join(root, 'scripts', 'test-reporter.mjs')}`, '--test-reporter-destination=stdout',
    '--test-reporter=spec', `--test-reporter-destination=${specLog}`,
    ...files,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true, env: { ...process.env, PASSPORT_VAULT_ROOT: root } },
);
console.log(`run-tests: ${files.length} files; the spec report goes to ${relative(root, specLog)}`);
let lastFileDone = Date.now();
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (/^[✔✖] +[0-9.]+ s {2}/mu.test(chunk.toString())) lastFileDone = Date.now();
});
const running = () => {
  const ps = spawnSync('ps', ['-eo', 'pid,etime,args', '--sort=start_time'], { encoding: 'utf8', timeout: 10_000 });
  return (ps.stdout ?? '').split('\n').filter((l) => /\.test\.ts/.test(l) && !l.includes('run-tests.mjs')).join('\n');
};
const watchdog = setInterval(() => {
  if (Date.now() - lastFileDone < STALL_MS) return;
  console.error(`\nrun-tests: STALLED — no test file finished for ${STALL_MS / 60_000} min. Still running:\n${running()}`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  process.exit(1);
}, 15_000);
child.on('exit', (code, signal) => {
  clearInterval(watchdog);
  process.exit(code ?? (signal ? 1 : 0));
});
