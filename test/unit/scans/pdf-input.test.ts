/** The size a PDF's first page is drawn at, and what is said about a PDF (no pdf.js needed for these). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PDF_BYTES, MAX_PIXELS, MAX_SIDE, PDF_MESSAGES, PdfPageError, checkPdfSize, pageScale, pdfErrorMessage, pdfPagesNote } from '../../../electron/common/scan/pdf-input';

test('a page is drawn with its longest side at 3000 px, never over 9 MP, whatever size it declares', () => {
  const a4 = pageScale(595, 842);
  assert.equal(Math.round(842 * a4), MAX_SIDE);
  assert.ok(Math.abs((595 * a4) / (842 * a4) - 595 / 842) < 1e-9);
  // A square page would be 3000×3000 = 9 MP: the pixel cap decides there.
  const sq = pageScale(1000, 1000);
  assert.ok(Math.round(1000 * sq) * Math.round(1000 * sq) <= MAX_PIXELS);
  // Tiny and huge declared pages land on the same picture size.
  for (const [w, h] of [[10, 14], [14400, 20000], [200, 14400]] as const) {
    const s = pageScale(w, h);
    assert.ok(Math.max(w, h) * s <= MAX_SIDE + 1e-6 && w * h * s * s <= MAX_PIXELS + 1, `${w}×${h}`);
  }
});

test('more than one page: the note says the first is used; one page: nothing to say', () => {
  assert.equal(pdfPagesNote(1), null);
  assert.match(pdfPagesNote(3) ?? '', /^This PDF has 3 pages: the first page is used/);
});

test('errors become the messages for the person; a PDF over the size limit is refused (before pdf.js loads)', () => {
  assert.equal(pdfErrorMessage(new PdfPageError('password')), PDF_MESSAGES.password);
  assert.equal(pdfErrorMessage(new Error('Invalid PDF structure')), PDF_MESSAGES.broken);
  checkPdfSize(MAX_PDF_BYTES);
  assert.throws(() => checkPdfSize(MAX_PDF_BYTES + 1), (e: unknown) => e instanceof PdfPageError && e.reason === 'large' && e.message === PDF_MESSAGES.large);
});
