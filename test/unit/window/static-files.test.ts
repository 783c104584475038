import assert from 'node:assert/strict';
import { sep } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { resolveRendererFile } from '../../../electron/main/window/static-files';

const root = '/srv/renderer';
const inside = (p: string | null) => p === null || p.startsWith(root + sep);

test('serves files under the root and the shell for routes', () => {
  assert.equal(resolveRendererFile(root, '/'), '/srv/renderer/index.html');
  assert.equal(resolveRendererFile(root, '/documents'), '/srv/renderer/index.html');
  assert.equal(resolveRendererFile(root, '/assets/index-abc.js'), '/srv/renderer/assets/index-abc.js');
});

test('dot segments are clamped at the root, as URL parsing does', () => {
  assert.equal(resolveRendererFile(root, '/../secret.txt'), '/srv/renderer/secret.txt');
  assert.equal(resolveRendererFile(root, '/assets/../../../etc/passwd.js'), '/srv/renderer/etc/passwd.js');
  assert.equal(resolveRendererFile(root, '/%2e%2e/%2e%2e/etc/passwd.js'), '/srv/renderer/etc/passwd.js');
});

test('bad encodings and NUL bytes are refused', () => {
  assert.equal(resolveRendererFile(root, '/a%00.js'), null);
  assert.equal(resolveRendererFile(root, '/%E0%A4%A.js'), null);
});

test('no request path ever resolves outside the root', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('..', '.', '%2e%2e', '%2f', '\\', '/', 'a', 'etc', 'passwd.js', '%00', '//'), { maxLength: 12 }), (parts) => {
      assert.ok(inside(resolveRendererFile(root, '/' + parts.join('/'))));
      assert.ok(inside(resolveRendererFile(root, parts.join(''))));
    }),
    { numRuns: 500 },
  );
  fc.assert(fc.property(fc.string(), (s) => assert.ok(inside(resolveRendererFile(root, s)))), { numRuns: 500 });
});
