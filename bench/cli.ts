/**
 * `npm run bench -- cli`: the built `passport-vault` command as a user runs it, whole processes, start-up
 * included, beside OpenSSL in the same run.
 *
 * 1. `--version` and `new-secret`: median wall time of a whole process. Goal <= 150 ms.
 * 2. `seal` of a 10 MiB file, whole process, against the OpenSSL pipeline doing the same work
 *    (sha256sum + sha512sum + `openssl enc -aes-256-cbc -nopad`, three processes). Goal <= 1.5x.
 * 3. Peak RSS of the `seal` process (VmHWM, read at exit by a preloaded hook), and what sealing adds over
 *    the same process printing `--version`, as a multiple of the file. Goal: added < 4x the file.
 * Prints `RESULT name value unit reference goal op number` lines; a benchmark reports, it does not fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deriveAesKeyIv } from '../electron/main/passport/crypto/keys';
import { makePaddingPrefix } from '../electron/main/passport/crypto/padding';
import { cliCommand, cliEnv } from '../test/support/cli';
import { result } from './result';

const FILE_SIZE = 10 * 1024 * 1024;
const RUNS = 11;
const START_GOAL_S = 0.15;
const SEAL_GOAL_RATIO = 1.5;
const RSS_GOAL_X = 4;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timeS(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Runs each function RUNS times, interleaved (so load on the machine hits them alike), after one warm-up each. */
function medians(fns: Record<string, () => void>): Record<string, number> {
  const times: Record<string, number[]> = {};
  for (const [k, fn] of Object.entries(fns)) {
    fn();
    times[k] = [];
  }
  for (let i = 0; i < RUNS; i++) for (const [k, fn] of Object.entries(fns)) times[k]?.push(timeS(fn));
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const env = cliEnv();
// These build machines set NODE_EXTRA_CA_CERTS to the whole system CA bundle, which makes every Node
// process parse it at start (~35 ms here). No command timed here uses TLS and a user's shell does not
// normally set it, so the Node processes below run without it; the header line says so.
const extraCa = env['NODE_EXTRA_CA_CERTS'];
delete env['NODE_EXTRA_CA_CERTS'];
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): string {
  const [cmd, argv] = cliCommand(args);
  const r = spawnSync(cmd, [...nodeArgs, ...argv], { encoding: 'utf8', env: { ...env, ...extraEnv }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`passport-vault ${args[0] ?? ''} failed: ${r.stderr}`);
  return r.stdout;
}
const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'pv-bench-cli-'));
try {
  console.log(`passport-vault CLI bench (built command, whole processes) — node ${process.version}, ${run('openssl', ['version']).trim()}`);
  if (extraCa !== undefined) console.log(`  (Node processes run without this machine's NODE_EXTRA_CA_CERTS=${extraCa}: it adds a CA-bundle parse to every Node start)`);
  const plain = join(dir, 'scan.bin');
  writeFileSync(plain, randomBytes(FILE_SIZE));
  const secret = (JSON.parse(cli(['new-secret'])) as { secret: string }).secret;

  // The reference pipeline, on the padded plaintext (as bench/index.ts does).
  const padded = join(dir, 'ref.padded');
  writeFileSync(padded, Buffer.concat([makePaddingPrefix(FILE_SIZE), readFileSync(plain)]));
  const keyIv = deriveAesKeyIv(Buffer.from(secret, 'base64'), randomBytes(32));
  writeFileSync(join(dir, 'secret-hash'), randomBytes(64));
  const t = medians({
    nodeBare: () => execFileSync(process.execPath, ['-e', '0'], { env, timeout: 60_000 }),
    version: () => cli(['--version']),
    newSecret: () => cli(['new-secret']),
    seal: () => cli(['seal', '--secret', secret, '--in', plain, '--out', join(dir, 'scan.enc')]),
    openssl: () => {
      run('sha256sum', [padded]);
      run('sha512sum', [join(dir, 'secret-hash')]);
      run('openssl', ['enc', '-aes-256-cbc', '-nopad', '-K', keyIv.key.toString('hex'), '-iv', keyIv.iv.toString('hex'), '-in', padded, '-out', join(dir, 'ref.enc')]);
    },
  });
  const ms = (s: number | undefined): string => `${((s ?? NaN) * 1000).toFixed(1)} ms`;
  console.log(`\nwhole-process wall time, median of ${RUNS} (interleaved)`);
  console.log(`  node -e 0 (Node's own start-up)   ${ms(t['nodeBare'])}`);
  console.log(`  passport-vault --version          ${ms(t['version'])}   goal <= ${START_GOAL_S * 1000} ms`);
  console.log(`  passport-vault new-secret         ${ms(t['newSecret'])}   goal <= ${START_GOAL_S * 1000} ms`);
  console.log(`  passport-vault seal (10 MiB)      ${ms(t['seal'])}`);
  console.log(`  OpenSSL pipeline (3 processes)    ${ms(t['openssl'])}`);
  const sealRatio = (t['seal'] ?? NaN) / (t['openssl'] ?? NaN);
  console.log(`  ratio seal / pipeline:            ${sealRatio.toFixed(2)}x   goal <= ${SEAL_GOAL_RATIO}x`);

  // Peak RSS: a preloaded hook writes VmHWM (this address space's high-water mark) at exit.
  const hook = join(dir, 'peak.mjs');
  writeFileSync(hook, `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.PV_PEAK_FILE, /^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]));\n`);
  const peakKiB = (args: string[]): number => {
    const file = join(dir, 'peak.txt');
    cli(args, { PV_PEAK_FILE: file }, ['--import', pathToFileURL(hook).href]);
    return Number(readFileSync(file, 'utf8'));
  };
  const basePeak = median([0, 1, 2].map(() => peakKiB(['--version'])));
  const sealPeak = median([0, 1, 2].map(() => peakKiB(['seal', '--secret', secret, '--in', plain, '--out', join(dir, 'scan.enc')])));
  const addedX = ((sealPeak - basePeak) * 1024) / FILE_SIZE;
  console.log(`\npeak RSS (VmHWM), median of 3`);
  console.log(`  passport-vault --version          ${(basePeak / 1024).toFixed(1)} MiB`);
  console.log(`  passport-vault seal (10 MiB)      ${(sealPeak / 1024).toFixed(1)} MiB = +${((sealPeak - basePeak) / 1024).toFixed(1)} MiB over --version = ${addedX.toFixed(2)}x the file   goal < ${RSS_GOAL_X}x`);
  console.log('');
  result('cli.version', t['version'] ?? NaN, 's', '-', '<=', START_GOAL_S);
  result('cli.new-secret', t['newSecret'] ?? NaN, 's', '-', '<=', START_GOAL_S);
  result('cli.seal-10mib', sealRatio, 'x', 'openssl-pipeline', '<=', SEAL_GOAL_RATIO);
  result('cli.seal-10mib.rss', addedX, 'x', 'file-size', '<', RSS_GOAL_X);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
