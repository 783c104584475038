/**
 * Electron entry point: thin glue. It hardens the app, serves the renderer, wires IPC to the router,
 * and keeps one instance. Everything with logic lives in Electron-free modules beside this file.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, Notification, powerMonitor, session } from 'electron';
import { keychainBackedSessionStore } from './account/session-persistence';
import { DeepLinkInbox } from './app/deep-link-inbox';
import type { DialogService } from './app/dialogs';
import { createAppServices } from './app/services';
import { registerIpc } from './ipc/electron-ipc';
import { createRouter } from './ipc/router';
import { Keychain } from './keychain/keychain';
import { createConsoleLogger } from './log/logger';
import type { TgProtocolResult } from './settings/settings-service';
import { telegramConfigFromEnv } from './telegram/config-from-env';
import { electronUpdaterFactory } from './update/electron-updater';
import { registerAppProtocol } from './window/app-protocol';
import { createHardenedWindow, hardenAppBeforeReady, hardenSession, hardenWebContents, openExternalSafely } from './window/harden';
import { APP_ORIGIN, DEEP_LINK_SCHEME, findDeepLink, originOf } from './window/policy';

const here = fileURLToPath(new URL('.', import.meta.url));
const logger = createConsoleLogger('main');
const inbox = new DeepLinkInbox();

// A dev server URL is honoured only in an unpackaged build (electron-vite dev); production is app:// only.
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const rendererEntry = devServerUrl ?? `${APP_ORIGIN}/index.html`;
const trustedOrigin = devServerUrl !== undefined ? (originOf(devServerUrl) ?? APP_ORIGIN) : APP_ORIGIN;

let mainWindow: BrowserWindow | null = null;

function showMainWindow(): void {
  if (mainWindow === null) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createMainWindow(): void {
  mainWindow = createHardenedWindow({
    preloadPath: join(here, '../preload/index.cjs'),
    title: 'Passport Vault',
    backgroundColor: '#0f1720',
  });
  mainWindow.once('ready-to-show', showMainWindow);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(rendererEntry);
}

/**
 * tg: links, the Settings opt-in (Telegram's own app usually owns tg:). Turning it off lets go only if
 * this app holds it, never touching another app's registration. A development build does not register:
 * it would register the bare Electron binary, as for our own scheme below.
 * Not possible on macOS unless tg is declared in Info.plist, which is deliberately not done (declaring
 * it lets macOS pick the app for tg: without asking): there the answer says "not registered".
 */
async function setTgProtocolHandler(enabled: boolean): Promise<TgProtocolResult> {
  await app.whenReady();
  const ownerNow = (): { owner?: string } => {
    const name = app.getApplicationNameForProtocol('tg://resolve');
    return name === '' ? {} : { owner: name };
  };
  if (!app.isPackaged) {
    return { registered: false, ...ownerNow(), ...(enabled ? { reason: 'Only an installed copy of the app can be registered (this is a development build).' } : {}) };
  }
  if (enabled) {
    if (!app.isDefaultProtocolClient('tg')) app.setAsDefaultProtocolClient('tg');
  } else if (app.isDefaultProtocolClient('tg')) {
    app.removeAsDefaultProtocolClient('tg');
  }
  const registered = app.isDefaultProtocolClient('tg');
  if (registered) return { registered };
  return { registered, ...ownerNow(), ...(enabled ? { reason: 'The system kept tg: links with another application.' } : {}) };
}

/** The OS file dialogs, attached to the main window; the chosen path stays in main. */
const dialogs: DialogService = {
  async chooseSaveFile(o) {
    const options = { title: o.title, defaultPath: join(app.getPath('documents'), o.defaultName), filters: o.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
    const r = mainWindow === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(mainWindow, options);
    return r.canceled || r.filePath === undefined || r.filePath === '' ? null : r.filePath;
  },
  async chooseOpenFile(o) {
    const options = { title: o.title, properties: ['openFile' as const], filters: o.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
    const r = mainWindow === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(mainWindow, options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
};

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the vault; it received our argv through 'second-instance'.
  app.quit();
} else {
  hardenAppBeforeReady();
  inbox.push(findDeepLink(process.argv));

  app.on('second-instance', (_event, argv) => {
    inbox.push(findDeepLink(argv));
    showMainWindow();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    inbox.push(findDeepLink([url]));
    showMainWindow();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, logger));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    const keychain = new Keychain();
    const services = createAppServices({
      name: app.getName(),
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      keychain,
      sessions: keychainBackedSessionStore(keychain),
      telegramConfig: () => telegramConfigFromEnv(process.env),
      openInBrowser: openExternalSafely,
      inbox,
      idleLockMs: 10 * 60_000,
      setTgProtocolHandler,
      logger,
      // Made only once the person turns updates on in Settings (off by default).
      createUpdater: electronUpdaterFactory({ isPackaged: app.isPackaged, platform: process.platform, env: process.env, currentVersion: app.getVersion() }),
      dialogs,
      // A new session on the account: a desktop notification (where the OS has them); the Security screen shows it too.
      notify: ({ title, body }) => {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
    });
    // Locking drops every decrypted secret: when the machine sleeps or the screen locks, so does the vault.
    powerMonitor.on('suspend', () => services.vault.lock());
    powerMonitor.on('lock-screen', () => services.vault.lock());
    app.on('will-quit', () => services.vault.close());
    if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    hardenSession(session.defaultSession, trustedOrigin, { allowDevServer: devServerUrl !== undefined });
    registerAppProtocol(join(here, '../renderer'));
    registerIpc(createRouter({ trustedOrigin, logger, handlers: services.handlers }));
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });
}
