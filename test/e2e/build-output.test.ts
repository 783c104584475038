/** What `npm run build` wrote: the layout the app needs, and nothing of the test rig. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy } from '../../electron/main/window/policy';
import { BRIDGE_MARKER } from '../support/bridge/host';
import { REPO_ROOT } from '../support/paths';

const out = join(REPO_ROOT, 'out');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

test('build wrote out/main, out/preload/*.cjs and out/renderer/index.html', () => {
  assert.ok(existsSync(join(out, 'main/index.js')), 'out/main/index.js');
  assert.ok(existsSync(join(out, 'preload/index.cjs')), 'out/preload/index.cjs');
  assert.ok(existsSync(join(out, 'renderer/index.html')), 'out/renderer/index.html');
});

test('the preload is CommonJS that requires nothing but electron (sandbox-safe)', () => {
  const src = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
  const required = [...src.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2]);
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.doesNotMatch(src, /^\s*(import|export)\s/m, 'no ES module syntax');
  assert.match(src, /exposeInMainWorld/);
});

test('the built page carries the CSP from policy.ts', () => {
  const html = readFileSync(join(out, 'renderer/index.html'), 'utf8').replaceAll('&#39;', "'");
  assert.ok(html.includes(`content="${contentSecurityPolicy({ meta: true })}"`), 'CSP meta matches the policy');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
});

test('nothing of the test bridge or source maps reaches the build', () => {
  for (const f of files(out)) {
    assert.doesNotMatch(f, /\.map$/);
    const text = readFileSync(f, 'latin1');
    assert.ok(!text.includes(BRIDGE_MARKER) && !text.includes('__test-bridge'), `${f} mentions the test bridge`);
  }
});
