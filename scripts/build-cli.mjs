#!/usr/bin/env node
// Builds the `passport-vault` command as plain JavaScript: out/cli/index.mjs plus the chunks its
// commands load on demand (code splitting keeps `import()` lazy, so `--help`, `new-secret`, `seal` and
// `open` never load mtcute, keytar or sharp). The runtime dependencies in package.json `dependencies`
// stay external (npm installs them beside the command); everything else, zod included, is bundled.
// Part of `npm run build`; plain .mjs so it runs without tsx.
//
// Usage: node scripts/build-cli.mjs [--if-stale]
// --if-stale builds only when out/cli is missing or older than a source it is built from (electron/main,
// electron/common, package.json, this script): what `npm run cli` and the tests' CLI helper use, so they
// never run a stale build.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'out', 'cli');
const entry = join(outDir, 'index.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function newestMtimeMs(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, name)));
  return newest;
}

function isStale() {
  if (!existsSync(entry)) return true;
  const sources = ['electron/main', 'electron/common', 'package.json', 'scripts/build-cli.mjs'].map((p) => newestMtimeMs(join(root, p)));
  return Math.max(...sources) > statSync(entry).mtimeMs;
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

// Built beside out/cli and swapped in, so a process running the old build never sees half of a new one.
const tmpDir = `${outDir}.${process.pid}.tmp`;
rmSync(tmpDir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { index: 'electron/main/cli/index.ts' },
  outdir: tmpDir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // A package name also covers its subpaths (@mtcute/core/utils.js).
  external: Object.keys(pkg.dependencies ?? {}),
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
});
chmodSync(join(tmpDir, 'index.mjs'), 0o755); // package.json `bin`: runnable as it is, through its shebang
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
