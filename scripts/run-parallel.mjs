#!/usr/bin/env node
// Runs npm scripts side by side and fails if any fails: `npm test` checks types and lint at once, on the
// machine's two cores (each is one single-threaded process; lint alone takes ~2 min). Each script's output
// is held and printed whole when it ends, so the two never interleave line by line.
// Usage: node scripts/run-parallel.mjs typecheck lint
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs SCRIPT...');
  process.exit(2);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const runs = names.map(
  (name) =>
    new Promise((resolve) => {
      const started = Date.now();
      const out = [];
      const child = spawn(npm, ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => out.push(d));
      let ended = false;
      const done = (code) => {
        if (ended) return; // 'error' can be followed by 'close'
        ended = true;
        const secs = ((Date.now() - started) / 1000).toFixed(0);
        process.stdout.write(`${code === 0 ? '✔' : '✖'} npm run ${name} (${secs} s)\n${Buffer.concat(out).toString()}`);
        resolve(code);
      };
      child.on('error', (e) => {
        out.push(Buffer.from(`${e.message}\n`));
        done(1);
      });
      child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
    }),
);
const codes = await Promise.all(runs);
process.exit(codes.every((c) => c === 0) ? 0 : 1);
