/**
 * Settings: the file (defaults when absent or damaged, field by field; atomic; plain JSON), the service
 * (saved, then applied to the OS; applied at start; what the OS said is reported; calls in order), and the
 * settings.* channels through the production router (strict requests).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createSettingsHandlers } from '../../../electron/main/handlers/settings';
import { createRouter, type AllHandlers } from '../../../electron/main/ipc/router';
import { createMemoryLogger } from '../../../electron/main/log/logger';
import { AppSettingsFile, SETTINGS_FILE, settingsFrom } from '../../../electron/main/settings/app-settings';
import { SettingsService, type TgProtocolResult } from '../../../electron/main/settings/settings-service';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'pv-settings-'));

/** An OS stand-in: records what it was asked and answers with `answer`. */
function fakeOs(answer: (enabled: boolean) => TgProtocolResult | Promise<TgProtocolResult> = (enabled) => ({ registered: enabled })) {
  const calls: boolean[] = [];
  return {
    calls,
    handler: async (enabled: boolean): Promise<TgProtocolResult> => {
      calls.push(enabled);
      return answer(enabled);
    },
  };
}

describe('settings file', () => {
  test('absent: the defaults (tg: links off), and reading creates nothing', async () => {
    const dir = tempDir();
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: false, autoUpdate: false });
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true });
  });

  test('round trip through plain JSON with a version, atomically (no temporary left)', async () => {
    const dir = tempDir();
    const file = new AppSettingsFile(dir);
    await file.write({ handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')), { version: 1, handleTgLinks: true, autoUpdate: false });
    await file.write({ handleTgLinks: false, autoUpdate: false });
    assert.deepEqual(await file.read(), { handleTgLinks: false, autoUpdate: false });
    assert.deepEqual(readdirSync(dir), [SETTINGS_FILE]);
    rmSync(dir, { recursive: true });
  });

  test('damaged or foreign content: the defaults, never a throw', async () => {
    const dir = tempDir();
    const path = join(dir, SETTINGS_FILE);
    const file = new AppSettingsFile(dir);
    for (const content of ['', '{', 'null', '[]', '"on"', '42', '{"handleTgLinks":"yes"}', '{"handleTgLinks":1}', '\u0000\u0001']) {
      writeFileSync(path, content);
      assert.deepEqual(await file.read(), { handleTgLinks: false, autoUpdate: false }, JSON.stringify(content));
    }
    rmSync(path);
    mkdirSync(path); // a directory where the file should be
    assert.deepEqual(await file.read(), { handleTgLinks: false, autoUpdate: false });
    rmSync(dir, { recursive: true });
  });

  test('field by field: a valid value survives next to unknown fields (a newer version) or a bad one', () => {
    assert.deepEqual(settingsFrom({ version: 7, handleTgLinks: true, somethingNew: { a: 1 } }), { handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(settingsFrom({ handleTgLinks: true, __proto__: { handleTgLinks: false } }), { handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(settingsFrom(JSON.parse('{"__proto__":{"handleTgLinks":true}}')), { handleTgLinks: false, autoUpdate: false }, 'an inherited value is not a saved one');
  });

  test('refuses to write what is not a valid settings object', async () => {
    const dir = tempDir();
    await assert.rejects(new AppSettingsFile(dir).write({ handleTgLinks: 'yes' } as never));
    await assert.rejects(new AppSettingsFile(dir).write({ handleTgLinks: true, extra: 1 } as never));
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true });
  });

  test('creates the data folder when it first writes', async () => {
    const dir = join(tempDir(), 'fresh', 'profile');
    await new AppSettingsFile(dir).write({ handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: true, autoUpdate: false });
  });
});

describe('SettingsService', () => {
  test('start applies the saved choice to the OS (off by default, on when saved)', async () => {
    const off = fakeOs((e) => ({ registered: e, owner: 'Telegram Desktop' }));
    const a = new SettingsService(new AppSettingsFile(tempDir()), off.handler);
    await a.start();
    assert.deepEqual(off.calls, [false]);
    assert.deepEqual(await a.get(), { settings: { handleTgLinks: false, autoUpdate: false }, tgLinks: { registered: false, owner: 'Telegram Desktop', reason: null } });

    const dir = tempDir();
    await new AppSettingsFile(dir).write({ handleTgLinks: true, autoUpdate: false });
    const on = fakeOs();
    const b = new SettingsService(new AppSettingsFile(dir), on.handler);
    void b.start();
    // get() waits for start: no status is reported before the OS answered.
    assert.deepEqual(await b.get(), { settings: { handleTgLinks: true, autoUpdate: false }, tgLinks: { registered: true, owner: null, reason: null } });
    assert.deepEqual(on.calls, [true]);
  });

  test('before start, get reports no status (null), not a guess', async () => {
    const os = fakeOs();
    const s = new SettingsService(new AppSettingsFile(tempDir()), os.handler);
    assert.deepEqual(await s.get(), { settings: { handleTgLinks: false, autoUpdate: false }, tgLinks: null });
    assert.deepEqual(os.calls, []);
  });

  test('set saves, then applies; the answer is what the OS did', async () => {
    const dir = tempDir();
    const os = fakeOs();
    const s = new SettingsService(new AppSettingsFile(dir), os.handler);
    await s.start();
    assert.deepEqual(await s.set({ handleTgLinks: true }), { settings: { handleTgLinks: true, autoUpdate: false }, tgLinks: { registered: true, owner: null, reason: null } });
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: true, autoUpdate: false }, 'saved');
    assert.deepEqual(await s.set({ handleTgLinks: false }), { settings: { handleTgLinks: false, autoUpdate: false }, tgLinks: { registered: false, owner: null, reason: null } });
    assert.deepEqual(os.calls, [false, true, false]);
  });

  test('an OS that refuses: the choice is still saved (the next start tries again), the refusal is reported', async () => {
    const dir = tempDir();
    const os = fakeOs(() => ({ registered: false, owner: 'Telegram Desktop', reason: 'The system kept tg: links with another application.' }));
    const s = new SettingsService(new AppSettingsFile(dir), os.handler);
    const r = await s.set({ handleTgLinks: true });
    assert.deepEqual(r, {
      settings: { handleTgLinks: true, autoUpdate: false },
      tgLinks: { registered: false, owner: 'Telegram Desktop', reason: 'The system kept tg: links with another application.' },
    });
    const again = fakeOs();
    const next = new SettingsService(new AppSettingsFile(dir), again.handler);
    await next.start();
    assert.deepEqual(again.calls, [true], 'the next start asks again');
  });

  test('an OS layer that throws: reported without its message (it may hold paths), nothing rejects', async () => {
    const s = new SettingsService(new AppSettingsFile(tempDir()), () => Promise.reject(new Error('EACCES /home/someone/.local/share/applications')));
    await s.start();
    const r = await s.set({ handleTgLinks: true });
    assert.equal(r.tgLinks?.registered, false);
    assert.equal(r.tgLinks?.reason, 'The system did not accept the change.');
    assert.ok(!JSON.stringify(r).includes('/home/'));
  });

  test('a patch without handleTgLinks does not touch the OS; the same value again applies again (try again)', async () => {
    const os = fakeOs();
    const s = new SettingsService(new AppSettingsFile(tempDir()), os.handler);
    await s.set({});
    assert.deepEqual(os.calls, []);
    await s.set({ handleTgLinks: true });
    await s.set({ handleTgLinks: true });
    assert.deepEqual(os.calls, [true, true]);
  });

  test('changes run one at a time, in order: the last one wins on disk and in the OS', async () => {
    const dir = tempDir();
    let inFlight = 0;
    let maxInFlight = 0;
    const os = fakeOs(async (enabled) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { registered: enabled };
    });
    const s = new SettingsService(new AppSettingsFile(dir), os.handler);
    const values = [true, false, true, true, false, true];
    const results = await Promise.all(values.map((v) => s.set({ handleTgLinks: v })));
    assert.equal(maxInFlight, 1);
    assert.deepEqual(os.calls, values);
    assert.deepEqual(
      results.map((r) => r.settings.handleTgLinks),
      values,
    );
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: true, autoUpdate: false });
  });
});

