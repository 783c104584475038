/**
 * `npm run bench`: our Passport crypto against OpenSSL, measured in the same run on the same input.
 *
 * 1. PBKDF2-HMAC-SHA512 x100000 (the passport-secret KDF) vs `openssl kdf` (or Python hashlib).
 * 2. seal + open of a 10 MB file vs the OpenSSL pipeline doing the same work:
 *    sha256sum + sha512sum + `openssl enc -aes-256-cbc -nopad` (seal), and the reverse (open).
 * 3. Peak RSS added by sealing/opening 10 MB, measured inside a bundled child, as a multiple of the size.
 *
 * Goals (issue 3): PBKDF2 <= 1.2x OpenSSL, seal <= 1.5x the pipeline, peak memory < 4x the file.
 * The reference timings include process start-up (a few ms), shown separately; this is a benchmark,
 * not a test: it reports, it does not fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { derivePasswordHash, KDF_PBKDF2, PBKDF2_ITERATIONS } from '../electron/main/passport/crypto/passport-secret';
import { openFile, sealFile } from '../electron/main/passport/crypto/file-encryption';
import { decryptData, encryptDataWithSecret } from '../electron/main/passport/crypto/data-encryption';
import { makePaddingPrefix } from '../electron/main/passport/crypto/padding';
import { deriveAesKeyIv } from '../electron/main/passport/crypto/keys';
import { generateSecret } from '../electron/main/passport/crypto/secret';
import { result } from './result';

const FILE_SIZE = 10 * 1024 * 1024;
const RUNS = 7;
const root = fileURLToPath(new URL('..', import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timeMs(fn: () => unknown): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function medianMs(fn: () => unknown, runs = RUNS): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeMs(fn));
  return median(times);
}

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

function hasOpensslKdf(): boolean {
  return spawnSync('openssl', ['kdf', '-help'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

async function benchPbkdf2(): Promise<void> {
  const password = Buffer.from('correct horse battery staple');
  const salt = randomBytes(40);
  const ours = (await derivePasswordHash(password, salt, KDF_PBKDF2)).toString('hex');
  const oursMs = await medianMs(() => derivePasswordHash(password, salt, KDF_PBKDF2));

  let refName: string;
  let refFn: () => string;
  let startupFn: () => string;
  if (hasOpensslKdf()) {
    refName = 'openssl kdf PBKDF2';
    const args = ['kdf', '-keylen', '64', '-kdfopt', 'digest:SHA512', '-kdfopt', `pass:${password.toString()}`,
      '-kdfopt', `hexsalt:${salt.toString('hex')}`, '-kdfopt', `iter:${PBKDF2_ITERATIONS}`, 'PBKDF2'];
    refFn = () => run('openssl', args).trim().replace(/:/g, '').toLowerCase();
    startupFn = () => run('openssl', ['version']);
  } else {
    refName = 'python3 hashlib.pbkdf2_hmac';
    const code = `import hashlib;print(hashlib.pbkdf2_hmac('sha512',b'${password.toString()}',bytes.fromhex('${salt.toString('hex')}'),${PBKDF2_ITERATIONS},64).hex())`;
    refFn = () => run('python3', ['-c', code]).trim();
    startupFn = () => run('python3', ['-c', 'pass']);
  }
  const same = refFn() === ours;
  const refMs = await medianMs(refFn);
  const startupMs = await medianMs(startupFn);
  console.log(`\nPBKDF2-HMAC-SHA512 x${PBKDF2_ITERATIONS}, 64 bytes (median of ${RUNS})`);
  console.log(`  ours (crypto.pbkdf2, async)   ${fmt(oursMs)}`);
  console.log(`  ${refName.padEnd(29)} ${fmt(refMs)}  (of which process start-up ~${fmt(startupMs)})`);
  console.log(`  same output: ${same ? 'yes' : 'NO'}`);
  console.log(`  ratio ours/reference: ${ratio(oursMs, refMs)} (vs reference minus start-up: ${ratio(oursMs, refMs - startupMs)})  goal <= 1.2x`);
  result('crypto.pbkdf2', oursMs / refMs, 'x', refName.split(' ')[0] ?? '-', '<=', 1.2);
}

async function benchSealOpen(dir: string): Promise<void> {
  const plainPath = join(dir, 'scan.bin');
  writeFileSync(plainPath, randomBytes(FILE_SIZE));
  const secret = generateSecret();

  // Ours, streamed from and to disk (what the CLI does).
  let hash: Buffer = Buffer.alloc(0);
  const sealMs = await medianMs(() => {
    hash = sealFile(plainPath, join(dir, 'scan.enc'), secret);
  });
  const openMs = await medianMs(() => openFile(join(dir, 'scan.enc'), join(dir, 'scan.out'), secret, hash));

  // Ours, in memory (what the app does with a scan it already holds).
  const data = Buffer.from(randomBytes(FILE_SIZE));
  let mem = encryptDataWithSecret(data, secret);
  const sealMemMs = await medianMs(() => {
    mem = encryptDataWithSecret(data, secret);
  });
  const openMemMs = await medianMs(() => decryptData(mem.encrypted, mem.hash, secret));

  // Reference: the same steps with OpenSSL / coreutils on the padded plaintext.
  const padded = join(dir, 'ref.padded');
  writeFileSync(padded, Buffer.concat([makePaddingPrefix(FILE_SIZE), data]));
  const refHash = createHash('sha256').update(Buffer.concat([makePaddingPrefix(0)])).digest(); // any 32 bytes
  const keyIv = deriveAesKeyIv(secret, refHash);
  writeFileSync(join(dir, 'secret-hash'), Buffer.concat([secret, refHash]));
  const K = keyIv.key.toString('hex');
  const IV = keyIv.iv.toString('hex');
  const refSealMs = await medianMs(() => {
    run('sha256sum', [padded]);
    run('sha512sum', [join(dir, 'secret-hash')]);
    run('openssl', ['enc', '-aes-256-cbc', '-nopad', '-K', K, '-iv', IV, '-in', padded, '-out', join(dir, 'ref.enc')]);
  });
  const refOpenMs = await medianMs(() => {
    run('sha512sum', [join(dir, 'secret-hash')]);
    run('openssl', ['enc', '-d', '-aes-256-cbc', '-nopad', '-K', K, '-iv', IV, '-in', join(dir, 'ref.enc'), '-out', join(dir, 'ref.dec')]);
    run('sha256sum', [join(dir, 'ref.dec')]);
  });
  const startupMs = await medianMs(() => {
    run('sha256sum', ['/dev/null']);
    run('sha512sum', ['/dev/null']);
    run('openssl', ['version']);
  });

  console.log(`\nseal + open of a ${FILE_SIZE / 1024 / 1024} MiB file (median of ${RUNS})`);
  console.log(`  ours, streamed file -> file     seal ${fmt(sealMs)}   open ${fmt(openMs)}   total ${fmt(sealMs + openMs)}`);
  console.log(`  ours, in memory                 seal ${fmt(sealMemMs)}   open ${fmt(openMemMs)}   total ${fmt(sealMemMs + openMemMs)}`);
  console.log(`  OpenSSL pipeline (3 processes)  seal ${fmt(refSealMs)}   open ${fmt(refOpenMs)}   total ${fmt(refSealMs + refOpenMs)}  (start-up of 3 processes ~${fmt(startupMs)})`);
  console.log(`  ratio seal, streamed/pipeline:  ${ratio(sealMs, refSealMs)}  (vs pipeline minus start-up: ${ratio(sealMs, refSealMs - startupMs)})  goal <= 1.5x`);
  console.log(`  ratio seal+open, streamed:      ${ratio(sealMs + openMs, refSealMs + refOpenMs)}`);
  console.log(`  ratio seal, in memory/pipeline: ${ratio(sealMemMs, refSealMs)}  (vs pipeline minus start-up: ${ratio(sealMemMs, refSealMs - startupMs)})`);
  result('crypto.seal', sealMs / refSealMs, 'x', 'openssl-pipeline', '<=', 1.5);
  result('crypto.open', openMs / refOpenMs, 'x', 'openssl-pipeline', '<=', 1.5);
}

/**
 * The RSS child runs as plain bundled JavaScript under `node --expose-gc` (not through tsx, whose
 * TypeScript loader alone costs ~70 MiB and would swamp a 10 MiB measurement). It reports its RSS just
 * before the operation and its high-water mark after it; the difference bounds the operation's cost
 * from above (it would also include any earlier, higher peak, which only makes the figure conservative).
 */
