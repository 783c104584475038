/**
 * The size-capped reader every CLI input goes through: regular files only, the limit checked before
 * reading, stdin cut off past its limit, and devices, directories and FIFOs refused without blocking.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../../electron/common/errors';
import { MAX_FILES_PER_VALUE, MAX_TRANSLATIONS_PER_VALUE, SECURE_VALUE_TYPE_NAMES } from '../../../electron/common/passport';
import { checkInputFile, checkOutputTarget, INPUT_LIMITS, MAX_SCANS_PER_BACKUP, readInputFile } from '../../../electron/main/cli/input-file';
import { readStdin } from '../../../electron/main/cli/read-stdin';
import { MAX_SCAN_BYTES } from '../../../electron/main/vault/local/value-codec';

const dir = mkdtempSync(join(tmpdir(), 'pv-input-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return e.code;
  }
  return 'no error';
};
const asyncCode = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'no error',
    (e: unknown) => {
      assert.ok(e instanceof AppError, String(e));
      return e.code;
    },
  );

const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo], { timeout: 10_000 });

test('reads a regular file whole, up to exactly its limit', () => {
  const p = join(dir, 'key.pem');
  writeFileSync(p, Buffer.alloc(INPUT_LIMITS.key, 0x41));
  assert.equal(readInputFile(p, '--key', 'key').length, INPUT_LIMITS.key);
  writeFileSync(p, '');
  assert.equal(readInputFile(p, '--key', 'key').length, 0);
});

test('one byte over the limit is INPUT_TOO_LARGE, decided from the size before reading (a sparse 5 GiB file)', () => {
  const p = join(dir, 'big');
  writeFileSync(p, Buffer.alloc(INPUT_LIMITS.key + 1));
  assert.equal(code(() => readInputFile(p, '--key', 'key')), 'INPUT_TOO_LARGE');
  truncateSync(p, 5 * 1024 ** 3); // would take seconds and 5 GiB to read
  const start = performance.now();
  assert.equal(code(() => readInputFile(p, '--in', 'passportData')), 'INPUT_TOO_LARGE');
  assert.equal(code(() => checkInputFile(p, '--in', 'document')), 'INPUT_TOO_LARGE');
  assert.ok(performance.now() - start < 1000);
  try {
    readInputFile(p, '--key', 'key');
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.details?.['maxBytes'], INPUT_LIMITS.key);
    assert.match(e.message, /--key is larger than 64 KiB/);
  }
});

test('directories, /dev/zero and FIFOs are INPUT_NOT_A_FILE, without reading or blocking', () => {
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  for (const p of [sub, '/dev/zero', '/dev/null', fifo]) {
    assert.equal(code(() => readInputFile(p, '--key', 'key')), 'INPUT_NOT_A_FILE', p);
    assert.equal(code(() => checkInputFile(p, '--in', 'backup')), 'INPUT_NOT_A_FILE', p);
  }
  assert.equal(code(() => readInputFile(join(dir, 'missing'), '--key', 'key')), 'BAD_INPUT');
  assert.equal(code(() => checkInputFile(join(dir, 'missing'), '--in', 'backup')), 'BAD_INPUT');
});

test('an output target may be a new file in an existing folder or a regular file, nothing else', () => {
  const existing = join(dir, 'out-existing');
  writeFileSync(existing, 'x');
  assert.equal(code(() => checkOutputTarget(join(dir, 'new-out'), '--out')), 'no error');
  assert.equal(code(() => checkOutputTarget(existing, '--out')), 'no error');
  assert.equal(code(() => checkOutputTarget(dir, '--out')), 'INPUT_NOT_A_FILE');
  assert.equal(code(() => checkOutputTarget('/dev/null', '--out')), 'INPUT_NOT_A_FILE');
  assert.equal(code(() => checkOutputTarget(fifo, '--out')), 'INPUT_NOT_A_FILE');
  assert.equal(code(() => checkOutputTarget(join(dir, 'no-such-folder', 'out'), '--out')), 'BAD_INPUT');
});

test('stdin: read whole under the limit; an endless stream is cut off just past it', async () => {
  assert.equal((await readStdin(Readable.from([Buffer.from('ab'), 'cd']), undefined, 'key')).toString(), 'abcd');
  let produced = 0;
  const endless = new Readable({
    read() {
      produced += 65536;
      this.push(Buffer.alloc(65536));
    },
  });
  assert.equal(await asyncCode(readStdin(endless, undefined, 'key')), 'INPUT_TOO_LARGE');
  assert.ok(produced <= INPUT_LIMITS.key + 4 * 65536, `read ${produced} bytes`);
  const failing = new Readable({
    read() {
      this.destroy(new Error('EIO'));
    },
  });
  assert.equal(await asyncCode(readStdin(failing, undefined, 'key')), 'BAD_INPUT');
});

test('stdin as the process sees it: a device or a directory is refused by its kind, a big file by its size', async () => {
  const never = new Readable({ read() {} }); // would hang if it were read
  for (const [path, want] of [['/dev/zero', 'INPUT_NOT_A_FILE'], [dir, 'INPUT_NOT_A_FILE']] as const) {
    const fd = openSync(path, 'r');
    try {
      assert.equal(await asyncCode(readStdin(never, fd, 'passportData')), want, path);
    } finally {
      closeSync(fd);
    }
  }
  const p = join(dir, 'big-stdin');
  writeFileSync(p, '');
  truncateSync(p, INPUT_LIMITS.passportData + 1);
  const fd = openSync(p, 'r');
  try {
    assert.equal(await asyncCode(readStdin(never, fd, 'passportData')), 'INPUT_TOO_LARGE');
  } finally {
    closeSync(fd);
  }
});

test('the documented limits: a scan is the vault\'s limit, a backup holds every scan a Passport can have', () => {
  assert.equal(INPUT_LIMITS.scan, MAX_SCAN_BYTES);
  assert.equal(MAX_SCANS_PER_BACKUP, SECURE_VALUE_TYPE_NAMES.length * (3 + MAX_FILES_PER_VALUE + MAX_TRANSLATIONS_PER_VALUE));
  assert.ok(INPUT_LIMITS.backup > MAX_SCANS_PER_BACKUP * INPUT_LIMITS.scan);
  assert.ok(INPUT_LIMITS.key < INPUT_LIMITS.dataFile && INPUT_LIMITS.dataFile < INPUT_LIMITS.passportData);
});
