/**
 * TEST ONLY — injected into the page by Playwright (never part of any build): gives the page the same
 * `window.passportVault` the preload gives, built by the same `createApi` over the same contract.
 * Only the transport differs: an HTTP POST to the bridge host instead of ipcRenderer.invoke.
 */
import { createApi } from '../../../electron/common/ipc/api';
import { CHANNEL_NAMES } from '../../../electron/common/ipc/contract';
import { decodeWire, encodeWire } from './wire';

declare const __PASSPORT_VAULT_TEST_BRIDGE__: { readonly token: string };

const { token } = __PASSPORT_VAULT_TEST_BRIDGE__;

const api = createApi(CHANNEL_NAMES, async (channel, request) => {
  const response = await fetch('/__test-bridge/ipc', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-bridge-token': token },
    // The frame facts Electron would read from event.senderFrame.
    body: encodeWire({ channel, request, frame: { url: location.href, isTopLevel: window.top === window } }),
  });
  return decodeWire(await response.text());
});

Object.defineProperty(window, 'passportVault', { value: api, writable: false, configurable: false, enumerable: true });
