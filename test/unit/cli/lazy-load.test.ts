/**
 * The built CLI loads only what a command needs: `--help`, `--version`, `new-secret`, `seal` and `open`
 * never load a package from node_modules (mtcute, keytar, sharp, tesseract…) nor any TypeScript. Every
 * module the process resolves is recorded: ES modules by a resolve hook (module.register) preloaded with
 * --import, CommonJS (the entry, index.cjs, and what it requires) by a Module._load hook preloaded with
 * --require; a Telegram command is the control that shows the hooks do see mtcute when it is loaded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { cliCommand, cliEnv } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'pv-cli-lazy-'));
const hooks = join(dir, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.PV_RESOLVE_LOG, r.url + '\\n');
  return r;
}`,
);
const register = join(dir, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
const requireHook = join(dir, 'require-hook.cjs');
writeFileSync(
  requireHook,
  `const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const url = Module.isBuiltin(request) ? (request.startsWith('node:') ? request : 'node:' + request) : pathToFileURL(Module._resolveFilename(request, parent, isMain)).href;
  appendFileSync(process.env.PV_RESOLVE_LOG, url + '\\n');
  return load.apply(this, arguments);
};`,
);

/** Runs the built CLI with the hook; returns its exit code, stdout and every module URL it resolved. */
function loaded(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; urls: string[] } {
  const log = join(dir, `resolved-${randomBytes(4).toString('hex')}.txt`);
  writeFileSync(log, '');
  const [cmd, argv] = cliCommand(args);
  const r = spawnSync(cmd, ['--require', requireHook, '--import', pathToFileURL(register).href, ...argv], {
    encoding: 'utf8',
    env: cliEnv({ ...env, PV_RESOLVE_LOG: log }),
    timeout: 60_000,
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter((u) => u !== '' && u !== pathToFileURL(register).href);
  return { status: r.status, stdout: r.stdout, urls };
}

const packagesIn = (urls: string[]): string[] => urls.filter((u) => u.includes('/node_modules/'));

describe('the built CLI loads lazily', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  const secret = JSON.parse(loaded(['new-secret']).stdout) as { secret: string };
  const plain = join(dir, 'scan.bin');
  writeFileSync(plain, randomBytes(100_000));

  const runs: [string, () => string[]][] = [
    ['--help', () => ['--help']],
    ['--version', () => ['--version']],
    ['new-secret', () => ['new-secret']],
    ['seal', () => ['seal', '--secret', secret.secret, '--in', plain, '--out', join(dir, 'scan.enc')]],
    ['open', () => {
      const sealed = loaded(['seal', '--secret', secret.secret, '--in', plain, '--out', join(dir, 'scan2.enc')]);
      const { hash } = JSON.parse(sealed.stdout) as { hash: string };
      return ['open', '--secret', secret.secret, '--hash', hash, '--in', join(dir, 'scan2.enc'), '--out', join(dir, 'scan.out')];
    }],
  ];
  for (const [name, args] of runs) {
    test(`${name} loads no package and no TypeScript`, () => {
      const r = loaded(args());
      assert.equal(r.status, 0, r.stdout);
      assert.ok(r.urls.some((u) => u.includes('/out/cli/')), 'the hook saw the built CLI load');
      assert.deepEqual(packagesIn(r.urls), []);
      assert.deepEqual(r.urls.filter((u) => /\.[cm]?ts$/.test(u)), []);
    });
  }

  // Each module file costs start-up time (seal once loaded 13): the fast commands load only the entry,
  // which holds them, and the shared errors module (scripts/build-cli.mjs), and only the builtins they use.
  const fast: [string, () => string[], string[]][] = [
    ['--version', () => ['--version'], ['errors.cjs', 'index.cjs', 'node:fs', 'node:util']],
    ['new-secret', () => ['new-secret'], ['errors.cjs', 'index.cjs', 'node:crypto', 'node:fs', 'node:path', 'node:util']],
    ['seal', () => ['seal', '--secret', secret.secret, '--in', plain, '--out', join(dir, 'scan3.enc')], ['errors.cjs', 'index.cjs', 'node:crypto', 'node:fs', 'node:path', 'node:util']],
  ];
  for (const [name, args, want] of fast) {
    test(`${name} loads two files of the CLI, and no builtin it does not use`, () => {
      const r = loaded(args());
      assert.equal(r.status, 0, r.stdout);
      const names = [...new Set(r.urls.map((u) => u.replace(/^.*\/out\/cli\//, '')))].sort();
      assert.deepEqual(names, want);
    });
  }

  test('control: a Telegram command does load mtcute (the hook would see it in the commands above)', () => {
    // Not configured for Telegram: fails at once, but only after its module (and mtcute) loaded.
    const r = loaded(['status'], { PASSPORT_VAULT_SERVER: '', PASSPORT_VAULT_API_ID: '', PASSPORT_VAULT_API_HASH: '' });
    assert.notEqual(r.status, 0);
    assert.ok(packagesIn(r.urls).some((u) => u.includes('/node_modules/@mtcute/')), packagesIn(r.urls).join('\n'));
  });
});
