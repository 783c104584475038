/**
 * The first page of a PDF as a picture, so that a scanned document saved as PDF goes through the same
 * pipeline as a photo (page detection, quality checks, MRZ, then scan.prepare in main, which never
 * parses PDF: it only ever sees the picture made here).
 *
 * pdf.js (pdfjs-dist) runs offline: its parser in its own module worker bundled by Vite; its
 * WebAssembly decoders for the images scanners write (JBIG2 and CCITT fax for black-and-white pages,
 * JPEG 2000, ICC colour) are bundled too and fetched by that worker from the app's own origin, only
 * when a PDF has such an image. No CMaps, standard fonts or CMYK profile (their URLs are not given, so
 * nothing is requested: scanned PDFs are images, and text in a non-embedded font falls back to a
 * system font). This module is imported only when a PDF is chosen (see `readPdfFirstPage` in
 * ./pdf-input.ts), so pdf.js stays out of the app's first load and out of the scan screen's own chunk.
 *
 * Size: the page is drawn at pageScale (@common/scan/pdf-input.ts: longest side 3000 px, at most 9 MP), whatever
 * the page's declared size; images inside the PDF larger than
 * MAX_IMAGE_PIXELS are not decoded at all (a small file can declare a huge image: a decode bomb).
 */
import { InvalidPDFException, PDFWorker, PasswordException, VerbosityLevel, getDocument } from 'pdfjs-dist';
import PdfJsWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';
// The folder of these three (electron.vite.config.ts keeps their names in assets/pdfjs-wasm/) is pdf.js's wasmUrl.
import jbig2Wasm from 'pdfjs-dist/wasm/jbig2.wasm?url';
import 'pdfjs-dist/wasm/openjpeg.wasm?url';
import 'pdfjs-dist/wasm/qcms_bg.wasm?url';
import { PdfPageError, pageScale, type PdfFirstPage } from '@common/scan/pdf-input';

const MAX_IMAGE_PIXELS = 64_000_000;
/** The picture handed on: JPEG at high quality (main re-encodes to Telegram's q89 anyway; PNG would take far longer to encode). */
const OUTPUT_QUALITY = 0.95;

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b === null ? reject(new Error('the page could not be encoded')) : resolve(b)), 'image/jpeg', OUTPUT_QUALITY));
}

export async function renderPdfFirstPage(file: Blob): Promise<PdfFirstPage> {
  const data = new Uint8Array(await file.arrayBuffer());
  // One parser worker per PDF, ended with it: a scanned PDF's images are large, and nothing is reused.
  const port = new PdfJsWorker({ name: 'pdf' });
  const worker = PDFWorker.create({ port });
  const task = getDocument({
    data,
    worker,
    verbosity: VerbosityLevel.ERRORS,
    // Built from the page's own URL: the worker has no base to resolve a relative one against.
    wasmUrl: new URL('./', new URL(jbig2Wasm, document.baseURI)).href,
    useWorkerFetch: true,
    useWasm: true,
    enableXfa: false,
    isOffscreenCanvasSupported: true,
    maxImageSize: MAX_IMAGE_PIXELS,
    stopAtErrors: true,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (e) {
      if (e instanceof PasswordException) throw new PdfPageError('password');
      if (e instanceof InvalidPDFException) throw new PdfPageError('broken');
      throw new PdfPageError('broken', e);
    }
    if (doc.numPages < 1) throw new PdfPageError('empty');
    try {
      const page = await doc.getPage(1);
      const base = page.getViewport({ scale: 1 });
      if (!(base.width > 0 && base.height > 0)) throw new PdfPageError('broken');
      const viewport = page.getViewport({ scale: pageScale(base.width, base.height) });
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(viewport.width));
      canvas.height = Math.max(1, Math.round(viewport.height));
      await page.render({ canvas, viewport, background: 'rgb(255,255,255)' }).promise;
      const blob = await toBlob(canvas);
      canvas.width = canvas.height = 0; // frees the pixels now rather than at the next GC
      return { blob, width: viewport.width, height: viewport.height, pageCount: doc.numPages };
    } catch (e) {
      throw e instanceof PdfPageError ? e : new PdfPageError('broken', e);
    }
  } finally {
    await task.destroy().catch(() => undefined);
    worker.destroy();
    port.terminate();
  }
}
