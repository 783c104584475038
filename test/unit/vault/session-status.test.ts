// status.ts: the badge of one value (overview) and the cached 2FA state (asked again only when due).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import type { PasswordState } from '../../../electron/main/telegram/password-api';
import { sessionState } from '../../../electron/main/vault/session/session-state';
import { overview, passwordState, PASSWORD_STATE_RETRY_MS } from '../../../electron/main/vault/session/status';
import type { FileInfo, PassportValue } from '../../../electron/main/vault/value-view';

const file = (n: number): FileInfo => ({ fileHash: `hash${n}`, size: 100 + n, date: n, uploaded: true });
const value = (v: Partial<PassportValue> & Pick<PassportValue, 'type'>): PassportValue => ({
  label: v.type,
  files: [],
  translation: [],
  serverHash: null,
  pending: false,
  conflict: false,
  syncError: null,
  problem: null,
  serviceErrors: { value: [], lists: { files: [], translation: [] }, fields: {}, files: {} },
  damaged: [],
  updatedAt: 5,
  ...v,
});

test('overview: scans missing per type, files counted over every slot, expiry, service errors summed', () => {
  const passport = overview(value({ type: 'passport', data: { document_no: 'X1', expiry_date: '01.01.2031' }, selfie: file(1), translation: [file(2)] }));
  assert.deepEqual(passport, {
    type: 'passport',
    label: 'passport',
    updatedAt: 5,
    hasData: true,
    files: 2,
    missingScans: true, // no front side
    expiresOn: '01.01.2031',
    serviceErrors: 0,
    pending: false,
    conflict: false,
    problem: null,
    damaged: [],
  });
  const licence = value({ type: 'driver_license', data: { expiry_date: '' }, frontSide: file(1) });
  assert.equal(overview(licence).missingScans, true, 'the reverse side is required too');
  assert.equal(overview(licence).expiresOn, null, 'an empty expiry date is none');
  assert.equal(overview({ ...licence, reverseSide: file(2) }).missingScans, false);
  assert.equal(overview({ ...licence, reverseSide: file(2) }).files, 2);
  assert.equal(overview(value({ type: 'utility_bill' })).missingScans, true, 'an address proof needs its scans');
  assert.equal(overview(value({ type: 'utility_bill', files: [file(1), file(2)] })).files, 2);
  const email = overview(value({ type: 'email', plain: 'a@b.c', pending: true, conflict: true, problem: { code: 'X', message: 'cannot read' } }));
  assert.deepEqual([email.hasData, email.missingScans, email.pending, email.conflict, email.problem], [true, false, true, true, 'cannot read']);
  assert.equal(overview(value({ type: 'personal_details' })).hasData, false);
  const errors = { value: ['a'], lists: { files: ['b'], translation: ['c', 'd'] }, fields: { x: 'e' }, files: { h: 'f', i: 'g' } };
  assert.equal(overview(value({ type: 'utility_bill', serviceErrors: errors })).serviceErrors, 7);
});

test('passwordState: cached once known; while Telegram is unreachable asked again only after the retry time', async () => {
  let t = 1_000;
  const s = sessionState({ dataDir: '/nonexistent', keychain: null, idleLockMs: 0, now: () => t });
  const known: PasswordState = { hasPassword: true, hasRecovery: false, hasSecureValues: false, hint: 'the hint', emailUnconfirmedPattern: null, newSecureSalt: null, secureRandom: Buffer.alloc(0) };
  let asked = 0;
  let answer: () => PasswordState = () => {
    throw new AppError('OFFLINE', 'no network');
  };
  const passport = { passwordState: () => (asked++, Promise.resolve().then(answer)) };

  assert.equal(await passwordState(s, passport), null, 'unknown offline');
  assert.equal(asked, 1);
  t += PASSWORD_STATE_RETRY_MS - 1;
  assert.equal(await passwordState(s, passport), null);
  assert.equal(asked, 1, 'not asked again before the retry time');
  t += 1;
  answer = () => known;
  assert.deepEqual(await passwordState(s, passport), known);
  assert.equal(asked, 2);
  t += 10 * PASSWORD_STATE_RETRY_MS;
  assert.deepEqual(await passwordState(s, passport), known);
  assert.equal(asked, 2, 'a known state is kept');
  answer = () => {
    throw new AppError('FLOOD_WAIT', 'slow down');
  };
  assert.deepEqual(await passwordState(s, passport, true), known, 'fresh, but Telegram refused for now: the last known state stays');
  assert.equal(asked, 3);
  answer = () => {
    throw new AppError('WRONG_PASSWORD', 'other error');
  };
  await assert.rejects(passwordState(s, passport, true), (e: unknown) => e instanceof AppError && e.code === 'WRONG_PASSWORD');
});
