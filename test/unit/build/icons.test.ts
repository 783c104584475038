import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import config from '../../../build/electron-builder.config';
import { generateIcons, PNG_SIZES } from '../../../build/icons';
import { REPO_ROOT } from '../../support/paths';

test('committed icons are exactly what resources/icon.svg generates (run npm run icons after editing it)', async () => {
  const generated = await generateIcons(REPO_ROOT);
  assert.equal(generated.size, PNG_SIZES.length + 2);
  for (const [path, bytes] of generated) assert.ok(readFileSync(join(REPO_ROOT, path)).equals(bytes), `${path} is stale`);
});

test('each PNG has its size, the ICO and ICNS directories point at real PNGs', async () => {
  for (const size of PNG_SIZES) {
    const meta = await sharp(join(REPO_ROOT, `build/icons/${size}x${size}.png`)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', size, size]);
  }
  const ico = readFileSync(join(REPO_ROOT, 'build/icon.ico'));
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1]);
  for (let i = 0; i < ico.readUInt16LE(4); i++) {
    const [len, off] = [ico.readUInt32LE(6 + i * 16 + 8), ico.readUInt32LE(6 + i * 16 + 12)];
    assert.equal(ico.subarray(off, off + 8).toString('latin1'), '\x89PNG\r\n\x1a\n');
    assert.ok(off + len <= ico.length);
  }
  const icns = readFileSync(join(REPO_ROOT, 'build/icon.icns'));
  assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length);
  const types: string[] = [];
  for (let off = 8; off < icns.length; off += icns.readUInt32BE(off + 4)) {
    types.push(icns.subarray(off, off + 4).toString('latin1'));
    assert.equal(icns.subarray(off + 8, off + 16).toString('latin1'), '\x89PNG\r\n\x1a\n');
  }
  assert.deepEqual(types, ['icp4', 'icp5', 'icp6', 'ic07', 'ic08', 'ic09', 'ic10']);
});

test('the builder config uses the generated icons', () => {
  assert.equal(config.mac?.icon, 'build/icon.icns');
  assert.equal(config.win?.icon, 'build/icon.ico');
  assert.equal(config.linux?.icon, 'build/icons');
});
