/**
 * TEST/BENCH ONLY — the MRZ OCR engine in Node: tesseract.js with its core (tesseract.js-core) and the
 * legacy-capable English data (@tesseract.js-data/eng, "4.0.0" = legacy + LSTM) from node_modules.
 * Nothing is fetched: langPath is a local folder and cacheMethod 'none' writes no cache.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { createWorker } from 'tesseract.js';
import { toGray, type GrayImage } from '../../../electron/common/scan/gray-image';
import { MRZ_TESSERACT_INIT_CONFIG, MRZ_TESSERACT_OEM, MRZ_TESSERACT_PARAMETERS, type OcrEngine } from '../../../electron/common/scan/mrz-ocr';
import { REPO_ROOT } from '../paths';

export interface NodeOcr extends OcrEngine {
  terminate(): Promise<void>;
}

export async function createNodeOcr(): Promise<NodeOcr> {
  const worker = await createWorker('eng', MRZ_TESSERACT_OEM, {
    langPath: join(REPO_ROOT, 'node_modules/@tesseract.js-data/eng/4.0.0'),
    cacheMethod: 'none',
    gzip: true,
  }, MRZ_TESSERACT_INIT_CONFIG);
  await worker.setParameters(MRZ_TESSERACT_PARAMETERS);
  return {
    async recognize(pgm) {
      const r = await worker.recognize(Buffer.from(pgm));
      return r.data.text;
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

export async function grayOf(image: Buffer | Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
  return toGray(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 1);
}
