/**
 * Every item of Electron's security checklist that applies to this app, applied in one place.
 * The decisions themselves (what URL, which permission, the CSP) live in `policy.ts`.
 *
 *  1. app.enableSandbox()                          → hardenAppBeforeReady
 *  2. contextIsolation, nodeIntegration off,       → createHardenedWindow
 *     sandbox, webSecurity, no webview, no
 *     insecure content, no experimental features
 *  3. Content-Security-Policy                      → hardenSession (header on every response) + index.html meta
 *  4. Privileged custom scheme, not file://        → app-protocol.ts (registered here before ready)
 *  5. Navigation denied                            → hardenWebContents (will-navigate, will-redirect, will-frame-navigate)
 *  6. window.open denied; http(s) → browser        → hardenWebContents (setWindowOpenHandler + isSafeExternalUrl)
 *  7. <webview> refused                            → hardenWebContents (will-attach-webview)
 *  8. Permission handler: only camera for app      → hardenSession (request + check handlers)
 *  9. Remote requests blocked in production        → hardenSession (webRequest.onBeforeRequest)
 * 10. Single instance + deep link forwarding       → index.ts (requestSingleInstanceLock)
 * 11. IPC sender frame validated                   → ipc/electron-ipc.ts + ipc/router.ts
 * 12. Fuses (runAsNode off, …)                     → build/electron-builder.config.ts
 */
import { app, BrowserWindow, protocol, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../log/logger';
import {
  APP_SCHEME,
  RENDERER_RESPONSE_HEADERS,
  contentSecurityPolicy,
  isAllowedNavigation,
  decidePermissionCheck,
  decidePermissionRequest,
  isSafeExternalUrl,
} from './policy';

/** Must run before `app.whenReady()`. */
export function hardenAppBeforeReady(): void {
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true, stream: true },
    },
  ]);
}

export interface WindowOptions {
  readonly preloadPath: string;
  readonly title: string;
  readonly backgroundColor: string;
}

/** The one place a BrowserWindow is made; its webPreferences are the checklist, written out literally. */
export function createHardenedWindow(options: WindowOptions): BrowserWindow {
  return new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: options.title,
    backgroundColor: options.backgroundColor,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      // Middle-click would otherwise open links in a new window, bypassing setWindowOpenHandler's intent.
      disableBlinkFeatures: 'Auxclick',
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
}

/** Applied to every WebContents the app ever creates (via `web-contents-created`). */
export function hardenWebContents(contents: WebContents, logger: Logger): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (!isAllowedNavigation(url)) {
      event.preventDefault();
      logger.warn('window: navigation refused', { scheme: url.split(':', 1)[0] ?? '' });
    }
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) refuseNavigation(event, event.url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('window: webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) {
      openExternalSafely(url).catch(() => logger.warn('window: could not open external link'));
    } else {
      logger.warn('window: window.open refused', { scheme: url.split(':', 1)[0] ?? '' });
    }
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session, appOrigin: string, options: { readonly allowDevServer: boolean }): void {
  // The decisions are pure functions in policy.ts (unit-tested there); these lines only wire them in.
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(decidePermissionRequest(permission, details, appOrigin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => decidePermissionCheck(permission, requestingOrigin, details, appOrigin));
  // Devices other than cameras (USB, serial, HID, Bluetooth) are never offered to the page.
  session.setDevicePermissionHandler(() => false);

  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(RENDERER_RESPONSE_HEADERS)) headers[name] = [value];
  if (options.allowDevServer) headers['Content-Security-Policy'] = [contentSecurityPolicy({ dev: true })];
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, ...headers } });
  });

  if (!options.allowDevServer) {
    // Defence in depth behind the CSP: the renderer has no business with the network at all.
    session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) => {
      callback({ cancel: true });
    });
  }
}

/** Opens a vetted external link; the single place the app hands a URL to the OS. */
export async function openExternalSafely(url: string): Promise<void> {
  if (!isSafeExternalUrl(url)) throw new Error('refused: not a plain http(s) URL');
  await shell.openExternal(url, { activate: true });
}
