/**
 * Backups: export → import round trip, inspect without the password, wrong password, and every kind
 * of damage (header, body, truncation, trailing data) refused without touching the target.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, appendFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { exportBackupWithPassword } from '../../../electron/main/vault/backup/export';
import { importBackup } from '../../../electron/main/vault/backup/import';
import { HEADER_CHECK_LENGTH, inspectBackup, PREAMBLE_LENGTH } from '../../../electron/main/vault/backup/format';
import { LocalVault } from '../../../electron/main/vault/local/local-vault';
import type { ValueInput } from '../../../electron/main/vault/local/value-codec';
import { MemoryBackend } from '../keychain/fake-backend';
import { fakeScan, findPlaintext, MARK, sampleValues, scansOf, tempDir } from './samples';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;
const PASSWORD = Buffer.from('backup password');

async function makeVault(): Promise<{ dir: string; backup: string; samples: ReturnType<typeof sampleValues> }> {
  const dir = join(tempDir(), 'src');
  const samples = sampleValues();
  // One scan spanning several 256 KiB frames, so file records cross frame boundaries.
  samples[6] = { type: 'utility_bill', files: [fakeScan(3 * 1024 * 1024 + 17), fakeScan(5)] };
  const vault = await LocalVault.init(dir, PASSWORD, null);
  for (const v of samples) await vault.save(v);
  const backup = join(tempDir(), 'passport.pvbackup');
  const counts = await vault.backupTo(backup);
  assert.equal(counts.values, 13);
  vault.close();
  return { dir, backup, samples };
}

describe('backups', () => {
  test('a version 1 backup (no header checksum) still inspects and imports', async () => {
    const { dir, samples } = await makeVault();
    const vault = await LocalVault.open(dir, null);
    const backup = join(tempDir(), 'v1.pvbackup');
    await exportBackupWithPassword(vault.store, PASSWORD.toString('utf8'), backup, new Date(), undefined, 1);
    vault.close();
    assert.equal(readFileSync(backup).readUInt16BE(8), 1);
    const info = await inspectBackup(backup);
    assert.equal(info.version, 1);
    assert.equal(info.counts.values, samples.length);
    const result = await importBackup(backup, PASSWORD, join(tempDir(), 'dst'), null);
    assert.equal(result.values, samples.length);
  });

  test('export → import into a new vault gives back every value and scan; inspect needs no password', async () => {
    const { backup, samples } = await makeVault();
    const info = await inspectBackup(backup);
    assert.equal(info.version, 2);
    assert.equal(info.counts.values, 13);
    assert.equal(info.counts.files, samples.flatMap(scansOf).length);
    assert.deepEqual(info.values.map((v) => v.type), samples.map((s) => s.type));
    assert.ok(info.values.every((v) => !Number.isNaN(Date.parse(v.updatedAt))));

    for (const sealed of [false, true]) {
      const kc = sealed ? new Keychain(() => Promise.resolve(new MemoryBackend())) : null;
      const target = join(tempDir(), 'dst');
      const result = await importBackup(backup, PASSWORD, target, kc);
      assert.equal(result.created, true);
      assert.equal(result.values, 13);
      const vault = await LocalVault.open(target, kc);
      assert.equal(vault.store.sealing, sealed ? 'aes-256-gcm' : 'none');
      await vault.unlock(PASSWORD); // the same password opens the imported vault
      for (const input of samples) {
        const got = await vault.read(input.type);
        assert.deepEqual(got?.data, input.data, input.type);
        assert.equal(got?.plain, input.plain);
        const want = scansOf(input).map((b) => Buffer.from(b).toString('base64'));
        const have = got ? scansOf(got as unknown as ValueInput).map((b) => Buffer.from(b).toString('base64')) : [];
        assert.deepEqual(have, want, `${input.type} scans`);
      }
      vault.close();
    }
    // Nothing readable in the backup file: not the fields, not phone/email, not the scans.
    assert.deepEqual(findPlaintext([backup], Object.values(MARK), samples.flatMap(scansOf)), []);
  });

  test('wrong password → WRONG_PASSWORD, and no vault is created', async () => {
    const { backup } = await makeVault();
    const target = join(tempDir(), 'dst');
    await assert.rejects(importBackup(backup, Buffer.from('nope'), target, null), code('WRONG_PASSWORD'));
    assert.ok(!existsSync(join(target, 'vault.json')));
  });

  test('damage anywhere is refused (BACKUP_CORRUPT), and the half-imported vault is removed', async () => {
    const { backup } = await makeVault();
    const good = readFileSync(backup);
    const headerLength = good.readUInt32BE(10);
    const bodyStart = PREAMBLE_LENGTH + headerLength + HEADER_CHECK_LENGTH;
    const damage: [string, () => void][] = [
      ['a manifest date in the header', () => {
        const text = good.toString('latin1');
        const at = text.indexOf('"updatedAt":"') + 14;
        const b = Buffer.from(good);
        b[at] = b[at] === 0x31 ? 0x32 : 0x31;
        writeFileSync(backup, b);
      }],
      ['a body byte early', () => flip(bodyStart + 10)],
      ['a body byte in the middle', () => flip(Math.floor((bodyStart + good.length) / 2))],
      ['the last tag byte', () => flip(good.length - 1)],
      ['cut short by one frame', () => { writeFileSync(backup, good); truncateSync(backup, good.length - 300); }],
      ['trailing data', () => { writeFileSync(backup, good); appendFileSync(backup, Buffer.alloc(20)); }],
      ['frames swapped', () => {
        const b = Buffer.from(good);
        const frame = 4 + 256 * 1024 + 16;
        const f0 = Buffer.from(b.subarray(bodyStart, bodyStart + frame));
        b.copy(b, bodyStart, bodyStart + frame, bodyStart + 2 * frame);
        f0.copy(b, bodyStart + frame);
        writeFileSync(backup, b);
      }],
    ];
    function flip(at: number): void {
      const b = Buffer.from(good);
      b[at] = (b[at] ?? 0) ^ 0x40;
      writeFileSync(backup, b);
    }
    for (const [what, apply] of damage) {
      apply();
      const target = join(tempDir(), 'dst');
      await assert.rejects(importBackup(backup, PASSWORD, target, null), code('BACKUP_CORRUPT'), what);
      assert.ok(!existsSync(join(target, 'vault.json')), `${what}: no vault left behind`);
    }
    // Inspect (no password) refuses a damaged header too: version 2 carries its SHA-256.
    for (const at of [PREAMBLE_LENGTH + 40, PREAMBLE_LENGTH + headerLength - 2, PREAMBLE_LENGTH + headerLength + 5]) {
      flip(at);
      await assert.rejects(inspectBackup(backup), code('BACKUP_CORRUPT'), `inspect, byte ${at} changed`);
    }
    writeFileSync(backup, Buffer.from('PVBACKUP\u0000\u0009rest', 'latin1'));
    await assert.rejects(inspectBackup(backup), code('UNSUPPORTED_VERSION'));
    writeFileSync(backup, Buffer.from('not a backup at all'));
    await assert.rejects(inspectBackup(backup), code('BAD_INPUT'));
  });

  test('a file that does not open under its own Passport keys is refused, though every frame is authentic', async () => {
    // The exporter wrote what the vault held: the utility bill's two files with their key material
    // swapped. Frames and manifest are intact, so only the Passport check of each file can tell.
    const { dir } = await makeVault();
    const vault = await LocalVault.open(dir, null);
    await vault.unlock(PASSWORD);
    const state = vault.store.state;
    const values = state.values.map((v) => {
      const [a, b] = v.files ?? [];
      if (v.type !== 'utility_bill' || a === undefined || b === undefined) return v;
      return { ...v, files: [{ ...a, fileHash: b.fileHash, secret: b.secret }, { ...b, fileHash: a.fileHash, secret: a.secret }] };
    });
    await vault.store.commit({ ...state, values });
    const backup = join(tempDir(), 'swapped.pvbackup');
    await vault.backupTo(backup);
    vault.close();
    const target = join(tempDir(), 'dst');
    await assert.rejects(importBackup(backup, PASSWORD, target, null), (e) => code('BACKUP_CORRUPT')(e) && /A file of utility_bill .*hash mismatch/.test((e as Error).message));
    assert.ok(!existsSync(join(target, 'vault.json')), 'no vault left behind');
  });

  test('import into the same Passport replaces its types; into a different one is refused', async () => {
    const { dir, backup } = await makeVault();
    const vault = await LocalVault.open(dir, null);
    await vault.unlock(PASSWORD);
    await vault.save({ type: 'email', plain: 'changed@example.org' });
    const before = vault.store.state.values.length;
    vault.close();
    const result = await importBackup(backup, PASSWORD, dir, null);
    assert.equal(result.created, false);
    const again = await LocalVault.open(dir, null);
    await again.unlock(PASSWORD);
    assert.equal((await again.read('email'))?.plain, MARK.email);
    assert.equal(again.store.state.values.length, before);
    again.close();

    const other = join(tempDir(), 'other');
    (await LocalVault.init(other, PASSWORD, null)).close();
    await assert.rejects(importBackup(backup, PASSWORD, other, null), code('VAULT_EXISTS'));
    assert.ok(statSync(join(other, 'vault.json')).isFile());
  });
});
