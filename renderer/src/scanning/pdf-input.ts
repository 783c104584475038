/** For a chosen PDF: pdf.js (its own chunk and worker) is loaded only here, when one is read. */
import { checkPdfSize, type PdfFirstPage } from '@common/scan/pdf-input';

export { pdfErrorMessage, pdfPagesNote } from '@common/scan/pdf-input';

/** Loads pdf.js (its own chunk and worker) only now, when a PDF was chosen. */
export async function readPdfFirstPage(file: Blob): Promise<PdfFirstPage> {
  checkPdfSize(file.size);
  const { renderPdfFirstPage } = await import('./pdf-page');
  return renderPdfFirstPage(file);
}

