/**
 * The scanner off the UI thread: decodes the photo, finds the document's corners, makes the small
 * corrected previews while the person adjusts them, and finally the corrected document: quality
 * checks, JPEG, and the MRZ read from it. The steps themselves are in electron/common/scan/ (plain
 * TypeScript, the same code the tests and the bench run in Node).
 *
 * Tesseract (tesseract.js's worker, its WebAssembly core and the legacy-capable English data) comes
 * from npm, bundled by Vite as assets of the app's own origin: nothing is fetched from anywhere else,
 * and nothing is cached (cacheMethod 'none'). It starts loading when the first photo is opened (the
 * person is busy with the corners meanwhile), then stays warm.
 *
 * The screen may end this worker at any moment (Cancel, or a step over its time limit: scan-client.ts
 * terminates it, and Tesseract's own worker, started from here, ends with it); a fresh one takes over.
 * Chromium ends a terminated worker when its running task returns (a parent after its children), and
 * forces it only after 2 s (Blink's kForcibleTerminationDelay), so the long steps here yield between
 * their parts (`nextTask`): a Cancel lands when the part being computed is done, well under a second.
 * Tesseract's worker inside one long WebAssembly call (its start-up) gets that 2 s grace.
 */
/// <reference lib="webworker" />
import { createWorker, type Worker as TesseractWorker } from 'tesseract.js';
import tesseractWorkerUrl from 'tesseract.js/dist/worker.min.js?url';
import tesseractCoreUrl from 'tesseract.js-core/tesseract-core-simd.wasm.js?url';
import engDataUrl from '@tesseract.js-data/eng/4.0.0/eng.traineddata.gz?url';
import { correctDocument } from '@common/scan/correct';
import { toGray, type GrayImage } from '@common/scan/gray-image';
import { isConvexClockwise, shrink, type Quad, type Raster } from '@common/scan/homography';
import { MRZ_TESSERACT_INIT_CONFIG, MRZ_TESSERACT_OEM, MRZ_TESSERACT_PARAMETERS, nextTask, type OcrEngine } from '@common/scan/mrz-ocr';
import { toPassportValues } from '@common/scan/mrz-to-passport';
import { detectPage } from '@common/scan/page-detect';
import { assessQuality, type QualityReport } from '@common/scan/quality';
import { SCAN_LIMITS } from '@common/scan/limits';
import { findDocument, PHOTO_MAX_LONG_SIDE, readPhotoMrz, type FoundDocument } from '@common/scan/scan-photo';
import type { CorrectedScan, CorrectResult, OpenResult, PreviewResult, ScanRequest, ScanStage, WorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Quality of the JPEG handed to main, which re-encodes it at Telegram's 89: high, so that little is lost twice. */
const HANDOFF_JPEG_QUALITY = 0.95;

interface Photo {
  /** The photo's own size, before it was scaled down for decoding. */
  readonly original: { readonly width: number; readonly height: number };
  readonly rgba: Raster;
  readonly gray: GrayImage;
  /** A copy about 1200 px across for the previews (a shrink of the whole photo per drag would be slow). */
  readonly small: Raster;
  readonly smallScale: number;
}

let photo: Photo | null = null;
/** The quality checks of the corners as found, reused when the person accepts them unchanged. */
let inspected: { readonly corners: Quad; readonly quality: QualityReport } | null = null;
let tesseract: Promise<TesseractWorker> | null = null;

function absolute(url: string): string {
  return new URL(url, self.location.href).href;
}

async function loadTesseract(): Promise<TesseractWorker> {
  // tesseract.js 7 cannot take the data as bytes (its init joins Lang objects by their data, not their
  // code), so it fetches `${langPath}/eng.traineddata.gz`; the build keeps that file name (electron.vite.config.ts).
  const langPath = absolute(engDataUrl).replace(/\/eng\.traineddata\.gz$/, '');
  if (!/^(app|https?):/.test(langPath) || langPath.endsWith('.gz')) throw new Error(`unexpected Tesseract data location ${engDataUrl}`);
  const worker = await createWorker('eng', MRZ_TESSERACT_OEM, {
    workerPath: absolute(tesseractWorkerUrl),
    corePath: absolute(tesseractCoreUrl),
    langPath,
    workerBlobURL: false,
    cacheMethod: 'none',
    gzip: true,
    legacyCore: true,
    legacyLang: true,
  }, MRZ_TESSERACT_INIT_CONFIG);
  await worker.setParameters(MRZ_TESSERACT_PARAMETERS);
  return worker;
}

function warmTesseract(): Promise<TesseractWorker> {
  tesseract ??= loadTesseract().catch((e: unknown) => {
    tesseract = null; // the next scan tries again
    throw e;
  });
  return tesseract;
}

async function decode(file: Blob): Promise<Photo> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, PHOTO_MAX_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) throw new Error('no 2D canvas in this worker');
  ctx.drawImage(bitmap, 0, 0, width, height);
  const original = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  const rgba: Raster = { width, height, data, channels: 4 };
  await nextTask();
  const gray = toGray(data, width, height, 4);
  await nextTask();
  const factor = Math.max(1, Math.floor(Math.max(width, height) / 1200));
  return { original, rgba, gray, small: shrink(rgba, factor), smallScale: factor };
}

