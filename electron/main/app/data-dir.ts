/**
 * Where Passport Vault keeps its data, for code that runs without Electron (the CLI) and must find
 * the same folder the app uses: Electron's `app.getPath('userData')`, which is the platform's
 * application-data folder plus the product name. Also the layout inside it that both share.
 */
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';

/** package.json `productName`: the folder name Electron gives `userData`. */
export const APP_DATA_FOLDER = 'Passport Vault';

export type Env = Readonly<Record<string, string | undefined>>;

const set = (v: string | undefined): v is string => v !== undefined && v !== '';

/**
 * The app's data folder: Linux `$XDG_CONFIG_HOME` (or `~/.config`) `/Passport Vault`, macOS
 * `~/Library/Application Support/Passport Vault`, Windows `%APPDATA%\Passport Vault`, as Electron
 * computes them.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: Env = process.env, home: string = homedir()): string {
  if (platform === 'win32') return win32.join(set(env['APPDATA']) ? env['APPDATA'] : win32.join(home, 'AppData', 'Roaming'), APP_DATA_FOLDER);
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DATA_FOLDER);
  return posix.join(set(env['XDG_CONFIG_HOME']) ? env['XDG_CONFIG_HOME'] : posix.join(home, '.config'), APP_DATA_FOLDER);
}

/** The Telegram Passport mirror of one account: `<dataDir>/telegram/<userId>`, one folder per account. */
export function telegramMirrorDir(dataDir: string, userId: number | bigint | string): string {
  return join(dataDir, 'telegram', BigInt(userId).toString());
}
