/**
 * Issue #21, store side: nothing read-only deletes, rollback is detected (from newer blobs, and from
 * the keychain's generation), v1 blobs still read, two writers (VAULT_BUSY, stale lock taken over),
 * and store-level bad inputs are coded errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import { Keychain } from '../../../electron/main/keychain/keychain';
import type { StoredValue } from '../../../electron/main/vault/store/state';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { openVaultStore, createVaultStore } from '../../../electron/main/vault/vault-keys';
import { MemoryBackend } from '../keychain/fake-backend';
import { tempDir } from './samples';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

function valueWithFile(blob: string, size: number, type: StoredValue['type'] = 'utility_bill'): StoredValue {
  return {
    type,
    files: [{ blob, fileHash: randomBytes(32).toString('base64'), secret: randomBytes(32).toString('base64'), size, date: 1 }],
    updatedAt: 1000,
  };
}

/** Every file under `dir` with its bytes' hash: "nothing was deleted or changed" is this staying equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[prefix + e.name] = createHash('sha256').update(readFileSync(join(d, e.name))).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

/** A pid that ran and is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8', timeout: 30_000 });
  return Number(r.stdout);
}

/** A blob in the v1 format (before #21: no generation), sealed like the old code did. */
function v1Blob(vaultId: string, name: string, key: Buffer | null, body: Buffer): Buffer {
  const label = (header: Buffer): Buffer => Buffer.concat([Buffer.from(`passport-vault blob\0${vaultId}\0${name}\0`, 'utf8'), header]);
  if (key === null) {
    const header = Buffer.concat([Buffer.from('PVB1', 'latin1'), Buffer.of(0)]);
    return Buffer.concat([header, body, createHash('sha256').update(label(header)).update(body).digest()]);
  }
  const nonce = randomBytes(12);
  const header = Buffer.concat([Buffer.from('PVB1', 'latin1'), Buffer.of(1), nonce]);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(label(header));
  return Buffer.concat([header, c.update(body), c.final(), c.getAuthTag()]);
}

