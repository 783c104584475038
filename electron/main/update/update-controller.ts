/**
 * When and whether the app updates itself, Electron-free. The person's consent comes first: nothing is
 * created, checked or downloaded until they turn updates on (Settings, `autoUpdate`); turning them off
 * stops at once. Once on: a first check shortly after start, then every few hours; a newer version is
 * downloaded (turning updates on is the consent to that) and verified by the updater; it is installed
 * only when the person presses "Restart to install" — never at quit behind their back.
 *
 * States: off → idle ⇄ checking → available → downloading → ready, with error (retried at the next
 * scheduled check) and unsupported (this copy cannot update itself: a development build, a Linux
 * package that updates through the system's package manager, a build without the updater).
 * The updater itself comes in through `UpdaterPort` (electron-updater in the app, a fake in tests).
 */
import { AppError } from '../../common/errors';
import type { UpdateStatus } from '../../common/update';

/** What the controller needs of an updater. electron-updater adapted in ./electron-updater.ts. */
export interface UpdaterPort {
  /** Asks the release feed; null = this copy is the newest. Rejects when the feed cannot be read. */
  check(): Promise<{ version: string } | null>;
  /**
   * Downloads the update found by the last check and verifies it (checksum from the feed; on Windows the
   * Authenticode publisher, on macOS the code signature). Rejects if it does not verify: nothing is kept.
   */
  download(onProgress: (percent: number) => void): Promise<void>;
  /** Quits, installs the downloaded update and starts the new version. */
  install(): void;
}

/** Made once, the first time updates are turned on: an updater, or why this copy has none. */
export type UpdaterFactory = () => Promise<UpdaterPort | { unsupported: string }>;

export interface UpdateTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface UpdateSchedule {
  /** After updates are turned on (or the app starts with them on), before the first check. */
  readonly firstCheckDelayMs: number;
  /** Between checks while nothing is found (and after an error). */
  readonly intervalMs: number;
}

export const DEFAULT_UPDATE_SCHEDULE: UpdateSchedule = { firstCheckDelayMs: 30_000, intervalMs: 6 * 60 * 60_000 };

export interface UpdateControllerOptions {
  readonly createUpdater: UpdaterFactory;
  readonly schedule?: Partial<UpdateSchedule>;
  readonly timers?: UpdateTimers;
  readonly now?: () => number;
}

const realTimers: UpdateTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending check must not keep the process (or a test run) alive.
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

const BUSY: ReadonlySet<UpdateStatus['state']> = new Set(['checking', 'available', 'downloading', 'ready']);

export class UpdateController {
  private current: UpdateStatus = { state: 'off' };
  private enabled = false;
  private port: Promise<UpdaterPort | { unsupported: string }> | undefined;
  private timer: unknown;
  private lastCheckedAt: number | null = null;
  /** Bumped when updates are turned off, so a check or download still running then is ignored when it ends. */
  private generation = 0;
  private readonly schedule: UpdateSchedule;
  private readonly timers: UpdateTimers;
  private readonly now: () => number;

  constructor(private readonly o: UpdateControllerOptions) {
    this.schedule = { ...DEFAULT_UPDATE_SCHEDULE, ...o.schedule };
    this.timers = o.timers ?? realTimers;
    this.now = o.now ?? Date.now;
  }

  status(): UpdateStatus {
    return this.current;
  }

  /** Applies the person's choice (at start and whenever it changes). Never rejects. */
  async setEnabled(enabled: boolean): Promise<UpdateStatus> {
    if (enabled === this.enabled) return this.current;
    this.enabled = enabled;
    this.generation++;
    this.cancelTimer();
    if (!enabled) {
      // A downloaded update is forgotten too: installing it would need consent that was just withdrawn.
      this.current = { state: 'off' };
      return this.current;
    }
    const gen = this.generation;
    const port = await this.updater();
    if (gen !== this.generation) return this.current;
    if ('unsupported' in port) {
      this.current = { state: 'unsupported', reason: port.unsupported };
      return this.current;
    }
    this.current = { state: 'idle', lastCheckedAt: this.lastCheckedAt };
    this.scheduleCheck(this.schedule.firstCheckDelayMs);
    return this.current;
  }

  /** "Check now": runs a check unless updates are off or unsupported, or one is already under way or done. */
  async checkNow(): Promise<UpdateStatus> {
    if (!this.enabled || this.current.state === 'unsupported' || BUSY.has(this.current.state)) return this.current;
    await this.run();
    return this.current;
  }

  /** Installs the downloaded update (the app quits and restarts). Only from `ready`. */
  async install(): Promise<void> {
    const port = this.current.state === 'ready' && this.port !== undefined ? await this.port : undefined;
    if (port === undefined || 'unsupported' in port) throw new AppError('UPDATE_NOT_READY', 'No update is ready to install.');
    port.install();
  }

  close(): void {
    this.generation++;
    this.cancelTimer();
  }

  private updater(): Promise<UpdaterPort | { unsupported: string }> {
    this.port ??= this.o.createUpdater().catch(() => ({ unsupported: 'The updater could not be started.' }));
    return this.port;
  }

  private async run(): Promise<void> {
    const gen = this.generation;
    const port = await this.updater();
    if (gen !== this.generation || 'unsupported' in port) return;
    this.cancelTimer();
    this.current = { state: 'checking' };
    try {
      const found = await port.check();
      if (gen !== this.generation) return;
      this.lastCheckedAt = this.now();
      if (found === null) {
        this.current = { state: 'idle', lastCheckedAt: this.lastCheckedAt };
        this.scheduleCheck(this.schedule.intervalMs);
        return;
      }
      const version = found.version;
      this.current = { state: 'available', version };
      await port.download((percent) => {
        if (gen !== this.generation) return;
        this.current = { state: 'downloading', version, percent: Math.max(0, Math.min(100, Math.round(percent))) };
      });
      if (gen !== this.generation) return;
      // No more checks: the next start (after "Restart to install") is the new version.
      this.current = { state: 'ready', version };
    } catch (e) {
      if (gen !== this.generation) return;
      this.current = { state: 'error', message: describeUpdateError(e), lastCheckedAt: this.lastCheckedAt };
      this.scheduleCheck(this.schedule.intervalMs);
    }
  }

  private scheduleCheck(ms: number): void {
    this.cancelTimer();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}

/**
 * What failed, in words for Settings. The updater's own message is not shown as is: it can hold paths
 * and URLs; the gist is enough, and the signature case must be unmistakable.
 */
export function describeUpdateError(e: unknown): string {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  const text = e instanceof Error ? `${e.message} ${typeof code === 'string' ? code : ''}` : String(e);
  if (/sha512|checksum|signature|signed|publisher/i.test(text)) {
    return 'The downloaded update did not pass its signature check and was discarded.';
  }
  if (/ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|net::ERR_/i.test(text)) {
    return 'The update server could not be reached. The next check tries again.';
  }
  return 'The update could not be checked or downloaded. The next check tries again.';
}
