/**
 * The app's services and their IPC handlers, wired once: the Electron entry point and the browser test
 * rig both call this, so the rig runs the production wiring and only what reaches the OS (where data
 * lives, which keychain service, how a link opens) differs. Electron-free.
 */
import { AccountService, connectorFor } from '../account/account-service';
import { SecurityService, type NewSessionNotice } from '../account/security/security-service';
import { SeenSessionsFile } from '../account/security/seen-sessions';
import {
  AuthorizationService,
  type AuthorizationHistoryStore,
  type PassportKeyring,
} from '../authorization/authorization-service';
import { PerVaultHistory, vaultKeyring } from '../authorization/vault-keyring';
import { DeviceService } from '../device/device-service';
import { createHandlers } from '../handlers';
import type { AllHandlers } from '../ipc/router';
import { probeKeychain } from '../keychain/availability';
import type { Keychain } from '../keychain/keychain';
import type { Logger } from '../log/logger';
import { ScanStore } from '../scans/scan-store';
import { AppSettingsFile } from '../settings/app-settings';
import { SettingsService, type TgProtocolHandler } from '../settings/settings-service';
import type { TelegramConfig } from '../telegram/config';
import { authorizationTelegramOver } from '../telegram/authorization-api';
import type { SessionStore } from '../telegram/session-store';
import { FilePreviews } from '../vault/session/file-previews';
import { VaultService } from '../vault/session/vault-service';
import { ContactVerification } from '../vault/telegram/contact-verification';
import { fromFormErrors } from '../vault/telegram/service-errors';
import { UpdateController, type UpdateSchedule, type UpdaterFactory } from '../update/update-controller';
import type { DeepLinkInbox } from './deep-link-inbox';
import { noDialogs, type DialogService } from './dialogs';

export interface AppServiceOptions {
  readonly name: string;
  readonly version: string;
  readonly dataDir: string;
  readonly keychain: Keychain;
  /** Where the Telegram session is kept (the keychain in the app). */
  readonly sessions: SessionStore;
  /** Read when the person first signs in; null = not configured (explained, not fatal). */
  readonly telegramConfig: () => TelegramConfig | null;
  readonly openInBrowser: (url: string) => Promise<void>;
  readonly inbox: DeepLinkInbox;
  readonly idleLockMs: number;
  /** Opens value secrets for Passport requests; until the vault provides one it refuses (VAULT_LOCKED). */
  readonly keyring?: PassportKeyring;
  /**
   * Where the history of shares is kept: `createEncryptedHistoryStore(dir, () => secret | null)` from
   * authorization/history-store.ts in the app; memory (lost on quit) when absent.
   */
  readonly historyStore?: AuthorizationHistoryStore;
  /**
   * Registers the app as the tg: handler, or stops (Settings opt-in; applied at start too). Electron:
   * app.setAsDefaultProtocolClient('tg'); the test rig records the calls.
   */
  readonly setTgProtocolHandler: TgProtocolHandler;
  /** For failures that are noted but do not change an outcome (codes only). */
  readonly logger?: Logger;
  /**
   * The app's own updater, made the first time the person turns updates on. Electron:
   * electronUpdaterFactory (update/electron-updater.ts); the test rig passes a fake. Absent: this
   * copy has no updater (Settings says so when updates are turned on).
   */
  readonly createUpdater?: UpdaterFactory;
  readonly updateSchedule?: Partial<UpdateSchedule>;
  /** Save/open file dialogs (backups): Electron's in the app, the test's answers in the rig; none → refused. */
  readonly dialogs?: DialogService;
  /** Announces a new session on the account (Electron: a desktop notification; the rig records it). */
  readonly notify?: (notice: NewSessionNotice) => void;
  /** How often the Security watcher looks for new sessions while unlocked (default 60 s). */
  readonly sessionCheckMs?: number;
}

export interface AppServices {
  readonly handlers: AllHandlers;
  readonly vault: VaultService;
  readonly account: AccountService;
  readonly settings: SettingsService;
  readonly updates: UpdateController;
  readonly security: SecurityService;
  close(): Promise<void>;
}

export function createAppServices(o: AppServiceOptions): AppServices {
  // Prepared scans are plaintext images in memory: they go whenever the vault locks.
  const scans = new ScanStore();
  const previews = new FilePreviews();
  const account = new AccountService({ sessions: o.sessions, connect: connectorFor(o.telegramConfig, { appVersion: o.version }) });
  const vault = new VaultService({
    dataDir: o.dataDir,
    keychain: o.keychain,
    idleLockMs: o.idleLockMs,
    account: {
      userId: () => account.userId(),
      connection: () => account.telegram(),
      takeSignInPassword: () => account.takeSignInPassword(),
      signInPasswordMs: () => account.signInPasswordMs(),
      forgetSignInPassword: () => account.forgetSignInPassword(),
    },
    onLock: () => {
      scans.clear();
      previews.clear();
      verification.reset();
    },
    // Declines made while locked are written to the encrypted history once it can be.
    onUnlock: () => {
      if (history instanceof PerVaultHistory) void history.flush();
    },
  });
  const verification = new ContactVerification({
    connection: () => vault.telegramConnection(),
    accountPhone: () => account.phone(),
    save: (input) => vault.save(input) as Promise<{ type: 'phone_number' | 'email'; status: 'saved' | 'queued' }>,
  });
  const history = o.historyStore ?? new PerVaultHistory(vault);
  const security = new SecurityService({
    account,
    seen: new SeenSessionsFile(o.dataDir),
    isUnlocked: () => vault.passportSecret() !== null,
    ...(o.notify !== undefined ? { notify: o.notify } : {}),
    ...(o.sessionCheckMs !== undefined ? { checkEveryMs: o.sessionCheckMs } : {}),
  });
  security.start();
  const updates = new UpdateController({
    createUpdater: o.createUpdater ?? (() => Promise.resolve({ unsupported: 'This copy of the app cannot update itself.' })),
    ...(o.updateSchedule !== undefined ? { schedule: o.updateSchedule } : {}),
  });
  const settings = new SettingsService(new AppSettingsFile(o.dataDir), o.setTgProtocolHandler, (enabled) => updates.setEnabled(enabled));
  // The saved tg: choice reaches the OS, and the saved update choice the updater, at every start
  // (settings.get waits for it: calls run in order).
  void settings.start();
  const handlers = createHandlers({
    app: {
      name: o.name,
      version: o.version,
      platform: process.platform,
      arch: process.arch,
      keychainStatus: () => probeKeychain(o.keychain),
      openInBrowser: o.openInBrowser,
    },
    account,
    vault,
    device: new DeviceService({ keychain: o.keychain, vault, account }),
    scans,
    previews,
    verification,
    settings,
    updates,
    dialogs: o.dialogs ?? noDialogs,
    security,
    authorization: new AuthorizationService({
      telegram: authorizationTelegramOver(() => account.telegram()),
      // Value and file secrets open with the unlocked Telegram passport secret; the history is kept per Passport, encrypted.
      keyring: o.keyring ?? vaultKeyring(vault),
      history,
      inbox: o.inbox,
      openInBrowser: o.openInBrowser,
      // The errors a service left come with its form: the documents show them where they apply.
      onServiceErrors: (botId, errors) => vault.setServiceErrors(botId, fromFormErrors(errors)),
      ...(o.logger !== undefined ? { logger: o.logger } : {}),
    }),
  });
  return {
    handlers,
    vault,
    account,
    settings,
    updates,
    security,
    async close() {
      security.close();
      updates.close();
      vault.close();
      await account.close();
    },
  };
}
