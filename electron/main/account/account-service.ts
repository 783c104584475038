/**
 * The person's Telegram account as the UI sees it: sign in (phone → code → 2FA password), sign out,
 * status. It keeps the in-between state (the phone and the phone_code_hash) in the main process, so the
 * renderer only ever sends what the person typed. Electron-free: the app, the test rig and the CLI share it.
 */
import { AppError } from '../../common/errors';
import {
  accountStatus,
  cancelCode,
  checkPassword,
  joinPhone,
  logOut,
  resendCode,
  sendCode,
  signIn,
  type AccountUser,
  type SentCodeInfo,
  type SignInResult,
} from '../telegram/auth';
import type { TelegramConfig } from '../telegram/config';
import { NOT_CONFIGURED_MESSAGE } from '../telegram/config-from-env';
import { TelegramConnection, type ConnectionStatus, type TelegramConnectionOptions } from '../telegram/connection';
import { sessionUserId, type SessionStore } from '../telegram/session-store';
import { HeldPassword } from './sign-in-password';

export interface PendingCode {
  readonly phone: string;
  readonly info: SentCodeInfo;
}

export interface AccountServiceDeps {
  /** Where the session (auth key) lives; the connection restores from it. */
  readonly sessions: SessionStore;
  /** Made on first use: a person who never signs in never opens a connection. Throws AppError if not configured. */
  readonly connect: (sessions: SessionStore) => TelegramConnection;
}

export type AccountStage = 'signed_out' | 'awaiting_code' | 'awaiting_password' | 'signed_in';

export interface AccountState {
  readonly stage: AccountStage;
  readonly user: AccountUser | null;
  readonly code: SentCodeInfo | null;
  readonly passwordHint: string | null;
  /** True when a saved session exists but Telegram could not be asked whether it is still valid. */
  readonly unverified: boolean;
}

export class AccountService {
  private connection: TelegramConnection | null = null;
  private pending: PendingCode | null = null;
  private passwordHint: string | null = null;
  private awaitingPassword = false;
  private user: AccountUser | null = null;
  /** The 2FA password just accepted at sign-in, for the one unlock the lock screen offers (sign-in-password.ts). */
  private readonly signInPassword = new HeldPassword();

  constructor(private readonly deps: AccountServiceDeps) {}

  /** The 2FA password typed at sign-in, handed over once (the caller wipes it); null once used, expired or wiped. */
  takeSignInPassword(): Buffer | null {
    return this.signInPassword.take();
  }

  /** How long the sign-in password is still kept (ms), for the lock screen's offer; null: none. */
  signInPasswordMs(): number | null {
    return this.signInPassword.remainingMs();
  }

  /** Wipes the sign-in password now (the Passport locked, or was unlocked another way). */
  forgetSignInPassword(): void {
    this.signInPassword.wipe();
  }

  private conn(): TelegramConnection {
    this.connection ??= this.deps.connect(this.deps.sessions);
    return this.connection;
  }

  /** The one Telegram connection, for other main-process services (Passport requests) that share it. */
  telegram(): TelegramConnection {
    return this.conn();
  }

  /**
   * Whose account this is: the signed-in user, or — offline, before Telegram could confirm it — the
   * user the saved session names (mtcute keeps `self` in it). null when signed out.
   */
  async userId(): Promise<number | null> {
    if (this.user !== null) return this.user.id;
    const saved = await this.deps.sessions.load();
    return saved === undefined ? null : sessionUserId(saved);
  }

  /** The signed-in user, once Telegram has confirmed the session in this run; null otherwise (no network). */
  confirmedUserId(): number | null {
    return this.user?.id ?? null;
  }

  /**
   * Telegram no longer knows this device's session (it was ended from another device): signed out
   * here too. The saved session goes, and so does the connection, so a new sign-in starts clean.
   */
  async endedElsewhere(): Promise<void> {
    this.signInPassword.wipe();
    this.user = null;
    this.pending = null;
    this.awaitingPassword = false;
    this.passwordHint = null;
    const conn = this.connection;
    this.connection = null;
    try {
      await this.deps.sessions.clear();
    } finally {
      await conn?.close();
    }
  }