function checkedQuad(q: Quad, p: Photo): Quad {
  const inside = q.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && x >= -1 && y >= -1 && x <= p.rgba.width + 1 && y <= p.rgba.height + 1);
  if (!inside || !isConvexClockwise(q)) throw new Error('the corners do not outline a document');
  return q;
}

async function encodeJpeg(r: Raster): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(r.width, r.height);
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas in this worker');
  ctx.putImageData(new ImageData(new Uint8ClampedArray(r.data.buffer as ArrayBuffer, r.data.byteOffset, r.data.byteLength), r.width, r.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: HANDOFF_JPEG_QUALITY });
  return new Uint8Array(await blob.arrayBuffer());
}

async function open(request: Extract<ScanRequest, { type: 'open' }>, progress: (s: ScanStage) => void): Promise<OpenResult> {
  photo = null;
  inspected = null;
  progress('decoding');
  const t0 = performance.now();
  const p = await decode(request.file);
  photo = p;
  if (request.warmOcr) void warmTesseract().catch(() => undefined);
  const t1 = performance.now();
  let found: FoundDocument | null = null;
  if (request.detect) {
    progress('finding');
    await nextTask();
    // The same search as `passport-vault scan` (scan-photo.ts): the zone first, then the outline that holds it.
    found = (await findDocument(p.gray)).found;
    if (found !== null) inspected = { corners: found.corners, quality: found.quality };
  }
  const quarterTurns = found?.quarterTurns ?? 0;
  return { width: p.rgba.width, height: p.rgba.height, original: p.original, corners: found?.corners ?? null, quarterTurns, ms: { decode: t1 - t0, detect: performance.now() - t1 } };
}

/** Where the document is in a camera frame; the frame is small, so this takes a few tens of ms. */
function detectFrame(frame: ImageBitmap): Quad | null {
  const canvas = new OffscreenCanvas(frame.width, frame.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) throw new Error('no 2D canvas in this worker');
  ctx.drawImage(frame, 0, 0);
  frame.close();
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return detectPage(toGray(data, canvas.width, canvas.height, 4))?.corners ?? null;
}

async function preview(corners: Quad, quarterTurns: number, maxSide: number): Promise<PreviewResult> {
  if (photo === null) throw new Error('no photo is open');
  const q = checkedQuad(corners, photo);
  const f = photo.smallScale;
  const small = q.map(([x, y]) => [x / f, y / f] as const) as unknown as Quad;
  const r = correctDocument(photo.small, small, quarterTurns, maxSide);
  const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(r.data.buffer as ArrayBuffer, r.data.byteOffset, r.data.byteLength), r.width, r.height));
  return { bitmap, width: r.width, height: r.height };
}