describe('settings.* channels', () => {
  const ORIGIN = 'app://passport-vault';
  const TOP = { frameUrl: `${ORIGIN}/index.html#/settings`, isTopLevel: true };

  function routerFor(service: SettingsService) {
    // Only the settings namespace is called here; the router looks handlers up by namespace.
    const handlers = { settings: createSettingsHandlers(service) } as unknown as AllHandlers;
    return createRouter({ handlers, trustedOrigin: ORIGIN, logger: createMemoryLogger() });
  }

  test('get and set through the production router', async () => {
    const os = fakeOs();
    const service = new SettingsService(new AppSettingsFile(tempDir()), os.handler);
    await service.start();
    const router = routerFor(service);
    assert.deepEqual(await router.dispatch('settings.get', {}, TOP), {
      ok: true,
      value: { settings: { handleTgLinks: false, autoUpdate: false }, tgLinks: { registered: false, owner: null, reason: null } },
    });
    assert.deepEqual(await router.dispatch('settings.set', { handleTgLinks: true }, TOP), {
      ok: true,
      value: { settings: { handleTgLinks: true, autoUpdate: false }, tgLinks: { registered: true, owner: null, reason: null } },
    });
    assert.deepEqual(os.calls, [false, true]);
  });

  test('strict requests: unknown fields and wrong types are refused before the handler runs', async () => {
    const os = fakeOs();
    const dir = tempDir();
    const router = routerFor(new SettingsService(new AppSettingsFile(dir), os.handler));
    for (const payload of [{ handleTgLinks: 'true' }, { handleTgLinks: 1 }, { handleTgLinks: true, other: 1 }, { theme: 'dark' }, null, [], 'x']) {
      const r = await router.dispatch('settings.set', payload, TOP);
      assert.equal(r.ok ? 'ok' : r.error.code, 'IPC_INVALID_PAYLOAD', JSON.stringify(payload));
    }
    const extra = await router.dispatch('settings.get', { x: 1 }, TOP);
    assert.equal(extra.ok ? 'ok' : extra.error.code, 'IPC_INVALID_PAYLOAD');
    assert.deepEqual(os.calls, []);
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
  });
});

