/**
 * The first page of a PDF as a picture, so that a scanned document saved as PDF goes through the same
 * pipeline as a photo (page detection, quality checks, MRZ, then scan.prepare in main, which never
 * parses PDF: it only ever sees the picture made here).
 *
 * pdf.js (pdfjs-dist) runs offline: its parser in its own module worker bundled by Vite, no CMaps,
 * standard fonts, ICC profiles or WebAssembly decoders fetched (none of their URLs are given, so
 * nothing is requested; scanned PDFs are images, and text in a non-embedded font falls back to a
 * system font). This module is imported only when a PDF is chosen (see `readPdfFirstPage` in
 * ./pdf-input.ts), so pdf.js stays out of the app's first load and out of the scan screen's own chunk.
 *
 * Size: the page is drawn at pageScale (@common/scan/pdf-input.ts: longest side 3000 px, at most 9 MP), whatever
 * the page's declared size; images inside the PDF larger than
 * MAX_IMAGE_PIXELS are not decoded at all (a small file can declare a huge image: a decode bomb).
 */
import { InvalidPDFException, PDFWorker, PasswordException, VerbosityLevel, getDocument } from 'pdfjs-dist';
import PdfJsWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';
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
    useWorkerFetch: false,
    useWasm: false,
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
