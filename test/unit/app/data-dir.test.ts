/** The app's data folder as Electron computes `userData`, for code that runs without Electron (the CLI). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP_DATA_FOLDER, defaultDataDir, telegramMirrorDir } from '../../../electron/main/app/data-dir';

test('Linux: $XDG_CONFIG_HOME, else ~/.config, plus the product name', () => {
  assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ann'), '/cfg/Passport Vault');
  assert.equal(defaultDataDir('linux', {}, '/home/ann'), '/home/ann/.config/Passport Vault');
  assert.equal(defaultDataDir('linux', { XDG_CONFIG_HOME: '' }, '/home/ann'), '/home/ann/.config/Passport Vault', 'empty counts as unset');
  assert.equal(defaultDataDir('freebsd', {}, '/home/ann'), '/home/ann/.config/Passport Vault');
});

test('macOS: ~/Library/Application Support; Windows: %APPDATA% (else the roaming folder under the profile)', () => {
  assert.equal(defaultDataDir('darwin', { XDG_CONFIG_HOME: '/ignored' }, '/Users/ann'), '/Users/ann/Library/Application Support/Passport Vault');
  assert.equal(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Roaming\\Passport Vault');
  assert.equal(defaultDataDir('win32', {}, 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Roaming\\Passport Vault');
});

test('the product name matches package.json, and the mirror of an account is <dataDir>/telegram/<userId>', async () => {
  const pkg = (await import('../../../package.json', { with: { type: 'json' } })).default as { productName: string };
  assert.equal(APP_DATA_FOLDER, pkg.productName);
  assert.equal(telegramMirrorDir('/d', 123456789), join('/d', 'telegram', '123456789'));
  assert.equal(telegramMirrorDir('/d', 9007199254740993n), join('/d', 'telegram', '9007199254740993'));
});
