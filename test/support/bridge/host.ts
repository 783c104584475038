/**
 * TEST ONLY — the browser test rig's host. It serves the BUILT renderer (out/renderer) with the production
 * response headers, and answers IPC calls with the production router and handlers. It listens on
 * 127.0.0.1 only and demands a random per-run token, so nothing else on the machine can drive it.
 *
 * It cannot reach a packaged build: nothing under electron/ imports test/, electron-vite bundles only
 * from electron/main/index.ts, and a test (test/e2e/build-output.test.ts) checks out/ for its marker.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { FakeUpdater } from './fake-updater';
import { DeepLinkInbox } from '../../../electron/main/app/deep-link-inbox';
import type { DialogService } from '../../../electron/main/app/dialogs';
import { createAppServices } from '../../../electron/main/app/services';
import type { AuthorizationHistoryStore, PassportKeyring } from '../../../electron/main/authorization/authorization-service';
import type { NewSessionNotice } from '../../../electron/main/account/security/security-service';
import { createRouter, type Router } from '../../../electron/main/ipc/router';
import { Keychain } from '../../../electron/main/keychain/keychain';
import { createMemoryLogger } from '../../../electron/main/log/logger';
import type { TgProtocolHandler, TgProtocolResult } from '../../../electron/main/settings/settings-service';
import type { TelegramConfig } from '../../../electron/main/telegram/config';
import { MemorySessionStore, type SessionStore } from '../../../electron/main/telegram/session-store';
import { RENDERER_RESPONSE_HEADERS } from '../../../electron/main/window/policy';
import { mimeTypeOf, resolveRendererFile } from '../../../electron/main/window/static-files';
import { decodeWire, encodeWire } from './wire';
import { acceptWebSocket, type WsConnection } from './ws-endpoint';

export const BRIDGE_MARKER = '__PASSPORT_VAULT_TEST_BRIDGE__';
/** Where the page's bridge connects (a WebSocket: ws-endpoint.ts). */
export const BRIDGE_PATH = '/__test-bridge/ws';
/** Base64 inflates bytes by 4/3: room for the largest channel payload (a 10 MiB scan) and its framing, per message. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface BridgeHost {
  readonly url: string;
  /** The script to give Playwright's `addInitScript`: defines window.passportVault for this host. */
  readonly pageScript: string;
  /** URLs the app asked the OS to open (the test stands in for the person's browser). */
  readonly openedInBrowser: string[];
  readonly router: Router;
  readonly logLines: string[];
  /** Links "from the OS" (what main pushes on argv / second-instance / open-url). */
  readonly inbox: DeepLinkInbox;
  readonly dataDir: string;
  /** Every request to (un)register the app for tg: (the OS side of the Settings opt-in), in order. */
  readonly tgProtocolCalls: boolean[];
  /** The updater behind Settings → Updates (a fake: see fake-updater.ts). */
  readonly updater: FakeUpdater;
  /** The stand-in for the person at the OS file dialogs: the test queues the answers. */
  readonly dialogs: FakeDialogs;
  /** How many bridge connections pages have opened (each page keeps one for all its calls). */
  readonly bridgeConnections: () => number;
  /** What the app would show as desktop notifications (new sessions), in order. */
  readonly notifications: NewSessionNotice[];
  close(): Promise<void>;
}

export interface BridgeHostOptions {
  readonly root: string;
  /** The Telegram the app talks to (the loopback server in e2e tests); none → TELEGRAM_NOT_CONFIGURED. */
  readonly telegram?: TelegramConfig;
  /** Opens the person's value secrets for Passport requests (until the vault provides one: locked). */
  readonly keyring?: PassportKeyring;
  /** The app's data folder (default: a fresh temporary one, removed on close). */
  readonly dataDir?: string;
  readonly idleLockMs?: number;
  /** Where the history of shares is kept (default: memory). */
  readonly historyStore?: AuthorizationHistoryStore;
  /** What "the OS" answers to a tg: (un)registration (default: it always complies; see fakeTgProtocol). */
  readonly tgProtocol?: (enabled: boolean) => TgProtocolResult;
  /**
   * The keychain (default: the real one under a service name of this host only, emptied on close).
   * A test that restarts the app passes one it owns, so keychain state outlives a host, as on a device.
   */
  readonly keychain?: Keychain;
  /** Where the Telegram session is kept (default: memory, lost on close). */
  readonly sessions?: SessionStore;
  /** The updater (default: a fake offering 0.2.0). No Electron here, so never electron-updater. */
  readonly updater?: FakeUpdater;
  /** How often the Security watcher checks for new sessions while unlocked (default: the app's 60 s). */
  readonly sessionCheckMs?: number;
}

/**
 * The file dialogs as a test drives them: each dialog takes the next queued answer (a path, or null
 * for "cancelled"); with none queued it fails loudly, so a test never silently writes somewhere.
 */
export class FakeDialogs implements DialogService {
  readonly saveAnswers: (string | null)[] = [];
  readonly openAnswers: (string | null)[] = [];
  /** Every dialog shown: its kind and title, in order. */
  readonly shown: { kind: 'save' | 'open'; title: string }[] = [];

  chooseSaveFile(o: { title: string }): Promise<string | null> {
    this.shown.push({ kind: 'save', title: o.title });
    if (this.saveAnswers.length === 0) return Promise.reject(new Error('test: no answer queued for the save dialog'));
    return Promise.resolve(this.saveAnswers.shift() ?? null);
  }

