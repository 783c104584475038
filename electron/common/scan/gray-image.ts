/**
 * An 8-bit grayscale raster and the few operations the MRZ reader needs, in plain TypeScript so the
 * same code runs in the renderer's worker and in Node (tests, bench). No canvas, no `node:`.
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, one byte per pixel, 0 = black. */
  readonly data: Uint8Array;
  /** The photo's colour at the page detector's working size, when it was decoded from colour (see `toGray`). */
  readonly chroma?: Chroma;
}

/**
 * A photo's colour, coarse: two opponent channels, red minus green and yellow minus blue, each the mean over
 * `factor` × `factor` blocks (the page detector's working copy, `downscale(img, factor)`, has the same size). A
 * card about as bright as the table it lies on differs from it in colour: its outline is seen in these.
 */
export interface Chroma {
  readonly factor: number;
  readonly width: number;
  readonly height: number;
  readonly rg: Float32Array;
  readonly yb: Float32Array;
}

/** The page detector works on a copy about this many pixels across (page-detect.ts). */
export const PAGE_WORK_SIZE = 640;

/** The integer factor that brings a photo down to about PAGE_WORK_SIZE across. */
export function pageWorkFactor(width: number, height: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / PAGE_WORK_SIZE));
}

/**
 * RGBA (canvas ImageData, sharp with alpha) or RGB to gray with the Rec. 601 luma weights; from colour, the
 * coarse `chroma` too (the app's worker and the CLI both decode through here, so both see the same colour).
 */
export function toGray(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 1 | 3 | 4): GrayImage {
  if (channels === 1) return { width, height, data: new Uint8Array(pixels.buffer, pixels.byteOffset, width * height) };
  const data = new Uint8Array(width * height);
  // A byte view keeps the loop on one array type (ImageData gives clamped arrays, sharp plain ones).
  const px = new Uint8Array(pixels.buffer, pixels.byteOffset, width * height * channels);
  const factor = pageWorkFactor(width, height);
  const cw = Math.floor(width / factor);
  const ch = Math.floor(height / factor);
  const rg = new Float32Array(cw * ch);
  const yb = new Float32Array(cw * ch);
  // Block by block along each row: the colour sums need no division or bounds test per pixel. Every other row of
  // a block is enough for a mean at the working size, and halves what the colour adds to decoding.
  const sampledRows = Math.ceil(factor / 2);
  for (let y = 0, i = 0, p = 0; y < height; y++) {
    const row = (y / factor) | 0;
    let x = 0;
    if (row < ch && (y - row * factor) % 2 === 0) {
      for (let col = 0, k = row * cw; col < cw; col++, k++) {
        let srg = 0;
        let syb = 0;
        for (let end = x + factor; x < end; x++, i++, p += channels) {
          const r = px[p]!, g = px[p + 1]!, b = px[p + 2]!;
          data[i] = (77 * r + 150 * g + 29 * b) >> 8;
          srg += r - g;
          syb += r + g - 2 * b;
        }
        rg[k]! += srg;
        yb[k]! += syb;
      }
    }
    for (; x < width; x++, i++, p += channels) data[i] = (77 * px[p]! + 150 * px[p + 1]! + 29 * px[p + 2]!) >> 8;
  }
  const area = sampledRows * factor;
  for (let k = 0; k < rg.length; k++) {
    rg[k]! /= area;
    yb[k]! /= 2 * area; // (r + g) / 2 - b
  }
  return { width, height, data, chroma: { factor, width: cw, height: ch, rg, yb } };
}

/** Box-filter downscale by an integer factor (area average: no aliasing of thin strokes). */
export function downscale(img: GrayImage, factor: number): GrayImage {
  const f = Math.max(1, Math.floor(factor));
  if (f === 1) return img;
  const width = Math.floor(img.width / f);
  const height = Math.floor(img.height / f);
  const data = new Uint8Array(width * height);
  const area = f * f;
  const src = img.data;
  // Row by row into column sums: one pass over the source, in memory order (a 24 MP photo is 24 MB).
  const sums = new Uint32Array(width);
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy++) {
      let p = (y * f + dy) * img.width;
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let dx = 0; dx < f; dx++) s += src[p++]!;
        sums[x]! += s;
      }
    }
    for (let x = 0; x < width; x++) data[y * width + x] = Math.round(sums[x]! / area);
  }
  return { width, height, data };
}

/** Bilinear sample; outside the image reads as white (paper), so a crop near an edge adds no ink. */
export function sample(img: GrayImage, x: number, y: number): number {
  if (x < 0 || y < 0 || x > img.width - 1 || y > img.height - 1) return 255;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const d = img.data;
  const top = (d[y0 * img.width + x0] ?? 255) * (1 - fx) + (d[y0 * img.width + x1] ?? 255) * fx;
  const bottom = (d[y1 * img.width + x0] ?? 255) * (1 - fx) + (d[y1 * img.width + x1] ?? 255) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Binary PGM (P5): the simplest format Tesseract's image library reads, written without a codec. */
export function encodePgm(img: GrayImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.data.length);
  out.set(header, 0);
  out.set(img.data, header.length);
  return out;
}
