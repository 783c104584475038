#!/usr/bin/env node
// Builds the `passport-vault` command as plain JavaScript: out/cli/index.mjs plus the modules its
// commands load on demand (code splitting keeps `import()` lazy, so `--help`, `new-secret`, `seal` and
// `open` never load mtcute, keytar or sharp). The runtime dependencies in package.json `dependencies`
// stay external (npm installs them beside the command); everything else, zod included, is bundled.
// Part of `npm run build`; plain .mjs so it runs without tsx.
//
// Layout, for start-up time (a command starts anew for every call, and each module file it loads costs;
// seal of 10 MiB once loaded 13):
// - index.cjs: the entry (command table, argument parsing, output) together with the commands that must
//   start fast (FAST_COMMANDS: seal, open, new-secret and the other secret commands). CommonJS, so Node
//   loads it with require alone, without starting its ES module loader (~10 ms less per start, measured).
//   A fast command's code runs only when it is called (esbuild wraps a module reached by import() in a
//   lazy initializer), so `--help` loads no crypto.
// - <command>.mjs and chunk-*.mjs: every other command, ES modules sharing chunks (code splitting: zod
//   and the Telegram code are big), loaded by import() when that command runs.
// - errors.cjs: electron/common/errors.ts, the one copy every module uses (the ES modules import it as
//   CommonJS), so `instanceof AppError` holds across them and errors keep their codes.
// One flat folder, so each module reaches the others as ./name.
//
// Usage: node scripts/build-cli.mjs [--if-stale]
// --if-stale builds only when out/cli is missing or older than a source it is built from (electron/main,
// electron/common, package.json, this script): what `npm run cli` and the tests' CLI helper use, so they
// never run a stale build.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'out', 'cli');
const entry = join(outDir, 'index.cjs');
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

const commandsDir = join(root, 'electron', 'main', 'cli', 'commands');
const COMMANDS = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -'.ts'.length));
const FAST_COMMANDS = ['files', 'secrets'];
const errorsTs = join(root, 'electron', 'common', 'errors.ts');
/** Imports of errors.ts become ./errors.cjs; of a command, ./<command>.mjs, except the fast ones, which index.cjs bundles. */
const sharedModules = {
  name: 'shared-modules',
  setup(b) {
    b.onResolve({ filter: /errors$/ }, (a) => (resolve(a.resolveDir, `${a.path}.ts`) === errorsTs ? { path: './errors.cjs', external: true } : undefined));
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+$/ }, (a) => {
      const name = a.path.slice('./commands/'.length);
      if (!COMMANDS.includes(name)) throw new Error(`${a.importer} imports ${a.path}, which is not a command module`);
      return FAST_COMMANDS.includes(name) ? undefined : { path: `./${name}.mjs`, external: true };
    });
  },
};
const common = {
  absWorkingDir: root,
  outdir: tmpDir,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  // A package name also covers its subpaths (@mtcute/core/utils.js).
  external: Object.keys(pkg.dependencies ?? {}),
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
  plugins: [sharedModules],
};
const commonJs = { ...common, format: 'cjs', outExtension: { '.js': '.cjs' } };
const esModules = { ...common, format: 'esm', outExtension: { '.js': '.mjs' } };
const entries = (names) => Object.fromEntries(names.map((name) => [name, join(commandsDir, `${name}.ts`)]));
await build({ ...commonJs, entryPoints: { errors: errorsTs } });
await build({ ...commonJs, entryPoints: { index: 'electron/main/cli/index.ts' } });
await build({ ...esModules, entryPoints: entries(COMMANDS.filter((c) => !FAST_COMMANDS.includes(c))), splitting: true, chunkNames: '[name]-[hash]' });
chmodSync(join(tmpDir, 'index.cjs'), 0o755); // package.json `bin`: runnable as it is, through its shebang
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
