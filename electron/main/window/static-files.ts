/**
 * Maps a request path to a file inside the built renderer folder, refusing anything that would
 * escape it. Shared by the app:// protocol handler and the browser test rig, so both serve the same way.
 */
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Returns the absolute file path, or null for a path outside `root`. "/" and unknown routes map to index.html. */
export function resolveRendererFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rootAbs = resolve(root);
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  // The router is hash-based, so every real asset has an extension; anything else is the app shell.
  const target = rel === '' || extname(rel) === '' ? 'index.html' : rel;
  const abs = resolve(join(rootAbs, target));
  if (abs !== rootAbs && !abs.startsWith(rootAbs + sep)) return null;
  return abs;
}
