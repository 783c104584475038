/**
 * From a photo and the document's corners to the upright document: which way up it is (the MRZ is
 * at the bottom), and the perspective-corrected rectangle. Shared by the scan worker, the tests and
 * the bench, so that all three run the same steps.
 */
import type { GrayImage } from './gray-image';
import { applyHomography, homographyFrom, rectifiedSize, rotateQuad, warpQuad, type Point, type Quad, type Raster } from './homography';
import { locateMrz, type MrzRegion } from './mrz-locate';
import { scanMrz, type MrzScan, type OcrEngine } from './mrz-ocr';
import { documentLongSide, judgeQuality, measureQuality, QUALITY_WORK_SIZE, type QualityReport } from './quality';

/** The document cut out along `corners`, turned `quarterTurns` clockwise, longest side ≤ maxLongSide. */
export function correctDocument(photo: Raster, corners: Quad, quarterTurns: number, maxLongSide: number): Raster {
  const q = rotateQuad(corners, quarterTurns);
  const { width, height } = rectifiedSize(q, maxLongSide);
  return warpQuad(photo, q, width, height);
}

export function grayOfRaster(r: Raster): GrayImage {
  if (r.channels !== 1) throw new TypeError('expected a one-channel raster');
  return { width: r.width, height: r.height, data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.width * r.height) };
}

/**
 * Which way up, and is it good enough: both from one copy of the document cut out at the quality
 * checks' working size (1000 px), so that the photo is warped once for the two.
 */
export interface Inspection {
  /** Quarter turns (0-3, clockwise) that put the MRZ at the bottom; 0 when no MRZ tells. */
  readonly quarterTurns: number;
  readonly quality: QualityReport;
}

/**
 * `zone`: the MRZ's outline found in the whole photo, if it was: when it lies across the document it tells
 * which way up without looking for the zone again in the cut-out document.
 */
export function inspectDocument(photo: GrayImage, corners: Quad, zone: readonly Point[] | null = null): Inspection {
  const raster: Raster = { ...photo, channels: 1 };
  const doc = grayOfRaster(correctDocument(raster, corners, 0, QUALITY_WORK_SIZE));
  const turns = zone === null ? null : quarterTurnsOfZone(corners, zone, doc);
  return { quarterTurns: turns ?? quarterTurnsOf(doc), quality: judgeQuality(measureQuality(doc, documentLongSide(corners))) };
}

/**
 * `quarterTurnsOf`'s answer from a zone found in the photo, carried into the cut-out document's pixels
 * (`doc`, cut along `corners` unturned); null when the zone does not lie across the document as an MRZ does.
 */
function quarterTurnsOfZone(corners: Quad, zone: readonly Point[], doc: GrayImage): number | null {
  const { width: w, height: h } = doc;
  const toDoc = homographyFrom(corners, [[0, 0], [w, 0], [w, h], [0, h]]);
  const pts = zone.map((p) => applyHomography(toDoc, p));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const cx = xs.reduce((s, v) => s + v, 0) / xs.length;
  const cy = ys.reduce((s, v) => s + v, 0) / ys.length;
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  // As in quarterTurnsOf: the document's long side is the MRZ's, and the zone spans most of it; and, the
  // zone being only a band along one long edge (ICAO 9303), a taller one or one across the middle is
  // something else (a cloth's rows taken for lines of text): then the cut document is looked at.
  const band = (centre: number, thickness: number, size: number): boolean =>
    thickness < 0.4 * size && ((centre > 0 && centre < 0.35 * size) || (centre > 0.65 * size && centre < size));
  if (cx < 0 || cy < 0 || cx > w || cy > h) return null;
  if (w >= h) return spanX < w * 0.7 || !band(cy, spanY, h) ? null : cy > h / 2 ? 0 : 2;
  return spanY < h * 0.7 || !band(cx, spanX, w) ? null : cx > w / 2 ? 1 : 3;
}

/** A one-channel raster turned a quarter clockwise (a cheap transpose, not a second warp). */
function turnQuarter(img: GrayImage): GrayImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + (h - 1 - y)] = data[y * w + x]!;
  return { width: h, height: w, data: out };
}

/**
 * Quarter turns (0-3, clockwise) that put the document's MRZ at the bottom, read left to right.
 * Every document with an MRZ is landscape (ICAO 9303: TD1, TD2, TD3 and visas), so only the two
 * landscape turns are looked at: the MRZ at the bottom of one means the other is upside down.
 * 0 when no MRZ is found (an address proof, say): the corners' own order is kept.
 */
function quarterTurnsOf(upright: GrayImage): number {
  const k = upright.width >= upright.height ? 0 : 1;
  const doc = k === 0 ? upright : turnQuarter(upright);
  const region = locateMrz(doc, { maxSkewDeg: 8 });
  if (region === null) return 0;
  const [tl, tr] = region.corners as [readonly [number, number], readonly [number, number]];
  // An MRZ runs across nearly the whole document (ICAO 9303: 89% of its width, with margins).
  if (Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) < doc.width * 0.7) return 0;
  const cy = region.corners.reduce((s, c) => s + c[1], 0) / region.corners.length;
  return cy > doc.height / 2 ? k : k + 2;
}

export function guessQuarterTurns(photo: GrayImage, corners: Quad): number {
  return quarterTurnsOf(grayOfRaster(correctDocument({ ...photo, channels: 1 }, corners, 0, QUALITY_WORK_SIZE)));
}

/**
 * Where the MRZ is looked for on an upright document: below this fraction of its height. ICAO 9303
 * puts the zone in the bottom 23.2 mm: 43% of an ID-1 card, 26% of a passport page. Looking only
 * there keeps the guilloche and the printed fields above out of the locator's way (on a straightened
 * card they span the whole picture and can look more like long lines of text than the MRZ does).
 */
const MRZ_FROM = 0.45;

/**
 * The MRZ of an upright, corrected document: read in its bottom part first, and in the whole
 * document if nothing is read there (turned by hand, or a document with the MRZ elsewhere).
 * Region corners come back in the document's pixels. Past `deadline` (performance.now() time) the whole
 * document is not tried.
 */
export async function scanDocumentMrz(doc: GrayImage, engine: OcrEngine, deadline = Infinity): Promise<MrzScan> {
  const top = Math.floor(doc.height * MRZ_FROM);
  const part: GrayImage = { width: doc.width, height: doc.height - top, data: doc.data.subarray(top * doc.width) };
  const scan = await scanMrz(part, engine, undefined, deadline);
  if (scan.reading === null && performance.now() <= deadline) return scanMrz(doc, engine, undefined, deadline);
  return { ...scan, region: scan.region === null ? null : movedDown(scan.region, top) };
}

/** A zone found in a part of the image `dy` rows below its top, in the image's pixels: the other places it saw too. */
function movedDown(region: MrzRegion, dy: number): MrzRegion {
  const corners = region.corners.map(([x, y]) => [x, y + dy] as const);
  return region.others === undefined ? { ...region, corners } : { ...region, corners, others: region.others.map((o) => movedDown(o, dy)) };
}
