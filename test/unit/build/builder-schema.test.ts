/**
 * electron-builder's own loader and schema validator, run on our config file: the check a release build
 * would do first, without needing Electron or the network. (Internal module path of the pinned version.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { REPO_ROOT } from '../../support/paths';

test('electron-builder loads build/electron-builder.config.ts and its schema accepts it', async () => {
  const config = await getConfig(REPO_ROOT, join(REPO_ROOT, 'build/electron-builder.config.ts'), null);
  await validateConfiguration(config, new DebugLogger(false));
  assert.equal(config.appId, 'org.passportvault.app');
  // The validator is not a rubber stamp: an unknown key is refused.
  await assert.rejects(validateConfiguration({ ...config, mac: { ...config.mac, bogus: 1 } } as typeof config, new DebugLogger(false)), /Invalid configuration/);
});