  /** The account's own phone number (digits), once Telegram has confirmed the session. */
  phone(): string | null {
    return this.user?.phone ?? null;
  }

  connectionStatus(): ConnectionStatus {
    return this.connection?.connectionStatus ?? 'idle';
  }

  private state(unverified = false): AccountState {
    const stage: AccountStage =
      this.user !== null ? 'signed_in' : this.awaitingPassword ? 'awaiting_password' : this.pending !== null ? 'awaiting_code' : 'signed_out';
    return { stage, user: this.user, code: this.pending?.info ?? null, passwordHint: this.passwordHint, unverified };
  }

  /** Without a saved session this answers at once, with no network; with one, Telegram confirms it. */
  async status(): Promise<AccountState> {
    if (this.user !== null || (await this.deps.sessions.load()) === undefined) return this.state();
    try {
      const s = await accountStatus(this.conn());
      if (s.signed_in && s.user) this.user = { id: s.user.id, phone: s.user.phone, firstName: '', lastName: null };
      return this.state();
    } catch (e) {
      // Offline with a saved session: still this person's account, just not confirmed right now.
      if (e instanceof AppError && e.code === 'OFFLINE') return this.state(true);
      throw e;
    }
  }

  async sendCode(countryCode: string, number: string): Promise<SentCodeInfo> {
    const phone = joinPhone(countryCode, number);
    const info = await sendCode(this.conn(), phone);
    this.pending = { phone, info };
    return info;
  }

  private requirePending(): PendingCode {
    if (this.pending === null) throw new AppError('BAD_INPUT', 'Enter your phone number first.');
    return this.pending;
  }

  async resendCode(): Promise<SentCodeInfo> {
    const { phone, info } = this.requirePending();
    const next = await resendCode(this.conn(), phone, info.phoneCodeHash);
    this.pending = { phone, info: next };
    return next;
  }

  /** Back to the phone step: a pending code is cancelled with Telegram so it cannot be used. */
  async startOver(): Promise<void> {
    this.signInPassword.wipe();
    const p = this.pending;
    this.pending = null;
    this.awaitingPassword = false;
    this.passwordHint = null;
    if (p !== null) await cancelCode(this.conn(), p.phone, p.info.phoneCodeHash);
  }

  async submitCode(code: string): Promise<SignInResult> {
    const { phone, info } = this.requirePending();
    const result = await signIn(this.conn(), phone, info.phoneCodeHash, code);
    if (result.status !== 'sign_up_required') this.pending = null;
    if (result.status === 'signed_in') this.user = result.user;
    if (result.status === 'password_needed') {
      this.awaitingPassword = true;
      this.passwordHint = result.hint;
    }
    return result;
  }

  async submitPassword(password: string): Promise<AccountUser> {
    if (!this.awaitingPassword) throw new AppError('BAD_INPUT', 'Telegram has not asked for a password.');
    const { user } = await checkPassword(this.conn(), password);
    // Accepted by Telegram: the same password opens this account's Passport; kept for that one unlock.
    this.signInPassword.hold(password);
    this.user = user;
    this.awaitingPassword = false;
    this.passwordHint = null;
    return user;
  }

  async signOut(): Promise<void> {
    this.signInPassword.wipe();
    try {
      if (this.connection !== null) await logOut(this.connection);
    } finally {
      this.user = null;
      this.pending = null;
      this.awaitingPassword = false;
      this.passwordHint = null;
    }
  }

  async close(): Promise<void> {
    this.signInPassword.wipe();
    await this.connection?.close();
    this.connection = null;
  }
}

/**
 * The connection factory for a configuration read at start-up. A missing or broken configuration is
 * reported when the person first tries to sign in, with the reason, instead of stopping the app.
 */
export function connectorFor(config: () => TelegramConfig | null, device?: TelegramConnectionOptions['device']): (sessions: SessionStore) => TelegramConnection {
  return (sessions) => {
    const c = config();
    if (c === null) throw new AppError('TELEGRAM_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
    return new TelegramConnection(c, sessions, { logLevel: 0, ...(device !== undefined ? { device } : {}) });
  };
}
