import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import config, { CLI_ONLY_DEPENDENCIES, PACKAGED_FILES } from '../../../build/electron-builder.config';
import { REPO_ROOT } from '../../support/paths';

test('the packaged binary has the hardening fuses flipped', () => {
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  });
  assert.equal(config.asar, true);
});

test('only the app\'s build output goes into the package: no sources, source maps, tests, test rig or the npm CLI', () => {
  assert.deepEqual([...PACKAGED_FILES], [
    'out/**/*',
    '!out/cli/**',
    'package.json',
    '!**/*.map',
    '!**/node_modules/**/*.{ts,cts,mts}',
    '!**/node_modules/{tesseract.js,tesseract.js-core,@tesseract.js-data,pdfjs-dist,@napi-rs}/**',
  ]);
  for (const pattern of PACKAGED_FILES) assert.doesNotMatch(pattern, /^(electron|renderer|test|tools|bench|scripts)\//);
});

test('the dependencies left out of the app are production dependencies (the npm CLI needs them installed)', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of CLI_ONLY_DEPENDENCIES) assert.ok(Object.keys(pkg.dependencies).some((d) => d === name || d.startsWith(`${name}/`)), name);
});

test('updates come from GitHub Releases, published ones only; no token in the config; Windows checks the publisher', async () => {
  const { updateFeed, windowsPublisherNames } = await import('../../../build/electron-builder.config');
  assert.deepEqual(config.publish, [updateFeed()]);
  assert.deepEqual(updateFeed({ GITHUB_REPOSITORY: 'acme/vault' }), { provider: 'github', owner: 'acme', repo: 'vault', releaseType: 'release' });
  assert.doesNotMatch(JSON.stringify(config.publish), /token/i);
  assert.notEqual(config.win?.verifyUpdateCodeSignature, false, 'the update signature check is never turned off');
  assert.deepEqual(windowsPublisherNames({ WIN_PUBLISHER_NAME: ' Passport Vault Ltd ; Passport Vault ' }), ['Passport Vault Ltd', 'Passport Vault']);
  assert.equal(windowsPublisherNames({}), undefined, 'without it electron-builder takes the signing certificate’s CN');
  // Squirrel.Mac updates from the zip: the mac targets must include it (electron-builder's default is dmg + zip).
  assert.ok(config.mac?.target === undefined || JSON.stringify(config.mac.target).includes('zip'));
});
