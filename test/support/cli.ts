/**
 * How tests run the `passport-vault` command: the BUILT one, as installed (package.json `bin`,
 * plain JavaScript under out/cli), never the TypeScript through tsx, so the tests prove what users get.
 * The first call in a test process builds the CLI if out/cli is missing or older than its sources
 * (`scripts/build-cli.mjs --if-stale`, about a second), and fails loudly if that build fails.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const bin = pkg.bin['passport-vault'];
if (bin === undefined) throw new Error('package.json has no passport-vault bin');

/** The built entry file package.json `bin` names. */
export const CLI_BIN = join(REPO_ROOT, bin);

let built = false;

/** Builds the CLI once per test process if it is missing or stale; throws with the build's output if that fails. */
export function ensureCliBuilt(): string {
  if (built) return CLI_BIN;
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/build-cli.mjs'), '--if-stale'], { cwd: REPO_ROOT, encoding: 'utf8', env: cliEnv(), timeout: 180_000 });
  if (r.status !== 0) throw new Error(`building the CLI (scripts/build-cli.mjs) failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
  return CLI_BIN;
}

/** The environment for the CLI: the caller's, without a TypeScript loader a tsx parent may pass down. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  const tokens = (env['NODE_OPTIONS'] ?? '').split(/\s+/).filter((o) => o !== '');
  const kept: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    // `--import tsx` (two tokens) or `--import=tsx` and the like.
    if (/^--(import|require|loader|experimental-loader)$/.test(t) && /tsx/.test(tokens[i + 1] ?? '')) i++;
    else if (!/tsx/.test(t)) kept.push(t);
  }
  if (kept.length > 0) env['NODE_OPTIONS'] = kept.join(' ');
  else delete env['NODE_OPTIONS'];
  return env;
}

/** `[command, args]` to spawn `passport-vault ...args` with; build first when needed. */
export function cliCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [ensureCliBuilt(), ...args]];
}
