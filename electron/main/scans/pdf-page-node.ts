/**
 * A PDF's first page as pixels in Node, for `passport-vault scan`: what renderer/src/scanning/pdf-page.ts
 * does in the app, with the same library (pdf.js, its legacy build for Node), the same size
 * (pdf-input.ts `pageScale`), a white page, the same image-size cap, no XFA,
 * drawn on @napi-rs/canvas (pdf.js's own canvas for Node). Nothing is fetched: pdf.js's WebAssembly
 * decoders (JBIG2, JPEG 2000, ICC colour) are read from the installed package. Loaded only for a PDF.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors';
import { PDF_MESSAGES, pageScale, type PdfProblem } from '../../common/scan/pdf-input';

/** As in the app: an image inside the PDF larger than this is not decoded (a small file can declare a huge one). */
const MAX_IMAGE_PIXELS = 64_000_000;

export interface PdfPagePixels {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly pageCount: number;
}

function unreadable(reason: PdfProblem): AppError {
  return new AppError('SCAN_PDF_UNREADABLE', PDF_MESSAGES[reason], { reason });
}

/**
 * pdf.js 6 is written for Node ≥ 22 and calls Promise.withResolvers (Node 22) when it opens a
 * document; the rest it needs is in Node 20.19 or in its legacy build. Installed only where missing.
 */
function ensurePromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export async function renderPdfFirstPageRgba(bytes: Uint8Array): Promise<PdfPagePixels> {
  ensurePromiseWithResolvers();
  const require = createRequire(import.meta.url);
  const [pdfjs, { createCanvas }] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('@napi-rs/canvas')]);
  const wasmDir = join(dirname(require.resolve('pdfjs-dist/package.json')), 'wasm');
  const task = pdfjs.getDocument({
    // pdf.js takes the buffer over (transfers it): a copy, so the caller's bytes stay usable.
    data: new Uint8Array(bytes),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    wasmUrl: `${pathToFileURL(wasmDir).pathname}/`,
    useWasm: true,
    enableXfa: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    stopAtErrors: true,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (e) {
      throw unreadable(e instanceof pdfjs.PasswordException ? 'password' : 'broken');
    }
    if (doc.numPages < 1) throw unreadable('empty');
    try {
      const page = await doc.getPage(1);
      const base = page.getViewport({ scale: 1 });
      if (!(base.width > 0 && base.height > 0)) throw unreadable('broken');
      const viewport = page.getViewport({ scale: pageScale(base.width, base.height) });
      const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
      // pdf.js types its canvas as the DOM's HTMLCanvasElement (not in Node's types); @napi-rs/canvas is its Node stand-in.
      await page.render({ canvas: canvas as never, viewport, background: 'rgb(255,255,255)' }).promise;
      const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      return { rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), width: canvas.width, height: canvas.height, pageCount: doc.numPages };
    } catch (e) {
      throw e instanceof AppError ? e : unreadable('broken');
    }
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
