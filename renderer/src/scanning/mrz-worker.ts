/**
 * The MRZ reader off the UI thread: decodes the picture, then runs the same pipeline the tests and the
 * bench run in Node (electron/common/scan/mrz-ocr.ts): locate, OCR-B template matcher, Tesseract.
 *
 * Tesseract (tesseract.js's worker, its WebAssembly core and the legacy-capable English data) comes
 * from npm, bundled by Vite as assets of the app's own origin: nothing is fetched from anywhere else,
 * and nothing is cached (cacheMethod 'none'). It is loaded on the first scan, then kept warm.
 */
/// <reference lib="webworker" />
import { createWorker, type Worker as TesseractWorker } from 'tesseract.js';
import tesseractWorkerUrl from 'tesseract.js/dist/worker.min.js?url';
import tesseractCoreUrl from 'tesseract.js-core/tesseract-core-simd.wasm.js?url';
import engDataUrl from '@tesseract.js-data/eng/4.0.0/eng.traineddata.gz?url';
import { toGray, type GrayImage } from '@common/scan/gray-image';
import { MRZ_TESSERACT_INIT_CONFIG, MRZ_TESSERACT_OEM, MRZ_TESSERACT_PARAMETERS, scanMrz, type OcrEngine } from '@common/scan/mrz-ocr';
import { toPassportValues } from '@common/scan/mrz-to-passport';
import type { ScanRequest, ScanStage, WorkerMessage } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/** Larger photos are scaled down before reading: a 24 MP photo has far more pixels than the MRZ needs. */
const MAX_LONG_SIDE = 3200;

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

async function decode(file: Blob): Promise<GrayImage> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx === null) throw new Error('no 2D canvas in this worker');
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  return toGray(data, width, height, 4);
}

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<ScanRequest>) => {
  const { id, file, today } = event.data;
  const progress = (stage: ScanStage): void => post({ id, type: 'progress', stage });
  try {
    progress('decoding');
    const t0 = performance.now();
    const gray = await decode(file);
    const decodeMs = performance.now() - t0;
    progress('locating');
    if (tesseract === null) tesseract = loadTesseract();
    const engine: OcrEngine = {
      async recognize(pgm) {
        progress('loading-ocr');
        const worker = await tesseract!;
        progress('reading');
        return (await worker.recognize(new Blob([pgm as Uint8Array<ArrayBuffer>]))).data.text;
      },
    };
    const scan = await scanMrz(gray, engine);
    post({
      id,
      type: 'result',
      result: {
        width: gray.width,
        height: gray.height,
        corners: scan.region?.corners ?? null,
        reading: scan.reading,
        reader: scan.reader,
        values: scan.reading === null ? null : toPassportValues(scan.reading, new Date(today)),
        ms: { decode: decodeMs, ...scan.ms },
      },
    });
  } catch (e) {
    if (e instanceof Error && /tesseract|traineddata|core/i.test(e.message)) tesseract = null;
    post({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
