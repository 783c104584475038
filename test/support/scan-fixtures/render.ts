/**
 * TEST ONLY — draws a synthetic identity document (SVG rendered by sharp's librsvg, fonts found by
 * fontconfig: the MRZ in OCR-B from Debian's `fonts-ocr-b`) and photographs it: scaled, turned,
 * put on a table, blurred, darkened, noised and JPEG-compressed. The true corners come back with it.
 */
import sharp, { type Sharp } from 'sharp';
import type { Identity } from './mrz-compose';
import { rng } from './mrz-compose';

/** Pixels per millimetre of the flat document. */
const PX_PER_MM = 12;
/** ICAO 9303: TD3 is ID-3 (125 × 88 mm), TD1 is ID-1 (85.6 × 54 mm); the MRZ pitch is 10 chars/inch. */
const SIZES_MM = { TD1: [85.6, 54], TD3: [125, 88] } as const;
const PITCH_MM = 2.54;
const LINE_MM = 4.3;
export const MRZ_FONT_FAMILY = 'OCR B';

export interface DocumentImage {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function mrzSvg(lines: readonly string[], width: number, height: number, family: string): string {
  const pitch = PITCH_MM * PX_PER_MM;
  const lineH = LINE_MM * PX_PER_MM;
  const left = (width - pitch * (lines[0]?.length ?? 0)) / 2;
  const bottom = height - 4.5 * PX_PER_MM;
  const out: string[] = [];
  lines.forEach((line, li) => {
    const y = bottom - (lines.length - 1 - li) * lineH;
    // One <text> per character: the pitch is fixed by the standard, not by the font's advance.
    for (let i = 0; i < line.length; i++) {
      out.push(`<text x="${(left + i * pitch).toFixed(1)}" y="${y.toFixed(1)}" font-family="${family}" font-size="${(3.3 * PX_PER_MM).toFixed(1)}" fill="#111">${esc(line[i] ?? '')}</text>`);
    }
  });
  return out.join('');
}

/** The flat document as PNG. `mrzFamily` exists so a test can prove the OCR-B font is really used. */
export async function renderDocument(id: Identity, mrz: readonly string[], seed: number, mrzFamily = MRZ_FONT_FAMILY): Promise<DocumentImage> {
  const r = rng(seed ^ 0x5eed);
  const [wmm, hmm] = SIZES_MM[id.kind];
  const width = Math.round(wmm * PX_PER_MM);
  const height = Math.round(hmm * PX_PER_MM);
  const hue = Math.floor(r() * 360);
  const waves: string[] = [];
  for (let k = 0; k < 14; k++) {
    const y0 = (k / 14) * height * 0.7;
    const amp = 8 + r() * 20;
    let d = `M0 ${y0.toFixed(0)}`;
    for (let x = 0; x <= width; x += 40) d += ` L${x} ${(y0 + Math.sin(x / (60 + k * 7)) * amp).toFixed(1)}`;
    waves.push(`<path d="${d}" stroke="hsl(${hue},40%,75%)" stroke-width="1.5" fill="none"/>`);
  }
  const u = PX_PER_MM;
  const photoW = (id.kind === 'TD3' ? 32 : 18) * u;
  const photoH = photoW * 1.3;
  const photoTop = (id.kind === 'TD3' ? 12 : 11) * u;
  const band = id.kind === 'TD3' ? 0.72 : 0.66;
  const fx = photoW + 12 * u;
  const title = id.kind === 'TD3' ? 'PASSPORT / PASSEPORT' : 'IDENTITY CARD';
  const label = (y: number, name: string, value: string): string =>
    `<text x="${fx}" y="${y}" font-family="DejaVu Sans" font-size="${2 * u}" fill="#556">${name}</text>` +
    `<text x="${fx}" y="${y + 3.6 * u}" font-family="DejaVu Sans" font-size="${3 * u}" font-weight="bold" fill="#223">${esc(value)}</text>`;
  const fmt = (yymmdd: string): string => `${yymmdd.slice(4, 6)}.${yymmdd.slice(2, 4)}.${yymmdd.slice(0, 2)}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},45%,93%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},35%,86%)"/></linearGradient></defs>
  <rect width="${width}" height="${height}" fill="url(#g)"/>
  ${waves.join('')}
  <rect x="0" y="${height * band}" width="${width}" height="${height * 0.28}" fill="#fbfbf8"/>
  <text x="${6 * u}" y="${8 * u}" font-family="DejaVu Sans" font-size="${3.6 * u}" font-weight="bold" fill="hsl(${hue},50%,30%)">${title}</text>
  <clipPath id="p"><rect x="${6 * u}" y="${photoTop}" width="${photoW}" height="${photoH}"/></clipPath>
  <rect x="${6 * u}" y="${photoTop}" width="${photoW}" height="${photoH}" fill="#c9ccd2"/>
  <g clip-path="url(#p)"><circle cx="${6 * u + photoW / 2}" cy="${photoTop + photoH * 0.38}" r="${photoW * 0.22}" fill="#8e949e"/>
  <ellipse cx="${6 * u + photoW / 2}" cy="${photoTop + photoH}" rx="${photoW * 0.42}" ry="${photoH * 0.32}" fill="#8e949e"/></g>
  ${label(photoTop + 2 * u, 'Surname / Nom', id.lastName)}
  ${label(photoTop + 10 * u, 'Given names / Prénoms', id.firstNames)}
  ${label(photoTop + 18 * u, 'Date of birth', fmt(id.birth))}
  ${id.kind === 'TD3' ? label(38 * u, 'Date of expiry', fmt(id.expiry)) + label(46 * u, 'Document no.', id.documentNumber) : ''}
  ${mrzSvg(mrz, width, height, mrzFamily)}
</svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).png({ compressionLevel: 1 }).toBuffer();
  return { png, width, height };
}

export interface PhotoOptions {
  readonly photoWidth: number;
  readonly photoHeight: number;
  /** Width of the document in the photo as a fraction of the photo's width. */
  readonly docFraction: number;
  /** Clockwise, degrees. */
  readonly angle: number;
  readonly blurSigma: number;
  /** 1 = as drawn, < 1 darker. */
  readonly brightness: number;
  /** Standard deviation of added per-pixel noise (0-255 scale). */
  readonly noise: number;
  readonly jpegQuality: number;
  readonly seed: number;
  /**
   * Perspective: the document's top edge is shorter than its bottom by this fraction (a photo taken
   * from below the document's centre). 0 or absent: a flat, front-on photo.
   */
  readonly tilt?: number;
  /** A lamp's reflection: 0 or absent none, 1 a blown-out spot about a fifth of the document wide. */
  readonly glare?: number;
  /** What the document lies on: a dark table (default) or a light desk (less contrast). */
  readonly background?: 'table' | 'desk';
}

export type Point = readonly [number, number];

export interface Photo {
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
  /** Document corners in the photo: top-left, top-right, bottom-right, bottom-left (of the document). */
  readonly corners: readonly Point[];
}

export async function photograph(doc: DocumentImage, o: PhotoOptions): Promise<Photo> {
  const r = rng(o.seed);
  const w = Math.round(o.photoWidth * o.docFraction);
  const h = Math.round((doc.height / doc.width) * w);
  const scaled = await sharp(doc.png).resize(w, h).png().toBuffer();
  // sharp's rotate(angle) turns clockwise and grows the canvas to the rotated bounding box.
  const rotated = await sharp(scaled).rotate(o.angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer({ resolveWithObject: true });
  const rw = rotated.info.width;
  const rh = rotated.info.height;
  const left = Math.round((o.photoWidth - rw) / 2 + (r() - 0.5) * Math.max(0, o.photoWidth - rw) * 0.6);
  const top = Math.round((o.photoHeight - rh) / 2 + (r() - 0.5) * Math.max(0, o.photoHeight - rh) * 0.6);
  const t = (o.angle * Math.PI) / 180;
  const corners = ([[0, 0], [w, 0], [w, h], [0, h]] as const).map(([x, y]): Point => {
    const dx = x - w / 2;
    const dy = y - h / 2;
    // Clockwise on screen (y grows downwards).
    return [left + rw / 2 + dx * Math.cos(t) - dy * Math.sin(t), top + rh / 2 + dx * Math.sin(t) + dy * Math.cos(t)];
  });
  // A dull table top with a gentle light fall-off (or a light desk: less contrast with the paper).
  const [near, far] = o.background === 'desk' ? ['#d2cec6', '#a9a49b'] : ['#7a6a58', '#3b3026'];
  const table = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.photoWidth}" height="${o.photoHeight}"><defs><radialGradient id="l" cx="0.45" cy="0.4" r="0.8"><stop offset="0" stop-color="${near}"/><stop offset="1" stop-color="${far}"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#l)"/></svg>`,
  );
  let img: Sharp;
  let truth: readonly Point[] = corners;
  if ((o.tilt ?? 0) !== 0) {
    // The top edge pulled in at both ends: a keystone, drawn pixel by pixel below.
    const k = (o.tilt ?? 0) / 2;
    const [tl, tr, br, bl] = corners as [Point, Point, Point, Point];
    truth = [[tl[0] + (tr[0] - tl[0]) * k, tl[1] + (tr[1] - tl[1]) * k], [tr[0] + (tl[0] - tr[0]) * k, tr[1] + (tl[1] - tr[1]) * k], br, bl];
    const flat = await sharp(doc.png).resize(w, h).removeAlpha().raw().toBuffer();
    const back = await sharp(table).removeAlpha().raw().toBuffer();
    drawInQuad(back, o.photoWidth, o.photoHeight, flat, w, h, truth);
    img = sharp(back, { raw: { width: o.photoWidth, height: o.photoHeight, channels: 3 } });
  } else {
    img = sharp(table).composite([{ input: rotated.data, left, top }]);
  }
  if (o.blurSigma > 0.3) img = sharp(await img.png().toBuffer()).blur(o.blurSigma);
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const glare = glareField(o, truth, r);
  for (let i = 0; i < data.length; i++) {
    // Box-Muller would be nicer; the sum of three uniforms is close enough to gaussian for JPEG noise.
    const n = o.noise === 0 ? 0 : (r() + r() + r() - 1.5) * 2 * o.noise;
    const g = glare === null ? 0 : glare(Math.floor(i / 3) % info.width, Math.floor(i / 3 / info.width));
    data[i] = Math.max(0, Math.min(255, Math.round((data[i] ?? 0) * o.brightness + g + n)));
  }
  const jpeg = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).jpeg({ quality: o.jpegQuality }).toBuffer();
  return { jpeg, width: o.photoWidth, height: o.photoHeight, corners: truth };
}

