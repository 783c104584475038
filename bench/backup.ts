/**
 * `npx tsx bench/backup.ts`: export and import of a ~200 MiB backup (20 scans of 10 MiB, the
 * largest tdesktop accepts) against `openssl enc -aes-256-cbc` encrypting and decrypting the same
 * bytes (the backup file) in the same run, with peak RSS of each of our operations measured in a
 * child process against a baseline child that opens and unlocks the same vault and does nothing,
 * and against the same operations on backups of 20 MiB and 400 MiB (memory flat).
 *
 * What each side does: export reads every sealed blob, checks it and writes it into AES-256-GCM
 * frames; import authenticates every frame, decrypts every Passport file on the fly to check its
 * hash and padding, re-seals it into the new vault and fsyncs (and runs PBKDF2 once). OpenSSL does
 * one AES-CBC pass. A report, not a test: nothing here fails on a number.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalVault } from '../electron/main/vault/local/local-vault';
import { result } from './result';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCAN = 10 * 1024 * 1024;
const SCANS_PER_VALUE = 10;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const PASSWORD = 'bench password';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Writes back every dirty page first: otherwise each operation pays for the previous one's writes (openssl's are never synced). */
function settleDisk(): void {
  execFileSync('sync', { timeout: 120_000 });
}

function child(mode: string, vault: string, backup: string, target: string): { ms: number; maxRssKiB: number } {
  settleDisk();
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'backup-child.ts'), mode, vault, backup, target, PASSWORD], {
    encoding: 'utf8',
    cwd: root,
    timeout: 600_000,
  });
  return JSON.parse(out.trim()) as { ms: number; maxRssKiB: number };
}

