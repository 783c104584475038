/**
 * The account's security check-up for the Security screen and the CLI: its sessions (marked new
 * against the seen set in local settings), ending one or all others, the two-step verification state,
 * and alerts. Alerts come from Telegram's updateNewAuthorization and from a periodic check while the
 * Passport is unlocked; each new session is announced once (`notify`: a desktop notification in the
 * app) and stays in `alerts()` until the person ends it or says it was them. When Telegram no longer
 * knows this device's session (ended from another device) the account is signed out here, with the
 * reason. Offline, the list is the last one fetched, marked stale. Electron-free.
 */
import { AppError } from '../../../common/errors';
import { SIGNED_OUT_ELSEWHERE, type SecurityAlerts, type SessionList, type SessionView, type TwoStepStatus } from '../../../common/security';
import type { TelegramConnection } from '../../telegram/connection';
import { acknowledge, markNew, type SeenSessionsFile } from './seen-sessions';
import { endOtherSessions, endSession, listSessions, onNewAuthorization, twoStepStatus } from './sessions-api';

export interface SecurityAccount {
  /** The signed-in user Telegram confirmed in this run; null when signed out (or not confirmed yet). */
  confirmedUserId(): number | null;
  /** The connection, only asked for while signed in. */
  telegram(): TelegramConnection;
  /** Telegram no longer knows this device's session: forget it and show signed out. */
  endedElsewhere(): Promise<void>;
}

export interface NewSessionNotice {
  readonly title: string;
  readonly body: string;
}

export interface SecurityServiceDeps {
  readonly account: SecurityAccount;
  readonly seen: SeenSessionsFile;
  /** The periodic check runs only while this says so (the Passport is unlocked). */
  readonly isUnlocked: () => boolean;
  /** Announces a new session (Electron: a desktop notification; the test rig records it). */
  readonly notify?: (notice: NewSessionNotice) => void;
  /** How often to look for new sessions while unlocked (default 60 s); 0 = never (the CLI). */
  readonly checkEveryMs?: number;
  /** How often to notice a sign-in or sign-out (no network; default 2 s). */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/** One line naming a session for people: "Pixel 8 · Telegram Android 10.1 · 127.0.0.1 (Germany)". */
export function describeSession(s: Pick<SessionView, 'deviceModel' | 'appName' | 'appVersion' | 'ip' | 'country'>): string {
  const device = s.deviceModel.trim() || 'Unknown device';
  const place = s.country.trim() === '' ? s.ip : `${s.ip} (${s.country})`;
  return `${device} · ${`${s.appName} ${s.appVersion}`.trim()} · ${place}`;
}

export class SecurityService {
  private last: { userId: number; list: SessionList } | null = null;
  /** Hashes Telegram announced as new sign-ins in this run (new even before any baseline). */
  private readonly announced = new Set<string>();
  /** Hashes already notified in this run. */
  private readonly notified = new Set<string>();
  private signedOutReason: string | null = null;
  private watched: { conn: TelegramConnection; stop: () => void } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private lastCheck = 0;
  private checking: Promise<unknown> | null = null;

  constructor(private readonly deps: SecurityServiceDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Starts noticing sign-ins, Telegram's announcements and (while unlocked) checking. The app only. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? 2000);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched?.stop();
    this.watched = null;
  }

  /** One step of the watcher; exposed for tests. Never rejects. */
  async tick(): Promise<void> {
    const userId = this.deps.account.confirmedUserId();
    if (userId === null) {
      this.watched?.stop();
      this.watched = null;
      return;
    }
    this.signedOutReason = null;
    const conn = this.deps.account.telegram();
    if (this.watched?.conn !== conn) {
      this.watched?.stop();
      this.watched = { conn, stop: onNewAuthorization(conn, (hash) => this.onAnnounced(hash)) };
      // The baseline is taken as soon as the account is known, so later sign-ins read as new.
      await this.check();
      return;
    }
    const every = this.deps.checkEveryMs ?? 60_000;
    if (every > 0 && this.deps.isUnlocked() && this.now() - this.lastCheck >= every) await this.check();
  }

  private onAnnounced(hash: string): void {
    this.announced.add(hash);
    void this.check();
  }

