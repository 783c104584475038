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
// Unit test files run two at a time (the machine has two cores; they share no ports or folders).
// Integration and e2e files run one at a time: one rebuilds out/ that the others load, and many wait
// on timings (request timeouts of a few seconds, a Cancel's effect within a second) that two Chromium
// runs side by side pushed past their bounds (tried: offline-vault's conflict check timed out).
const JOBS = Number(process.env.PASSPORT_VAULT_UNIT_JOBS ?? 2);
const phases = [
  { name: 'unit', files: [], concurrency: JOBS },
  { name: 'integration-e2e', files: [], concurrency: 1 },
];
for (const kind of kinds) {
  if (kind.endsWith('.test.ts')) {
    phases[1].files.push(kind); // a file given by name runs alone
    continue;
  }
  if (!roots[kind]) {
    console.error(`unknown test kind: ${kind}`);
    process.exit(2);
  }
  for (const r of roots[kind]) walk(join(root, r), kind === 'unit' ? phases[0].files : phases[1].files);
}
if (phases.every((p) => p.files.length === 0)) {
  console.error('no test files found');
  process.exit(1);
}
// Bounds, so that a hang costs minutes and names itself instead of eating CI's 90 minutes:
// - every test, and every test file, gets PER_TEST_MS unless it asks for its own timeout;
// - a test file ends when its tests have (--test-force-exit): on Node 20 one handle left open (a timer,
//   a socket) otherwise keeps the whole run waiting, silently, for ever;
// - a watchdog kills the run when no test file has finished for STALL_MS (a test blocked in a
//   synchronous child process cannot time itself out), or when the whole run passes TOTAL_MS
//   (under CI's 90 minutes, so that CI still gets the report), and prints the test files still running.
const PER_TEST_MS = Number(process.env.PASSPORT_VAULT_TEST_TIMEOUT_MS ?? 420_000);
const STALL_MS = Number(process.env.PASSPORT_VAULT_TEST_STALL_MS ?? 540_000);
const TOTAL_MS = Number(process.env.PASSPORT_VAULT_TEST_TOTAL_MS ?? 65 * 60_000);
const started = Date.now();
mkdirSync(join(root, 'test-results'), { recursive: true });

const running = () => {
  const ps = spawnSync('ps', ['-eo', 'pid,etime,args', '--sort=start_time'], { encoding: 'utf8', timeout: 10_000 });
  return (ps.stdout ?? '').split('\n').filter((l) => /\.test\.ts/.test(l) && !l.includes('run-tests.mjs')).join('\n');
};

function runPhase({ name, files, concurrency }) {
  const specLog = join(root, 'test-results', `tests-${name}.log`);
  console.log(`run-tests: ${name}, ${files.length} files, ${concurrency} at a time; the spec report goes to ${relative(root, specLog)}`);
  const child = spawn(
    process.execPath,
    [
      '--import', 'tsx', '--test', '--test-force-exit', `--test-concurrency=${concurrency}`, `--test-timeout=${PER_TEST_MS}`,
      `--test-reporter=${join(root, 'scripts', 'test-reporter.mjs')}`, '--test-reporter-destination=stdout',
      '--test-reporter=spec', `--test-reporter-destination=${specLog}`,
      ...files.sort(),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true, env: { ...process.env, PASSPORT_VAULT_ROOT: root } },
  );
  let lastFileDone = Date.now();
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (/^[✔✖] +[0-9.]+ s {2}/mu.test(chunk.toString())) lastFileDone = Date.now();
  });
  return new Promise((resolve) => {
    const watchdog = setInterval(() => {
      const stalled = Date.now() - lastFileDone >= STALL_MS;
      const over = Date.now() - started >= TOTAL_MS;
      if (!stalled && !over) return;
      const why = stalled ? `no test file finished for ${STALL_MS / 60_000} min` : `the tests ran past ${TOTAL_MS / 60_000} min`;
      console.error(`\nrun-tests: STOPPED — ${why}. Still running:\n${running()}`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 15_000);
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let failed = false;
for (const phase of phases) {
  if (phase.files.length === 0) continue;
  if (Date.now() - started >= TOTAL_MS) {
    console.error(`run-tests: ${phase.name} not run — the tests ran past ${TOTAL_MS / 60_000} min`);
    failed = true;
    continue;
  }
  const code = await runPhase(phase);
  if (code !== 0) failed = true;
}
console.log(`run-tests: ${failed ? 'FAILED' : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failed ? 1 : 0);
