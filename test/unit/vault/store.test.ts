/**
 * The offline vault store: commits and reopening, both sealing modes, integrity checks, garbage
 * collection of what crashed saves leave, destroy, and the edit queue.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import type { StoredValue, VaultContent } from '../../../electron/main/vault/store/state';
import { VaultStore } from '../../../electron/main/vault/store/vault-store';
import { baseServerHashFor, checkEdit, completeEdit, enqueueEdit } from '../../../electron/main/vault/store/edit-queue';
import { tempDir } from './samples';

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c;

function valueWithFile(blob: string, size: number, type: StoredValue['type'] = 'utility_bill'): StoredValue {
  return {
    type,
    files: [{ blob, fileHash: randomBytes(32).toString('base64'), secret: randomBytes(32).toString('base64'), size, date: 1 }],
    updatedAt: 1000,
  };
}

function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  const i = at < 0 ? b.length + at : at;
  b[i] = (b[i] ?? 0) ^ 0x01;
  writeFileSync(path, b);
}

for (const sealed of [true, false]) {
  describe(`vault store, ${sealed ? 'sealed with a vault key' : 'keyless'}`, () => {
    const key = (): Buffer | null => (sealed ? Buffer.alloc(32, 7) : null);

    test('create, commit blobs and values, reopen: the same state and bytes', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      assert.equal(store.state.generation, 0);
      const bytes = randomBytes(700_000); // several read slices
      const name = await store.putBlob(bytes);
      const content: VaultContent = { ...store.state, values: [valueWithFile(name, bytes.length)] };
      const committed = await store.commit(content);
      assert.equal(committed.generation, 1);
      store.close();

      const again = await VaultStore.open(dir, key());
      assert.equal(again.state.generation, 1);
      assert.deepEqual(again.state.values, content.values);
      assert.ok((await again.readBlob(name)).equals(bytes));
      assert.equal(again.sealing, sealed ? 'aes-256-gcm' : 'none');
      again.close();
      rmSync(dir, { recursive: true });
    });

    test('state returns a copy: mutating it does not change the store', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      store.state.values.push(valueWithFile('0'.repeat(32), 16));
      assert.equal(store.state.values.length, 0);
      store.close();
    });

    test('frozenState is the committed state without a copy: frozen throughout, replaced by a commit', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const name = await store.putBlob(randomBytes(100));
      await store.commit({ ...store.state, values: [valueWithFile(name, 100)] });
      const seen = store.frozenState;
      assert.equal(store.frozenState, seen, 'no copy');
      assert.throws(() => seen.values.push(valueWithFile(name, 100)), TypeError);
      const file = seen.values[0]?.files?.[0];
      assert.ok(file);
      assert.throws(() => (file.size = 1), TypeError);
      const copy = store.state; // a copy is still the callers' to change
      copy.values[0]!.updatedAt = 5;
      await store.commit(copy);
      assert.notEqual(store.frozenState, seen);
      assert.deepEqual([seen.values[0]?.updatedAt, store.frozenState.values[0]?.updatedAt, Object.isFrozen(store.frozenState.values[0])], [1000, 5, true]);
      store.close();
    });

    test('a changed byte anywhere in the state or a blob is VAULT_CORRUPT', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const name = await store.putBlob(randomBytes(1000));
      await store.commit({ ...store.state, values: [valueWithFile(name, 1000)] });
      store.close();
      const statePath = join(dir, 'state');
      const good = readFileSync(statePath);
      for (const at of [0, 4, 6, 20, Math.floor(good.length / 2), -1]) {
        flipByte(statePath, at);
        await assert.rejects(VaultStore.open(dir, key()), code('VAULT_CORRUPT'), `state byte ${at}`);
        writeFileSync(statePath, good);
      }
      const blobPath = join(dir, 'blobs', name);
      const goodBlob = readFileSync(blobPath);
      for (const at of [4, 30, -1]) {
        flipByte(blobPath, at);
        const s = await VaultStore.open(dir, key());
        await assert.rejects(s.readBlob(name), code('VAULT_CORRUPT'), `blob byte ${at}`);
        s.close();
        writeFileSync(blobPath, goodBlob);
      }
      // A blob moved under another blob's name fails too (the name is authenticated).
      const s = await VaultStore.open(dir, key());
      const other = await s.putBlob(randomBytes(1000));
      await s.commit({ ...s.state, values: [valueWithFile(name, 1000), valueWithFile(other, 1000, 'bank_statement')] });
      writeFileSync(join(dir, 'blobs', other), goodBlob);
      await assert.rejects(s.readBlob(other), code('VAULT_CORRUPT'));
      s.close();
    });

    test('a missing referenced blob fails only its read: open works, blobDamage says missing', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const name = await store.putBlob(randomBytes(100));
      const fine = await store.putBlob(randomBytes(100));
      await store.commit({ ...store.state, values: [valueWithFile(name, 100), valueWithFile(fine, 100, 'bank_statement')] });
      store.close();
      rmSync(join(dir, 'blobs', name));
      const again = await VaultStore.open(dir, key());
      const [lost, kept] = again.state.values;
      assert.equal(again.blobDamage(lost?.files?.[0] ?? assert.fail()), 'missing');
      assert.equal(again.blobDamage(kept?.files?.[0] ?? assert.fail()), null);
      await assert.rejects(again.readBlob(name), code('VAULT_CORRUPT'));
      assert.equal((await again.readBlob(fine)).length, 100);
      // A commit that keeps the damaged value (an edit of another one) is not refused for it.
      await again.commit({ ...again.state, values: [...again.state.values, { type: 'email', plainData: { email: 'a@b.co' }, updatedAt: 2 }] });
      again.close();
    });

    test('open deletes nothing; the next commit sweeps dropped and uncommitted blobs and temp files', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const kept = await store.putBlob(randomBytes(100));
      const dropped = await store.putBlob(randomBytes(100));
      await store.commit({ ...store.state, values: [valueWithFile(kept, 100), valueWithFile(dropped, 100, 'bank_statement')] });
      const orphan = await store.putBlob(randomBytes(100)); // a save that never committed…
      writeFileSync(join(dir, `.state.${'a1'.repeat(6)}.tmp`), 'half a state');
      writeFileSync(join(dir, 'blobs', `.${'b'.repeat(32)}.${'c2'.repeat(6)}.tmp`), 'half a blob');
      // …killed here: the lock and the orphan stay (close() would have removed them).
      const files = (): string[] => [...readdirSync(dir), ...readdirSync(join(dir, 'blobs'))].sort();
      const before = files();
      assert.ok(before.includes('lock') && before.includes(orphan));
      const reader = await VaultStore.open(dir, key());
      assert.deepEqual(files(), before, 'open deleted nothing');
      reader.close();
      const writer = await VaultStore.open(dir, key()); // takes the stale lock over: its holder is this very process, but another store
      await assert.rejects(writer.commit({ ...writer.state }), code('VAULT_BUSY'), 'the first store still holds the lock');
      store.close();
      assert.ok(!existsSync(join(dir, 'blobs', orphan)), 'close() removes its own uncommitted blob');
      writeFileSync(join(dir, 'blobs', orphan), readFileSync(join(dir, 'blobs', kept))); // bring an unreferenced blob back
      await writer.commit({ ...writer.state, values: [valueWithFile(kept, 100)] });
      assert.deepEqual(readdirSync(join(dir, 'blobs')), [kept], 'the commit swept the dropped blob, the orphan and the temp');
      assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'lock', 'state', 'vault.json']);
      writer.close();
      assert.deepEqual(readdirSync(dir).sort(), ['blobs', 'state', 'vault.json'], 'close gives the lock up');
    });

    test('commit refuses content that references a blob never stored, or is malformed', async () => {
      const dir = join(tempDir(), 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      await assert.rejects(store.commit({ ...store.state, values: [valueWithFile('f'.repeat(32), 10)] }), code('BAD_INPUT'));
      await assert.rejects(
        store.commit({ ...store.state, values: [{ type: 'nope', updatedAt: 1 } as unknown as StoredValue] }),
        code('BAD_INPUT'),
      );
      assert.equal(store.state.generation, 0);
      store.close();
    });

    test('destroy removes the vault and nothing else', async () => {
      const parent = tempDir();
      const dir = join(parent, 'v');
      const store = await VaultStore.create(dir, { vaultKey: key(), origin: 'local' });
      const name = await store.putBlob(randomBytes(10));
      await store.commit({ ...store.state, values: [valueWithFile(name, 10)] });
      store.close();
      writeFileSync(join(dir, 'notes.txt'), 'not ours');
      await VaultStore.destroy(dir);
      assert.deepEqual(readdirSync(dir), ['notes.txt']);
      await assert.rejects(VaultStore.open(dir, key()), code('VAULT_NOT_FOUND'));
    });
  });
}

describe('vault store, keys and versions', () => {
  test('a sealed vault: no key → KEYCHAIN_UNAVAILABLE, wrong key → VAULT_CORRUPT', async () => {
    const dir = join(tempDir(), 'v');
    (await VaultStore.create(dir, { vaultKey: Buffer.alloc(32, 1), origin: 'local' })).close();
    await assert.rejects(VaultStore.open(dir, null), code('KEYCHAIN_UNAVAILABLE'));
    await assert.rejects(VaultStore.open(dir, Buffer.alloc(32, 2)), code('VAULT_CORRUPT'));
    await assert.rejects(VaultStore.open(dir, Buffer.alloc(16, 1)), code('BAD_KEY'));
  });

  test('vault.json switched to "none" on a sealed vault is refused while the key exists', async () => {
    const dir = join(tempDir(), 'v');
    (await VaultStore.create(dir, { vaultKey: Buffer.alloc(32, 1), origin: 'local' })).close();
    const info = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'vault.json'), JSON.stringify({ ...info, sealing: 'none' }));
    await assert.rejects(VaultStore.open(dir, Buffer.alloc(32, 1)), code('VAULT_CORRUPT'));
    // And without the key, the sealed state record does not pass as keyless either.
    await assert.rejects(VaultStore.open(dir, null), code('VAULT_CORRUPT'));
  });

  test('create refuses an existing vault; a newer format is UNSUPPORTED_VERSION; nothing there is VAULT_NOT_FOUND', async () => {
    const dir = join(tempDir(), 'v');
    (await VaultStore.create(dir, { vaultKey: null, origin: 'local' })).close();
    await assert.rejects(VaultStore.create(dir, { vaultKey: null, origin: 'local' }), code('VAULT_EXISTS'));
    const info = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'vault.json'), JSON.stringify({ ...info, version: 2 }));
    await assert.rejects(VaultStore.open(dir, null), code('UNSUPPORTED_VERSION'));
    await assert.rejects(VaultStore.open(join(tempDir(), 'none'), null), code('VAULT_NOT_FOUND'));
  });

  test('a keyless blob sealed with a digest computed elsewhere reads back; a wrong digest is VAULT_CORRUPT; a sealed vault ignores it', async () => {
    const bytes = randomBytes(100_000);
    const keyless = await VaultStore.create(join(tempDir(), 'k'), { vaultKey: null, origin: 'local' });
    const right = await keyless.putBlobStream([bytes], { keylessDigest: (prefix) => Promise.resolve(createHash('sha256').update(prefix).update(bytes).digest()) });
    assert.ok((await keyless.readBlob(right.name)).equals(bytes));
    const wrong = await keyless.putBlobStream([bytes], { keylessDigest: (prefix) => Promise.resolve(createHash('sha256').update(prefix).digest()) });
    await assert.rejects(keyless.readBlob(wrong.name), code('VAULT_CORRUPT'));
    await assert.rejects(keyless.putBlobStream([bytes], { keylessDigest: () => Promise.reject(new AppError('BACKUP_CORRUPT', 'no digest')) }), code('BACKUP_CORRUPT'));
    keyless.close();

    const sealed = await VaultStore.create(join(tempDir(), 's'), { vaultKey: Buffer.alloc(32, 7), origin: 'local' });
    const blob = await sealed.putBlobStream([bytes], { keylessDigest: () => assert.fail('a sealed vault seals with its key') });
    assert.ok((await sealed.readBlob(blob.name)).equals(bytes));
    sealed.close();
  });

  test('a state record from one vault does not open in another (vault id is authenticated)', async () => {
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    (await VaultStore.create(a, { vaultKey: null, origin: 'local' })).close();
    (await VaultStore.create(b, { vaultKey: null, origin: 'local' })).close();
    writeFileSync(join(b, 'state'), readFileSync(join(a, 'state')));
    await assert.rejects(VaultStore.open(b, null), code('VAULT_CORRUPT'));
  });
});

describe('edit queue', () => {
  const empty: VaultContent = { origin: 'telegram', secretSettings: null, values: [], pendingEdits: [] };
  const v = (serverHash?: string): StoredValue => ({ type: 'email', plainData: { email: 'a@b.co' }, updatedAt: 1, ...(serverHash ? { serverHash } : {}) });

  test('an edit records the server hash it was based on; a second edit keeps that base', () => {
    const start = { ...empty, values: [v('c2VydmVyMQ==')] };
    const one = enqueueEdit(start, { type: 'email', op: 'save', value: { ...v(), plainData: { email: 'x@y.co' } } });
    assert.equal(one.pendingEdits.length, 1);
    assert.equal(one.pendingEdits[0]?.baseServerHash, 'c2VydmVyMQ==');
    assert.equal(one.values[0]?.plainData && 'email' in one.values[0].plainData ? one.values[0].plainData.email : '', 'x@y.co');
    const two = enqueueEdit(one, { type: 'email', op: 'delete' });
    assert.equal(two.pendingEdits.length, 1, 'only the latest edit of a type is kept');
    assert.equal(two.pendingEdits[0]?.op, 'delete');
    assert.equal(two.pendingEdits[0]?.baseServerHash, 'c2VydmVyMQ==');
    assert.equal(two.values.length, 0);
    assert.equal(baseServerHashFor(empty, 'email'), null);
  });

  test('checkEdit: same base → apply, moved server → conflict; completeEdit stores the new hash', () => {
    const q = enqueueEdit({ ...empty, values: [v('aGFzaDE=')] }, { type: 'email', op: 'save', value: v() });
    const edit = q.pendingEdits[0];
    assert.ok(edit);
    assert.deepEqual(checkEdit(edit, 'aGFzaDE='), { kind: 'apply' });
    assert.deepEqual(checkEdit(edit, 'aGFzaDI='), { kind: 'conflict', base: 'aGFzaDE=', server: 'aGFzaDI=' });
    assert.deepEqual(checkEdit(edit, null), { kind: 'conflict', base: 'aGFzaDE=', server: null });
    const done = completeEdit(q, edit.id, 'aGFzaDM=');
    assert.equal(done.pendingEdits.length, 0);
    assert.equal(done.values[0]?.serverHash, 'aGFzaDM=');
  });

  test('queued edits survive a commit and reopen, and keep their blobs alive', async () => {
    const dir = join(tempDir(), 'v');
    const store = await VaultStore.create(dir, { vaultKey: null, origin: 'telegram' });
    const name = await store.putBlob(randomBytes(64));
    const content = enqueueEdit(store.state, { type: 'utility_bill', op: 'save', value: valueWithFile(name, 64) });
    await store.commit(content);
    store.close();
    const again = await VaultStore.open(dir, null);
    assert.deepEqual(again.state.pendingEdits, content.pendingEdits);
    // Only the queue references the blob now: GC on open must keep it.
    await again.commit({ ...again.state, values: [] });
    again.close();
    const third = await VaultStore.open(dir, null);
    assert.equal((await third.readBlob(name)).length, 64);
    third.close();
  });
});
