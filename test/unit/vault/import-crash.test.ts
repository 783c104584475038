/**
 * Issue #21: `backup import --vault-dir NEW` killed with SIGKILL while it writes. The built CLI (what
 * users run: test/support/cli.ts) imports a ~10 MB backup into a new folder; the parent watches
 * the folder's parent and kills it at a random instant of the write phase, which starts when the
 * first file of the (temporary) new vault appears. After each kill NEW must be absent (or no vault)
 * or a complete vault, and the same import run again must succeed and leave no temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, ensureCliBuilt } from '../../support/cli';
import { LocalVault } from '../../../electron/main/vault/local/local-vault';
import type { ValueInput } from '../../../electron/main/vault/local/value-codec';
import { fakeScan, tempDir } from './samples';

const KILLS = Number(process.env.PV_IMPORT_KILLS ?? 16);
const PASSWORD = 'import crash password';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** What a complete import holds: each value's type and the hashes of its files, in order. */
type Expected = Map<string, string[]>;

async function contentOf(dir: string): Promise<Expected> {
  const vault = await LocalVault.open(dir, null);
  try {
    await vault.unlock(Buffer.from(PASSWORD));
    const out: Expected = new Map();
    for (const v of vault.values()) {
      const hashes: string[] = [];
      for (const f of [v.frontSide, v.reverseSide, v.selfie, ...v.files, ...v.translation]) {
        if (f !== undefined) hashes.push(sha(await vault.readFile(v.type, f.fileHash)));
      }
      out.set(v.type, hashes);
    }
    return out;
  } finally {
    vault.close();
  }
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** ms from the first file of the new vault to the kill (or to the end). */
  writeMs: number | null;
}

/**
 * Runs the import; with `killAfterMs`, kills it that long after the first file of the new vault
 * (a blob in the temporary build folder, or NEW itself) appears.
 */
function runImport(bundle: string, args: string[], parent: string, name: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: cliEnv() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let firstFileAt: number | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const firstFileAppeared = (): boolean => {
      for (const entry of readdirSync(parent)) {
        if (entry === name) return true;
        if (entry.startsWith(`.${name}.import-`)) {
          try {
            if (readdirSync(join(parent, entry, 'blobs')).length > 0) return true;
          } catch {
            // not there yet
          }
        }
      }
      return false;
    };
    const poll = setInterval(() => {
      if (firstFileAt !== null || !firstFileAppeared()) return;
      firstFileAt = Date.now();
      if (killAfterMs !== null) killTimer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }, 1);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(killTimer);
      resolve({ code, signal, stderr, writeMs: firstFileAt === null ? null : Date.now() - firstFileAt });
    });
  });
}

test(`SIGKILL during backup import into a new folder, ${KILLS} kills: no vault or a complete one, and the import runs again`, { timeout: 600_000 }, async (t) => {
  const work = tempDir('pv-import-crash-');
  const bundle = ensureCliBuilt();
  // The backup: ~10 MB of scans over several values.
  const source = await LocalVault.init(join(work, 'source'), Buffer.from(PASSWORD), null);
  const inputs: ValueInput[] = [
    { type: 'personal_details', data: { first_name: 'Kill', last_name: 'Nine', birth_date: '01.01.1990', gender: 'male', country_code: 'DE', residence_country_code: 'DE' } },
    { type: 'passport', data: { document_no: 'K9', expiry_date: '' }, frontSide: fakeScan(1_500_000), selfie: fakeScan(900_000) },
    { type: 'utility_bill', files: [fakeScan(1_200_000), fakeScan(1_400_000), fakeScan(800_000)] },
    { type: 'bank_statement', files: [fakeScan(1_600_000)], translation: [fakeScan(700_000)] },
    { type: 'driver_license', data: { document_no: 'D9', expiry_date: '' }, frontSide: fakeScan(1_000_000), reverseSide: fakeScan(1_000_000) },
  ];
  for (const v of inputs) await source.save(v);
  const backup = join(work, 'big.pvbackup');
  await source.backupTo(backup);
  source.close();
  const expected = await contentOf(join(work, 'source'));
  const pw = join(work, 'pw');
  writeFileSync(pw, `${PASSWORD}\n`);
  const parent = join(work, 'targets');
  const importArgs = (dir: string): string[] => ['backup', 'import', '--in', backup, '--vault-dir', dir, '--keychain', 'none', '--password-file', pw];

  // One import to completion: it works, and how long its write phase is.
  mkdirSync(parent);
  const whole = await runImport(bundle, importArgs(join(parent, 'whole')), parent, 'whole', null);
  assert.equal(whole.code, 0, whole.stderr);
  assert.deepEqual(await contentOf(join(parent, 'whole')), expected);
  const writePhase = Math.max(30, whole.writeMs ?? 0);

  const stats = { kills: 0, finishedFirst: 0, absentAfterKill: 0, completeAfterKill: 0, leftoverBuilds: 0 };
  for (let i = 0; stats.kills < KILLS && i < KILLS * 3; i++) {
    const name = `new${i}`;
    const dir = join(parent, name);
    const killAfter = Math.random() * writePhase * 1.1;
    const r = await runImport(bundle, importArgs(dir), parent, name, killAfter);
    if (r.signal !== 'SIGKILL') {
      assert.equal(r.code, 0, r.stderr);
      stats.finishedFirst++;
      continue;
    }
    stats.kills++;
    if (readdirSync(parent).some((e) => e.startsWith(`.${name}.import-`))) stats.leftoverBuilds++;
    if (existsSync(join(dir, 'vault.json'))) {
      assert.deepEqual(await contentOf(dir), expected, `kill ${i}: a vault at NEW is complete`);
      stats.completeAfterKill++;
    } else {
      assert.ok(!existsSync(dir) || readdirSync(dir).length === 0, `kill ${i}: no half vault at NEW`);
      stats.absentAfterKill++;
    }
    const again = await runImport(bundle, importArgs(dir), parent, name, null);
    assert.equal(again.code, 0, `kill ${i}: the import runs again: ${again.stderr}`);
    assert.deepEqual(await contentOf(dir), expected, `kill ${i}: re-run gives the complete vault`);
    assert.deepEqual(readdirSync(parent).filter((e) => e.startsWith(`.${name}.import-`)), [], `kill ${i}: no build folder left`);
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = `write phase ${writePhase} ms; ${JSON.stringify(stats)}`;
  t.diagnostic(summary);
  console.log(`import crash test: ${summary}`);
  assert.ok(stats.kills >= KILLS, `${stats.kills} kills landed (wanted ${KILLS})`);
  assert.ok(stats.absentAfterKill > 0, 'some kills landed before the vault was in place');
  rmSync(work, { recursive: true, force: true });
});