  /** Fetches the list (one at a time); failures are left for the next check. */
  private async check(): Promise<void> {
    if (this.checking !== null) {
      await this.checking;
      return;
    }
    this.checking = this.list().catch(() => undefined);
    try {
      await this.checking;
    } finally {
      this.checking = null;
    }
  }

  private requireUser(): number {
    const userId = this.deps.account.confirmedUserId();
    if (userId === null) throw new AppError('NOT_SIGNED_IN', this.signedOutReason ?? 'Sign in to Telegram to see its sessions.');
    return userId;
  }

  /** Runs a Telegram call; a session Telegram no longer knows signs this device out, with the reason. */
  private async guarded<T>(fn: (conn: TelegramConnection) => Promise<T>): Promise<T> {
    try {
      return await fn(this.deps.account.telegram());
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_SIGNED_IN' && this.deps.account.confirmedUserId() !== null) {
        this.signedOutReason = SIGNED_OUT_ELSEWHERE;
        this.last = null;
        this.watched?.stop();
        this.watched = null;
        await this.deps.account.endedElsewhere();
        throw new AppError('NOT_SIGNED_IN', SIGNED_OUT_ELSEWHERE);
      }
      throw e;
    }
  }

  /** The sessions, new ones marked. Offline: the last list fetched, stale, if there is one. */
  async list(): Promise<SessionList> {
    const userId = this.requireUser();
    let fresh;
    try {
      fresh = await this.guarded(listSessions);
    } catch (e) {
      if (e instanceof AppError && e.code === 'OFFLINE' && this.last?.userId === userId) return { ...this.last.list, sessions: [...this.last.list.sessions], stale: true };
      throw e;
    }
    this.lastCheck = this.now();
    const announced = this.announced;
    const seen = await this.deps.seen.update(userId, (before) => {
      // No baseline yet: everything listed is it, except what Telegram announced as new.
      const marked = markNew(fresh, before ?? fresh.map((s) => s.hash).filter((h) => !announced.has(h)));
      return marked.seen;
    });
    const { sessions } = markNew(fresh, seen);
    const list: SessionList = { sessions, stale: false, fetchedAt: this.now() };
    this.last = { userId, list };
    this.announce(sessions.filter((s) => s.new));
    return { ...list, sessions: [...sessions] };
  }

  private announce(fresh: readonly SessionView[]): void {
    for (const s of fresh) {
      if (this.notified.has(s.hash)) continue;
      this.notified.add(s.hash);
      this.deps.notify?.({
        title: 'New sign-in to your Telegram account',
        body: `${describeSession(s)}. If this was not you, end it in Passport Vault → Settings → Security.`,
      });
    }
  }

  /** No network: the new sessions of the last list, and whether this device was signed out from elsewhere. */
  alerts(): SecurityAlerts {
    const userId = this.deps.account.confirmedUserId();
    const list = this.last !== null && this.last.userId === userId ? this.last.list.sessions : [];
    return { newSessions: list.filter((s) => s.new), signedOutReason: userId === null ? this.signedOutReason : null };
  }

  /** The person says these sessions were theirs: no longer new. */
  async acknowledge(hashes: readonly string[]): Promise<SecurityAlerts> {
    const userId = this.requireUser();
    const seen = await this.deps.seen.update(userId, (before) => acknowledge(before ?? [], hashes));
    if (this.last?.userId === userId) {
      const known = new Set(seen);
      this.last.list.sessions = this.last.list.sessions.map((s) => ({ ...s, new: s.new && !known.has(s.hash) }));
    }
    return this.alerts();
  }

  private dropFromLast(keep: (s: SessionView) => boolean): void {
    if (this.last !== null) this.last.list.sessions = this.last.list.sessions.filter(keep);
  }

  /** Ends one session; one already gone is not an error (`ended: false`). */
  async end(hash: string): Promise<{ ended: boolean }> {
    this.requireUser();
    const r = await this.guarded((conn) => endSession(conn, hash));
    this.dropFromLast((s) => s.hash !== hash);
    return r;
  }

  /** Ends every session but this device's. */
  async endOthers(): Promise<void> {
    this.requireUser();
    await this.guarded(endOtherSessions);
    this.dropFromLast((s) => s.current);
  }

  async twoStep(): Promise<TwoStepStatus> {
    this.requireUser();
    return this.guarded(twoStepStatus);
  }
}