/** A gaussian spot of light, added after exposure so that it clips to white like a real reflection. */
function glareField(o: PhotoOptions, corners: readonly Point[], r: () => number): ((x: number, y: number) => number) | null {
  const strength = o.glare ?? 0;
  if (strength <= 0) return null;
  const [tl, tr, br, bl] = corners as [Point, Point, Point, Point];
  // Somewhere in the middle of the document.
  const u = 0.3 + r() * 0.4;
  const v = 0.3 + r() * 0.4;
  const cx = (1 - v) * ((1 - u) * tl[0] + u * tr[0]) + v * ((1 - u) * bl[0] + u * br[0]);
  const cy = (1 - v) * ((1 - u) * tl[1] + u * tr[1]) + v * ((1 - u) * bl[1] + u * br[1]);
  const sigma = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) * 0.09;
  const amp = 255 * 1.6 * strength;
  return (x, y) => amp * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
}

/**
 * Paints the flat document (RGB, dw×dh) into the photo (RGB, in place) so that its corners land on
 * `quad` (top-left, top-right, bottom-right, bottom-left), 3×3 samples per pixel for smooth edges.
 * The projective map is Heckbert's closed form for the unit square (Fundamentals of Texture Mapping,
 * 1989) — deliberately not the app's own homography code, which the tests check against this.
 */
