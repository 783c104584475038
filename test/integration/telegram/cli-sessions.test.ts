/**
 * `passport-vault sessions` and `sessions end` as separate processes against the loopback server, with
 * other devices signing in to the same account from this test (plain mtcute clients).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { probeKeychain } from '../../../electron/main/keychain/availability';
import { startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { cliRunner } from './support/cli';
import { OTHER_DEVICE, signInOtherDevice, type OtherDevice } from '../../support/other-device';

const expectKeychain = process.env['PASSPORT_VAULT_EXPECT_KEYCHAIN'] === '1';
const ACCOUNT = { phone: '+9996650007', password: 'cli-sessions-pw' };

interface SessionJson {
  hash: string;
  current: boolean;
  new: boolean;
  device_model: string;
  platform: string;
  app_name: string;
  app_version: string;
  official_app: boolean;
  ip: string;
  country: string;
}

describe('CLI sessions against the loopback server', { timeout: 240_000 }, () => {
  let server: LoopbackTelegram;
  let dir: string;
  let keyFile: string;
  let keychain = false;
  const others: OtherDevice[] = [];
  const service = `passport-vault-test-${randomBytes(6).toString('hex')}`;
  const run = cliRunner(() => ({ port: server.port, keyFile }), service);
  const cli = (...args: string[]) => run(...args, '--data-dir', join(dir, 'data'));
  const sessions = async (...extra: string[]): Promise<SessionJson[]> => {
    const r = await cli('sessions', ...extra);
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out?.['stale'], false);
    return r.out?.['sessions'] as SessionJson[];
  };

  before(async () => {
    keychain = (await probeKeychain()).available;
    assert.ok(keychain || !expectKeychain, 'PASSPORT_VAULT_EXPECT_KEYCHAIN=1 but no keychain is reachable');
    server = await startLoopbackTelegram({ port: 0 });
    server.createAccount({ phone: ACCOUNT.phone, firstName: 'Cli', password: ACCOUNT.password });
    dir = mkdtempSync(join(tmpdir(), 'pv-cli-sessions-'));
    keyFile = join(dir, 'server.pem');
    writeFileSync(keyFile, server.publicKeyPem);
    writeFileSync(join(dir, 'password'), ACCOUNT.password);
  });
  after(async () => {
    await Promise.all(others.map((o) => o.close()));
    await run('logout');
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('signed out: NOT_SIGNED_IN (exit 1); bad arguments: exit 2 before anything is sent', async () => {
    const r = await cli('sessions');
    assert.equal(r.status, 1);
    assert.match(r.err, /"code":"NOT_SIGNED_IN"/);
    for (const args of [[], ['--hash', '12', '--all-others'], ['--hash', 'abc'], ['--hash', '1'.repeat(25)]]) {
      const e = await cli('sessions', 'end', ...args);
      assert.equal(e.status, 2, `${args.join(' ')}: ${e.err}`);
      assert.match(e.err, /"code":"BAD_INPUT"/);
    }
  });

  test('login; a device that signs in later is new until --mark-seen; end it; end it again; end all others', async (t) => {
    // A test number (99966XYYYY): its code is X five times, known before the CLI asks for it.
    const login = await run('login', '--phone', ACCOUNT.phone, '--code', '55555', '--password-file', join(dir, 'password'));
    assert.equal(login.status, 0, login.err);
    if (!keychain) {
      t.diagnostic('no keychain: the session is not kept between processes, so there is nothing more to check here');
      assert.equal((await cli('sessions')).status, 1);
      return;
    }
    const baseline = await sessions();
    assert.deepEqual(baseline.map((s) => [s.current, s.new]), [[true, false]]);

    const other = await signInOtherDevice(server, ACCOUNT);
    others.push(other);
    const listed = await sessions('--mark-seen');
    assert.equal(listed.length, 2);
    const theirs = listed.find((s) => !s.current);
    assert.ok(theirs);
    assert.equal(theirs.new, true);
    assert.equal(theirs.device_model, OTHER_DEVICE.deviceModel);
    assert.equal(theirs.platform, 'Android');
    assert.equal(theirs.app_name, 'Telegram Android');
    assert.equal(theirs.app_version, OTHER_DEVICE.appVersion);
    assert.equal(theirs.official_app, false);
    assert.equal(theirs.ip, '127.0.0.1');
    assert.equal(theirs.country, 'Loopback');
    assert.equal(listed.find((s) => s.current)?.hash, '0');
    assert.deepEqual((await sessions()).map((s) => s.new), [false, false], 'seen since --mark-seen');

    const end = await cli('sessions', 'end', `--hash=${theirs.hash}`);
    assert.equal(end.status, 0, end.err);
    assert.deepEqual(end.out, { ended: true });
    await assert.rejects(other.whoAmI(), /AUTH_KEY_UNREGISTERED/);
    const again = await cli('sessions', 'end', `--hash=${theirs.hash}`);
    assert.equal(again.status, 0, again.err);
    assert.deepEqual(again.out, { ended: false }, 'already gone is not an error');

    const a = await signInOtherDevice(server, ACCOUNT);
    const b = await signInOtherDevice(server, ACCOUNT, { deviceModel: 'ThinkPad', systemVersion: 'Windows 11', appVersion: '5.2', apiId: 2040 });
    others.push(a, b);
    assert.equal((await sessions()).filter((s) => s.new).length, 2);
    const all = await cli('sessions', 'end', '--all-others');
    assert.equal(all.status, 0, all.err);
    assert.deepEqual(all.out, { ended_all_others: true });
    await assert.rejects(a.whoAmI(), /AUTH_KEY_UNREGISTERED/);
    await assert.rejects(b.whoAmI(), /AUTH_KEY_UNREGISTERED/);
    assert.deepEqual((await sessions()).map((s) => s.current), [true]);
  });
});
