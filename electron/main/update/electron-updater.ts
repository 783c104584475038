/**
 * electron-updater behind UpdaterPort: the thin glue between the UpdateController and the real updater.
 * Updates come from this project's GitHub Releases (the `publish` entry of build/electron-builder.config.ts;
 * electron-builder writes it into the package as resources/app-update.yml and publishes latest*.yml).
 *
 * What is verified before anything is installed:
 * - every platform: the SHA-512 of the download against latest*.yml, fetched over HTTPS from GitHub;
 * - Windows: the installer's Authenticode signature, and its publisher must be one of the names in
 *   app-update.yml (`publisherName`, i.e. the certificate's subject; electron-updater's
 *   verifyUpdateCodeSignature, on by default and not turned off here);
 * - macOS: Squirrel.Mac installs only an app whose code signature satisfies the running app's designated
 *   requirement (same Developer ID team), and macOS checks the notarization;
 * - Linux AppImage: the SHA-512 only. There is no code signature to check, so trust rests on HTTPS and on
 *   who can publish releases of the repository. deb/rpm copies update through the system's package manager.
 *
 * The package is loaded at run time with require, not imported: the loading is then in one place (here),
 * a build without it degrades to "unsupported" instead of failing to start, and nothing of it loads
 * unless the person has turned updates on.
 */
import { createRequire } from 'node:module';
import type { UpdaterFactory, UpdaterPort } from './update-controller';

/** The part of electron-updater's AppUpdater used here (its own types come with the package). */
interface AppUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  autoRunAppAfterInstall: boolean;
  allowPrerelease: boolean;
  allowDowngrade: boolean;
  logger: unknown;
  checkForUpdates(): Promise<{ isUpdateAvailable?: boolean; updateInfo: { version: string } } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'download-progress', listener: (info: { percent: number }) => void): unknown;
  removeListener(event: 'download-progress', listener: (info: { percent: number }) => void): unknown;
}

export interface ElectronUpdaterOptions {
  /** app.isPackaged: a development build has no app-update.yml and must not update the Electron binary. */
  readonly isPackaged: boolean;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** app.getVersion(), for feeds that do not say whether the version they name is newer. */
  readonly currentVersion: string;
  /** Loads electron-updater; replaceable for tests. */
  readonly load?: () => { autoUpdater: AppUpdaterLike };
}

const loadElectronUpdater = (): { autoUpdater: AppUpdaterLike } => createRequire(import.meta.url)('electron-updater') as { autoUpdater: AppUpdaterLike };

export function electronUpdaterFactory(o: ElectronUpdaterOptions): UpdaterFactory {
  return () => Promise.resolve(create(o));
}

function create(o: ElectronUpdaterOptions): UpdaterPort | { unsupported: string } {
  if (!o.isPackaged) return { unsupported: 'Only an installed copy of the app updates itself (this is a development build).' };
  // electron-updater sets APPIMAGE-based updates up from this variable, which the AppImage runtime sets.
  if (o.platform === 'linux' && (o.env['APPIMAGE'] ?? '') === '') {
    return { unsupported: 'This copy was installed as a system package: it is updated by your package manager.' };
  }
  let updater: AppUpdaterLike;
  try {
    updater = (o.load ?? loadElectronUpdater)().autoUpdater;
  } catch {
    return { unsupported: 'This build does not include the updater.' };
  }
  return adapt(updater, o.currentVersion);
}

/** Configures the updater for consent-first use and wraps it as an UpdaterPort. Exported for tests. */
export function adapt(updater: AppUpdaterLike, currentVersion: string): UpdaterPort {
  // Downloads start only from the controller (after consent), installs only from "Restart to install".
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.autoRunAppAfterInstall = true;
  updater.allowPrerelease = false;
  updater.allowDowngrade = false;
  // Its default logger writes feed URLs and file paths to the console; the controller reports the gist.
  updater.logger = null;
  return {
    async check() {
      const r = await updater.checkForUpdates();
      if (r === null) return null;
      const newer = r.isUpdateAvailable ?? r.updateInfo.version !== currentVersion;
      return newer ? { version: r.updateInfo.version } : null;
    },
    async download(onProgress) {
      const listener = (info: { percent: number }): void => onProgress(info.percent);
      updater.on('download-progress', listener);
      try {
        await updater.downloadUpdate();
      } finally {
        updater.removeListener('download-progress', listener);
      }
    },
    install() {
      // Not silent (Windows shows the installer's progress), and start the new version afterwards.
      updater.quitAndInstall(false, true);
    },
  };
}
