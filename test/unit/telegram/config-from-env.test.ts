import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { telegramConfigFromEnv } from '../../../electron/main/telegram/config-from-env';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const read = () => pem;
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : 'thrown';
  }
};

test('nothing configured → null (the app explains instead of connecting)', () => {
  assert.equal(telegramConfigFromEnv({}), null);
  assert.equal(telegramConfigFromEnv({ PASSPORT_VAULT_API_ID: '5' }), null);
});

test('production: api credentials only, Telegram’s own DCs', () => {
  const c = telegramConfigFromEnv({ PASSPORT_VAULT_API_ID: '12345', PASSPORT_VAULT_API_HASH: 'a'.repeat(32) });
  assert.equal(c?.apiId, 12345);
  assert.equal(c?.endpoint, undefined);
});

test('a custom server: host:port and the public half of its key in PKCS#1', () => {
  const c = telegramConfigFromEnv({ PASSPORT_VAULT_SERVER: '127.0.0.1:8443', PASSPORT_VAULT_SERVER_KEY: 'k.pem' }, read);
  assert.deepEqual(c?.endpoint, { host: '127.0.0.1', port: 8443, dcId: 2 });
  assert.match(c?.serverPublicKeyPem ?? '', /^-----BEGIN RSA PUBLIC KEY-----/);
  assert.doesNotMatch(c?.serverPublicKeyPem ?? '', /PRIVATE/);
});

test('bad configuration gets coded errors', () => {
  assert.equal(code(() => telegramConfigFromEnv({ PASSPORT_VAULT_SERVER: '127.0.0.1:8443' }, read)), 'BAD_INPUT');
  assert.equal(code(() => telegramConfigFromEnv({ PASSPORT_VAULT_SERVER: 'nonsense', PASSPORT_VAULT_SERVER_KEY: 'k' }, read)), 'BAD_INPUT');
  assert.equal(code(() => telegramConfigFromEnv({ PASSPORT_VAULT_SERVER: 'h:1', PASSPORT_VAULT_SERVER_KEY: 'k' }, () => 'not a key')), 'BAD_KEY');
  assert.equal(code(() => telegramConfigFromEnv({ PASSPORT_VAULT_API_ID: 'x', PASSPORT_VAULT_API_HASH: 'zz' })), 'BAD_INPUT');
});
