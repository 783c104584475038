/**
 * The two-step password typed at sign-in, kept in main for one use: unlocking the Passport with it. It
 * is the same password (Telegram Passport is encrypted under the 2FA password), so asking for it again
 * on the lock screen a second later only makes the person type it twice.
 *
 * Why it is kept at all: signing in and unlocking are two steps (the lock screen offers the unlock, with
 * its "remember on this device" choice), and between them the renderer must not hold the password: it
 * sends it once, for the sign-in, and forgets it. So main keeps a copy, as bytes it can wipe.
 * Why so briefly: a password in memory that nobody is about to use is only a risk. The copy is wiped
 * (Buffer.fill(0)) on its one use, after HOLD_MS (a minute: enough to read the lock screen and press
 * Unlock, not enough to sit in a long-running process), on lock (suspend, screen lock), on sign-out and
 * on a new sign-in. The JS string that arrived over IPC cannot be wiped; it is dropped at once, as
 * every password string in main is.
 */
export const HOLD_MS = 60_000;

export class HeldPassword {
  private bytes: Buffer | null = null;
  private until = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly holdMs = HOLD_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `password` (as bytes) for at most `holdMs`; any copy held before is wiped first. */
  hold(password: string): void {
    this.wipe();
    this.bytes = Buffer.from(password, 'utf8');
    this.until = this.now() + this.holdMs;
    this.timer = setTimeout(() => this.wipe(), this.holdMs);
    this.timer.unref();
  }

  /** Milliseconds left before the copy is wiped; null when none is held. */
  remainingMs(): number | null {
    if (this.bytes === null) return null;
    const left = this.until - this.now();
    if (left > 0) return left;
    this.wipe(); // the timer has not fired yet (a busy event loop): the deadline still holds
    return null;
  }

  /** Hands the copy over and forgets it: the caller uses it once and wipes it (fill(0)). */
  take(): Buffer | null {
    if (this.remainingMs() === null) return null;
    const b = this.bytes;
    this.bytes = null;
    clearTimeout(this.timer);
    return b;
  }

  wipe(): void {
    this.bytes?.fill(0);
    this.bytes = null;
    clearTimeout(this.timer);
  }
}
