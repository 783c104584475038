/**
 * One photo of a document, from decoded pixels to its MRZ: the single pipeline that the app's scan
 * worker (renderer/src/scanning/scan-worker.ts) and `passport-vault scan` (electron/main/cli/commands/scan.ts)
 * both run, and the bench measures. DOM-free, no `node:`: pixels and an OCR engine in, a reading out.
 *
 * - `findDocument`: where the document is (the MRZ zone in the whole photo first, then the page's
 *   corners that can hold it), which way up, the quality checks: the Scan screen's automatic corners.
 * - `scanPhoto`: everything automatic (the CLI): `findDocument`, then `readPhotoMrz` with what it found.
 * - `readPhotoMrz`: the MRZ of a photo whose document the corners outline (found, or set by the person
 *   on the Scan screen). The document is cut out straight and its MRZ read; when that gives no valid
 *   reading (no corners, corners on something else, a page detector fooled by a busy table), the zone
 *   is looked for in the whole photo instead, so reading never depends on the page detector.
 */
import { correctDocument, grayOfRaster, guessQuarterTurns, inspectDocument, scanDocumentMrz } from './correct';
import type { GrayImage } from './gray-image';
import { rotateQuad, type Quad } from './homography';
import { SCAN_LIMITS } from './limits';
import { checkedScore, EDGE_ROOM, nextTask, scanMrz, type MrzScan, type OcrEngine } from './mrz-ocr';
import type { MrzReading } from './mrz-read';
import { locateMrz, type MrzRegion } from './mrz-locate';
import { detectPage } from './page-detect';
import type { QualityReport } from './quality';

/** Photos are decoded with their longest side at most this (the corrected document is ≤ 2048 px anyway). */
export const PHOTO_MAX_LONG_SIDE = 3200;

/**
 * A reading from the document that passes every check digit (the composite too: checkedScore adds 10) is not
 * looked for again in the whole photo. One that passes only some is: an outline found a little inside the
 * card cuts the zone's first characters off the corrected document (a "P" gone, an "8" read as the "I" of
 * its right edge) while the dates still pass, and the whole photo shows the zone uncut.
 */
const ENOUGH_CHECKS = 10;

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
  /** With `regionIn: 'document'`: the outline and turn of the document read. */
  readonly document?: { readonly corners: Quad; readonly quarterTurns: number };
}

/** The MRZ of the photo's document cut out along `corners`, turned upright. */
async function readDocument(photo: GrayImage, corners: Quad, quarterTurns: number, engine: OcrEngine, deadline: number): Promise<MrzScan> {
  const doc = grayOfRaster(correctDocument({ ...photo, channels: 1 }, corners, quarterTurns, SCAN_LIMITS.maxLongSide));
  // Short synchronous stretches: the app's worker can then be ended (Cancel) between them.
  await nextTask();
  return scanDocumentMrz(doc, engine, deadline);
}

/**
 * The MRZ read from the corrected document, else from another outline of it (`alternative`, see
 * page-detect.ts `unhinted`), else from the whole photo; the better reading wins. `zoneInPhoto`: the zone
 * already looked for in the whole photo (undefined: look for it when needed).
 */
export async function readPhotoMrz(
  photo: GrayImage,
  corners: Quad | null,
  quarterTurns: number,
  engine: OcrEngine,
  budgetMs: number = READ_BUDGET_MS,
  zoneInPhoto?: MrzRegion | null,
  alternative: Quad | null = null,
): Promise<PhotoMrz> {
  const deadline = performance.now() + budgetMs;
  let fromDocument: PhotoMrz | null = null;
  const outlines: Quad[] = corners === null ? [] : [corners, ...(alternative === null ? [] : [alternative])];
  for (const [k, outline] of outlines.entries()) {
    const turns = k === 0 ? quarterTurns : guessQuarterTurns(photo, outline);
    const scan = await readDocument(photo, outline, turns, engine, deadline);
    if (fromDocument === null || checkedScore(scan.reading) > checkedScore(fromDocument.scan.reading)) {
      fromDocument = { scan, regionIn: 'document', document: { corners: outline, quarterTurns: turns } };
    }
    // Every check digit passing means the zone was found and read whole (the whole photo would show the same
    // zone, worse), unless its print reaches the document's edge: the outline may have cut a character off.
    if ((checkedScore(scan.reading) >= ENOUGH_CHECKS && !nearEdge(scan)) || performance.now() > deadline) return unvouchedNearEdge(fromDocument);
    await nextTask();
  }
  await nextTask();
  const fromPhoto = await scanMrz(photo, engine, undefined, deadline, zoneInPhoto);
  if (fromDocument !== null) {
    const [doc, whole] = [checkedScore(fromDocument.scan.reading), checkedScore(fromPhoto.reading)];
    // A document whose zone reaches its edge gives way to the whole photo at equal checks: the photo shows it uncut.
    if (doc > whole || (doc === whole && !nearEdge(fromDocument.scan))) return unvouchedNearEdge(fromDocument);
  }
  return unvouchedNearEdge({ scan: fromPhoto, regionIn: 'photo' });
}