describe('settings: updates (autoUpdate)', () => {
  test('off by default; start hands the saved choice to the updater, set hands over changes, other patches do not', async () => {
    const dir = tempDir();
    const switched: boolean[] = [];
    const s = new SettingsService(new AppSettingsFile(dir), fakeOs().handler, async (enabled) => {
      switched.push(enabled);
    });
    await s.start();
    assert.deepEqual(switched, [false]);
    assert.equal((await s.get()).settings.autoUpdate, false);
    assert.equal((await s.set({ autoUpdate: true })).settings.autoUpdate, true);
    assert.deepEqual(await new AppSettingsFile(dir).read(), { handleTgLinks: false, autoUpdate: true }, 'saved');
    await s.set({ handleTgLinks: true });
    assert.deepEqual(switched, [false, true]);

    const again: boolean[] = [];
    await new SettingsService(new AppSettingsFile(dir), fakeOs().handler, async (e) => {
      again.push(e);
    }).start();
    assert.deepEqual(again, [true], 'the next start turns updates on again');
  });

  test('a failing updater does not make settings fail; a settings file from before updates existed reads as off', async () => {
    const s = new SettingsService(new AppSettingsFile(tempDir()), fakeOs().handler, () => Promise.reject(new Error('boom')));
    await s.start();
    assert.equal((await s.set({ autoUpdate: true })).settings.autoUpdate, true);
    assert.deepEqual(settingsFrom({ version: 1, handleTgLinks: true }), { handleTgLinks: true, autoUpdate: false });
    assert.deepEqual(settingsFrom({ autoUpdate: 'yes' }), { handleTgLinks: false, autoUpdate: false });
  });
});
