/**
 * TEST/BENCH ONLY — the MRZ OCR engine in Node is the production one (electron/main/scans/node-ocr.ts,
 * what `passport-vault scan` uses); `grayOf` decodes a fixture's JPEG to gray.
 */
import sharp from 'sharp';
import { toGray, type GrayImage } from '../../../electron/common/scan/gray-image';

export { createNodeOcr, type NodeOcr } from '../../../electron/main/scans/node-ocr';

/** A fixture's JPEG decoded in colour, as the CLI and the app decode a photo: gray plus its coarse colour (`chroma`). */
export async function colourPhotoOf(image: Buffer | Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return toGray(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 3);
}

export async function grayOf(image: Buffer | Uint8Array): Promise<GrayImage> {
  const { data, info } = await sharp(image).grayscale().raw().toBuffer({ resolveWithObject: true });
  return toGray(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, 1);
}
