/**
 * The browser test rig's bridge itself (test/support/bridge/): every call of a page travels over one
 * connection, as Electron's IPC needs none per call, and only this run's page can open one.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openAppPage } from '../support/app-page';
import { BRIDGE_PATH, startBridgeHost, type BridgeHost } from '../support/bridge/host';
import { REPO_ROOT } from '../support/paths';

/** What the host answers to a WebSocket handshake with these query and Origin: its status code. */
function handshake(host: BridgeHost, query: string, origin: string): Promise<number> {
  const url = new URL(`${BRIDGE_PATH}${query}`, host.url);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', origin, 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('test bridge', () => {
  let host: BridgeHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const bridgeRequests: string[] = [];
  let sockets = 0;

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'out/renderer/index.html')), 'out/renderer is missing: run "npm run build" first');
    host = await startBridgeHost({ root: REPO_ROOT });
    ({ browser, page, pageErrors } = await openAppPage(host));
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/__test-bridge')) bridgeRequests.push(r.url());
    });
    page.on('websocket', () => sockets++);
  });

  after(async () => {
    await browser?.close();
    await host?.close();
  });

  test('every call of a page goes over one connection, none as a request of its own', async () => {
    await page.goto(host.url);
    await page.locator('[data-test=version]', { hasText: 'v0.1.0' }).waitFor();
    const answers = await page.evaluate(async () => {
      // No named functions in here: the page gets this as written, without tsx's naming helper.
      const serial = [];
      for (let i = 0; i < 10; i++) serial.push(await window.passportVault.app.info());
      const parallel = await Promise.all(Array.from({ length: 20 }, () => window.passportVault.app.info()));
      return [...serial, ...parallel].map((r) => (r.ok ? r.value.version : r.error.code));
    });
    assert.deepEqual(answers, Array.from({ length: 30 }, () => '0.1.0'));
    assert.deepEqual(bridgeRequests, [], 'no HTTP request per call');
    assert.equal(sockets, 1, 'one connection for the page');
    assert.equal(host.bridgeConnections(), 1);
    assert.deepEqual(pageErrors, []);
  });

  test('only a page of this run opens one: the token and the app’s own origin are required', async () => {
    const origin = new URL(host.url).origin;
    const script = host.pageScript;
    const token = /token: "([0-9a-f]{64})"/.exec(script)?.[1];
    assert.ok(token !== undefined, 'the page script carries the token');
    assert.equal(await handshake(host, '', origin), 403, 'no token');
    assert.equal(await handshake(host, `?token=${'0'.repeat(64)}`, origin), 403, 'a wrong token');
    assert.equal(await handshake(host, `?token=${token}`, 'http://127.0.0.1:1'), 403, 'another origin');
    assert.equal(await handshake(host, `?token=${token}`, origin), 101);
  });
});
