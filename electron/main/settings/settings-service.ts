/**
 * Settings: the saved choices (settings.json) and their effect on the OS and the app. Updates (off by
 * default) are handed to the update controller at start and whenever they change. tg: links: registering the app as their handler is an explicit opt-in, applied when it is
 * changed and again at every start (the OS registration can change behind our back: Telegram Desktop
 * re-registers itself when it starts). Our own scheme (passport-vault:) is registered elsewhere,
 * always. Electron-free: the OS side comes in as `setTgProtocolHandler`.
 */
import type { AppSettings, SettingsView, TgLinksStatus } from '../../common/settings';
import type { AppSettingsFile } from './app-settings';

/** What the OS glue reports after (un)registering the app for tg:. */
export interface TgProtocolResult {
  /** The app is now the default handler of tg:. */
  registered: boolean;
  /** The application that handles tg: otherwise, when the OS tells. */
  owner?: string;
  /** Why it could not be done (e.g. a development build), when the glue knows. */
  reason?: string;
}

/**
 * Makes the app the default handler of tg: (true), or stops being it (false: only if it is, never
 * touching another app's registration). Electron: app.setAsDefaultProtocolClient & co.
 */
export type TgProtocolHandler = (enabled: boolean) => Promise<TgProtocolResult>;

/** Turns the app's own updates on or off (UpdateController.setEnabled in the app). */
export type AutoUpdateSwitch = (enabled: boolean) => Promise<unknown>;

export class SettingsService {
  private tgLinks: TgLinksStatus | null = null;
  /** Changes and the start-up application run one at a time, in order. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: AppSettingsFile,
    private readonly setTgProtocolHandler: TgProtocolHandler,
    private readonly switchAutoUpdate: AutoUpdateSwitch = () => Promise.resolve(),
  ) {}

  /** Applies the saved choice to the OS; called once when the app starts. Never rejects. */
  start(): Promise<void> {
    return this.serial(async () => {
      const saved = await this.file.read();
      await this.applyTgLinks(saved.handleTgLinks);
      await this.applyAutoUpdate(saved.autoUpdate);
    });
  }

  get(): Promise<SettingsView> {
    return this.serial(async () => ({ settings: await this.file.read(), tgLinks: this.tgLinks }));
  }

  /**
   * Saves the given settings, then applies them. The choice is saved even when the OS refuses it, so
   * the next start tries again; what the OS said is in the answer. Setting tg: links to the value they
   * already have applies it again (a "try again" for a registration another app took back).
   */
  set(patch: Partial<AppSettings>): Promise<SettingsView> {
    return this.serial(async () => {
      const next: AppSettings = { ...(await this.file.read()), ...patch };
      await this.file.write(next);
      if (patch.handleTgLinks !== undefined) await this.applyTgLinks(patch.handleTgLinks);
      if (patch.autoUpdate !== undefined) await this.applyAutoUpdate(patch.autoUpdate);
      return { settings: next, tgLinks: this.tgLinks };
    });
  }

  private async applyTgLinks(enabled: boolean): Promise<void> {
    try {
      const r = await this.setTgProtocolHandler(enabled);
      this.tgLinks = { registered: r.registered, owner: nonEmpty(r.owner), reason: nonEmpty(r.reason) };
    } catch {
      // What the OS layer threw is not shown as is (it may name paths); the person gets the gist.
      this.tgLinks = { registered: false, owner: null, reason: 'The system did not accept the change.' };
    }
  }

  private async applyAutoUpdate(enabled: boolean): Promise<void> {
    // The controller reports its own state (update.status); a failure to start it is its business too.
    await this.switchAutoUpdate(enabled).catch(() => undefined);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op, op);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function nonEmpty(s: string | undefined): string | null {
  return s === undefined || s.trim() === '' ? null : s.trim().slice(0, 256);
}
