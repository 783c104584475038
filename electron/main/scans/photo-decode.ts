/**
 * A photo file's bytes to the gray pixels the scan pipeline reads (electron/common/scan/scan-photo.ts),
 * in Node, the way the app's scan worker gets them in Chromium:
 *
 * - JPEG, PNG, WebP, AVIF: decoded by sharp with the EXIF orientation applied (createImageBitmap does
 *   the same in the worker), transparency on white, longest side at most PHOTO_MAX_LONG_SIDE, then to
 *   gray with the app's own weights (gray-image.ts `toGray`). HEIC is refused as the app refuses it.
 * - PDF: its first page drawn by pdf.js at the app's size (pdf-input.ts `pageScale`, white page), the
 *   same library and settings as renderer/src/scanning/pdf-page.ts, here on @napi-rs/canvas
 *   (pdf-page-node.ts, loaded only for a PDF).
 *
 * Bytes are sniffed first: libvips never sees anything but the photo formats. Decode bombs: pixels
 * over SCAN_LIMITS.maxInputPixels are refused from the header, and libvips is capped as well.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../../common/errors';
import { toGray, type GrayImage } from '../../common/scan/gray-image';
import { sniffImageFormat, type ScanInputFormat } from '../../common/scan/image-format';
import { SCAN_LIMITS } from '../../common/scan/limits';
import { MAX_PDF_BYTES } from '../../common/scan/pdf-input';
import { PHOTO_MAX_LONG_SIDE } from '../../common/scan/scan-photo';

export interface DecodedPhoto {
  readonly gray: GrayImage;
  /** Decoded pixels per pixel of the picture as stored (after EXIF orientation): ≤ 1. */
  readonly scale: number;
  readonly format: Exclude<ScanInputFormat, 'heic'> | 'pdf';
  /** A PDF's page count (its first page is the photo). */
  readonly pageCount?: number;
}

export const isPdf = (bytes: Uint8Array): boolean => bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === '%PDF-';

function notAPhoto(): AppError {
  return new AppError('SCAN_NOT_AN_IMAGE', 'This file is not a picture that can be read: use a JPEG, PNG, WebP or AVIF photo of the document, or a PDF.');
}

async function decodeImage(bytes: Uint8Array, format: Exclude<ScanInputFormat, 'heic'>): Promise<DecodedPhoto> {
  if (bytes.byteLength > SCAN_LIMITS.maxInputBytes) {
    throw new AppError('SCAN_TOO_LARGE', `The picture is larger than ${SCAN_LIMITS.maxInputBytes / 1024 / 1024} MB.`, { maxBytes: SCAN_LIMITS.maxInputBytes });
  }
  const input = { limitInputPixels: SCAN_LIMITS.maxInputPixels, failOn: 'error' as const };
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
  } catch {
    throw notAPhoto();
  }
  if (meta.width === undefined || meta.height === undefined || meta.width < 1 || meta.height < 1) throw notAPhoto();
  if (meta.format !== (format === 'avif' ? 'heif' : format)) throw notAPhoto();
  if (meta.width * meta.height > SCAN_LIMITS.maxInputPixels) {
    throw new AppError('SCAN_TOO_LARGE', `The picture has more than ${SCAN_LIMITS.maxInputPixels / 1e6} megapixels.`, { maxPixels: SCAN_LIMITS.maxInputPixels });
  }
  const transposed = meta.orientation !== undefined && meta.orientation >= 5 && meta.orientation <= 8;
  const storedWidth = transposed ? meta.height : meta.width;
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(bytes, input)
      .timeout({ seconds: 30 })
      .rotate()
      .resize({ width: PHOTO_MAX_LONG_SIDE, height: PHOTO_MAX_LONG_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw notAPhoto();
  }
  const { width, height, channels } = out.info;
  if (channels !== 3) throw notAPhoto();
  const gray = toGray(new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength), width, height, 3);
  return { gray, scale: width / storedWidth, format };
}

/** Sniffs the bytes and decodes them; coded errors for anything that is not a readable photo or PDF. */
export async function decodePhoto(bytes: Uint8Array): Promise<DecodedPhoto> {
  const format = sniffImageFormat(bytes);
  if (format === 'heic') {
    throw new AppError('SCAN_UNSUPPORTED_FORMAT', 'HEIC photos cannot be read here: export the photo as JPEG and scan that.');
  }
  if (format !== null) return decodeImage(bytes, format);
  if (!isPdf(bytes)) throw notAPhoto();
  if (bytes.byteLength > MAX_PDF_BYTES) {
    throw new AppError('SCAN_TOO_LARGE', `The PDF is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB.`, { maxBytes: MAX_PDF_BYTES });
  }
  const { renderPdfFirstPageRgba } = await import('./pdf-page-node');
  const page = await renderPdfFirstPageRgba(bytes);
  return { gray: toGray(page.rgba, page.width, page.height, 4), scale: 1, format: 'pdf', pageCount: page.pageCount };
}
