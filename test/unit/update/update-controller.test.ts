/**
 * The update controller in plain Node with a fake updater and fake timers: consent first (nothing made
 * or checked while off), the states in order, download only after a check finds something, install only
 * from ready and only when asked, errors retried at the next check, turning off drops late results.
 * Also the electron-updater adapter against a fake AppUpdater: consent-first settings and progress.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { AppError } from '../../../electron/common/errors';
import type { UpdateStatus } from '../../../electron/common/update';
import { UpdateStatusSchema } from '../../../electron/common/update';
import { adapt, electronUpdaterFactory } from '../../../electron/main/update/electron-updater';
import { UpdateController, describeUpdateError, type UpdaterPort, type UpdateTimers } from '../../../electron/main/update/update-controller';

/** Timers that fire only when the test says so. */
class FakeTimers implements UpdateTimers {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clear(h: unknown): void {
    this.pending.delete(h as number);
  }
  delays(): number[] {
    return [...this.pending.values()].map((p) => p.ms);
  }
  /** Fires every pending timer once. */
  fire(): void {
    const all = [...this.pending.entries()];
    this.pending.clear();
    for (const [, p] of all) p.fn();
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An updater whose every check and download the test answers by hand. */
class FakeUpdater implements UpdaterPort {
  checks: Deferred<{ version: string } | null>[] = [];
  downloads: { progress: (p: number) => void; done: Deferred<void> }[] = [];
  installs = 0;
  check(): Promise<{ version: string } | null> {
    const d = deferred<{ version: string } | null>();
    this.checks.push(d);
    return d.promise;
  }
  download(onProgress: (p: number) => void): Promise<void> {
    const done = deferred<void>();
    this.downloads.push({ progress: onProgress, done });
    return done.promise;
  }
  install(): void {
    this.installs++;
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function rig() {
  const timers = new FakeTimers();
  const updater = new FakeUpdater();
  let made = 0;
  let now = 1_000;
  const c = new UpdateController({
    createUpdater: async () => {
      made++;
      return updater;
    },
    timers,
    now: () => now,
    schedule: { firstCheckDelayMs: 30_000, intervalMs: 6 * 3600_000 },
  });
  const states: UpdateStatus['state'][] = [];
  const seen = (): UpdateStatus => {
    const s = c.status();
    UpdateStatusSchema.parse(s);
    if (states.at(-1) !== s.state) states.push(s.state);
    return s;
  };
  return { c, timers, updater, made: () => made, setNow: (n: number) => (now = n), states, seen };
}

describe('UpdateController', () => {
  test('off by default: no updater is made, nothing is scheduled, check now does nothing, install refuses', async () => {
    const { c, timers, made } = rig();
    assert.deepEqual(c.status(), { state: 'off' });
    assert.deepEqual(await c.checkNow(), { state: 'off' });
    await assert.rejects(c.install(), (e: unknown) => e instanceof AppError && e.code === 'UPDATE_NOT_READY');
    await c.setEnabled(false);
    assert.equal(made(), 0);
    assert.deepEqual(timers.delays(), []);
  });

  test('turned on: idle, first check after the delay; a newer version is downloaded and waits as ready until install', async () => {
    const { c, timers, updater, made, seen, states } = rig();
    assert.deepEqual(await c.setEnabled(true), { state: 'idle', lastCheckedAt: null });
    assert.equal(made(), 1);
    assert.deepEqual(timers.delays(), [30_000]);
    assert.equal(updater.checks.length, 0, 'no check before the delay');
    seen();
    timers.fire();
    await tick();
    assert.deepEqual(seen(), { state: 'checking' });
    updater.checks[0]?.resolve({ version: '0.2.0' });
    await tick();
    assert.deepEqual(seen(), { state: 'available', version: '0.2.0' });
    assert.equal(updater.downloads.length, 1);
    updater.downloads[0]?.progress(41.6);
    assert.deepEqual(seen(), { state: 'downloading', version: '0.2.0', percent: 42 });
    updater.downloads[0]?.progress(180);
    assert.deepEqual(seen(), { state: 'downloading', version: '0.2.0', percent: 100 }, 'clamped');
    updater.downloads[0]?.done.resolve();
    await tick();
    assert.deepEqual(seen(), { state: 'ready', version: '0.2.0' });
    assert.deepEqual(states, ['idle', 'checking', 'available', 'downloading', 'ready']);
    assert.equal(updater.installs, 0, 'never installed without being asked');
    assert.deepEqual(timers.delays(), [], 'no more checks once one is ready');
    assert.deepEqual(await c.checkNow(), { state: 'ready', version: '0.2.0' });
    assert.equal(updater.checks.length, 1);
    await c.install();
    assert.equal(updater.installs, 1);
  });

  test('nothing newer: idle with the time of the check, next check after the interval; check now runs one at once', async () => {
    const { c, timers, updater, setNow } = rig();
    await c.setEnabled(true);
    setNow(5_000);
    const run = c.checkNow();
    await tick();
    assert.deepEqual(timers.delays(), [], 'the scheduled first check is replaced by this one');
    updater.checks[0]?.resolve(null);
    assert.deepEqual(await run, { state: 'idle', lastCheckedAt: 5_000 });
    assert.deepEqual(timers.delays(), [6 * 3600_000]);
    assert.equal(updater.downloads.length, 0);
    timers.fire();
    await tick();
    assert.equal(updater.checks.length, 2);
  });

  test('a check under way is not started twice', async () => {
    const { c, timers, updater } = rig();
    await c.setEnabled(true);
    timers.fire();
    await tick();
    assert.deepEqual(await c.checkNow(), { state: 'checking' });
    assert.equal(updater.checks.length, 1);
  });

  test('a failed check or a download that fails verification: error in words, retried at the next check', async () => {
    const { c, timers, updater } = rig();
    await c.setEnabled(true);
    timers.fire();
    await tick();
    updater.checks[0]?.reject(Object.assign(new Error('getaddrinfo ENOTFOUND github.com /home/x/.cache'), { code: 'ENOTFOUND' }));
    await tick();
    assert.deepEqual(c.status(), { state: 'error', message: 'The update server could not be reached. The next check tries again.', lastCheckedAt: null });
    assert.deepEqual(timers.delays(), [6 * 3600_000]);
    timers.fire();
    await tick();
    updater.checks[1]?.resolve({ version: '0.3.0' });
    await tick();
    updater.downloads[0]?.done.reject(new Error('New version 0.3.0 is not signed by the application owner: publisherNames: Passport Vault'));
    await tick();
    assert.equal(c.status().state, 'error');
    assert.match(JSON.stringify(c.status()), /did not pass its signature check/);
    assert.doesNotMatch(JSON.stringify(c.status()), /publisherNames|\/home\//);
    await assert.rejects(c.install(), (e: unknown) => e instanceof AppError && e.code === 'UPDATE_NOT_READY');
    assert.equal(updater.installs, 0);
  });

  test('turning off stops at once: the timer is cancelled, a late answer is ignored, a ready update is forgotten', async () => {
    const { c, timers, updater, made } = rig();
    await c.setEnabled(true);
    timers.fire();
    await tick();
    await c.setEnabled(false);
    updater.checks[0]?.resolve({ version: '0.2.0' });
    await tick();
    assert.deepEqual(c.status(), { state: 'off' });
    assert.equal(updater.downloads.length, 0, 'no download after consent was withdrawn');
    assert.deepEqual(timers.delays(), []);

    assert.deepEqual(await c.setEnabled(true), { state: 'idle', lastCheckedAt: null });
    assert.equal(made(), 1, 'the updater is made once');
    const run = c.checkNow();
    await tick();
    updater.checks[1]?.resolve(null);
    assert.equal((await run).state, 'idle');
  });

  test('ready, then turned off: install refuses; turned on again, it starts over from idle', async () => {
    const { c, timers, updater } = rig();
    await c.setEnabled(true);
    timers.fire();
    await tick();
    updater.checks[0]?.resolve({ version: '0.2.0' });
    await tick();
    updater.downloads[0]?.done.resolve();
    await tick();
    assert.equal(c.status().state, 'ready');
    await c.setEnabled(false);
    await assert.rejects(c.install(), (e: unknown) => e instanceof AppError && e.code === 'UPDATE_NOT_READY');
    assert.deepEqual(await c.setEnabled(true), { state: 'idle', lastCheckedAt: 1_000 }, 'starts over, remembering when it last checked');
    assert.deepEqual(timers.delays(), [30_000]);
    assert.equal(updater.installs, 0);
  });

  test('a copy that cannot update itself: unsupported with the reason, nothing scheduled; a factory that throws is unsupported too', async () => {
    const timers = new FakeTimers();
    const c = new UpdateController({ createUpdater: async () => ({ unsupported: 'development build' }), timers });
    assert.deepEqual(await c.setEnabled(true), { state: 'unsupported', reason: 'development build' });
    assert.deepEqual(await c.checkNow(), { state: 'unsupported', reason: 'development build' });
    assert.deepEqual(timers.delays(), []);
    const broken = new UpdateController({ createUpdater: () => Promise.reject(new Error('x')), timers });
    assert.deepEqual(await broken.setEnabled(true), { state: 'unsupported', reason: 'The updater could not be started.' });
  });

  test('describeUpdateError never passes the updater’s text through', () => {
    assert.equal(describeUpdateError(new Error('sha512 checksum mismatch, expected abc')), 'The downloaded update did not pass its signature check and was discarded.');
    assert.equal(describeUpdateError(new Error('Cannot parse releases feed: /Users/x/Library')), 'The update could not be checked or downloaded. The next check tries again.');
  });
});

describe('electron-updater adapter', () => {
  class FakeAppUpdater extends EventEmitter {
    autoDownload = true;
    autoInstallOnAppQuit = true;
    autoRunAppAfterInstall = false;
    allowPrerelease = true;
    allowDowngrade = true;
    logger: unknown = console;
    result: { isUpdateAvailable?: boolean; updateInfo: { version: string } } | null = null;
    installs: [boolean | undefined, boolean | undefined][] = [];
    checkForUpdates = async () => this.result;
    downloadUpdate = async () => {
      this.emit('download-progress', { percent: 50 });
      this.emit('download-progress', { percent: 100 });
      return [];
    };
    quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
      this.installs.push([isSilent, isForceRunAfter]);
    }
  }

  test('consent first: no automatic download or install at quit, no pre-releases or downgrades, no console logging', async () => {
    const u = new FakeAppUpdater();
    const port = adapt(u, '0.1.0');
    assert.deepEqual([u.autoDownload, u.autoInstallOnAppQuit, u.allowPrerelease, u.allowDowngrade, u.logger], [false, false, false, false, null]);
    assert.equal(await port.check(), null);
    u.result = { isUpdateAvailable: true, updateInfo: { version: '0.2.0' } };
    assert.deepEqual(await port.check(), { version: '0.2.0' });
    u.result = { isUpdateAvailable: false, updateInfo: { version: '0.1.0' } };
    assert.equal(await port.check(), null);
    u.result = { updateInfo: { version: '0.1.0' } };
    assert.equal(await port.check(), null, 'the same version without isUpdateAvailable is not an update');
    const seen: number[] = [];
    await port.download((p) => seen.push(p));
    assert.deepEqual(seen, [50, 100]);
    assert.equal(u.listenerCount('download-progress'), 0);
    port.install();
    assert.deepEqual(u.installs, [[false, true]]);
  });

  test('the factory: unsupported in a development build, a Linux system package, or without the package; loads nothing then', async () => {
    let loads = 0;
    const load = () => {
      loads++;
      return { autoUpdater: new FakeAppUpdater() };
    };
    const base = { currentVersion: '0.1.0', load };
    assert.match(JSON.stringify(await electronUpdaterFactory({ ...base, isPackaged: false, platform: 'win32', env: {} })()), /development build/);
    assert.match(JSON.stringify(await electronUpdaterFactory({ ...base, isPackaged: true, platform: 'linux', env: {} })()), /package manager/);
    assert.equal(loads, 0);
    const port = await electronUpdaterFactory({ ...base, isPackaged: true, platform: 'linux', env: { APPIMAGE: '/opt/pv.AppImage' } })();
    assert.ok(!('unsupported' in port));
    assert.equal(loads, 1);
    const missing = await electronUpdaterFactory({ ...base, isPackaged: true, platform: 'darwin', env: {}, load: () => { throw new Error('Cannot find module'); } })();
    assert.deepEqual(missing, { unsupported: 'This build does not include the updater.' });
  });
});
