/** Serves the built renderer from app://passport-vault/ (a privileged standard scheme, never file://). */
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME, RENDERER_RESPONSE_HEADERS } from './policy';
import { mimeTypeOf, resolveRendererFile } from './static-files';

export function registerAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = resolveRendererFile(rendererRoot, url.pathname);
    if (file === null) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: { 'Content-Type': mimeTypeOf(file), ...RENDERER_RESPONSE_HEADERS } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
