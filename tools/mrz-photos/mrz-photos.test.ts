/**
 * The photo set's own unit tests (ICAO check digits and zones, the generator's determinism and truth, the
 * scorer), written in Python beside the code they test (test_mrz_photos.py) and run here by the project's runner.
 * Fails, not skips, when no python3 with Pillow and numpy is found: CI installs python3-pil and python3-numpy.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { MRZ_PHOTOS_DIR, findPhotoPython } from './python';

test('tools/mrz-photos: python unit tests', () => {
  const found = findPhotoPython();
  if ('error' in found) assert.fail(found.error);
  const run = spawnSync(found.python, ['-m', 'unittest', 'discover', '-s', MRZ_PHOTOS_DIR, '-p', 'test_*.py'], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(run.status, 0, `python unittest failed:\n${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /\nOK\b/);
});