function drawInQuad(photo: Buffer, pw: number, ph: number, flat: Buffer, dw: number, dh: number, quad: readonly Point[]): void {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad as [Point, Point, Point, Point];
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  const a = x1 - x0 + g * x1, b = x3 - x0 + h * x3, c = x0;
  const d = y1 - y0 + g * y1, e = y3 - y0 + h * y3, f = y0;
  // Inverse (adjugate) maps photo → unit square.
  const A = e - f * h, B = c * h - b, C = b * f - c * e;
  const D = f * g - d, E = a - c * g, F = c * d - a * f;
  const G = d * h - e * g, H = b * g - a * h, I = a * e - b * d;
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const left = Math.max(0, Math.floor(Math.min(...xs)) - 1);
  const right = Math.min(pw - 1, Math.ceil(Math.max(...xs)) + 1);
  const top = Math.max(0, Math.floor(Math.min(...ys)) - 1);
  const bottom = Math.min(ph - 1, Math.ceil(Math.max(...ys)) + 1);
  const S = 3;
  const mu = 2 / dw;
  const mv = 2 / dh;
  for (let py = top; py <= bottom; py++) {
    for (let px = left; px <= right; px++) {
      const zc = G * (px + 0.5) + H * (py + 0.5) + I;
      const uc = (A * (px + 0.5) + B * (py + 0.5) + C) / zc;
      const vc = (D * (px + 0.5) + E * (py + 0.5) + F) / zc;
      if (uc > mu && vc > mv && uc < 1 - mu && vc < 1 - mv) {
        // Well inside: one sample is enough; only pixels along the outline are supersampled.
        const q = (Math.floor(vc * dh) * dw + Math.floor(uc * dw)) * 3;
        const o = (py * pw + px) * 3;
        photo[o] = flat[q] ?? 0;
        photo[o + 1] = flat[q + 1] ?? 0;
        photo[o + 2] = flat[q + 2] ?? 0;
        continue;
      }
      let cover = 0;
      let rr = 0, gg = 0, bb = 0;
      for (let j = 0; j < S; j++) {
        for (let i = 0; i < S; i++) {
          const X = px + (i + 0.5) / S;
          const Y = py + (j + 0.5) / S;
          const z = G * X + H * Y + I;
          const u = (A * X + B * Y + C) / z;
          const v = (D * X + E * Y + F) / z;
          if (u < 0 || v < 0 || u >= 1 || v >= 1) continue;
          const q = (Math.min(dh - 1, Math.floor(v * dh)) * dw + Math.min(dw - 1, Math.floor(u * dw))) * 3;
          rr += flat[q] ?? 0;
          gg += flat[q + 1] ?? 0;
          bb += flat[q + 2] ?? 0;
          cover++;
        }
      }
      if (cover === 0) continue;
      const o = (py * pw + px) * 3;
      const k = cover / (S * S);
      photo[o] = Math.round((photo[o] ?? 0) * (1 - k) + (rr / cover) * k);
      photo[o + 1] = Math.round((photo[o + 1] ?? 0) * (1 - k) + (gg / cover) * k);
      photo[o + 2] = Math.round((photo[o + 2] ?? 0) * (1 - k) + (bb / cover) * k);
    }
  }
}
