/**
 * TEST ONLY — injected into the page by Playwright (never part of any build): gives the page the same
 * `window.passportVault` the preload gives, built by the same `createApi` over the same contract.
 * Only the transport differs: one WebSocket to the bridge host (ws-endpoint.ts) instead of
 * ipcRenderer.invoke, carrying each call as `<id>\n<encodeWire text>` and each answer the same way.
 * Each call leaves the marks `test-bridge:<channel>:sent` and `:answered` (what bench/render.ts reads).
 */
import { createApi } from '../../../electron/common/ipc/api';
import { CHANNEL_NAMES } from '../../../electron/common/ipc/contract';
import { decodeWire, encodeWire } from './wire';

declare const __PASSPORT_VAULT_TEST_BRIDGE__: { readonly token: string; readonly path: string };

const { token, path } = __PASSPORT_VAULT_TEST_BRIDGE__;

interface Waiting {
  readonly channel: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
}
const waiting = new Map<number, Waiting>();
let nextId = 0;
let connection: Promise<WebSocket> | null = null;

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // From the document's base URL, as fetch('/…') resolved it: an about:blank child frame has no host of its own.
    const url = new URL(`${path}?token=${token}`, document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onmessage = (e: MessageEvent<string>) => {
      const nl = e.data.indexOf('\n');
      const id = Number(e.data.slice(0, nl));
      const w = waiting.get(id);
      if (w === undefined) return;
      waiting.delete(id);
      performance.mark(`test-bridge:${w.channel}:answered`);
      try {
        w.resolve(decodeWire(e.data.slice(nl + 1)));
      } catch (err) {
        w.reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    // As a failed fetch did: every call under way rejects; the next call connects again.
    ws.onclose = () => {
      connection = null;
      reject(new Error('test bridge: connection closed'));
      for (const w of waiting.values()) w.reject(new Error('test bridge: connection closed'));
      waiting.clear();
    };
  });
}

const api = createApi(CHANNEL_NAMES, async (channel, request) => {
  const ws = await (connection ??= connect());
  const id = ++nextId;
  // The frame facts Electron would read from event.senderFrame.
  const body = encodeWire({ channel, request, frame: { url: location.href, isTopLevel: window.top === window } });
  return new Promise((resolve, reject) => {
    waiting.set(id, { channel, resolve, reject });
    performance.mark(`test-bridge:${channel}:sent`);
    ws.send(`${id}\n${body}`);
  });
});

Object.defineProperty(window, 'passportVault', { value: api, writable: false, configurable: false, enumerable: true });
