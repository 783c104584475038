import assert from 'node:assert/strict';
import { test } from 'node:test';
import config, { PACKAGED_FILES } from '../../../build/electron-builder.config';

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

test('only the build output goes into the package: no sources, source maps, tests or test rig', () => {
  assert.deepEqual([...PACKAGED_FILES], ['out/**/*', '!out/**/*.map', 'package.json']);
  for (const pattern of PACKAGED_FILES) assert.doesNotMatch(pattern, /^(electron|renderer|test|tools|bench|scripts)\//);
});
