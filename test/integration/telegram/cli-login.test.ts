/**
 * `passport-vault login | status | logout` as separate processes against the loopback server: the
 * session travels between them only through the OS keychain (a throwaway service name here).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { probeKeychain } from '../../../electron/main/keychain/availability';
import { DEMO_ACCOUNT, startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { cliRunner } from './support/cli';

const expectKeychain = process.env['PASSPORT_VAULT_EXPECT_KEYCHAIN'] === '1';

describe('CLI sign-in against the loopback server', () => {
  let server: LoopbackTelegram;
  let dir: string;
  let keyFile: string;
  let passwordFile: string;
  let keychain = false;
  const service = `passport-vault-test-${randomBytes(6).toString('hex')}`;

  const cli = cliRunner(() => ({ port: server.port, keyFile }), service);

  before(async () => {
    keychain = (await probeKeychain()).available;
    assert.ok(keychain || !expectKeychain, 'PASSPORT_VAULT_EXPECT_KEYCHAIN=1 but no keychain is reachable');
    server = await startLoopbackTelegram({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'pv-cli-login-'));
    keyFile = join(dir, 'server.pem');
    writeFileSync(keyFile, server.publicKeyPem);
    passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${DEMO_ACCOUNT.password}\n`);
  });
  after(async () => {
    await cli('logout');
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('status before login: signed out', async () => {
    const r = await cli('status');
    assert.equal(r.status, 0, r.err);
    assert.deepEqual(r.out, { signed_in: false, user: null });
  });

  test('a wrong password is exit 4 with PASSWORD_HASH_INVALID', async () => {
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'nope');
    const r = await cli('login', '--phone', DEMO_ACCOUNT.phone, '--code', DEMO_ACCOUNT.code, '--password-file', wrong);
    assert.equal(r.status, 4);
    assert.match(r.err, /"code":"PASSWORD_HASH_INVALID"/);
  });

  test('without --code off a terminal it says what is missing (exit 2)', async () => {
    const r = await cli('login', '--phone', DEMO_ACCOUNT.phone);
    assert.equal(r.status, 2);
    assert.match(r.err, /needs --code/);
  });

  test('login, then status in a new process sees the same account, then logout', async () => {
    const r = await cli('login', '--phone', DEMO_ACCOUNT.phone, '--code', DEMO_ACCOUNT.code, '--password-file', passwordFile);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out?.['signed_in'], true);
    assert.equal((r.out?.['user'] as { phone: string }).phone, DEMO_ACCOUNT.phoneDigits);
    assert.equal(r.out?.['session_saved'], keychain);

    const s = await cli('status');
    assert.equal(s.status, 0, s.err);
    if (keychain) assert.deepEqual(s.out, { signed_in: true, user: r.out?.['user'] });
    else assert.deepEqual(s.out, { signed_in: false, user: null }, 'no keychain: nothing was kept');

    const o = await cli('logout');
    assert.equal(o.status, 0, o.err);
    assert.deepEqual((await cli('status')).out, { signed_in: false, user: null });
  });
});
