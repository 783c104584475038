/**
 * The MRZ's Tesseract in Node (the `scan` command, the tests, the bench): tesseract.js on a
 * worker_thread, its WebAssembly core (tesseract.js-core) and the legacy-capable English data
 * (@tesseract.js-data/eng, "4.0.0" = legacy + LSTM), all from the installed packages. Nothing is fetched:
 * langPath is a local folder and cacheMethod 'none' writes no cache. The app's worker does the same with
 * the browser build (renderer/src/scanning/scan-worker.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MRZ_TESSERACT_INIT_CONFIG, MRZ_TESSERACT_OEM, MRZ_TESSERACT_PARAMETERS, type OcrEngine } from '../../common/scan/mrz-ocr';

export interface NodeOcr extends OcrEngine {
  terminate(): Promise<void>;
}

/** The folder holding eng.traineddata.gz, found the way Node finds the package (beside this build or the repo). */
export function tesseractDataPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

export async function createNodeOcr(): Promise<NodeOcr> {
  // Loaded here, not at the top: the CLI's other commands must not load tesseract.js (lazy-load.test.ts).
  const { createWorker } = await import('tesseract.js');
  const worker = await createWorker('eng', MRZ_TESSERACT_OEM, { langPath: tesseractDataPath(), cacheMethod: 'none', gzip: true }, MRZ_TESSERACT_INIT_CONFIG);
  await worker.setParameters(MRZ_TESSERACT_PARAMETERS);
  return {
    async recognize(pgm) {
      const r = await worker.recognize(Buffer.from(pgm.buffer, pgm.byteOffset, pgm.byteLength));
      return r.data.text;
    },
    async terminate() {
      await worker.terminate();
    },
  };
}
