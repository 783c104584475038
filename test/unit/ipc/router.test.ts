import { noDialogs } from '../../../electron/main/app/dialogs';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../../electron/common/errors';
import { IpcEnvelopeSchema } from '../../../electron/common/ipc/channel';
import { CHANNEL_NAMES, contract } from '../../../electron/common/ipc/contract';
import { AccountService, connectorFor } from '../../../electron/main/account/account-service';
import { createHandlers } from '../../../electron/main/handlers';
import { AuthorizationService, LOCKED_KEYRING, MemoryHistoryStore } from '../../../electron/main/authorization/authorization-service';
import { authorizationTelegramOver } from '../../../electron/main/telegram/authorization-api';
import { MemorySessionStore } from '../../../electron/main/telegram/session-store';
import { VaultService } from '../../../electron/main/vault/session/vault-service';
import { DeviceService } from '../../../electron/main/device/device-service';
import { ScanStore } from '../../../electron/main/scans/scan-store';
import { FilePreviews } from '../../../electron/main/vault/session/file-previews';
import { ContactVerification } from '../../../electron/main/vault/telegram/contact-verification';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, type AllHandlers, type SenderInfo } from '../../../electron/main/ipc/router';
import { createMemoryLogger } from '../../../electron/main/log/logger';
import { AppSettingsFile } from '../../../electron/main/settings/app-settings';
import { SettingsService } from '../../../electron/main/settings/settings-service';
import { UpdateController } from '../../../electron/main/update/update-controller';
import { SecurityService } from '../../../electron/main/account/security/security-service';
import { SeenSessionsFile } from '../../../electron/main/account/security/seen-sessions';

const ORIGIN = 'app://passport-vault';
const TOP: SenderInfo = { frameUrl: `${ORIGIN}/index.html#/documents`, isTopLevel: true };

function realHandlers(opened: string[] = []): AllHandlers {
  const account = new AccountService({ sessions: new MemorySessionStore(), connect: connectorFor(() => null) });
  const vault = new VaultService({ dataDir: mkdtempSync(join(tmpdir(), 'pv-router-')), keychain: null, idleLockMs: 0 });
  // A keychain whose backend never loads: the router tests need no Secret Service.
  const keychain = new Keychain(() => Promise.reject(new Error('no keychain in router tests')));
  return createHandlers({
    app: {
      name: 'Passport Vault',
      version: '9.9.9',
      platform: 'linux',
      arch: 'x64',
      keychainStatus: async () => ({ available: false, reason: 'none in tests' }),
      openInBrowser: async (u) => {
        opened.push(u);
      },
    },
    account,
    vault,
    device: new DeviceService({ keychain, vault, account }),
    scans: new ScanStore(),
    previews: new FilePreviews(),
    dialogs: noDialogs,
    verification: new ContactVerification({ connection: () => vault.telegramConnection(), accountPhone: () => null, save: () => Promise.reject(new Error('not in router tests')) }),
    // Fuzzed valid payloads (settings.set with {} or a boolean) really write, into a temporary folder.
    settings: new SettingsService(new AppSettingsFile(mkdtempSync(join(tmpdir(), 'pv-router-settings-'))), async (enabled) => ({ registered: enabled })),
    // Off, as after a fresh start: update.install answers UPDATE_NOT_READY, status and check say "off".
    updates: new UpdateController({ createUpdater: async () => ({ unsupported: 'none in router tests' }) }),
    // Signed out: every Telegram channel answers NOT_SIGNED_IN, alerts answer empty.
    security: new SecurityService({ account, seen: new SeenSessionsFile(mkdtempSync(join(tmpdir(), 'pv-router-security-'))), isUnlocked: () => false }),
    authorization: new AuthorizationService({
      telegram: authorizationTelegramOver(() => account.telegram()),
      keyring: LOCKED_KEYRING,
      history: new MemoryHistoryStore(),
      openInBrowser: async (u) => {
        opened.push(u);
      },
    }),
  });
}

function routerWith(handlers: AllHandlers = realHandlers()) {
  const logger = createMemoryLogger();
  return { router: createRouter({ handlers, trustedOrigin: ORIGIN, logger }), logger };
}

const codeOf = (e: { ok: boolean; error?: { code: string } }) => (e.ok ? 'ok' : e.error?.code);

