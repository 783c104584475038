/** The new-session bookkeeping: what counts as new, the baseline on first look, the seen set on disk. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SeenSessionsFile, acknowledge, markNew } from '../../../electron/main/account/security/seen-sessions';
import type { TelegramSession } from '../../../electron/main/account/security/sessions-api';

function session(hash: string, current = false): TelegramSession {
  return {
    hash,
    current,
    deviceModel: `device ${hash}`,
    platform: 'Android',
    systemVersion: 'Android 14',
    appName: 'Telegram Android',
    appVersion: '11',
    apiId: 6,
    officialApp: false,
    passwordPending: false,
    ip: '127.0.0.1',
    country: 'Loopback',
    region: '',
    createdAt: 1,
    activeAt: 2,
  };
}

describe('markNew', () => {
  test('first look (nothing seen yet): every session is the baseline, none new', () => {
    const r = markNew([session('0', true), session('11'), session('-22')], undefined);
    assert.deepEqual(r.sessions.map((s) => s.new), [false, false, false]);
    assert.deepEqual(r.seen, ['11', '-22'], 'the current session (hash 0) is not kept');
  });

  test('a session not in the seen set is new; this device never is', () => {
    const r = markNew([session('0', true), session('11'), session('33')], ['11']);
    assert.deepEqual(r.sessions.map((s) => [s.hash, s.new]), [['0', false], ['11', false], ['33', true]]);
    assert.deepEqual(r.seen, ['11'], 'new stays new until acknowledged');
  });

  test('ended sessions leave the seen set (it never grows past the list)', () => {
    assert.deepEqual(markNew([session('0', true), session('11')], ['11', '44', '55']).seen, ['11']);
  });

  test('acknowledging makes a session not new; hash 0 is never stored; no duplicates', () => {
    const seen = acknowledge(['11'], ['33', '0', '11', '33']);
    assert.deepEqual(seen, ['11', '33']);
    assert.deepEqual(markNew([session('11'), session('33')], seen).sessions.map((s) => s.new), [false, false]);
  });

  test('property: new ⇔ listed, not current, not seen; seen ⊆ listed', () => {
    const hash = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
    fc.assert(
      fc.property(fc.uniqueArray(hash, { maxLength: 12 }), fc.array(hash, { maxLength: 12 }), (listed, seen) => {
        const list = listed.map((h, i) => session(h, i === 0));
        const r = markNew(list, seen);
        for (const s of r.sessions) assert.equal(s.new, !s.current && !seen.includes(s.hash));
        for (const h of r.seen) assert.ok(listed.includes(h) && h !== '0');
      }),
    );
  });
});

describe('SeenSessionsFile', () => {
  test('per account, kept across instances, written atomically as plain JSON of hashes only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-seen-'));
    try {
      const a = new SeenSessionsFile(dir);
      assert.equal(await a.read(1), undefined);
      await a.update(1, () => ['11', '22']);
      await a.update(2, (before) => (assert.equal(before, undefined), ['33']));
      const b = new SeenSessionsFile(dir);
      assert.deepEqual(await b.read(1), ['11', '22']);
      assert.deepEqual(await b.read(2), ['33']);
      assert.deepEqual(JSON.parse(readFileSync(b.path, 'utf8')), { version: 1, accounts: { 1: { seen: ['11', '22'] }, 2: { seen: ['33'] } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('concurrent updates are applied one after another (none lost)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-seen-'));
    try {
      const f = new SeenSessionsFile(dir);
      await Promise.all(['1', '2', '3', '4', '5'].map((h) => f.update(7, (before) => acknowledge(before ?? [], [h]))));
      assert.deepEqual((await f.read(7))?.sort(), ['1', '2', '3', '4', '5']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged or foreign file reads as nothing seen (a new baseline), and is replaced on the next write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-seen-'));
    try {
      const f = new SeenSessionsFile(dir);
      for (const junk of ['{not json', '[]', '{"version":2,"accounts":{}}', '{"version":1,"accounts":{"1":{"seen":["x"]}}}']) {
        writeFileSync(f.path, junk);
        assert.equal(await f.read(1), undefined, junk);
      }
      await f.update(1, () => ['5']);
      assert.deepEqual(await f.read(1), ['5']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