function timeMs(fn: () => void): number {
  settleDisk();
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'pv-bench-backup-'));
try {
  const vaultDir = join(dir, 'vault');
  const vault = await LocalVault.init(vaultDir, Buffer.from(PASSWORD), null);
  for (const type of ['utility_bill', 'bank_statement'] as const) {
    await vault.save({ type, files: Array.from({ length: SCANS_PER_VALUE }, () => randomBytes(SCAN)) });
  }
  await vault.save({ type: 'email', plain: 'bench@example.org' });
  vault.close();

  // "Memory flat": the same operations on backups a tenth and twice the size must peak at about the
  // same RSS. (Some growth from the small one is the garbage collector's slack for freed buffers,
  // which fills once enough data has passed; past that, more data must add nothing.)
  const peaksOf = async (name: string, scans: number): Promise<{ export: number[]; import: number[]; mib: number }> => {
    const sizedDir = join(dir, name);
    const sized = await LocalVault.init(sizedDir, Buffer.from(PASSWORD), null);
    const types = ['utility_bill', 'bank_statement', 'rental_agreement', 'passport_registration'] as const;
    for (let t = 0; t * SCANS_PER_VALUE < scans; t++) {
      const n = Math.min(SCANS_PER_VALUE, scans - t * SCANS_PER_VALUE);
      await sized.save({ type: types[t] ?? 'temporary_registration', files: Array.from({ length: n }, () => randomBytes(SCAN)) });
    }
    sized.close();
    const sizedBackup = join(dir, `${name}.pvbackup`);
    const rss = { export: [] as number[], import: [] as number[], mib: 0 };
    for (let i = 0; i < 3; i++) {
      rss.export.push(child('export', sizedDir, sizedBackup, '-').maxRssKiB);
      rss.import.push(child('import', sizedDir, sizedBackup, join(dir, `${name}-restored`)).maxRssKiB);
      rmSync(join(dir, `${name}-restored`), { recursive: true, force: true });
    }
    rss.mib = statSync(sizedBackup).size / 1024 / 1024;
    rmSync(sizedDir, { recursive: true, force: true });
    rmSync(sizedBackup, { force: true });
    return rss;
  };
  const smallRss = await peaksOf('small', 2);
  const largeRss = await peaksOf('large', 4 * SCANS_PER_VALUE);

  const backup = join(dir, 'bench.pvbackup');
  child('export', vaultDir, backup, '-'); // warm-up: file cache, and the backup the references use
  const key = randomBytes(32).toString('hex');
  const iv = randomBytes(16).toString('hex');
  const enc = join(dir, 'ref.enc');
  const exports: number[] = [];
  const imports: number[] = [];
  const exportRss: number[] = [];
  const importRss: number[] = [];
  const baseRss: number[] = [];
  const sslEnc: number[] = [];
  const sslDec: number[] = [];
  // Each of our operations runs right next to its reference, and the ratio is taken per pair: this
  // machine's disk and CPU drift over a minute by more than the differences being measured.
  for (let i = 0; i < RUNS; i++) {
    const e = child('export', vaultDir, backup, '-');
    exports.push(e.ms);
    exportRss.push(e.maxRssKiB);
    sslEnc.push(timeMs(() => execFileSync('openssl', ['enc', '-aes-256-cbc', '-K', key, '-iv', iv, '-in', backup, '-out', enc], { timeout: 300_000 })));
    const target = join(dir, `restored-${i}`);
    const im = child('import', vaultDir, backup, target);
    imports.push(im.ms);
    importRss.push(im.maxRssKiB);
    rmSync(target, { recursive: true, force: true });
    sslDec.push(timeMs(() => execFileSync('openssl', ['enc', '-d', '-aes-256-cbc', '-K', key, '-iv', iv, '-in', enc, '-out', join(dir, 'ref.dec')], { timeout: 300_000 })));
    baseRss.push(child('baseline', vaultDir, backup, '-').maxRssKiB);
  }
  const size = statSync(backup).size;
  const mib = size / 1024 / 1024;
  const pairRatios = (ours: number[], ref: number[]): number[] => ours.map((x, i) => x / (ref[i] ?? NaN));

  const base = median(baseRss);
  const rate = (ms: number): string => `${(mib / (ms / 1000)).toFixed(0)} MiB/s`;
  const range = (xs: number[]): string => `(${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  const line = (label: string, xs: number[]): string => `  ${label.padEnd(34)} ${median(xs).toFixed(0).padStart(6)} ms ${range(xs).padStart(12)}  ${rate(median(xs)).padStart(10)}`;
  console.log(`Backup bench — node ${process.version}, ${execFileSync('openssl', ['version'], { encoding: 'utf8', timeout: 30_000 }).trim()}`);
  console.log(`backup of ${mib.toFixed(1)} MiB (${2 * SCANS_PER_VALUE} scans of ${SCAN / 1024 / 1024} MiB), median (min–max) of ${RUNS}`);
  console.log(line('ours: export', exports));
  console.log(line('ours: import (incl. PBKDF2, verify)', imports));
  console.log(line('openssl enc -aes-256-cbc (encrypt)', sslEnc));
  console.log(line('openssl enc -d -aes-256-cbc', sslDec));
  const ratio = (label: string, ours: number[], ref: number[]): string => {
    const r = pairRatios(ours, ref);
    return `${label} ${median(r).toFixed(2)}x (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`;
  };
  console.log(`  ratio, median of per-run pairs (goal <= 1.5x): ${ratio('export/openssl-enc', exports, sslEnc)}   ${ratio('import/openssl-dec', imports, sslDec)}`);
  result('backup.export', median(pairRatios(exports, sslEnc)), 'x', 'openssl-enc', '<=', 1.5);
  result('backup.import', median(pairRatios(imports, sslDec)), 'x', 'openssl-enc-d', '<=', 1.5);
  console.log(`peak RSS (child processes; baseline child that opens + unlocks the vault: ${(base / 1024).toFixed(1)} MiB)`);
  console.log(`  export  ${(median(exportRss) / 1024).toFixed(1)} MiB  (+${((median(exportRss) - base) / 1024).toFixed(1)} MiB over baseline)`);
  console.log(`  import  ${(median(importRss) / 1024).toFixed(1)} MiB  (+${((median(importRss) - base) / 1024).toFixed(1)} MiB over baseline)`);
  const grow = (big: number[], little: number[]): string => `${((median(big) - median(little)) / 1024).toFixed(1)} MiB`;
  const peaks = (r: { export: number[]; import: number[] }): string => `export ${(median(r.export) / 1024).toFixed(1)} / import ${(median(r.import) / 1024).toFixed(1)} MiB`;
  console.log(
    `  a ${smallRss.mib.toFixed(0)} MiB backup peaks at ${peaks(smallRss)}: ${(mib / smallRss.mib).toFixed(0)}x the data adds ` +
      `export ${grow(exportRss, smallRss.export)}, import ${grow(importRss, smallRss.import)}`,
  );
  console.log(
    `  a ${largeRss.mib.toFixed(0)} MiB backup peaks at ${peaks(largeRss)}: twice the data again adds ` +
      `export ${grow(largeRss.export, exportRss)}, import ${grow(largeRss.import, importRss)} (flat would add ~0)`,
  );
  // "Flat": doubling the data from the bench's size to twice that adds less than a tenth of the data.
  const flatGoal = Math.round(largeRss.mib - mib) / 10;
  result('backup.export.rss-growth', (median(largeRss.export) - median(exportRss)) / 1024, 'MiB', `${mib.toFixed(0)}-to-${largeRss.mib.toFixed(0)}MiB`, '<=', flatGoal);
  result('backup.import.rss-growth', (median(largeRss.import) - median(importRss)) / 1024, 'MiB', `${mib.toFixed(0)}-to-${largeRss.mib.toFixed(0)}MiB`, '<=', flatGoal);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
