import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  findDeepLink,
  isAllowedNavigation,
  isAllowedPermission,
  isSafeExternalUrl,
} from '../../../electron/main/window/policy';

test('external links: only plain http(s)', () => {
  for (const ok of ['https://telegram.org/privacy', 'http://example.com/cb?tg_passport=success']) assert.equal(isSafeExternalUrl(ok), true, ok);
  for (const bad of [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://host/share',
    'tg://resolve?domain=x',
    'https://user:pw@example.com/',
    'not a url',
    'https://example.com/' + 'a'.repeat(3000),
  ])
    assert.equal(isSafeExternalUrl(bad), false, bad);
});

test('navigation is never allowed', () => {
  for (const u of [`${APP_ORIGIN}/other.html`, 'https://example.com', 'file:///'] as const) assert.equal(isAllowedNavigation(u), false);
});

test('permissions: only video media for the app origin', () => {
  assert.equal(isAllowedPermission('media', `${APP_ORIGIN}/index.html`, APP_ORIGIN, ['video']), true);
  assert.equal(isAllowedPermission('media', `${APP_ORIGIN}/index.html`, APP_ORIGIN, ['video', 'audio']), false);
  assert.equal(isAllowedPermission('media', 'https://evil.example/', APP_ORIGIN, ['video']), false);
  for (const p of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'hid'])
    assert.equal(isAllowedPermission(p, `${APP_ORIGIN}/`, APP_ORIGIN), false, p);
});

test('the CSP forbids eval, inline script and every remote origin (WebAssembly compilation only)', () => {
  for (const csp of [CONTENT_SECURITY_POLICY, contentSecurityPolicy({ meta: true })]) {
    // Whole source tokens: 'wasm-unsafe-eval' (WebAssembly only) must not hide an 'unsafe-eval'.
    const tokens = csp.split(/[;\s]+/);
    assert.ok(!tokens.includes("'unsafe-eval'") && !tokens.includes("'unsafe-inline'") && !tokens.includes("'unsafe-hashes'"), csp);
    assert.equal(csp.replaceAll("'wasm-unsafe-eval'", '').includes('unsafe'), false, csp);
    assert.ok(!/https?:/.test(csp), 'no remote origins');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    assert.match(csp, /object-src 'none'/);
  }
  assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
  assert.doesNotMatch(contentSecurityPolicy({ meta: true }), /frame-ancestors/);
});

test('deep links: our scheme and tg: are found on a command line, nothing else', () => {
  assert.equal(findDeepLink(['/usr/bin/pv', '--flag', 'passport-vault://auth?x=1']), 'passport-vault://auth?x=1');
  assert.equal(findDeepLink(['/usr/bin/pv', 'tg://resolve?domain=telegrampassport']), 'tg://resolve?domain=telegrampassport');
  assert.equal(findDeepLink(['/usr/bin/pv', 'https://example.com', '--passport-vault:x']), null);
});
