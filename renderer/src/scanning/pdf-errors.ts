/** What reading a PDF's first page gives, and the ways it can fail, said to the person (no pdf.js here: this loads with the screens). */

export interface PdfFirstPage {
  /** The first page drawn as a JPEG picture. */
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
  readonly pageCount: number;
}

export const PDF_MESSAGES = {
  password: 'This PDF is protected by a password, so it cannot be read here: save the page as a JPEG or PNG picture (or the PDF without a password) and open that.',
  empty: 'This PDF has no pages.',
  broken: 'This PDF could not be read: it may be damaged. Save the page as a JPEG or PNG picture and open that.',
} as const;

export type PdfProblem = keyof typeof PDF_MESSAGES;

export class PdfPageError extends Error {
  constructor(
    readonly reason: PdfProblem,
    cause?: unknown,
  ) {
    super(PDF_MESSAGES[reason], cause === undefined ? undefined : { cause });
    this.name = 'PdfPageError';
  }
}

/** The note shown when a PDF has more pages than the one used. */
export function pdfPagesNote(pageCount: number): string | null {
  return pageCount > 1 ? `This PDF has ${pageCount} pages: the first page is used. For another page, save it as a picture and open that.` : null;
}

/** Loads pdf.js (its own chunk and worker) only now, when a PDF was chosen. */
export async function readPdfFirstPage(file: Blob): Promise<PdfFirstPage> {
  const { renderPdfFirstPage } = await import('./pdf-page');
  return renderPdfFirstPage(file);
}

/** A message for whatever reading the PDF threw. */
export function pdfErrorMessage(e: unknown): string {
  return e instanceof PdfPageError ? e.message : PDF_MESSAGES.broken;
}
