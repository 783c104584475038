/**
 * AuthorizationService outcomes that do not depend on the vault: once Telegram has accepted the
 * authorization, a share history that cannot be written is logged, not reported as a failed share
 * (and the service's callback still opens); a refusal stays the refusal even if its history write
 * fails too; the errors of a fetched form reach onServiceErrors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import { AuthorizationService, MemoryHistoryStore, type AuthorizationHistoryStore } from '../../../electron/main/authorization/authorization-service';
import { createMemoryLogger } from '../../../electron/main/log/logger';
import type { AuthorizationForm, ServiceValueError } from '../../../electron/main/telegram/authorization-api';
import { SPKI_PEM, jsSdkLink } from '../../support/link-samples';

const phoneForm = (errors: ServiceValueError[] = []): AuthorizationForm => ({
  required: [{ kind: 'type', type: 'phone_number', selfie: false, translation: false, nativeNames: false }],
  values: [
    { type: 'phone_number', data: null, frontSide: null, reverseSide: null, selfie: null, files: [], translation: [], plain: { phone: '15551234567' }, hash: Buffer.alloc(32, 7) },
  ],
  errors,
  bot: { id: '543260180', username: 'shop_bot', name: 'Shop' },
  privacyPolicyUrl: null,
});

const failingHistory: AuthorizationHistoryStore = {
  append: () => Promise.reject(new AppError('VAULT_LOCKED', 'disk full')),
  list: () => Promise.resolve([]),
};

function setup(opts: { accept: () => Promise<void>; history: AuthorizationHistoryStore; form?: AuthorizationForm; onServiceErrors?: (botId: string, e: ServiceValueError[]) => void }) {
  const opened: string[] = [];
  const logger = createMemoryLogger();
  const service = new AuthorizationService({
    telegram: { getForm: () => Promise.resolve(opts.form ?? phoneForm()), accept: opts.accept },
    keyring: { decryptSecret: () => Promise.reject(new Error('no secrets for a phone number')) },
    history: opts.history,
    openInBrowser: async (u) => {
      opened.push(u);
    },
    logger,
    ...(opts.onServiceErrors ? { onServiceErrors: opts.onServiceErrors } : {}),
  });
  const link = jsSdkLink({ bot_id: '543260180', scope: { data: ['phone_number'], v: 1 }, public_key: SPKI_PEM, nonce: 'n-1', callback_url: 'https://shop.example/done' });
  const { requestId } = service.open(link);
  return { service, requestId, opened, logger };
}

describe('AuthorizationService outcomes', () => {
  test('a history write failing AFTER acceptAuthorization: still shared, callback opened, failure logged without data', async () => {
    let accepted = 0;
    const { service, requestId, opened, logger } = setup({
      accept: () => {
        accepted++;
        return Promise.resolve();
      },
      history: failingHistory,
    });
    await service.getForm(requestId);
    const r = await service.authorize(requestId, []);
    assert.equal(accepted, 1);
    assert.deepEqual(r.types, ['phone_number']);
    assert.equal(r.opened, true);
    assert.match(opened[0] ?? '', /tg_passport=success/);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0] ?? '', /share history not written/);
    assert.match(logger.lines[0] ?? '', /VAULT_LOCKED/);
    assert.doesNotMatch(logger.lines[0] ?? '', /15551234567|disk full/);
  });

  test('a refused authorization is reported as Telegram’s refusal even if its history write fails', async () => {
    const { service, requestId, opened } = setup({
      accept: () => Promise.reject(new AppError('TELEGRAM_ERROR', 'refused')),
      history: failingHistory,
    });
    await service.getForm(requestId);
    await assert.rejects(service.authorize(requestId, []), (e: unknown) => e instanceof AppError && e.code === 'TELEGRAM_ERROR');
    assert.deepEqual(opened, []);
  });

  test('a working history records the share', async () => {
    const history = new MemoryHistoryStore();
    const { service, requestId } = setup({ accept: () => Promise.resolve(), history });
    await service.getForm(requestId);
    await service.authorize(requestId, []);
    assert.deepEqual(
      history.entries.map((e) => [e.outcome, e.types]),
      [['shared', ['phone_number']]],
    );
  });

  test('the errors of a fetched form go to onServiceErrors, by bot', async () => {
    const seen: [string, ServiceValueError[]][] = [];
    const err: ServiceValueError = { type: 'phone_number', target: 'value', field: null, hashes: [Buffer.alloc(32, 7)], text: 'Not your number' };
    const { service, requestId } = setup({ accept: () => Promise.resolve(), history: new MemoryHistoryStore(), form: phoneForm([err]), onServiceErrors: (b, e) => seen.push([b, e]) });
    await service.getForm(requestId);
    assert.deepEqual(seen, [['543260180', [err]]]);
  });
});
