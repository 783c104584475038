/**
 * Issue #21 item 4, the readers: inputs that are not regular files, inputs over their limit, huge
 * base64 fields and absurd nesting all end in a coded error (exit 2) or the right answer, never in
 * INTERNAL, a hang or unbounded memory. Spawned where the process's own stdin or memory matters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealFile } from '../../../electron/main/passport/crypto/file-encryption';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { cli, fails, here, ok } from './cli-process';
import { deeplyNestedJson, passportDataFixture } from './passport-data-fixture';

/** What a spawned reader may use at most here; the old `--key /dev/zero` reached 8 GB. */
const MAX_RSS_KIB = 1024 * 1024;

let dir = '';
let key = '';
let input = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pv-bounded-'));
  const f = passportDataFixture(JSON.stringify({ first_name: 'Ada' }));
  key = join(dir, 'key.pem');
  writeFileSync(key, f.privateKeyPem);
  input = join(dir, 'passport-data.json');
  writeFileSync(input, JSON.stringify(f.passportData));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('bounded readers', { concurrency: 2 }, () => {
  test('decrypt-passport-data --key /dev/zero: INPUT_NOT_A_FILE at once (it grew without bound)', { timeout: 120_000 }, async () => {
    const r = await cli(['decrypt-passport-data', '--key', '/dev/zero', '--in', input], { timeoutMs: 60_000, maxRssKiB: MAX_RSS_KIB });
    assert.ok(!r.timedOut && !r.rssExceeded, `killed: peak ${r.peakRssKiB} KiB, timed out ${r.timedOut}`);
    fails(r, 2, 'INPUT_NOT_A_FILE');
  });

  test('decrypt-passport-data with stdin from /dev/zero: INPUT_NOT_A_FILE (it ended in INTERNAL)', { timeout: 120_000 }, async () => {
    const r = await cli(['decrypt-passport-data', '--key', key], { stdin: { file: '/dev/zero' }, timeoutMs: 60_000, maxRssKiB: MAX_RSS_KIB });
    assert.ok(!r.timedOut && !r.rssExceeded, `killed: peak ${r.peakRssKiB} KiB`);
    fails(r, 2, 'INPUT_NOT_A_FILE');
  });

  test('decrypt-passport-data with stdin from a regular file: read, decrypted', { timeout: 120_000 }, async () => {
    const out = ok(await cli(['decrypt-passport-data', '--key', key], { stdin: { file: input } }));
    assert.deepEqual((out.elements as { data?: unknown }[])[0]?.data, { first_name: 'Ada' });
  });

  test('backup inspect|import --in DIR: INPUT_NOT_A_FILE, exit 2 (was INTERNAL)', async () => {
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'pw\n');
    fails(await cli(['backup', 'inspect', '--in', dir]), 2, 'INPUT_NOT_A_FILE');
    fails(await here(['backup', 'import', '--in', dir, '--vault-dir', join(dir, 'new-vault'), '--password-file', pw, '--keychain', 'none']), 2, 'INPUT_NOT_A_FILE');
    fails(await here(['backup', 'inspect', '--in', '/dev/zero']), 2, 'INPUT_NOT_A_FILE');
  });

  test('open --out EXISTING_DIR: INPUT_NOT_A_FILE before decrypting anything (was INTERNAL after the whole file)', async () => {
    const plain = join(dir, 'scan.jpg');
    writeFileSync(plain, Buffer.alloc(300_000, 0x42));
    const secret = generateSecret();
    const sealed = join(dir, 'scan.enc');
    const hash = sealFile(plain, sealed, secret);
    const outDir = join(dir, 'out-dir');
    mkdirSync(outDir);
    const args = ['open', '--secret', secret.toString('base64'), '--in', sealed, '--out', outDir];
    fails(await cli([...args, '--hash', hash.toString('base64')]), 2, 'INPUT_NOT_A_FILE');
    // With a wrong hash the old code said DATA_HASH_MISMATCH: it had decrypted the file before looking at --out.
    const wrong = Buffer.from(hash);
    wrong[0] = (wrong[0] ?? 0) ^ 1;
    fails(await here([...args, '--hash', wrong.toString('base64')]), 2, 'INPUT_NOT_A_FILE');
    assert.deepEqual(readdirSync(outDir), []);
    fails(await here(['seal', '--secret', secret.toString('base64'), '--in', plain, '--out', outDir]), 2, 'INPUT_NOT_A_FILE');
  });

  test('an 8M-character base64 field decrypts (zod\'s regex overflowed the stack on it, even valid)', { timeout: 120_000 }, async () => {
    const name = 'N'.repeat(6_100_000);
    const f = passportDataFixture(JSON.stringify({ first_name: name }));
    const data = f.passportData.data[0]?.['data'] as string;
    assert.ok(data.length > 8_000_000);
    const keyFile = join(dir, 'big-key.pem');
    writeFileSync(keyFile, f.privateKeyPem);
    const out = ok(await here(['decrypt-passport-data', '--key', keyFile], JSON.stringify(f.passportData)));
    assert.equal(((out.elements as { data: { first_name: string } }[])[0]?.data.first_name ?? '').length, name.length);
    // The same size of field, not valid base64 at its very end: a coded error.
    const bad = structuredClone(f.passportData);
    bad.credentials.data = `${'A'.repeat(8_000_000)}A-A=`;
    fails(await here(['decrypt-passport-data', '--key', keyFile], JSON.stringify(bad)), 2, 'BAD_INPUT');
  });

  test('decrypted data nested 100 000 deep: INPUT_TOO_DEEP, exit 2 (JSON.stringify overflowed)', async () => {
    const f = passportDataFixture(deeplyNestedJson(100_000));
    const keyFile = join(dir, 'deep-key.pem');
    writeFileSync(keyFile, f.privateKeyPem);
    fails(await here(['decrypt-passport-data', '--key', keyFile], JSON.stringify(f.passportData)), 2, 'INPUT_TOO_DEEP');
    // A sane depth still prints.
    const g = passportDataFixture(deeplyNestedJson(20));
    ok(await here(['decrypt-passport-data', '--key', keyFile], JSON.stringify(g.passportData)));
  });

  test('every file option: a directory, a device or a FIFO is INPUT_NOT_A_FILE; over the limit is INPUT_TOO_LARGE', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo], { timeout: 10_000 });
    const vault = join(dir, 'vault');
    const pw = join(dir, 'pw2');
    writeFileSync(pw, 'pw\n');
    for (const bad of [dir, '/dev/zero', fifo]) {
      fails(await here(['decrypt-passport-data', '--key', bad, '--in', input]), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['decrypt-passport-data', '--key', key, '--in', bad]), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['local', 'init', '--vault-dir', vault, '--password-file', bad, '--keychain', 'none']), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['wrap-secret', '--password-file', bad, '--salt', 'AAAA', '--secret', generateSecret().toString('base64')]), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['local', 'set', '--vault-dir', vault, '--password-file', pw, '--type', 'personal_details', '--data-file', bad, '--keychain', 'none']), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['local', 'set', '--vault-dir', vault, '--password-file', pw, '--type', 'passport', '--front-side', bad, '--keychain', 'none']), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['local', 'set', '--vault-dir', vault, '--password-file', pw, '--type', 'passport', '--file', bad, '--keychain', 'none']), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['seal', '--secret', generateSecret().toString('base64'), '--in', bad, '--out', join(dir, 'o')]), 2, 'INPUT_NOT_A_FILE');
      fails(await here(['status', '--server', '127.0.0.1:1', '--server-key', bad]), 2, 'INPUT_NOT_A_FILE');
    }
    const sparse = (name: string, size: number): string => {
      const p = join(dir, name);
      writeFileSync(p, '');
      truncateSync(p, size);
      return p;
    };
    fails(await here(['decrypt-passport-data', '--key', sparse('big.pem', 64 * 1024 + 1), '--in', input]), 2, 'INPUT_TOO_LARGE');
    fails(await here(['decrypt-passport-data', '--key', key, '--in', sparse('big.json', 32 * 1024 * 1024 + 1)]), 2, 'INPUT_TOO_LARGE');
    fails(await here(['decrypt-passport-data', '--key', key], Buffer.alloc(32 * 1024 * 1024 + 1, 0x20)), 2, 'INPUT_TOO_LARGE');
    fails(await here(['local', 'init', '--vault-dir', vault, '--password-file', sparse('big-pw', 4097), '--keychain', 'none']), 2, 'INPUT_TOO_LARGE');
    fails(await here(['local', 'set', '--vault-dir', vault, '--password-file', pw, '--type', 'passport', '--selfie', sparse('big.jpg', 10 * 1024 * 1024 + 1), '--keychain', 'none']), 2, 'INPUT_TOO_LARGE');
    fails(await here(['local', 'set', '--vault-dir', vault, '--password-file', pw, '--type', 'personal_details', '--data-file', sparse('big-data.json', 1024 * 1024 + 1), '--keychain', 'none']), 2, 'INPUT_TOO_LARGE');
  });
});