describe('IPC router', () => {
  test('serves a valid call from the app’s top-level frame', async () => {
    const { router } = routerWith();
    const r = await router.dispatch('app.info', {}, TOP);
    assert.deepEqual(r, {
      ok: true,
      value: { name: 'Passport Vault', version: '9.9.9', platform: 'linux', arch: 'x64', keychain: { available: false, reason: 'none in tests' } },
    });
  });

  test('refuses senders that are not the app’s own top-level frame', async () => {
    const { router, logger } = routerWith();
    const senders: SenderInfo[] = [
      { frameUrl: `${ORIGIN}/index.html`, isTopLevel: false },
      { frameUrl: 'https://evil.example/index.html', isTopLevel: true },
      { frameUrl: 'app://passport-vault.evil/index.html', isTopLevel: true },
      { frameUrl: 'file:///tmp/index.html', isTopLevel: true },
      { frameUrl: 'about:blank', isTopLevel: true },
      { frameUrl: '', isTopLevel: true },
      { frameUrl: 'not a url', isTopLevel: true },
    ];
    for (const s of senders) assert.equal(codeOf(await router.dispatch('app.info', {}, s)), 'IPC_FORBIDDEN_SENDER', s.frameUrl);
    assert.equal(logger.lines.filter((l) => l.includes('refused sender')).length, senders.length);
  });

  test('refuses unknown channels, including prototype keys', async () => {
    const { router } = routerWith();
    for (const name of ['app.nope', 'toString', '__proto__', 'constructor', 'app', '', 42, null, undefined, { a: 1 }]) {
      assert.equal(codeOf(await router.dispatch(name, {}, TOP)), 'IPC_UNKNOWN_CHANNEL', JSON.stringify(name) ?? 'undefined');
    }
  });

  test('refuses wrong shapes and extra fields with IPC_INVALID_PAYLOAD and says where', async () => {
    const { router } = routerWith();
    const extra = await router.dispatch('app.info', { extra: 1 }, TOP);
    assert.equal(codeOf(extra), 'IPC_INVALID_PAYLOAD');
    const badUrl = await router.dispatch('app.openLink', { url: 'file:///etc/passwd' }, TOP);
    assert.equal(codeOf(badUrl), 'IPC_INVALID_PAYLOAD');
    assert.ok(!badUrl.ok && badUrl.error.message.includes('url:'), 'the message names the field');
    assert.ok(!badUrl.ok && !badUrl.error.message.includes('/etc/passwd'), 'the message does not echo the value');
    for (const p of [null, undefined, 'x', 1, [], { url: 5 }, { url: 'https://a.example', more: true }, { url: 'https://user:pw@a.example/' }]) {
      assert.equal(codeOf(await router.dispatch('app.openLink', p, TOP)), 'IPC_INVALID_PAYLOAD', JSON.stringify(p));
    }
  });

  test('refuses payloads over the cap, and non-plain data, before validating them', async () => {
    const { router } = routerWith();
    const big = await router.dispatch('app.openLink', { url: 'https://a.example/' + 'x'.repeat(70_000) }, TOP);
    assert.equal(codeOf(big), 'IPC_PAYLOAD_TOO_LARGE');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.equal(codeOf(await router.dispatch('app.info', cyclic, TOP)), 'IPC_PAYLOAD_TOO_LARGE');
    assert.equal(codeOf(await router.dispatch('app.info', { m: new Map() }, TOP)), 'IPC_PAYLOAD_TOO_LARGE');
  });

  test('declared AppErrors pass through; undeclared codes and plain throws become INTERNAL without details', async () => {
    const base = realHandlers();
    const make = (thrown: unknown): AllHandlers => ({
      ...base,
      app: {
        ...base.app,
        openLink: async () => {
          throw thrown;
        },
      },
    });
    const declared = await routerWith(make(new AppError('BAD_INPUT', 'nope'))).router.dispatch('app.openLink', { url: 'https://a.example/' }, TOP);
    assert.deepEqual(declared, { ok: false, error: { code: 'BAD_INPUT', message: 'nope' } });

    const { router, logger } = routerWith(make(new AppError('WRONG_PASSWORD', 'secret detail')));
    const undeclared = await router.dispatch('app.openLink', { url: 'https://a.example/' }, TOP);
    assert.equal(codeOf(undeclared), 'INTERNAL');
    assert.ok(!undeclared.ok && !undeclared.error.message.includes('secret detail'));
    assert.ok(logger.lines.some((l) => l.includes('undeclared error code')));

    const err = new Error('boom at /home/user/secret.txt');
    const thrown = await routerWith(make(err)).router.dispatch('app.openLink', { url: 'https://a.example/' }, TOP);
    assert.equal(codeOf(thrown), 'INTERNAL');
    assert.ok(!JSON.stringify(thrown).includes('secret.txt') && !JSON.stringify(thrown).includes('at '), 'no stack or message leaks');
  });

  test('a handler result that breaks the contract becomes IPC_INVALID_RESULT', async () => {
    const base = realHandlers();
    const broken: AllHandlers = {
      ...base,
      app: { ...base.app, info: async () => ({ name: 'x' }) as never },
    };
    assert.equal(codeOf(await routerWith(broken).router.dispatch('app.info', {}, TOP)), 'IPC_INVALID_RESULT');
  });

  test('the http(s) guard in the handler holds even if the contract were looser', async () => {
    const opened: string[] = [];
    const handlers = realHandlers(opened);
    await assert.rejects(handlers.app.openLink({ url: 'javascript:alert(1)' }, { sender: TOP }), (e: unknown) => e instanceof AppError && e.code === 'BAD_INPUT');
    assert.deepEqual(opened, []);
  });

  test('fuzz: hundreds of random payloads at every channel, never a throw, always a valid envelope, still serving', async () => {
    const { router } = routerWith();
    for (const name of CHANNEL_NAMES) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.anything(), fc.object(), fc.dictionary(fc.string(), fc.jsonValue())), async (payload) => {
          const r = await router.dispatch(name, payload, TOP);
          assert.ok(IpcEnvelopeSchema.safeParse(r).success, JSON.stringify(r));
          if (!r.ok) {
            const allowed: readonly string[] = [...contract[name].errors, 'IPC_INVALID_PAYLOAD', 'IPC_PAYLOAD_TOO_LARGE'];
            assert.ok(allowed.includes(r.error.code), r.error.code);
          }
        }),
        { numRuns: 300 },
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (name, payload) => {
        const r = await router.dispatch(name, payload, TOP);
        assert.ok(IpcEnvelopeSchema.safeParse(r).success);
      }),
      { numRuns: 300 },
    );
    assert.equal(codeOf(await router.dispatch('app.info', {}, TOP)), 'ok');
  });
});
