/**
 * One photo of a document, from decoded pixels to its MRZ: the single pipeline that the app's scan
 * worker (renderer/src/scanning/scan-worker.ts) and `passport-vault scan` (electron/main/cli/commands/scan.ts)
 * both run, and the bench measures. DOM-free, no `node:`: pixels and an OCR engine in, a reading out.
 *
 * - `scanPhoto`: everything automatic (the CLI): the page's corners, which way up, the quality
 *   checks, then `readPhotoMrz` with the corners found.
 * - `readPhotoMrz`: the MRZ of a photo whose document the corners outline (found, or set by the person
 *   on the Scan screen). The document is cut out straight and its MRZ read; when that gives no valid
 *   reading (no corners, corners on something else, a page detector fooled by a busy table), the zone
 *   is looked for in the whole photo instead, so reading never depends on the page detector.
 */
import { correctDocument, grayOfRaster, inspectDocument, scanDocumentMrz } from './correct';
import type { GrayImage } from './gray-image';
import { rotateQuad, type Quad } from './homography';
import { SCAN_LIMITS } from './limits';
import { checkedScore, nextTask, scanMrz, type MrzScan, type OcrEngine } from './mrz-ocr';
import { detectPage } from './page-detect';
import type { QualityReport } from './quality';

/** Photos are decoded with their longest side at most this (the corrected document is ≤ 2048 px anyway). */
export const PHOTO_MAX_LONG_SIDE = 3200;

/** A reading from the document with this many check digits passing is not looked for again in the whole photo. */
const ENOUGH_CHECKS = 3;

/**
 * Time for reading one photo's MRZ (a normal photo takes a few seconds). Past it no further candidate
 * is tried (the whole document, the whole photo, more Tesseract passes): the best reading so far, or
 * none, comes back, so one pathological photo can never hold the CLI or the worker for minutes.
 */
export const READ_BUDGET_MS = 15_000;

export interface PhotoMrz {
  readonly scan: MrzScan;
  /**
   * Where the zone's outline (`scan.region.corners`) is: in the corrected document's pixels, or in the
   * photo's when the document could not be used and the zone was found in the whole photo.
   */
  readonly regionIn: 'document' | 'photo';
}

/** The MRZ read from the corrected document, else from the whole photo; the better reading wins. */
export async function readPhotoMrz(
  photo: GrayImage,
  corners: Quad | null,
  quarterTurns: number,
  engine: OcrEngine,
  budgetMs: number = READ_BUDGET_MS,
): Promise<PhotoMrz> {
  const deadline = performance.now() + budgetMs;
  let fromDocument: MrzScan | null = null;
  if (corners !== null) {
    const doc = grayOfRaster(correctDocument({ ...photo, channels: 1 }, corners, quarterTurns, SCAN_LIMITS.maxLongSide));
    // Short synchronous stretches: the app's worker can then be ended (Cancel) between them.
    await nextTask();
    fromDocument = await scanDocumentMrz(doc, engine, deadline);
    // Most check digits passing means the zone was found and read: the whole photo would show the same zone, worse.
    if (checkedScore(fromDocument.reading) >= ENOUGH_CHECKS || performance.now() > deadline) return { scan: fromDocument, regionIn: 'document' };
  }
  await nextTask();
  const fromPhoto = await scanMrz(photo, engine, undefined, deadline);
  if (fromDocument !== null && checkedScore(fromDocument.reading) >= checkedScore(fromPhoto.reading)) return { scan: fromDocument, regionIn: 'document' };
  return { scan: fromPhoto, regionIn: 'photo' };
}

export interface PhotoScan {
  /**
   * The document's corners in the photo, in the document's own order (top-left as printed first,
   * clockwise; upright = MRZ at the bottom); null when no page was found.
   */
  readonly corners: Quad | null;
  /** Quarter turns clockwise that put the document upright (0 when nothing tells). */
  readonly quarterTurns: number;
  /** The quality checks of the document as found (null without corners). */
  readonly quality: QualityReport | null;
  readonly mrz: PhotoMrz;
  readonly ms: { readonly detect: number; readonly read: number };
}

/** The whole automatic scan of one photo (gray, as decoded). */
export async function scanPhoto(photo: GrayImage, engine: OcrEngine, now: () => number = () => performance.now()): Promise<PhotoScan> {
  const t0 = now();
  const found = detectPage(photo);
  let quarterTurns = 0;
  let quality: QualityReport | null = null;
  if (found !== null) {
    const inspection = inspectDocument(photo, found.corners);
    quarterTurns = inspection.quarterTurns;
    quality = inspection.quality;
  }
  const t1 = now();
  const mrz = await readPhotoMrz(photo, found?.corners ?? null, quarterTurns, engine);
  return {
    corners: found === null ? null : rotateQuad(found.corners, quarterTurns),
    quarterTurns,
    quality,
    mrz,
    ms: { detect: t1 - t0, read: now() - t1 },
  };
}