for (const sealed of [true, false]) {
  describe(`store safety, ${sealed ? 'sealed' : 'keyless'}`, () => {
    const key = (): Buffer | null => (sealed ? Buffer.alloc(32, 9) : null);

    test('an older state put back: open is VAULT_ROLLBACK and deletes nothing; the newer state back opens with every blob', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const a = await store.putBlob(randomBytes(64));
      await store.commit({ ...store.state, values: [valueWithFile(a, 64)] });
      const older = readFileSync(join(dir, 'state')); // generation 1
      const b = await store.putBlob(randomBytes(64));
      await store.commit({ ...store.state, values: [valueWithFile(a, 64), valueWithFile(b, 64, 'bank_statement')] });
      const c = await store.putBlob(randomBytes(64));
      await store.commit({ ...store.state, values: [valueWithFile(a, 64), valueWithFile(b, 64, 'bank_statement'), valueWithFile(c, 64, 'rental_agreement')] });
      store.close();
      const newer = readFileSync(join(dir, 'state')); // generation 3
      writeFileSync(join(dir, 'state'), older);
      const before = snapshot(dir);
      await assert.rejects(VaultStore.open(dir, key()), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'VAULT_ROLLBACK');
        assert.deepEqual(e.details, { stateGeneration: 1, seenGeneration: 3, source: 'blobs' });
        assert.match(e.message, /put the newer "state" file back/);
        return true;
      });
      assert.deepEqual(snapshot(dir), before, 'every file kept');
      writeFileSync(join(dir, 'state'), newer);
      const again = await VaultStore.open(dir, key());
      for (const name of [a, b, c]) assert.equal((await again.readBlob(name)).length, 64);
      again.close();
    });

    test('one generation back: the blob of generation state + 1 is an interrupted write only while a lock file marks one', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      await store.commit({ ...store.state });
      const older = readFileSync(join(dir, 'state')); // generation 1
      const b = await store.putBlob(randomBytes(64)); // written for generation 2
      await store.commit({ ...store.state, values: [valueWithFile(b, 64)] });
      store.close();
      writeFileSync(join(dir, 'state'), older);
      await assert.rejects(VaultStore.open(dir, key()), code('VAULT_ROLLBACK'), 'no lock: it cannot be an interrupted write');
      // The same files with a dead writer's lock: an interrupted write, opened; the next commit sweeps the blob.
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: hostname(), started: null, token: 'x', since: 1, held: true }));
      const reader = await VaultStore.open(dir, key());
      assert.equal(reader.state.generation, 1);
      assert.deepEqual(readdirSync(join(dir, 'blobs')), [b], 'open deleted nothing');
      reader.close();
      const writer = await VaultStore.open(dir, key());
      await writer.commit({ ...writer.state });
      assert.deepEqual(readdirSync(join(dir, 'blobs')), [], 'the commit swept the interrupted write');
      writer.close();
      assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'state', 'vault.json']);
    });

    test('a writer that took a dead writer\'s lock over and ends without committing leaves the lock as the mark', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      await store.commit({ ...store.state });
      store.close();
      const first = await VaultStore.open(dir, key());
      const orphan = await first.putBlob(randomBytes(10)); // then "killed": the lock names a dead pid
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: hostname(), started: null, token: 'x', since: 1, held: true }));
      const second = await VaultStore.open(dir, key());
      const own = await second.putBlob(randomBytes(10)); // takes the stale lock over
      second.close(); // no commit
      assert.deepEqual(readdirSync(join(dir, 'blobs')), [orphan], 'its own uncommitted blob removed');
      const lock = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { held: boolean; pid: number };
      assert.equal(lock.held, false);
      assert.equal(lock.pid, process.pid);
      assert.ok(!readdirSync(join(dir, 'blobs')).includes(own));
      (await VaultStore.open(dir, key())).close(); // not mistaken for a rollback
      const third = await VaultStore.open(dir, key());
      await third.commit({ ...third.state }); // a released mark is taken over at once
      third.close();
      assert.deepEqual(readdirSync(join(dir, 'blobs')), []);
      assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'state', 'vault.json']);
      first.close();
    });

    test('a state older than the generation the keychain saw is VAULT_ROLLBACK, even with no newer blob', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      await store.commit({ ...store.state });
      const older = readFileSync(join(dir, 'state'));
      await store.commit({ ...store.state, values: [{ type: 'email', plainData: { email: 'a@b.co' }, updatedAt: 1 }] });
      store.close();
      writeFileSync(join(dir, 'state'), older);
      (await VaultStore.open(dir, key())).close(); // nothing on disk tells
      (await VaultStore.open(dir, key(), { knownGeneration: 1 })).close();
      await assert.rejects(VaultStore.open(dir, key(), { knownGeneration: 2 }), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'VAULT_ROLLBACK');
        assert.deepEqual(e.details, { stateGeneration: 1, seenGeneration: 2, source: 'keychain' });
        return true;
      });
    });

    test('v1 blobs (no generation) still read, count as old, and are swept once unreferenced', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      await store.commit({ ...store.state });
      const body = randomBytes(300);
      const name = 'ab'.repeat(16);
      const unreferenced = 'cd'.repeat(16);
      writeFileSync(join(dir, 'blobs', name), v1Blob(store.info.vaultId, name, key(), body));
      writeFileSync(join(dir, 'blobs', unreferenced), v1Blob(store.info.vaultId, unreferenced, key(), body));
      await store.commit({ ...store.state, values: [valueWithFile(name, 300)] });
      store.close();
      const again = await VaultStore.open(dir, key());
      assert.ok((await again.readBlob(name)).equals(body));
      assert.equal(again.blobDamage(again.state.values[0]?.files?.[0] ?? assert.fail()), null);
      await again.commit({ ...again.state, values: [] });
      assert.deepEqual(readdirSync(join(dir, 'blobs')), []);
      again.close();
    });

    test('two writers: the second gets VAULT_BUSY; one that opened before the other committed must reopen', async () => {
      const dir = join(tempDir(), 'v');
      (await VaultStore.create(dir, { vaultKey: key(), origin: 'local' })).close();
      const one = await VaultStore.open(dir, key());
      const two = await VaultStore.open(dir, key());
      await one.commit({ ...one.state, values: [{ type: 'email', plainData: { email: 'a@b.co' }, updatedAt: 1 }] });
      await assert.rejects(two.putBlob(randomBytes(5)), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === 'VAULT_BUSY');
        assert.equal(e.details?.['pid'], process.pid);
        return true;
      });
      // A reader beside the writer is fine.
      const reader = await VaultStore.open(dir, key());
      assert.equal(reader.state.values.length, 1);
      reader.close();
      one.close();
      await assert.rejects(two.commit({ ...two.state }), code('VAULT_BUSY'), 'stale view: it would overwrite the other commit');
      two.close();
      const three = await VaultStore.open(dir, key());
      await three.commit({ ...three.state });
      assert.equal(three.state.values.length, 1);
      three.close();
    });

    test('a stale lock from a dead process is taken over; a lock from another host is VAULT_BUSY', async () => {
      const dir = join(tempDir(), 'v');
      (await VaultStore.create(dir, { vaultKey: key(), origin: 'local' })).close();
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), host: hostname(), started: null, token: 'x', since: 1, held: true }));
      const s = await VaultStore.open(dir, key());
      await s.commit({ ...s.state });
      s.close();
      assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'state', 'vault.json']);
      // Our own pid with another start time: the pid was reused, the holder is gone.
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: '1', token: 'y', since: 1, held: true }));
      const t = await VaultStore.open(dir, key());
      await t.commit({ ...t.state });
      t.close();
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 1, host: 'elsewhere.example', started: null, token: 'z', since: 1, held: true }));
      const u = await VaultStore.open(dir, key());
      await assert.rejects(u.commit({ ...u.state }), (e: unknown) => e instanceof AppError && e.code === 'VAULT_BUSY' && e.message.includes('elsewhere.example'));
      u.close();
    });

    test('bad store files are coded errors: state a folder, blobs missing or a file, a blob that is a folder', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const name = await store.putBlob(randomBytes(50));
      await store.commit({ ...store.state, values: [valueWithFile(name, 50)] });
      store.close();
      const copy = (): string => {
        const d = join(tempDir(), 'c');
        mkdirSync(join(d, 'blobs'), { recursive: true });
        for (const f of ['vault.json', 'state']) copyFileSync(join(dir, f), join(d, f));
        copyFileSync(join(dir, 'blobs', name), join(d, 'blobs', name));
        return d;
      };
      let d = copy();
      rmSync(join(d, 'state'));
      mkdirSync(join(d, 'state'));
      await assert.rejects(VaultStore.open(d, key()), code('VAULT_CORRUPT'));
      d = copy();
      rmSync(join(d, 'blobs'), { recursive: true });
      await assert.rejects(VaultStore.open(d, key()), code('VAULT_CORRUPT'));
      writeFileSync(join(d, 'blobs'), 'not a folder');
      await assert.rejects(VaultStore.open(d, key()), code('VAULT_CORRUPT'));
      d = copy();
      rmSync(join(d, 'blobs', name));
      mkdirSync(join(d, 'blobs', name));
      mkdirSync(join(d, 'blobs', 'ef'.repeat(16))); // an unreferenced one too
      const s = await VaultStore.open(d, key());
      assert.equal(s.blobDamage(s.state.values[0]?.files?.[0] ?? assert.fail()), 'not_a_file');
      await assert.rejects(s.readBlob(name), code('VAULT_CORRUPT'));
      await s.commit({ ...s.state }); // the sweep skips folders
      s.close();
    });
  });
}

