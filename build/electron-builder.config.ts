/**
 * Packaging configuration (electron-builder), typed. Security-relevant parts live here:
 * the Electron fuses flipped in the packaged binary, and the exact file set shipped in app.asar.
 * Signing, notarization, installers and reproducibility are the packaging issue's work.
 */
import type { GithubOptions } from 'builder-util-runtime';
import type { Configuration } from 'electron-builder';

export const APP_ID = 'org.passportvault.app';

/**
 * Where installed copies look for updates (only once the person allows it in Settings): this
 * repository's GitHub Releases. electron-builder writes it into the package as resources/app-update.yml
 * and next to the installers as latest.yml / latest-mac.yml / latest-linux.yml (their SHA-512s), which
 * the release workflow uploads with them. Drafts are invisible to updaters: a release reaches people only
 * when a person publishes it. In Actions GITHUB_REPOSITORY names the repository that builds.
 */
export function updateFeed(env: NodeJS.ProcessEnv = process.env): GithubOptions {
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? 'passport-vault/passport-vault').split('/');
  return { provider: 'github', owner: owner ?? null, repo: repo ?? null, releaseType: 'release' };
}

/**
 * Windows: electron-updater installs an update only if its Authenticode signature is valid and made
 * by one of these publishers (written into app-update.yml). WIN_PUBLISHER_NAME must be the signing
 * certificate's subject CN, exactly; without it electron-builder reads the CN from the certificate it
 * signs with, which is the same thing when signing with signtool.
 */
export function windowsPublisherNames(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const names = (env['WIN_PUBLISHER_NAME'] ?? '').split(';').map((n) => n.trim()).filter((n) => n !== '');
  return names.length > 0 ? names : undefined;
}
const publisherName = windowsPublisherNames();

/**
 * Production dependencies only the npm CLI (`passport-vault scan`) loads: the app bundles its own
 * tesseract.js, core, data and pdf.js into the renderer as assets (renderer/src/scanning), and main never
 * loads them, so they stay out of the app (~150 MB).
 */
export const CLI_ONLY_DEPENDENCIES = ['tesseract.js', 'tesseract.js-core', '@tesseract.js-data', 'pdfjs-dist', '@napi-rs'] as const;

/**
 * What goes into app.asar: the build output and the manifest, nothing else (no sources, tests, maps, tools).
 * electron-builder adds the production dependencies itself and filters them with the same patterns: their
 * source maps, TypeScript sources and declarations (test declarations among them) stay out too.
 */
export const PACKAGED_FILES = ['out/**/*', '!out/cli/**', 'package.json', '!**/*.map', '!**/node_modules/**/*.{ts,cts,mts}', `!**/node_modules/{${CLI_ONLY_DEPENDENCIES.join(',')}}/**`] as const;

const config: Configuration = {
  appId: APP_ID,
  productName: 'Passport Vault',
  directories: { output: 'dist', buildResources: 'build' },
  files: [...PACKAGED_FILES],
  asar: true,
  // Native modules (keytar, sharp and its libvips binaries) must live outside the archive to load.
  asarUnpack: ['**/node_modules/keytar/**', '**/node_modules/sharp/**', '**/node_modules/@img/**'],
  protocols: [{ name: 'Passport Vault', schemes: ['passport-vault'] }],
  publish: [updateFeed()],
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
  // verifyUpdateCodeSignature stays at its default (true): see windowsPublisherNames.
  win: { icon: 'build/icon.ico', target: ['nsis'], ...(publisherName !== undefined ? { signtoolOptions: { publisherName } } : {}) },
  linux: { icon: 'build/icons', target: ['AppImage', 'deb', 'rpm'], category: 'Utility' },
};

export default config;