/** Whether the zone's print comes within `EDGE_ROOM` pitches of the image's left or right edge. */
function nearEdge(scan: MrzScan): boolean {
  return scan.edgeRoom !== null && scan.edgeRoom < EDGE_ROOM;
}

/**
 * A reading of a zone that reaches the image's edge with no field vouched for by a second reader: every value
 * is then shown for confirmation. A cut-off character shifts what follows it, and look-alikes (5 and S, 8 and
 * I) can make the check digits pass over the shifted line; no other view of the zone says otherwise.
 */
function unvouchedNearEdge(read: PhotoMrz): PhotoMrz {
  const reading = read.scan.reading;
  if (reading === null || !nearEdge(read.scan)) return read;
  return { ...read, scan: { ...read.scan, reading: unvouched(reading) } };
}

function unvouched(reading: MrzReading): MrzReading {
  const fields: MrzReading['fields'] = {};
  for (const [name, f] of Object.entries(reading.fields) as [keyof MrzReading['fields'], NonNullable<MrzReading['fields'][keyof MrzReading['fields']]>][]) {
    fields[name] = { ...f, secondReader: false };
  }
  return { ...reading, fields };
}

/** A document's outline in a photo, which way up it is, and how good a picture of it this is. */
export interface FoundDocument {
  /** The outline as found in the photo (top-left, top-right, bottom-right, bottom-left on screen). */
  readonly corners: Quad;
  /** Quarter turns clockwise that put the document upright (0 when nothing tells). */
  readonly quarterTurns: number;
  readonly quality: QualityReport;
  /** An open passport's outline around the data page, to read the MRZ along (page-detect.ts `cover`). */
  readonly cover?: Quad;
}

export interface PhotoDocument {
  /** The MRZ zone in the whole photo (null: none found). */
  readonly zone: MrzRegion | null;
  readonly found: FoundDocument | null;
  /** Another outline to read when `found`'s gives no reading (page-detect.ts `unhinted`). */
  readonly alternative: Quad | null;
}

/**
 * Where the document is in a photo (the Scan screen's automatic corners and `scanPhoto`'s): the zone first,
 * in the whole photo, which tells the page detector where the document must be (a patterned table or a
 * sheet of paper beside the card can outline a better quadrilateral than the card); then which way up and
 * the quality checks. Yields between the steps (the app's worker can be ended between them).
 */
export async function findDocument(photo: GrayImage): Promise<PhotoDocument> {
  const zone = locateMrz(photo);
  await nextTask();
  const page = detectPage(photo, zone);
  if (page === null) return { zone, found: null, alternative: null };
  await nextTask();
  const inspection = inspectDocument(photo, page.corners, zone?.corners ?? null);
  const found = { corners: page.corners, quarterTurns: inspection.quarterTurns, quality: inspection.quality, ...(page.cover === undefined ? {} : { cover: page.cover }) };
  return { zone, found, alternative: page.unhinted ?? null };
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
  const { zone, found, alternative } = await findDocument(photo);
  const t1 = now();
  const readAlong = found === null ? null : (found.cover ?? found.corners);
  const mrz = await readPhotoMrz(photo, readAlong, found?.quarterTurns ?? 0, engine, READ_BUDGET_MS, zone, alternative);
  // The outline whose document gave the reading (the data page for its cover); else the one found.
  let document: FoundDocument | null = found;
  if (mrz.document !== undefined && found !== null && mrz.document.corners !== readAlong) {
    document = { ...mrz.document, quality: inspectDocument(photo, mrz.document.corners).quality };
  }
  return {
    corners: document === null ? null : rotateQuad(document.corners, document.quarterTurns),
    quarterTurns: document?.quarterTurns ?? 0,
    quality: document?.quality ?? null,
    mrz,
    ms: { detect: t1 - t0, read: now() - t1 },
  };
}