describe('store safety with a keychain', () => {
  test('vault.json whose sealing was edited is VAULT_CORRUPT, not KEYCHAIN_UNAVAILABLE', async () => {
    const keychain = new Keychain(() => Promise.resolve(new MemoryBackend()));
    const dir = join(tempDir(), 'v');
    (await VaultStore.create(dir, { vaultKey: null, origin: 'local' })).close();
    const info = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'vault.json'), JSON.stringify({ ...info, sealing: 'aes-256-gcm' }));
    await assert.rejects(VaultStore.open(dir, null), code('VAULT_CORRUPT'));
    await assert.rejects(openVaultStore(dir, keychain), code('VAULT_CORRUPT'));
    await assert.rejects(openVaultStore(dir, null), code('VAULT_CORRUPT'));
  });

  test('each commit records its generation in the keychain; a rolled-back state is caught there, and not without the keychain', async () => {
    const backend = new MemoryBackend();
    const keychain = new Keychain(() => Promise.resolve(backend));
    const dir = join(tempDir(), 'v');
    const { store } = await createVaultStore(dir, keychain, 'local');
    await store.commit({ ...store.state });
    const older = readFileSync(join(dir, 'state'));
    await store.commit({ ...store.state, values: [{ type: 'email', plainData: { email: 'a@b.co' }, updatedAt: 1 }] });
    store.close();
    assert.equal(await keychain.getVaultGeneration(store.info.vaultId), 2);
    writeFileSync(join(dir, 'state'), older);
    await assert.rejects(openVaultStore(dir, keychain), code('VAULT_ROLLBACK'));
    // A keychain that fails to answer the generation does not block opening (the disk check still runs).
    const flaky = new Keychain(() =>
      Promise.resolve({ ...backend, getPassword: (s: string, a: string) => (a.startsWith('vault-generation:') ? Promise.reject(new Error('x')) : backend.getPassword(s, a)), setPassword: (s: string, a: string, p: string) => backend.setPassword(s, a, p), deletePassword: (s: string, a: string) => backend.deletePassword(s, a), findCredentials: (s: string) => backend.findCredentials(s) }),
    );
    (await openVaultStore(dir, flaky)).store.close();
  });
});
