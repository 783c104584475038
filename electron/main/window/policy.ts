/**
 * Security decisions for the window, as pure functions (no Electron import) so they are unit-tested.
 * `harden.ts` wires them into Electron; this file is where a reviewer checks what is allowed.
 */

/** The privileged scheme and host the renderer is served from in production. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'passport-vault';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The app's own deep-link scheme (Passport authorization links arrive through it later). */
export const DEEP_LINK_SCHEME = 'passport-vault';

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** Only plain http(s) URLs, no embedded credentials, reasonable length: nothing else goes to the OS. */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > 2048) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && u.username === '' && u.password === '';
}

/**
 * Navigation of the app window is never allowed: the app is a single page. (A reload of the same
 * document does not fire will-navigate.)
 */
export function isAllowedNavigation(_targetUrl: string): boolean {
  return false;
}

/**
 * Permissions: only `media` (the camera, for scanning documents) and only for the app's own top-level
 * page. Microphone is never needed, so a media request that includes audio is refused.
 */
export function isAllowedPermission(
  permission: string,
  requestingUrl: string,
  appOrigin: string,
  mediaTypes: readonly string[] = [],
): boolean {
  if (permission !== 'media') return false;
  if (originOf(requestingUrl) !== appOrigin) return false;
  return mediaTypes.every((t) => t === 'video');
}

/**
 * What Electron hands a permission *request* handler, reduced to the parts decided on. Typed loosely
 * (unknown) because Electron's details are a union whose members differ; narrowed here, failing closed.
 */
export interface PermissionRequestFacts {
  readonly requestingUrl: string;
  readonly isMainFrame?: unknown;
  readonly mediaTypes?: unknown;
}

/**
 * The request handler's whole decision (`session.setPermissionRequestHandler`): the camera, for the
 * app's own top-level page only. A subframe, another origin, any other permission, a request that
 * includes the microphone, or a media request naming no device type at all is refused.
 */
export function decidePermissionRequest(permission: string, details: PermissionRequestFacts, appOrigin: string): boolean {
  if (details.isMainFrame !== true) return false;
  const mediaTypes = Array.isArray(details.mediaTypes) ? details.mediaTypes.map(String) : [];
  if (permission === 'media' && mediaTypes.length === 0) return false;
  return isAllowedPermission(permission, details.requestingUrl, appOrigin, mediaTypes);
}

/** What Electron hands a permission *check* handler (`session.setPermissionCheckHandler`). */
export interface PermissionCheckFacts {
  readonly isMainFrame: boolean;
  readonly mediaType?: string;
}

/**
 * The check handler's decision. Checks come e.g. from enumerateDevices, once per kind of device
 * ('video', 'audio', or 'unknown'): the camera's are answered like requests; the microphone's, and any
 * from a frame other than the app's top-level page, are not.
 */
export function decidePermissionCheck(permission: string, requestingOrigin: string, details: PermissionCheckFacts, appOrigin: string): boolean {
  if (!details.isMainFrame) return false;
  return isAllowedPermission(permission, requestingOrigin, appOrigin, details.mediaType === 'audio' ? ['audio'] : []);
}

/**
 * Content-Security-Policy of the renderer: everything from the app's own origin, nothing remote,
 * no eval, no inline script, no plugins, no framing. Images may be blob:/data: (decrypted scans are
 * shown from blob URLs made in the page), media may be a camera stream.
 * 'wasm-unsafe-eval' lets the page compile WebAssembly (the MRZ reader's Tesseract core, bundled from
 * npm and served from the app's origin); it does NOT allow eval() or new Function() on JavaScript.
 * `dev` (electron-vite's dev server only, never a packaged build) allows Vite's injected styles and HMR socket.
 */
export function contentSecurityPolicy(options: { readonly dev?: boolean; readonly meta?: boolean } = {}): string {
  const directives = [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    options.dev === true ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    options.dev === true ? "connect-src 'self' ws://localhost:*" : "connect-src 'self'",
    "media-src 'self' blob: mediastream:",
    "worker-src 'self' blob:",
    "manifest-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  // frame-ancestors is ignored (with a console warning) in a <meta> tag; it belongs in the header.
  if (options.meta !== true) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Headers every renderer response carries, in production (app://) and in the browser test rig alike. */
export const RENDERER_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

/** A deep link on the command line or from the OS: our own scheme, or tg: (sent by the OS only after the Settings opt-in). */
export function findDeepLink(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (arg.length > 8192) continue;
    const lower = arg.toLowerCase();
    if (lower.startsWith(`${DEEP_LINK_SCHEME}:`) || lower.startsWith('tg:')) return arg;
  }
  return null;
}
