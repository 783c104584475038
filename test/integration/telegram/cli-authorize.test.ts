/**
 * `passport-vault authorize --link URL [--print-form]` as a real process against the loopback server:
 * the parsed request (or AUTH_LINK_INVALID, exit 2, naming the parameter), and the form Telegram
 * returns for a test bot once `login` saved a session in the (throwaway) keychain.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { probeKeychain } from '../../../electron/main/keychain/availability';
import { DEMO_ACCOUNT, startLoopbackTelegram, type LoopbackTelegram } from '../../../tools/loopback-telegram/index';
import { botRegistry, type LoopbackBot } from '../../../tools/loopback-telegram/bots';
import { jsSdkLink } from '../../support/link-samples';
import { cliRunner } from './support/cli';

const expectKeychain = process.env['PASSPORT_VAULT_EXPECT_KEYCHAIN'] === '1';

describe('CLI authorize against the loopback server', () => {
  let server: LoopbackTelegram;
  let dir: string;
  let keyFile: string;
  let bot: LoopbackBot;
  let keychain = false;
  const service = `passport-vault-test-${randomBytes(6).toString('hex')}`;

  const cli = cliRunner(() => ({ port: server.port, keyFile }), service);

  before(async () => {
    keychain = (await probeKeychain()).available;
    assert.ok(keychain || !expectKeychain, 'PASSPORT_VAULT_EXPECT_KEYCHAIN=1 but no keychain is reachable');
    server = await startLoopbackTelegram({ port: 0 });
    bot = botRegistry(server.state).register({ username: 'cli_kyc_bot', firstName: 'CLI KYC', modulusLength: 1024, privacyPolicyUrl: 'https://kyc.example/p' });
    dir = mkdtempSync(join(tmpdir(), 'pv-cli-auth-'));
    keyFile = join(dir, 'server.pem');
    writeFileSync(keyFile, server.publicKeyPem);
  });
  after(async () => {
    await cli('logout');
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scope = { data: [{ type: 'id_document', selfie: true }, 'email'], v: 1 };

  test('parses a JS SDK link without any network', async () => {
    const r = await cli('authorize', '--link', jsSdkLink({ bot_id: bot.id.toString(), scope, public_key: bot.publicKeyPem, nonce: 'cli-n' }));
    assert.equal(r.status, 0, r.err);
    const request = r.out?.['request'] as { botId: string; nonce: string; scope: { kind: string }[] };
    assert.equal(request.botId, bot.id.toString());
    assert.equal(request.nonce, 'cli-n');
    assert.deepEqual(request.scope.map((i) => i.kind), ['one_of', 'type']);
  });

  test('a bad link: exit 2, AUTH_LINK_INVALID naming the parameter', async () => {
    const r = await cli('authorize', '--link', 'tg://resolve?domain=telegrampassport&bot_id=12&scope=%7B%22data%22%3A%5B%5D%7D');
    assert.equal(r.status, 2);
    assert.match(r.err, /"code":"AUTH_LINK_INVALID".*scope requests nothing/);
  });

  test('--print-form: the form for the signed-in account (or NOT_SIGNED_IN without a keychain)', async () => {
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, DEMO_ACCOUNT.password);
    const login = await cli('login', '--phone', DEMO_ACCOUNT.phone, '--code', DEMO_ACCOUNT.code, '--password-file', passwordFile);
    assert.equal(login.status, 0, login.err);
    const r = await cli('authorize', '--print-form', '--link', jsSdkLink({ bot_id: bot.id.toString(), scope, public_key: bot.publicKeyPem, nonce: 'cli-n' }));
    if (!keychain) {
      assert.equal(r.status, 1);
      assert.match(r.err, /NOT_SIGNED_IN/);
      return;
    }
    assert.equal(r.status, 0, r.err);
    const form = r.out?.['form'] as { service: { name: string; username: string }; privacyPolicyUrl: string; items: { options: { type: string; status: string; selfie: boolean }[] }[] };
    assert.deepEqual(form.service, { botId: bot.id.toString(), name: 'CLI KYC', username: 'cli_kyc_bot' });
    assert.equal(form.privacyPolicyUrl, 'https://kyc.example/p');
    assert.deepEqual(form.items[0]?.options.map((o) => [o.type, o.status, o.selfie]), [['passport', 'missing', true], ['driver_license', 'missing', true], ['identity_card', 'missing', true]]);
  });
});
