/**
 * The `passport-vault` CLI, spawned as a real process: results on stdout as one JSON object, errors
 * as one `{"error":{"code","message"}}` on stderr, exit codes 2 (usage/input), 3 (integrity),
 * 4 (wrong password or key).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptData } from '../../../electron/main/passport/crypto/data-encryption';
import { generateSecret, isValidSecret } from '../../../electron/main/passport/crypto/secret';
import { cli, fails, here, ok, spawnRun } from './cli-process';
import {
  netDerived,
  netVectors,
  ptbVectors,
  repoRoot,
  selfCheck,
  selfCheckFingerprint,
  vectorPath,
} from '../passport/vectors';
import { ensureCliBuilt } from '../../support/cli';

const str = (v: unknown): string => {
  assert.equal(typeof v, 'string');
  return v as string;
};

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pv-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('passport-vault CLI', { concurrency: 4 }, () => {
  test('new-secret prints a valid secret', async () => {
    const out = ok(await cli(['new-secret']));
    assert.deepEqual(Object.keys(out), ['secret']);
    assert.ok(isValidSecret(Buffer.from(str(out.secret), 'base64')));
  });

  test('seal then open round-trips a file; failures exit 3 and leave no output', async () => {
    const secret = generateSecret().toString('base64'); // new-secret has its own test
    const input = join(dir, 'scan.jpg');
    const data = randomBytes(200_000);
    writeFileSync(input, data);
    const sealed = ok(await cli(['seal', '--secret', secret, '--in', input, '--out', join(dir, 'scan.enc')]));
    const hash = str(sealed.hash);
    assert.equal(Buffer.from(hash, 'base64').length, 32);
    assert.ok(hash.endsWith('='));
    const enc = readFileSync(join(dir, 'scan.enc'));
    // The printed hash is the file_hash the in-memory decryptor needs (SHA-256 of the padded plaintext).
    assert.ok(decryptData(enc, Buffer.from(hash, 'base64'), Buffer.from(secret, 'base64')).equals(data));
    const wrongHash = Buffer.from(hash, 'base64');
    wrongHash[0] = (wrongHash[0] ?? 0) ^ 1;
    writeFileSync(join(dir, 'trunc.enc'), enc.subarray(0, enc.length - 3));
    const [opened, wrong, truncated] = await Promise.all([
      cli(['open', '--secret', secret, '--hash', hash, '--in', join(dir, 'scan.enc'), '--out', join(dir, 'scan.out')]),
      cli(['open', '--secret', secret, '--hash', wrongHash.toString('base64'), '--in', join(dir, 'scan.enc'), '--out', join(dir, 'bad.out')]),
      here(['open', '--secret', secret, '--hash', hash, '--in', join(dir, 'trunc.enc'), '--out', join(dir, 'bad.out')]),
    ]);
    assert.deepEqual(ok(opened), { ok: true });
    assert.ok(readFileSync(join(dir, 'scan.out')).equals(data));
    fails(wrong, 3, 'DATA_HASH_MISMATCH');
    fails(truncated, 3, 'BAD_LENGTH');
    assert.equal(existsSync(join(dir, 'bad.out')), false);
  });

  test('open decrypts a real encrypted scan', async () => {
    const f = netDerived().files['identity_card-selfie.jpg.enc'];
    assert.ok(f);
    const out = join(dir, 'selfie.jpg');
    ok(await cli(['open', '--secret', f.secret_b64, '--hash', f.file_hash_b64, '--in', vectorPath('telegram-bot-extensions-passport-files', 'identity_card-selfie.jpg.enc'), '--out', out]));
    assert.equal(createHash('sha256').update(readFileSync(out)).digest('hex'), f.plain_sha256);
  });

  test('seal refuses a secret with a bad checksum (exit 3)', async () => {
    writeFileSync(join(dir, 'x.bin'), 'x');
    const bad = Buffer.alloc(32, 1).toString('base64'); // sum 32, not 239 mod 255
    fails(await here(['seal', '--secret', bad, '--in', join(dir, 'x.bin'), '--out', join(dir, 'x.enc')]), 3, 'SECRET_CHECKSUM');
  });

  test('wrap-secret / unwrap-secret reproduce the selfcheck values', async () => {
    const v = selfCheck();
    const pw = join(dir, 'pw.txt');
    writeFileSync(pw, `${v.password_utf8}\n`); // one trailing newline is not part of the password
    const salt = Buffer.from(v.passport_secret_salt_hex, 'hex').toString('base64');
    const secret = Buffer.from(v.passport_secret_hex, 'hex').toString('base64');
    const id = selfCheckFingerprint().toString();
    const encPbkdf2 = Buffer.from(v.encrypted_passport_secret_pbkdf2_hex, 'hex').toString('base64');
    const encSha = Buffer.from(v.encrypted_passport_secret_sha512_hex, 'hex').toString('base64');
    const wrongPw = join(dir, 'wrong.txt');
    writeFileSync(wrongPw, 'Correct horse battery staple');
    const [wrapped, unwrapped, unwrappedLegacy, wrong] = await Promise.all([
      cli(['wrap-secret', '--password-file', pw, '--salt', salt, '--secret', secret]),
      cli(['unwrap-secret', '--password-file', pw, '--salt', salt, '--encrypted-secret', encPbkdf2, '--secret-id', id]),
      here(['unwrap-secret', '--password-file', pw, '--salt', salt, '--encrypted-secret', encSha, '--legacy-sha512']),
      cli(['unwrap-secret', '--password-file', wrongPw, '--salt', salt, '--encrypted-secret', encSha, '--legacy-sha512']),
    ]);
    assert.deepEqual(ok(wrapped), { encrypted_secret: encPbkdf2, secret_id: id });
    assert.deepEqual(ok(unwrapped), { secret });
    assert.deepEqual(ok(unwrappedLegacy), { secret });
    fails(wrong, 4, 'WRONG_PASSWORD');
    fails(
      await here(['unwrap-secret', '--password-file', pw, '--salt', salt, '--encrypted-secret', encSha, '--legacy-sha512', '--secret-id', (selfCheckFingerprint() - 1n).toString()]),
      3,
      'SECRET_FINGERPRINT',
    );
    fails(await here(['unwrap-secret', '--password-file', pw, '--salt', salt, '--encrypted-secret', encSha, '--secret-id', '12x']), 2, 'BAD_INPUT');
    fails(await here(['unwrap-secret', '--password-file', pw, '--salt', salt, '--encrypted-secret', encSha, '--secret-id', '9223372036854775808']), 2, 'BAD_INPUT');
  });

  test('decrypt-passport-data: a PTB Message from --in, a .NET PassportData from stdin', async () => {
    const ptb = ptbVectors();
    const out = ok(await cli(['decrypt-passport-data', '--key', vectorPath('python-telegram-bot.private_key.pem'), '--in', vectorPath('python-telegram-bot.json')]));
    assert.deepEqual(Object.keys(out).sort(), ['credentials', 'elements']);
    const elements = out.elements as Record<string, unknown>[];
    assert.deepEqual(elements.find((e) => e.type === 'personal_details')?.data, ptb.expected.decrypted_data.personal_details);
    assert.equal(elements.find((e) => e.type === 'email')?.email, 'fb3e3i47zt@dispostable.com');
    assert.deepEqual(elements.find((e) => e.type === 'driver_license')?.selfie, ptb.expected['credentials.secure_data.driver_license.selfie']);
    assert.equal((out.credentials as Record<string, unknown>).nonce, 'thisisatest');

    const net = netVectors();
    const passport = ok(await cli(['decrypt-passport-data', '--key', vectorPath('telegram-bot-extensions-passport.private_key.pem')], JSON.stringify(net.fixtures.passport)));
    assert.equal((passport.credentials as Record<string, unknown>).payload, 'TEST');
    const pe = passport.elements as Record<string, unknown>[];
    assert.deepEqual(pe.map((e) => e.type), ['personal_details', 'passport']);
    const fs = (pe[1]?.front_side ?? {}) as Record<string, unknown>;
    assert.equal(fs.file_hash, netDerived().files['passport-front_side.jpg.enc']?.file_hash_b64);
  });

  test('decrypt-passport-data: wrong key exits 4, bad input exits 2, tampered data exits 3', async () => {
    const net = netVectors();
    fails(await cli(['decrypt-passport-data', '--key', vectorPath('python-telegram-bot.private_key.pem')], JSON.stringify(net.fixtures.address)), 4, 'WRONG_KEY');
    const key = vectorPath('telegram-bot-extensions-passport.private_key.pem');
    fails(await cli(['decrypt-passport-data', '--key', key], '{not json'), 2, 'BAD_INPUT');
    fails(await here(['decrypt-passport-data', '--key', key], '{"data":[]}'), 2, 'BAD_INPUT');
    fails(await here(['decrypt-passport-data', '--key', join(dir, 'missing.pem')], '{}'), 2, 'BAD_INPUT');
    writeFileSync(join(dir, 'junk.pem'), 'junk');
    fails(await here(['decrypt-passport-data', '--key', join(dir, 'junk.pem')], JSON.stringify(net.fixtures.address)), 2, 'BAD_KEY');
    const tampered = structuredClone(net.fixtures.address!);
    const h = Buffer.from(tampered.credentials.hash, 'base64');
    h[3] = (h[3] ?? 0) ^ 4;
    tampered.credentials.hash = h.toString('base64');
    fails(await here(['decrypt-passport-data', '--key', key], JSON.stringify(tampered)), 3, 'DATA_HASH_MISMATCH');
  });

  test('usage errors exit 2 with the error JSON', async () => {
    fails(await cli(['new-secret', '--bogus']), 2, 'BAD_INPUT');
    fails(await here([]), 2, 'BAD_INPUT');
    fails(await here(['frobnicate']), 2, 'BAD_INPUT');
    fails(await here(['seal', '--in', 'x', '--out', 'y']), 2, 'BAD_INPUT');
    fails(await here(['seal', '--secret', 'not_base64url-', '--in', 'x', '--out', 'y']), 2, 'BAD_INPUT');
    fails(await here(['seal', '--secret', Buffer.alloc(16).toString('base64'), '--in', 'x', '--out', 'y']), 2, 'BAD_INPUT');
    fails(await here(['seal', '--secret', 'AAAA', '--in', 'x', '--out', 'y', 'extra']), 2, 'BAD_INPUT');
    fails(await here(['seal', '--secret', generateSecret().toString('base64'), '--in', join(dir, 'nope'), '--out', join(dir, 'o')]), 2, 'BAD_INPUT');
    const empty = join(dir, 'empty-pw');
    writeFileSync(empty, '\n');
    fails(await here(['wrap-secret', '--password-file', empty, '--salt', 'AAAA', '--secret', generateSecret().toString('base64')]), 2, 'BAD_INPUT');
  });

  test('set takes exactly one TYPE argument; other commands take none (exit 2, before any network)', async () => {
    const pw = join(dir, 'set-pw');
    writeFileSync(pw, 'pw\n');
    const noType = await here(['set', '--password-file', pw]);
    fails(noType, 2, 'BAD_INPUT');
    assert.match(noType.stderr, /Expected 1 argument \(TYPE\), got 0/);
    fails(await here(['set', 'passport', 'selfie.jpg', '--password-file', pw]), 2, 'BAD_INPUT');
    const badType = await here(['set', 'passports', '--password-file', pw]);
    fails(badType, 2, 'BAD_INPUT');
    assert.match(badType.stderr, /TYPE must be one of the 13 Passport types/);
    // The positional is not an option: --type is unknown to `set`.
    fails(await here(['set', 'passport', '--type', 'passport', '--password-file', pw]), 2, 'BAD_INPUT');
    fails(await here(['list', 'passport', '--password-file', pw]), 2, 'BAD_INPUT');
    const notJson = join(dir, 'not-json');
    writeFileSync(notJson, '[1, 2]');
    const badData = await here(['set', 'passport', '--data', notJson, '--password-file', pw]);
    fails(badData, 2, 'BAD_INPUT');
    assert.match(badData.stderr, /--data must hold a JSON object/);
  });

  test('--version prints the package version as JSON', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(ok(await cli(['--version'])), { version: pkg.version });
  });

  test('--help prints usage and exits 0', async () => {
    const r = await here(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /decrypt-passport-data --key PEM_FILE/);
  });

  test('runs as `npm run --silent cli --` and as the package bin', async () => {
    const viaNpm = await spawnRun('npm', ['run', '--silent', 'cli', '--', 'new-secret']);
    assert.equal(viaNpm.code, 0, viaNpm.stderr);
    assert.ok(isValidSecret(Buffer.from(str((JSON.parse(viaNpm.stdout) as Record<string, unknown>).secret), 'base64')));
    // The bin file itself, executed (its shebang), not handed to node.
    const viaBin = await spawnRun(ensureCliBuilt(), ['frobnicate']);
    fails(viaBin, 2, 'BAD_INPUT');
  });
});
