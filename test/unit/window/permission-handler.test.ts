/**
 * The permission handlers' decisions, as harden.ts wires them into the session: the camera for the
 * app's own top-level page, nothing else for anyone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APP_ORIGIN, decidePermissionCheck, decidePermissionRequest } from '../../../electron/main/window/policy';

const PAGE = `${APP_ORIGIN}/index.html#/scan`;
const DEV = 'http://localhost:5173';

test('request: video media from the app page, main frame, is granted', () => {
  assert.equal(decidePermissionRequest('media', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] }, APP_ORIGIN), true);
  // The dev server's origin is the app origin when the app runs from it.
  assert.equal(decidePermissionRequest('media', { requestingUrl: `${DEV}/#/scan`, isMainFrame: true, mediaTypes: ['video'] }, DEV), true);
});

test('request: the microphone, a subframe, another origin or no device type is refused', () => {
  const refused: [string, Parameters<typeof decidePermissionRequest>[1]][] = [
    ['audio too', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video', 'audio'] }],
    ['audio only', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['audio'] }],
    ['no media types', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: [] }],
    ['media types missing', { requestingUrl: PAGE, isMainFrame: true }],
    ['media types not a list', { requestingUrl: PAGE, isMainFrame: true, mediaTypes: 'video' }],
    ['subframe', { requestingUrl: PAGE, isMainFrame: false, mediaTypes: ['video'] }],
    ['frame unknown', { requestingUrl: PAGE, mediaTypes: ['video'] }],
    ['other origin', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] }],
    ['look-alike host', { requestingUrl: 'app://passport-vault.evil/index.html', isMainFrame: true, mediaTypes: ['video'] }],
    ['other scheme, same host', { requestingUrl: 'https://passport-vault/index.html', isMainFrame: true, mediaTypes: ['video'] }],
    ['file page', { requestingUrl: 'file:///index.html', isMainFrame: true, mediaTypes: ['video'] }],
    ['not a URL', { requestingUrl: 'not a url', isMainFrame: true, mediaTypes: ['video'] }],
  ];
  for (const [why, details] of refused) assert.equal(decidePermissionRequest('media', details, APP_ORIGIN), false, why);
});

test('request: every other permission is refused, even for the app page', () => {
  for (const p of ['geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'openExternal', 'fullscreen', 'midi', 'midiSysex', 'pointerLock', 'keyboardLock', 'hid', 'serial', 'usb', 'fileSystem', 'idle-detection', 'window-management', 'mediaKeySystem', 'speaker-selection', 'unknown'])
    assert.equal(decidePermissionRequest(p, { requestingUrl: PAGE, isMainFrame: true, mediaTypes: ['video'] }, APP_ORIGIN), false, p);
});

test('check: camera checks from the app page are answered yes; microphone, subframes, other origins and permissions no', () => {
  assert.equal(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: true, mediaType: 'video' }, APP_ORIGIN), true);
  assert.equal(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: true, mediaType: 'unknown' }, APP_ORIGIN), true);
  assert.equal(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: true, mediaType: 'audio' }, APP_ORIGIN), false);
  assert.equal(decidePermissionCheck('media', APP_ORIGIN, { isMainFrame: false, mediaType: 'video' }, APP_ORIGIN), false);
  assert.equal(decidePermissionCheck('media', 'https://evil.example', { isMainFrame: true, mediaType: 'video' }, APP_ORIGIN), false);
  assert.equal(decidePermissionCheck('media', '', { isMainFrame: true, mediaType: 'video' }, APP_ORIGIN), false);
  for (const p of ['geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'fullscreen'])
    assert.equal(decidePermissionCheck(p, APP_ORIGIN, { isMainFrame: true, mediaType: 'video' }, APP_ORIGIN), false, p);
});
