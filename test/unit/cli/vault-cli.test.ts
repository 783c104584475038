/**
 * The vault and backup commands of the `passport-vault` CLI as real processes: init, set, list,
 * get, backup export / inspect / import, the exit codes for a wrong password and a damaged backup,
 * and afterwards a scan of the vault dirs, the backup and the process's TMPDIR for plaintext.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fakeScan, findPlaintext, MARK, tempDir } from '../vault/samples';
import { repoRoot } from '../passport/vectors';
import { cliCommand, cliEnv } from '../../support/cli';

interface Run {
  code: number | null;
  json: Record<string, unknown>;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(...cliCommand(args), { cwd: repoRoot(), env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = stdout.trim() || stderr.trim();
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { raw: text };
      }
      resolve({ code, json, stderr });
    });
  });
}

test('local init/set/list/get and backup export/inspect/import from the command line; no plaintext left on disk', { timeout: 120_000 }, async () => {
  const root = tempDir('pv-cli-');
  const inputs = join(root, 'inputs'); // the person's own plaintext files: not scanned
  const tmp = join(root, 'tmp');
  mkdirSync(inputs);
  mkdirSync(tmp);
  const env = { TMPDIR: tmp };
  const vault = join(root, 'vault');
  const restored = join(root, 'restored');
  const backup = join(root, 'passport.pvbackup');
  const pw = join(inputs, 'pw');
  writeFileSync(pw, 'cli password\n');
  const wrong = join(inputs, 'wrong');
  writeFileSync(wrong, 'not it\n');
  const details = join(inputs, 'details.json');
  writeFileSync(details, JSON.stringify({ first_name: MARK.first, last_name: MARK.last, birth_date: '01.02.1990', gender: 'male', country_code: 'DE', residence_country_code: 'DE' }));
  const passportData = join(inputs, 'passport.json');
  writeFileSync(passportData, JSON.stringify({ document_no: MARK.docNo, expiry_date: '' }));
  const front = fakeScan(50_000);
  writeFileSync(join(inputs, 'front.jpg'), front);
  const base = ['--vault-dir', vault, '--keychain', 'none'];

  let r = await cli(['local', 'init', ...base, '--password-file', pw], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.sealing, 'none');
  r = await cli(['local', 'set', ...base, '--password-file', pw, '--type', 'personal_details', '--data-file', details], env);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(['local', 'set', ...base, '--password-file', pw, '--type', 'passport', '--data-file', passportData, '--front-side', join(inputs, 'front.jpg')], env);
  assert.equal(r.code, 0, r.stderr);
  r = await cli(['local', 'set', ...base, '--password-file', pw, '--type', 'passport', '--data-file', passportData, '--reverse-side', join(inputs, 'front.jpg')], env);
  assert.equal(r.code, 2, 'a passport has no reverse side');
  r = await cli(['local', 'set', ...base, '--password-file', wrong, '--type', 'email', '--plain', MARK.email], env);
  assert.equal(r.code, 4);
  assert.deepEqual((r.json.error as { code: string }).code, 'WRONG_PASSWORD');

  r = await cli(['local', 'list', ...base], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((r.json.values as { type: string; files: number }[]).map((v) => [v.type, v.files]), [['personal_details', 0], ['passport', 1]]);

  r = await cli(['backup', 'export', ...base, '--password-file', pw, '--out', backup], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.counts, { values: 2, files: 1, fileBytes: (r.json.counts as { fileBytes: number }).fileBytes });
  r = await cli(['backup', 'inspect', '--in', backup], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((r.json.values as { type: string }[]).map((v) => v.type), ['personal_details', 'passport']);
  r = await cli(['backup', 'import', '--in', backup, '--vault-dir', restored, '--keychain', 'none', '--password-file', wrong], env);
  assert.equal(r.code, 4);
  r = await cli(['backup', 'import', '--in', backup, '--vault-dir', restored, '--keychain', 'none', '--password-file', pw], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.created, true);
  r = await cli(['local', 'get', '--vault-dir', restored, '--keychain', 'none', '--password-file', pw, '--type', 'passport'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.data, { document_no: MARK.docNo, expiry_date: '' });
  assert.deepEqual(r.json.files, { front_side: { size: front.length, sha256: createHash('sha256').update(front).digest('hex') } });

  const damaged = join(root, 'damaged.pvbackup');
  const bytes = readFileSync(backup);
  bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 1;
  writeFileSync(damaged, bytes);
  r = await cli(['backup', 'import', '--in', damaged, '--vault-dir', join(root, 'r2'), '--keychain', 'none', '--password-file', pw], env);
  assert.equal(r.code, 3);
  assert.equal((r.json.error as { code: string }).code, 'BACKUP_CORRUPT');

  // Hygiene: the field values (phone/email are not used here, see local-vault.test.ts) and the
  // scan's bytes appear nowhere: vaults, backup, damaged backup, the CLI's TMPDIR.
  const strings = [MARK.first, MARK.last, MARK.docNo];
  assert.deepEqual(findPlaintext([vault, restored, backup, damaged, tmp], strings, [front]), []);
});

/** Every file under `dir` with its bytes' hash, to show a command deleted or changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name)] = createHash('sha256').update(readFileSync(join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

const errorCode = (r: Run): string | undefined => (r.json.error as { code?: string } | undefined)?.code;

test('issue #21 from the command line: an older state put back, one missing scan, bad store files, two writers', { timeout: 180_000 }, async () => {
  const root = tempDir('pv-cli21-');
  const inputs = join(root, 'inputs');
  mkdirSync(inputs);
  const vault = join(root, 'vault');
  const pw = join(inputs, 'pw');
  writeFileSync(pw, 'cli password\n');
  const details = join(inputs, 'details.json');
  writeFileSync(details, JSON.stringify({ first_name: MARK.first, last_name: MARK.last, birth_date: '01.02.1990', gender: 'male', country_code: 'DE', residence_country_code: 'DE' }));
  const passportData = join(inputs, 'passport.json');
  writeFileSync(passportData, JSON.stringify({ document_no: MARK.docNo, expiry_date: '' }));
  const front = fakeScan(40_000);
  writeFileSync(join(inputs, 'front.jpg'), front);
  const base = ['--vault-dir', vault, '--keychain', 'none'];
  const set = (...args: string[]): Promise<Run> => cli(['local', 'set', ...base, '--password-file', pw, ...args], {});
  const get = (type: string, dir = vault): Promise<Run> => cli(['local', 'get', '--vault-dir', dir, '--keychain', 'none', '--password-file', pw, '--type', type], {});
  const list = (dir = vault): Promise<Run> => cli(['local', 'list', '--vault-dir', dir, '--keychain', 'none'], {});

  assert.equal((await cli(['local', 'init', ...base, '--password-file', pw], {})).code, 0);
  assert.equal((await set('--type', 'personal_details', '--data-file', details)).code, 0);
  const older = readFileSync(join(vault, 'state'));
  assert.equal((await set('--type', 'passport', '--data-file', passportData, '--front-side', join(inputs, 'front.jpg'))).code, 0);
  const newer = readFileSync(join(vault, 'state'));
  const [blob] = readdirSync(join(vault, 'blobs'));
  assert.ok(blob !== undefined);

  // 1. The older state put back (a sync tool, a restore): `local list` deletes nothing and says rollback.
  writeFileSync(join(vault, 'state'), older);
  const before = snapshot(vault);
  let r = await list();
  assert.equal(r.code, 3, r.stderr);
  assert.equal(errorCode(r), 'VAULT_ROLLBACK');
  r = await get('personal_details');
  assert.equal(errorCode(r), 'VAULT_ROLLBACK');
  assert.deepEqual(snapshot(vault), before, 'nothing deleted or changed');
  writeFileSync(join(vault, 'state'), newer);
  r = await get('passport');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.files, { front_side: { size: front.length, sha256: createHash('sha256').update(front).digest('hex') } });

  // 2. One missing scan: the value without files still reads, the damaged one names its file, list marks it.
  const blobBytes = readFileSync(join(vault, 'blobs', blob));
  rmSync(join(vault, 'blobs', blob));
  r = await get('personal_details');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.json.data as { first_name: string }).first_name, MARK.first);
  r = await get('passport');
  assert.equal(r.code, 3);
  assert.equal(errorCode(r), 'VAULT_CORRUPT');
  assert.match((r.json.error as { message: string }).message, /front_side file of passport/);
  r = await list();
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((r.json.values as { type: string; damaged: unknown[] }[]).map((v) => [v.type, v.damaged]), [
    ['personal_details', []],
    ['passport', [{ slot: 'front_side', reason: 'missing' }]],
  ]);
  writeFileSync(join(vault, 'blobs', blob), blobBytes.subarray(0, 100));
  assert.deepEqual((((await list()).json.values as { damaged: unknown[] }[])[1])?.damaged, [{ slot: 'front_side', reason: 'wrong_size' }]);
  writeFileSync(join(vault, 'blobs', blob), blobBytes);

  // 3. Bad store files are coded errors (exit 3), never INTERNAL.
  const broken = (name: string, change: (dir: string) => void): string => {
    const dir = join(root, name);
    cpSync(vault, dir, { recursive: true });
    change(dir);
    return dir;
  };
  const cases: [string, string][] = [
    [broken('state-dir', (d) => { rmSync(join(d, 'state')); mkdirSync(join(d, 'state')); }), 'state is a folder'],
    [broken('no-blobs', (d) => rmSync(join(d, 'blobs'), { recursive: true })), 'blobs/ missing'],
    [broken('blobs-file', (d) => { rmSync(join(d, 'blobs'), { recursive: true }); writeFileSync(join(d, 'blobs'), 'x'); }), 'blobs is a file'],
    [broken('sealing', (d) => {
      const info = JSON.parse(readFileSync(join(d, 'vault.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'vault.json'), JSON.stringify({ ...info, sealing: 'aes-256-gcm' }));
    }), 'sealing edited'],
  ];
  for (const [dir, what] of cases) {
    r = await list(dir);
    assert.equal(r.code, 3, `${what}: ${r.stderr}`);
    assert.equal(errorCode(r), 'VAULT_CORRUPT', what);
  }
  const blobDir = broken('blob-dir', (d) => { rmSync(join(d, 'blobs', blob)); mkdirSync(join(d, 'blobs', blob)); });
  r = await get('passport', blobDir);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(errorCode(r), 'VAULT_CORRUPT');
  assert.equal((await get('personal_details', blobDir)).code, 0);

  // 4. Two writers: a live holder's lock makes `set` VAULT_BUSY (readers still work); a dead one's is taken over.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const started = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  writeFileSync(join(vault, 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), started, token: 't', since: Date.now(), held: true }));
  r = await set('--type', 'email', '--plain', MARK.email);
  assert.equal(errorCode(r), 'VAULT_BUSY', r.stderr);
  assert.equal(r.code, 1);
  assert.match((r.json.error as { message: string }).message, new RegExp(`process ${process.pid}`));
  assert.equal((await list()).code, 0, 'a reader needs no lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8', timeout: 30_000 }).stdout;
  writeFileSync(join(vault, 'lock'), JSON.stringify({ pid: Number(dead), host: hostname(), started: null, token: 't', since: 1, held: true }));
  r = await set('--type', 'email', '--plain', MARK.email);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(vault).sort(), ['blobs', 'state', 'vault.json'], 'the stale lock was taken over and given up');
  rmSync(root, { recursive: true, force: true });
});
