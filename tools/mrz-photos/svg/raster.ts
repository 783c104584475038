/** Rasterises SVG through sharp (librsvg): a document at its print resolution, its background coarser. */
import sharp from 'sharp';
import type { DocumentSvg } from './document-svg';

export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export async function rasterSvg(svg: string, widthPx: number, heightPx: number): Promise<Raster> {
  const sized = svg.replace('@W', String(widthPx)).replace('@H', String(heightPx));
  const { data, info } = await sharp(Buffer.from(sized)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The document at `px` pixels per mm (RGBA; transparent outside the page and its rim). */
export async function rasterDocument(doc: DocumentSvg, px: number): Promise<Raster> {
  const [pw, ph] = doc.canvasMm;
  const pageW = pw - 2 * doc.pageOffsetMm[0];
  const pageH = ph - 2 * doc.pageOffsetMm[1];
  const bgPx = Math.min(px, 8);
  const bgSvg = doc.backgroundSvg.replace('@W', String(Math.round(pageW * bgPx))).replace('@H', String(Math.round(pageH * bgPx)));
  const bgPng = await sharp(Buffer.from(bgSvg)).png({ compressionLevel: 1 }).toBuffer();
  const svg = doc.svg.replaceAll('@BG', `data:image/png;base64,${bgPng.toString('base64')}`);
  return rasterSvg(svg, Math.round(pw * px), Math.round(ph * px));
}
