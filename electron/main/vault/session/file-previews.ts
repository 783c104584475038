/**
 * Decrypted scans on their way to the screen: a small JPEG preview for lists and editors, or the
 * full image. Previews are made in main with sharp (the renderer never decodes a whole 2048 px scan
 * just to show a thumbnail) and kept in memory only, dropped when the vault locks.
 */
import sharp from 'sharp';
import { AppError } from '../../../common/errors';

/** Longest side of a preview, in pixels (sharp enough for a 2× screen at 160 px). */
export const PREVIEW_SIZE = 320;
/** Enough for a screen of documents; the oldest go first. */
const MAX_PREVIEWS = 128;

export interface ShownImage {
  bytes: Buffer;
  width: number;
  height: number;
}

export class FilePreviews {
  private readonly cache = new Map<string, ShownImage>();

  /** `read` decrypts the file; called only when the preview is not cached. */
  async get(fileHash: string, size: 'thumb' | 'full', read: () => Promise<Buffer>): Promise<ShownImage> {
    const key = `${size}:${fileHash}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return { ...hit, bytes: Buffer.from(hit.bytes) };
    const plain = await read();
    let shown: ShownImage;
    try {
      const img = sharp(plain, { failOn: 'error', limitInputPixels: 50_000_000 });
      if (size === 'full') {
        const meta = await img.metadata();
        shown = { bytes: Buffer.from(plain), width: meta.width ?? 0, height: meta.height ?? 0 };
      } else {
        const { data, info } = await img.rotate().resize(PREVIEW_SIZE, PREVIEW_SIZE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer({ resolveWithObject: true });
        shown = { bytes: data, width: info.width, height: info.height };
      }
    } catch {
      throw new AppError('SCAN_NOT_AN_IMAGE', 'This scan is not an image this app can show.');
    } finally {
      plain.fill(0);
    }
    if (size === 'thumb') {
      this.cache.set(key, shown);
      while (this.cache.size > MAX_PREVIEWS) this.drop(this.cache.keys().next().value as string);
    }
    return { ...shown, bytes: Buffer.from(shown.bytes) };
  }

  private drop(key: string): void {
    this.cache.get(key)?.bytes.fill(0);
    this.cache.delete(key);
  }

  clear(): void {
    for (const key of [...this.cache.keys()]) this.drop(key);
  }
}
