/**
 * The main process's last word on a document scan: whatever the renderer sends (it may be buggy or
 * compromised) is decoded here, checked, and re-encoded into exactly what Telegram expects.
 *
 * - Only JPEG, PNG, WebP and AVIF bytes are decoded (sniffed first: libvips must never see SVG etc.).
 * - Decode bombs: the byte count and the header's pixel count are checked before any pixel is decoded,
 *   and libvips itself is capped with `limitInputPixels` and a timeout.
 * - EXIF orientation is applied to the pixels, then ALL metadata is dropped (sharp writes none unless
 *   asked): no GPS, camera serial or thumbnail leaves the machine. Colours are converted to sRGB.
 * - Longest side ≤ 2048, JPEG quality 89, ≤ 10 MiB, aspect ≤ 20:1, shortest side ≥ 300 px on input.
 *
 * Electron-free: runs in plain Node (tests, CLI, the browser test rig's host).
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../../common/errors';
import { SCAN_LIMITS } from '../../common/scan/limits';
import { sniffImageFormat, type ScanInputFormat } from '../../common/scan/image-format';

export type ScanLimits = { readonly [K in keyof typeof SCAN_LIMITS]: number };

/**
 * The encoder settings of every scan JPEG main writes (bench/scan.ts times these same options).
 * - mozjpeg off: no trellis quantisation or progressive scans, plain baseline libjpeg-turbo.
 * - optimiseCoding off: sharp's default builds optimal Huffman tables, a second pass over all the
 *   coefficients. Measured here (bench/scan.ts): a 24 MP encode ≈ 360-1160 ms with it, ≈ 70-190 ms without (medians, loaded 2 cores);
 *   a 2048×1502 scan 62 → 14 ms. The cost is bytes, not pixels (it is lossless entropy coding): that
 *   scan grows 233 → 258 KB (+11%), the bench's 24 MP frames 12-31%; at ≤ 2048 px far under 10 MiB.
 * - 4:2:0 chroma, as phone cameras and Telegram's own clients write documents.
 */
export const SCAN_JPEG_OPTIONS = { mozjpeg: false, optimiseCoding: false, chromaSubsampling: '4:2:0' } as const;

export interface NormalizedScan {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly sourceFormat: ScanInputFormat;
  /** The picture's own size (EXIF orientation applied), before it was scaled down to fit. */
  readonly source: { readonly width: number; readonly height: number };
}

/** EXIF orientations 5-8 are transposed: width and height swap when they are applied. */
function orientedSize(width: number, height: number, orientation: number | undefined): { width: number; height: number } {
  return orientation !== undefined && orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height };
}

/**
 * The output size: longest side ≤ maxLongSide, never enlarged. Rounding could push an exactly 20:1
 * input just past 20:1 (6000×300 → 2048×102), so the short side is rounded up to stay within the ratio.
 */
export function targetSize(width: number, height: number, limits: Pick<ScanLimits, 'maxLongSide' | 'maxAspect'>): { width: number; height: number } {
  const scale = Math.min(1, limits.maxLongSide / Math.max(width, height));
  if (scale === 1) return { width, height };
  const long = Math.min(limits.maxLongSide, Math.round(Math.max(width, height) * scale));
  const short = Math.max(1, Math.round(Math.min(width, height) * scale), Math.ceil(long / limits.maxAspect));
  return width >= height ? { width: long, height: short } : { width: short, height: long };
}

function tooManyPixels(limits: ScanLimits): AppError {
  return new AppError('SCAN_TOO_LARGE', `The picture has more than ${Math.round(limits.maxInputPixels / 1e6)} megapixels.`, {
    maxPixels: limits.maxInputPixels,
  });
}

function notReadable(): AppError {
  return new AppError('SCAN_NOT_AN_IMAGE', 'This file could not be read as a picture. Use a JPEG, PNG or WebP photo of the document.');
}

export async function normalizeScan(bytes: Uint8Array, limits: ScanLimits = SCAN_LIMITS): Promise<NormalizedScan> {
  if (bytes.byteLength > limits.maxInputBytes) {
    throw new AppError('SCAN_TOO_LARGE', `The file is larger than ${Math.round(limits.maxInputBytes / 1024 / 1024)} MB.`, {
      maxBytes: limits.maxInputBytes,
    });
  }
  const format = sniffImageFormat(bytes);
  if (format === null) throw notReadable();
  if (format === 'heic') {
    throw new AppError('SCAN_UNSUPPORTED_FORMAT', 'HEIC photos cannot be opened here. Export the photo as JPEG (most phones can) and try again.');
  }

  // failOn 'error': a slightly damaged but decodable photo is accepted; a truncated one is not.
  const input = { limitInputPixels: limits.maxInputPixels, failOn: 'error' as const, sequentialRead: true };
  let meta: Metadata;
  try {
    // Reading the header decodes no pixels; the limit is left off here so that an oversized image is
    // reported as too large (below) rather than as unreadable.
    meta = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
  } catch {
    throw notReadable();
  }
  if (meta.width === undefined || meta.height === undefined || meta.width < 1 || meta.height < 1) throw notReadable();
  // The container must agree with the sniffed bytes (sharp reports AVIF as "heif").
  const expected = format === 'avif' ? 'heif' : format;
  if (meta.format !== expected) throw notReadable();
  if (meta.width * meta.height > limits.maxInputPixels) {
    throw tooManyPixels(limits);
  }

  const { width, height } = orientedSize(meta.width, meta.height, meta.orientation);
  const shortSide = Math.min(width, height);
  const longSide = Math.max(width, height);
  if (shortSide < limits.minShortSide) {
    throw new AppError('SCAN_TOO_SMALL', `The picture is too small to be legible (${width}×${height}); it needs at least ${limits.minShortSide} px on each side.`, {
      minShortSide: limits.minShortSide,
    });
  }
  if (longSide / shortSide > limits.maxAspect) {
    throw new AppError('SCAN_ASPECT', `The picture is too long and narrow (more than ${limits.maxAspect}:1). Crop it to the document.`, {
      maxAspect: limits.maxAspect,
    });
  }

  const target = targetSize(width, height, limits);
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(bytes, { ...input, sequentialRead: false })
      .timeout({ seconds: 30 })
      .rotate() // no argument: apply the EXIF orientation, then forget it
      .resize({ width: target.width, height: target.height, fit: 'fill' })
      .flatten({ background: '#ffffff' }) // transparent PNG/WebP: JPEG has no alpha, white reads like paper
      .toColourspace('srgb')
      .jpeg({ quality: limits.jpegQuality, ...SCAN_JPEG_OPTIONS })
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    // libvips' own pixel cap is the backstop for headers that understate what the data holds.
    if (e instanceof Error && /pixel limit/i.test(e.message)) throw tooManyPixels(limits);
    throw notReadable();
  }
  if (out.data.byteLength > limits.maxOutputBytes) {
    throw new AppError('SCAN_TOO_LARGE', 'The re-encoded picture is over 10 MB.', { maxBytes: limits.maxOutputBytes });
  }
  return { jpeg: new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength), width: out.info.width, height: out.info.height, sourceFormat: format, source: { width, height } };
}
