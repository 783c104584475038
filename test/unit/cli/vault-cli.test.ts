/**
 * The vault and backup commands of the `passport-vault` CLI as real processes: init, set, list,
 * get, backup export / inspect / import, the exit codes for a wrong password and a damaged backup,
 * and afterwards a scan of the vault dirs, the backup and the process's TMPDIR for plaintext.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