async function correct(request: Extract<ScanRequest, { type: 'correct' }>, progress: (s: ScanStage) => void): Promise<CorrectResult> {
  if (photo === null) throw new Error('no photo is open');
  const q = checkedQuad(request.corners, photo);
  progress('checking');
  const same = inspected !== null && inspected.corners.every((c, i) => c[0] === q[i]![0] && c[1] === q[i]![1]);
  const quality = same && inspected !== null ? inspected.quality : assessQuality(photo.gray, q);
  if (quality.issues.length > 0 && !request.acceptIssues) return { quality, scan: null };
  progress('locating');
  await nextTask();
  let ocrStage: ScanStage = 'loading-ocr';
  const engine: OcrEngine = {
    async recognize(pgm) {
      progress('loading-ocr');
      const worker = await warmTesseract();
      progress((ocrStage = 'reading'));
      // The bytes as they are: tesseract.js's browser loader copies a typed array with no I/O (a Blob
      // would go through a FileReader, and reach its thread only after this one is free again).
      return (await worker.recognize(pgm)).data.text;
    },
  };
  // The MRZ is read by the same pipeline as `passport-vault scan` (scan-photo.ts): it cuts a gray copy of
  // the document, hands Tesseract its work (it runs in its own worker) and matches templates; the colour
  // cut and its JPEG are made here meanwhile, instead of before.
  const reading = readPhotoMrz(photo.gray, q, request.quarterTurns, engine);
  reading.catch(() => undefined);
  // Let the reader hand Tesseract its work (and match templates) before the colour cut takes this thread.
  await nextTask();
  progress('correcting');
  const t1 = performance.now();
  const doc = correctDocument(photo.rgba, q, request.quarterTurns, SCAN_LIMITS.maxLongSide);
  const t2 = performance.now();
  const jpeg = await encodeJpeg(doc);
  const t3 = performance.now();
  progress(ocrStage);
  const { scan, regionIn } = await reading;
  return {
    quality,
    scan: {
      jpeg,
      width: doc.width,
      height: doc.height,
      mrz: {
        // The outline is drawn on the straightened document: a zone found in the whole photo instead has none there.
        corners: regionIn === 'document' ? (scan.region?.corners ?? null) : null,
        reading: scan.reading,
        reader: scan.reader,
        values: scan.reading === null ? null : toPassportValues(scan.reading, new Date(request.today)),
        ms: scan.ms,
      },
      ms: { correct: t2 - t1, encode: t3 - t2 },
    },
  };
}

/** The corrected document alone (no quality checks, no MRZ): for going on without the code lines. */
async function straighten(request: Extract<ScanRequest, { type: 'straighten' }>, progress: (s: ScanStage) => void): Promise<CorrectedScan> {
  if (photo === null) throw new Error('no photo is open');
  const q = checkedQuad(request.corners, photo);
  progress('correcting');
  await nextTask();
  const t0 = performance.now();
  const doc = correctDocument(photo.rgba, q, request.quarterTurns, SCAN_LIMITS.maxLongSide);
  const t1 = performance.now();
  const jpeg = await encodeJpeg(doc);
  return { jpeg, width: doc.width, height: doc.height, mrz: null, ms: { correct: t1 - t0, encode: performance.now() - t1 } };
}

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

async function handle(request: ScanRequest): Promise<void> {
  const { id } = request;
  const progress = (stage: ScanStage): void => post({ id, type: 'progress', stage });
  try {
    if (request.type === 'open') post({ id, type: 'result', result: await open(request, progress) });
    else if (request.type === 'detect-frame') post({ id, type: 'result', result: detectFrame(request.frame) });
    else if (request.type === 'preview') {
      const result = await preview(request.corners, request.quarterTurns, request.maxSide);
      post({ id, type: 'result', result }, [result.bitmap]);
    } else if (request.type === 'straighten') {
      const result = await straighten(request, progress);
      post({ id, type: 'result', result }, [result.jpeg.buffer]);
    } else {
      const result = await correct(request, progress);
      post({ id, type: 'result', result }, result.scan === null ? [] : [result.scan.jpeg.buffer]);
    }
  } catch (e) {
    post({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

// One request at a time, in order: a fresh worker gets the photo re-opened first and the next request
// right behind it (scan-client.ts), which must not start before the photo is there.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<ScanRequest>) => {
  queue = queue.then(() => handle(event.data));
};
