#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs the benchmarks (all, in this order, or only the named ones) through tsx.
// Names are the files' base names: index (crypto vs OpenSSL), backup, unlock, telegram, scan, render, cli.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALL = ['index', 'backup', 'unlock', 'telegram', 'scan', 'render', 'cli'];
const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !ALL.includes(n));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : ALL) {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
