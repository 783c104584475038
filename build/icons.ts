/**
 * App icons for every platform, generated from the one source `resources/icon.svg`:
 * build/icons/<size>x<size>.png (Linux), build/icon.ico (Windows), build/icon.icns (macOS).
 * ICO and ICNS are written by hand because both are thin containers around PNGs; the bytes depend only
 * on the SVG and sharp's version, so regeneration is reproducible and a test checks they are current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export const ICON_SOURCE = 'resources/icon.svg';
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS types that hold PNG data, by pixel size (Apple's icns format). */
const ICNS_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
];

export async function renderPng(svg: Buffer, size: number): Promise<Buffer> {
  return sharp(svg, { density: Math.max(72, Math.ceil((72 * size) / 512)) })
    .resize(size, size)
    .png({ compressionLevel: 9, adaptiveFiltering: false })
    .toBuffer();
}

/** ICO: a 6-byte header, 16-byte directory entries, then the PNG images (Vista+ PNG-in-ICO). */
export function buildIco(images: ReadonlyArray<readonly [number, Buffer]>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const dir = Buffer.alloc(16 * images.length);
  let offset = header.length + dir.length;
  images.forEach(([size, png], i) => {
    const e = i * 16;
    dir.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    dir.writeUInt8(size >= 256 ? 0 : size, e + 1);
    dir.writeUInt16LE(1, e + 4); // colour planes
    dir.writeUInt16LE(32, e + 6); // bits per pixel
    dir.writeUInt32LE(png.length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, dir, ...images.map(([, png]) => png)]);
}

/** ICNS: 'icns' + total length, then (type, length incl. 8-byte header, PNG) blocks, big-endian. */
export function buildIcns(blocks: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const parts = blocks.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Every generated file, relative to the repo root, with its bytes. */
export async function generateIcons(root: string): Promise<Map<string, Buffer>> {
  const svg = readFileSync(join(root, ICON_SOURCE));
  const pngs = new Map<number, Buffer>();
  for (const size of PNG_SIZES) pngs.set(size, await renderPng(svg, size));
  const png = (size: number): Buffer => {
    const b = pngs.get(size);
    if (b === undefined) throw new Error(`no ${size}px render`);
    return b;
  };
  const out = new Map<string, Buffer>();
  for (const size of PNG_SIZES) out.set(`build/icons/${size}x${size}.png`, png(size));
  out.set('build/icon.ico', buildIco(ICO_SIZES.map((s) => [s, png(s)] as const)));
  out.set('build/icon.icns', buildIcns(ICNS_TYPES.map(([type, s]) => [type, png(s)] as const)));
  return out;
}
