/**
 * Packaging configuration (electron-builder), typed. Security-relevant parts live here:
 * the Electron fuses flipped in the packaged binary, and the exact file set shipped in app.asar.
 * Signing, notarization, installers and reproducibility are the packaging issue's work.
 */
import type { Configuration } from 'electron-builder';

export const APP_ID = 'org.passportvault.app';

/** What goes into app.asar: the build output and the manifest, nothing else (no sources, tests, maps, tools). */
export const PACKAGED_FILES = ['out/**/*', '!out/**/*.map', 'package.json'] as const;

const config: Configuration = {
  appId: APP_ID,
  productName: 'Passport Vault',
  directories: { output: 'dist', buildResources: 'build' },
  files: [...PACKAGED_FILES],
  asar: true,
  // Native modules (keytar, sharp and its libvips binaries) must live outside the archive to load.
  asarUnpack: ['**/node_modules/keytar/**', '**/node_modules/sharp/**', '**/node_modules/@img/**'],
  protocols: [{ name: 'Passport Vault', schemes: ['passport-vault'] }],
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  // Icons are generated from resources/icon.svg by `npm run icons` (build/icons.ts).
  mac: { icon: 'build/icon.icns', category: 'public.app-category.productivity', hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist' },
  win: { icon: 'build/icon.ico', target: ['nsis'] },
  linux: { icon: 'build/icons', target: ['AppImage', 'deb', 'rpm'], category: 'Utility' },
};

export default config;
