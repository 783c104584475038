/**
 * A chosen PDF's first page, read in the renderer as a picture (renderer/src/scanning/pdf-page.ts, with
 * pdf.js): the size it is drawn at, the ways reading can fail said to the person, the multi-page note.
 * Plain code without pdf.js or the DOM, so the screens can load it and the unit tests can run it.
 */

export interface PdfFirstPage {
  /** The first page drawn as a JPEG picture. */
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
  readonly pageCount: number;
}

/** The page is drawn with its longest side at MAX_SIDE px (≈ 360 dpi for A4, plenty for an MRZ) and at most MAX_PIXELS. */
export const MAX_SIDE = 3000;
export const MAX_PIXELS = 9_000_000;
/** A bigger PDF is not read at all (it is held in memory whole, and copied to pdf.js's worker). */
export const MAX_PDF_BYTES = 100 * 1024 * 1024;

/** The scale that fits a page of `width`×`height` points into MAX_SIDE and MAX_PIXELS. */
export function pageScale(width: number, height: number): number {
  const bySide = MAX_SIDE / Math.max(width, height);
  const byArea = Math.sqrt(MAX_PIXELS / (width * height));
  return Math.min(bySide, byArea);
}

export const PDF_MESSAGES = {
  password: 'This PDF is protected by a password, so it cannot be read here: save the page as a JPEG or PNG picture (or the PDF without a password) and open that.',
  empty: 'This PDF has no pages.',
  large: 'This PDF is larger than 100 MB: save the page as a JPEG or PNG picture and open that.',
  broken: 'This PDF could not be read: it may be damaged. Save the page as a JPEG or PNG picture and open that.',
} as const;

export type PdfProblem = keyof typeof PDF_MESSAGES;

/** Refuses a PDF too big to read, before pdf.js is even loaded. */
export function checkPdfSize(byteLength: number): void {
  if (byteLength > MAX_PDF_BYTES) throw new PdfPageError('large');
}

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

/** A message for whatever reading the PDF threw. */
export function pdfErrorMessage(e: unknown): string {
  return e instanceof PdfPageError ? e.message : PDF_MESSAGES.broken;
}