  chooseOpenFile(o: { title: string }): Promise<string | null> {
    this.shown.push({ kind: 'open', title: o.title });
    if (this.openAnswers.length === 0) return Promise.reject(new Error('test: no answer queued for the open dialog'));
    return Promise.resolve(this.openAnswers.shift() ?? null);
  }
}

/** The default stand-in for the OS: it does what it is asked; Telegram Desktop has tg: when we do not. */
export function fakeTgProtocol(enabled: boolean): TgProtocolResult {
  return enabled ? { registered: true } : { registered: false, owner: 'Telegram Desktop' };
}

function bundlePageBridge(token: string): string {
  const result = buildSync({
    entryPoints: [join(import.meta.dirname, 'page-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    define: { [BRIDGE_MARKER]: JSON.stringify({ token, path: BRIDGE_PATH }) },
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('page bridge bundle is empty');
  return file.text;
}

function tokenMatches(given: string | null, token: string): boolean {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

export async function startBridgeHost(options: BridgeHostOptions): Promise<BridgeHost> {
  const rendererRoot = join(options.root, 'out/renderer');
  const pkg = JSON.parse(await readFile(join(options.root, 'package.json'), 'utf8')) as { productName: string; version: string };
  const token = randomBytes(32).toString('hex');
  const openedInBrowser: string[] = [];
  const inbox = new DeepLinkInbox();
  const tgProtocolCalls: boolean[] = [];
  const updater = options.updater ?? new FakeUpdater();
  const setTgProtocolHandler: TgProtocolHandler = (enabled) => {
    tgProtocolCalls.push(enabled);
    return Promise.resolve((options.tgProtocol ?? fakeTgProtocol)(enabled));
  };
  const logger = createMemoryLogger();
  const dialogs = new FakeDialogs();
  const notifications: NewSessionNotice[] = [];
  let router: Router | null = null;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pv-e2e-data-'));
  // The real keychain, under a service name of this run only, so a person's own entries are never touched.
  const keychain = options.keychain ?? new Keychain(undefined, { service: `passport-vault-e2e-${randomBytes(6).toString('hex')}` });
  const services = createAppServices({
    name: pkg.productName,
    version: pkg.version,
    dataDir,
    keychain,
    sessions: options.sessions ?? new MemorySessionStore(),
    telegramConfig: () => options.telegram ?? null,
    openInBrowser: async (u) => {
      openedInBrowser.push(u);
    },
    inbox,
    idleLockMs: options.idleLockMs ?? 10 * 60_000,
    setTgProtocolHandler,
    logger,
    // Electron-only in the app (electron-updater); a fake here, checked at once when turned on.
    createUpdater: () => Promise.resolve(updater),
    updateSchedule: { firstCheckDelayMs: 0 },
    dialogs,
    notify: (n) => notifications.push(n),
    ...(options.sessionCheckMs !== undefined ? { sessionCheckMs: options.sessionCheckMs } : {}),
    ...(options.keyring !== undefined ? { keyring: options.keyring } : {}),
    ...(options.historyStore !== undefined ? { historyStore: options.historyStore } : {}),
  });

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  /** One IPC call as the page's bridge encodes it (encodeWire), answered by the production router. */
  async function answer(body: string | null, origin: string): Promise<string> {
    let parsed: { channel?: unknown; request?: unknown; frame?: { url?: unknown; isTopLevel?: unknown } };
    try {
      parsed = body === null ? {} : (decodeWire(body) as typeof parsed);
    } catch {
      parsed = {};
    }
    // The browser sets Origin itself; a page cannot forge it. The frame URL must agree with it.
    const frameUrl = typeof parsed.frame?.url === 'string' && parsed.frame.url.startsWith(origin + '/') ? parsed.frame.url : origin;
    const envelope = await (router as Router).dispatch(parsed.channel, parsed.request, { frameUrl, isTopLevel: parsed.frame?.isTopLevel === true });
    return encodeWire(envelope);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    const file = resolveRendererFile(rendererRoot, url.pathname);
    try {
      if (file === null) throw new Error('outside root');
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': mimeTypeOf(file), ...RENDERER_RESPONSE_HEADERS }).end(data);
    } catch {
      res.writeHead(404).end('Not found');
    }
  }

  // The page's one connection for IPC (ws-endpoint.ts): only with this run's token, from the app's own origin.
  const sockets = new Set<WsConnection>();
  let opened = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin ?? '';
    if (url.pathname !== BRIDGE_PATH || !tokenMatches(url.searchParams.get('token'), token) || origin !== appOrigin || router === null) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const conn = acceptWebSocket(req, socket, MAX_BODY_BYTES, (text, c) => {
      // "<id>\n<encodeWire text>": the id pairs each answer with its call (answers may come in any order).
      const nl = text.indexOf('\n');
      const id = text.slice(0, nl);
      void answer(nl < 0 ? null : text.slice(nl + 1), origin).then((out) => c.send(`${id}\n${out}`));
    });
    sockets.add(conn);
    opened++;
    socket.on('close', () => sockets.delete(conn));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const appOrigin = `http://127.0.0.1:${port}`;

  router = createRouter({ trustedOrigin: appOrigin, logger, handlers: services.handlers });

  return {
    url: `${appOrigin}/`,
    pageScript: bundlePageBridge(token),
    openedInBrowser,
    router,
    logLines: logger.lines,
    inbox,
    dataDir,
    tgProtocolCalls,
    updater,
    dialogs,
    notifications,
    bridgeConnections: () => opened,
    close: async () => {
      await services.close();
      if (options.keychain === undefined) await keychain.forgetAll().catch(() => undefined);
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      for (const c of sockets) c.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
