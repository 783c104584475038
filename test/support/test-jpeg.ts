/**
 * JPEGs the tests make themselves, deterministic per seed (xorshift32), so no two test images are alike
 * and none compresses away. One generator for the unit, integration and e2e tests.
 */
import sharp from 'sharp';

export interface TestJpegOptions {
  /** 'noise': every byte random (incompressible: large ones span several upload parts).
   *  'photo': a horizontal gradient with 6-bit noise over it, which looks like a picture in screenshots. */
  readonly look: 'noise' | 'photo';
  readonly quality: number;
}

export async function testJpeg(seed: number, width: number, height: number, { look, quality }: TestJpegOptions): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < raw.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    raw[i] = look === 'noise' ? x & 0xff : ((i / 3) % width) / 4 + (x & 0x3f);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}
