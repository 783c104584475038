#!/usr/bin/env node
// Runs the project's tests with Node's own test runner (through tsx for TypeScript).
// Usage: node scripts/run-tests.mjs [unit] [integration] [e2e]
// unit        = test/unit/**, plus *.test.ts beside their subject under electron/ and tools/
// integration = test/integration/** (against the loopback Telegram server)
// e2e         = test/e2e/** (Chromium against the built renderer)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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
const reporter = 'spec';
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, '--test-concurrency=1', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PASSPORT_VAULT_ROOT: root } },
);
process.exit(res.status ?? 1);