function bundleRssChild(dir: string): string {
  const out = join(dir, 'rss-child.mjs');
  buildSync({ entryPoints: [join(root, 'bench', 'rss-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'error' });
  return out;
}

function rssCostKiB(child: string, mode: string, file: string, extra: string[] = []): number {
  // tsx hands its loader to child processes through NODE_OPTIONS; this child must run without it.
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const out = execFileSync(process.execPath, ['--expose-gc', child, mode, file, ...extra], { encoding: 'utf8', cwd: root, env, timeout: 300_000 });
  const { beforeKiB, peakKiB } = JSON.parse(out) as { beforeKiB: number; peakKiB: number };
  return peakKiB - beforeKiB;
}

function benchRss(dir: string): void {
  const child = bundleRssChild(dir);
  const file = join(dir, 'rss.bin');
  writeFileSync(file, randomBytes(FILE_SIZE));
  const secret = generateSecret();
  const sealed = encryptDataWithSecret(readFileSync(file), secret);
  writeFileSync(`${file}.enc`, sealed.encrypted);
  const openArgs = [secret.toString('base64'), sealed.hash.toString('base64')];
  const take = (mode: string): number =>
    median([0, 1, 2].map(() => (mode === 'open-memory' ? rssCostKiB(child, mode, `${file}.enc`, openArgs) : rssCostKiB(child, mode, file))));
  console.log(`\npeak RSS added by the operation, ${FILE_SIZE / 1024 / 1024} MiB input (bundled child under plain node, median of 3)`);
  for (const [mode, label] of [
    ['baseline', 'nothing (the method\'s own noise)'],
    ['seal-file', 'seal, streamed file -> file'],
    ['seal-memory', 'seal, in memory (read + encrypt)'],
    ['open-file', 'open, streamed file -> file'],
    ['open-memory', 'open, in memory (read + decrypt)'],
  ] as const) {
    const kib = take(mode);
    console.log(`  ${label.padEnd(34)} +${(kib / 1024).toFixed(1)} MiB = ${((kib * 1024) / FILE_SIZE).toFixed(2)}x the file   goal < 4x`);
    if (mode !== 'baseline') result(`crypto.rss.${mode}`, (kib * 1024) / FILE_SIZE, 'x', 'file-size', '<', 4);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pv-bench-'));
try {
  console.log(`Passport Vault crypto bench — node ${process.version}, ${run('openssl', ['version']).trim()}`);
  await benchPbkdf2();
  await benchSealOpen(dir);
  benchRss(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
