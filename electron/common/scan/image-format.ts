/**
 * Which image container some bytes are, by their magic numbers, before any decoder sees them (main,
 * before libvips; the renderer, to say why a chosen file cannot be used).
 * libvips would happily open SVG (which can reference other files), TIFF, PDF or raw formats; a scan
 * from the renderer must be one of the few photo formats, so we decide on the first bytes ourselves.
 */
export type ScanInputFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'heic';

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** HEIF family brands (ISO/IEC 23008-12): AVIF is AV1 inside HEIF, HEIC is HEVC inside HEIF. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

export function sniffImageFormat(bytes: Uint8Array): ScanInputFormat | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const major = ascii(bytes, 8, 4);
    if (AVIF_BRANDS.has(major)) return 'avif';
    // mif1/msf1 are generic HEIF brands: the compatible brands say whether it is AV1 or HEVC.
    const boxSize = Math.min(bytes.length, ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0));
    const compatible: string[] = [];
    for (let i = 16; i + 4 <= boxSize; i += 4) compatible.push(ascii(bytes, i, 4));
    if (compatible.some((b) => AVIF_BRANDS.has(b))) return 'avif';
    if (HEIC_BRANDS.has(major) || compatible.some((b) => HEIC_BRANDS.has(b))) return 'heic';
  }
  return null;
}
