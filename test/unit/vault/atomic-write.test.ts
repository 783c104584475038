/**
 * writeFileAtomicSync, the synchronous atomic replacement the command line's seal and open use: the
 * destination holds the old or the new content, never a part, and no temporary file is left. That
 * the file and its folder are synced is read in the code, not tested (no portable way to watch it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../../electron/main/vault/fs/atomic-write';

const dir = mkdtempSync(join(tmpdir(), 'pv-atomic-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('replaces the content, mode 0600, and leaves no temporary file', () => {
  const path = join(dir, 'a.bin');
  writeFileSync(path, 'old');
  writeFileAtomicSync(path, (fd) => void writeSync(fd, Buffer.from('new content')));
  assert.equal(readFileSync(path, 'utf8'), 'new content');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['a.bin']);
});

test('a body that throws leaves the old content and no temporary file', () => {
  const path = join(dir, 'b.bin');
  writeFileSync(path, 'old');
  assert.throws(
    () =>
      writeFileAtomicSync(path, (fd) => {
        writeSync(fd, Buffer.from('half'));
        throw new Error('disk full');
      }),
    /disk full/,
  );
  assert.equal(readFileSync(path, 'utf8'), 'old');
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.b.bin')), []);
});

test('a folder that cannot be written to: the caller’s error', () => {
  assert.throws(
    () => writeFileAtomicSync(join(dir, 'missing', 'c.bin'), () => undefined, () => new Error('Cannot write to c.bin')),
    /Cannot write to c\.bin/,
  );
});
