/**
 * Documents of the SVG family, laid out as SVG in millimetres and rasterised by librsvg (through sharp): a layout
 * style of its own (a vertical state band, the portrait on the right, spirograph and Lissajous guilloche as
 * paths, paper grain from feTurbulence), and OCR-B whose weight comes from a stroke (bolder) or a morphological
 * erosion filter (thinner) instead of the Python family's blur-and-threshold.
 */
import type { PrintedHolder } from './holder';
import type { Kind } from './mrz';
import type { Rng } from './rng';

export const SIZE_MM: Record<Kind, [number, number]> = { TD1: [85.6, 54], TD2: [105, 74], TD3: [125, 88] };
const PITCH = 2.54;
const LINE = 4.23;
const OCRB_CAP_EM = 0.733; // cap height of OCR-B in ems
const DEJAVU_CAP_EM = 0.73;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f2 = (v: number): string => v.toFixed(2);
const hsl = (h: number, s: number, l: number): string => `hsl(${h.toFixed(0)},${s.toFixed(0)}%,${l.toFixed(0)}%)`;

export interface PrintInfo {
  cap_mm: number;
  pitch_scale: number;
  weight: 'stroke' | 'erode' | 'plain';
  weight_mm: number;
  bleed_mm: number;
  row_shift_mm: number[];
  row_tilt_deg: number[];
  wobble_mm: number;
  ink: string;
  bottom_mm: number;
}

export interface DocumentSvg {
  /** The security background (gradient, guilloche, band), drawn coarse; rasterise it and pass its PNG to `compose`. */
  backgroundSvg: string;
  /** Everything printed over it, drawn at full resolution; `@BG` is replaced by the background's data URI. */
  svg: string;
  /** The canvas (page plus an optional cover rim), mm. */
  canvasMm: [number, number];
  /** The page's top-left in the canvas, mm. */
  pageOffsetMm: [number, number];
  mrzBoxMm: [number, number, number, number];
  print: PrintInfo;
  rim: boolean;
}

function spirograph(rng: Rng, cx: number, cy: number, R: number, colour: string): string {
  // Epitrochoid: (R+r)cos t - d cos((R+r)t/r), sampled densely, as one path.
  const r = R / rng.int(5, 13);
  const d = r * rng.uniform(0.6, 1.6);
  const steps = 1400;
  let p = '';
  for (let i = 0; i <= steps; i++) {
    const t = (i / steps) * 2 * Math.PI * 7;
    const x = cx + ((R - r) * Math.cos(t) + d * Math.cos(((R - r) / r) * t)) * 0.5;
    const y = cy + ((R - r) * Math.sin(t) - d * Math.sin(((R - r) / r) * t)) * 0.5;
    p += `${i ? 'L' : 'M'}${f2(x)} ${f2(y)}`;
  }
  return `<path d="${p}" fill="none" stroke="${colour}" stroke-width="${f2(rng.uniform(0.05, 0.1))}" opacity="${f2(rng.uniform(0.35, 0.6))}"/>`;
}

function lissajousBand(rng: Rng, w: number, y0: number, h: number, colour: string): string {
  const n = rng.int(6, 14);
  const fa = rng.uniform(0.08, 0.25);
  const fb = fa * rng.uniform(1.5, 3.2);
  let out = '';
  for (let k = 0; k < n; k++) {
    const ph = (k / n) * Math.PI;
    let p = '';
    for (let x = 0; x <= w; x += 0.5) {
      const y = y0 + h / 2 + (h / 2) * 0.9 * Math.sin(fa * x + ph) * Math.cos(fb * x * 0.5 - ph);
      p += `${x ? 'L' : 'M'}${f2(x)} ${f2(y)}`;
    }
    out += `<path d="${p}" fill="none" stroke="${colour}" stroke-width="0.07" opacity="0.5"/>`;
  }
  return out;
}

function portrait(rng: Rng, x: number, y: number, w: number, h: number, grey: boolean, id: string): string {
  const skinL = rng.uniform(30, 80);
  const skin = grey ? hsl(0, 0, skinL) : hsl(rng.uniform(18, 32), rng.uniform(35, 60), skinL);
  const skinDark = grey ? hsl(0, 0, skinL * 0.75) : hsl(20, 45, skinL * 0.75);
  const hair = grey ? hsl(0, 0, rng.uniform(10, 70)) : hsl(rng.uniform(15, 40), rng.uniform(20, 70), rng.uniform(8, 60));
  const coat = grey ? hsl(0, 0, rng.uniform(15, 60)) : hsl(rng.uniform(0, 360), rng.uniform(10, 50), rng.uniform(15, 45));
  const bg = grey ? hsl(0, 0, rng.uniform(75, 92)) : hsl(rng.uniform(190, 230), rng.uniform(10, 40), rng.uniform(75, 92));
  const cx = x + w / 2 + rng.uniform(-0.04, 0.04) * w;
  const cy = y + h * rng.uniform(0.38, 0.45);
  const rx = w * rng.uniform(0.22, 0.28);
  const ry = rx * rng.uniform(1.25, 1.4);
  const eye = ry * 0.1;
  return `<g>
<defs><radialGradient id="${id}" cx="45%" cy="40%" r="65%"><stop offset="0" stop-color="${skin}"/><stop offset="1" stop-color="${skinDark}"/></radialGradient>
<clipPath id="${id}c"><rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}"/></clipPath></defs>
<g clip-path="url(#${id}c)">
<rect x="${f2(x)}" y="${f2(y)}" width="${f2(w)}" height="${f2(h)}" fill="${bg}"/>
<path d="M${f2(cx - w * 0.62)} ${f2(y + h)} C${f2(cx - w * 0.5)} ${f2(cy + ry * 1.15)} ${f2(cx + w * 0.5)} ${f2(cy + ry * 1.15)} ${f2(cx + w * 0.62)} ${f2(y + h)} Z" fill="${coat}"/>
<rect x="${f2(cx - rx * 0.4)}" y="${f2(cy + ry * 0.6)}" width="${f2(rx * 0.8)}" height="${f2(ry * 0.6)}" fill="${skinDark}"/>
<ellipse cx="${f2(cx)}" cy="${f2(cy)}" rx="${f2(rx)}" ry="${f2(ry)}" fill="url(#${id})"/>
<path d="M${f2(cx - rx * 1.05)} ${f2(cy - ry * 0.05)} C${f2(cx - rx * 1.1)} ${f2(cy - ry * 1.3)} ${f2(cx + rx * 1.1)} ${f2(cy - ry * 1.3)} ${f2(cx + rx * 1.05)} ${f2(cy - ry * 0.05)} C${f2(cx + rx * 0.7)} ${f2(cy - ry * 0.7)} ${f2(cx - rx * 0.5)} ${f2(cy - ry * 0.5)} ${f2(cx - rx * 1.05)} ${f2(cy - ry * 0.05)} Z" fill="${hair}"/>
<ellipse cx="${f2(cx - rx * 0.4)}" cy="${f2(cy - ry * 0.05)}" rx="${f2(eye * 1.4)}" ry="${f2(eye * 0.7)}" fill="#222"/>
<ellipse cx="${f2(cx + rx * 0.4)}" cy="${f2(cy - ry * 0.05)}" rx="${f2(eye * 1.4)}" ry="${f2(eye * 0.7)}" fill="#222"/>
<path d="M${f2(cx - rx * 0.35)} ${f2(cy + ry * 0.5)} Q${f2(cx)} ${f2(cy + ry * 0.62)} ${f2(cx + rx * 0.35)} ${f2(cy + ry * 0.5)}" stroke="${skinDark}" stroke-width="${f2(rx * 0.08)}" fill="none"/>
</g></g>`;
}

function dateText(d: [number, number, number], style: number): string {
  const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  const [y, m, day] = d;
  const dd = String(day).padStart(2, '0');
  const mm = String(m).padStart(2, '0');
  return style === 0 ? `${dd} ${months[m - 1]} ${y}` : style === 1 ? `${y}-${mm}-${dd}` : `${dd} ${mm} ${y}`;
}

export function printVariation(rng: Rng, hard: boolean, kind: Kind): PrintInfo {
  const nl = kind === 'TD1' ? 3 : 2;
  const weightDraw = rng.next();
  return {
    cap_mm: rng.uniform(2.2, 2.55),
    pitch_scale: 1 + rng.uniform(-1, 1) * (hard ? 0.03 : 0.015),
    weight: weightDraw < 0.35 ? 'stroke' : weightDraw < 0.65 ? 'erode' : 'plain',
    weight_mm: rng.uniform(0.02, hard ? 0.07 : 0.04),
    bleed_mm: rng.uniform(0, hard ? 0.06 : 0.025),
    row_shift_mm: Array.from({ length: nl }, () => rng.normal() * (hard ? 0.3 : 0.1)),
    row_tilt_deg: Array.from({ length: nl }, () => rng.normal() * (hard ? 0.3 : 0.08)),
    wobble_mm: rng.uniform(0, hard ? 0.12 : 0.05),
    ink: rng.chance(0.3) ? hsl(rng.uniform(0, 360), 5, rng.uniform(22, 30)) : hsl(rng.uniform(200, 260), rng.uniform(0, 20), rng.uniform(5, 12)),
    bottom_mm: kind === 'TD1' ? rng.uniform(3.2, 4.5) : kind === 'TD2' ? rng.uniform(3.8, 5.5) : rng.uniform(4.5, 6.5),
  };
}

function mrzSvg(rng: Rng, mrz: string[], w: number, h: number, pv: PrintInfo): { svg: string; box: [number, number, number, number] } {
  const n = mrz[0]?.length ?? 0;
  const pitch = PITCH * pv.pitch_scale;
  const left = (w - n * pitch) / 2 + rng.normal() * 0.4;
  const bottom = h - pv.bottom_mm;
  const size = pv.cap_mm / OCRB_CAP_EM;
  let rows = '';
  mrz.forEach((line, r) => {
    const base = bottom - (mrz.length - 1 - r) * LINE;
    const x0 = left + (pv.row_shift_mm[r] ?? 0);
    const wl = rng.uniform(20, 60);
    const ph = rng.uniform(0, 6.28);
    let glyphs = '';
    // One element per character: librsvg does not honour per-glyph x/y lists.
    for (let i = 0; i < line.length; i++) {
      const x = x0 + i * pitch + rng.normal() * (pv.wobble_mm * 0.3);
      const y = base + pv.wobble_mm * Math.sin((x / wl) * 6.28 + ph);
      glyphs += `<text x="${f2(x)}" y="${f2(y)}">${esc(line.charAt(i))}</text>`;
    }
    rows += `<g transform="rotate(${f2(pv.row_tilt_deg[r] ?? 0)} ${f2(x0)} ${f2(base)})">${glyphs}</g>`;
  });
  // Weight without filters (librsvg's are slow): bolder = a stroke in the ink; thinner = the glyphs as a mask
  // whose own stroke eats into them; bleed = a faint wider halo.
  const fy = bottom - (mrz.length - 1) * LINE - pv.cap_mm - 2;
  const box = `x="${f2(left - 3)}" y="${f2(fy)}" width="${f2(n * pitch + 6)}" height="${f2(bottom - fy + 2)}"`;
  const font = `font-family="OCR B" font-size="${size.toFixed(3)}"`;
  let out = '';
  if (pv.bleed_mm > 0.005) out += `<g ${font} fill="none" stroke="${pv.ink}" stroke-opacity="0.25" stroke-width="${f2(pv.bleed_mm * 2)}">${rows}</g>`;
  if (pv.weight === 'erode') {
    out += `<mask id="thin" maskUnits="userSpaceOnUse" ${box}><g ${font} fill="#fff" stroke="#000" stroke-width="${(pv.weight_mm * 2).toFixed(3)}">${rows}</g></mask>` +
      `<rect ${box} fill="${pv.ink}" mask="url(#thin)"/>`;
  } else {
    const stroke = pv.weight === 'stroke' ? ` stroke="${pv.ink}" stroke-width="${(pv.weight_mm * 2).toFixed(3)}" stroke-linejoin="round"` : '';
    out += `<g ${font} fill="${pv.ink}"${stroke}>${rows}</g>`;
  }
  const top = bottom - (mrz.length - 1) * LINE - pv.cap_mm - 1;
  return {
    svg: out,
    box: [left, top, left + n * pitch, bottom + 0.8],
  };
}

/** The MRZ side of a document as SVG, in mm (rendered at any resolution by setting width/height). */
export function documentSvg(rng: Rng, h: PrintedHolder, mrz: string[], hard: boolean): DocumentSvg {
  const [w, ht] = SIZE_MM[h.kind];
  const hue = rng.uniform(0, 360);
  const paperA = hsl(hue, rng.uniform(25, 55), rng.uniform(88, 94));
  const paperB = hsl(hue + rng.uniform(40, 140), rng.uniform(25, 55), rng.uniform(86, 94));
  const ink = hsl(hue + rng.uniform(-30, 30), rng.uniform(40, 70), rng.uniform(22, 35));
  const pale = hsl(hue + rng.uniform(-60, 60), rng.uniform(30, 60), rng.uniform(55, 70));
  const serif = rng.chance(0.5);
  const labelFont = serif ? 'DejaVu Serif' : 'DejaVu Sans';
  const valueFont = rng.pick(['DejaVu Sans Mono', 'DejaVu Sans', 'DejaVu Serif']);
  const weight = rng.chance(0.5) ? 'bold' : 'normal';
  const cap = (c: number): string => (c / DEJAVU_CAP_EM).toFixed(3);
  const pv = printVariation(rng, hard, h.kind);
  const m = mrzSvg(rng, mrz, w, ht, pv);
  // Background: a diagonal two-colour gradient, paper fibres (a tile of specks), guilloche, the state band.
  let bg = `<rect width="${w}" height="${ht}" fill="url(#bg)"/><rect width="${w}" height="${ht}" fill="url(#fibres)"/>`;
  let specks = '';
  for (let i = 0; i < 70; i++) specks += `<circle cx="${f2(rng.uniform(0, 6))}" cy="${f2(rng.uniform(0, 6))}" r="${f2(rng.uniform(0.03, 0.12))}" fill="${rng.chance(0.5) ? '#000' : '#fff'}" opacity="${f2(rng.uniform(0.05, 0.2))}"/>`;
  for (let i = 0; i < rng.int(1, 4); i++) bg += spirograph(rng, rng.uniform(0.2, 0.9) * w, rng.uniform(0.2, 0.7) * ht, rng.uniform(0.35, 0.7) * ht, pale);
  bg += lissajousBand(rng, w, rng.uniform(0.15, 0.6) * ht, rng.uniform(8, 18), pale);
  if (rng.chance(0.6)) bg += lissajousBand(rng, w, ht - pv.bottom_mm - 12, 10, pale);
  let body = '';
  // A vertical state band on the left (stopping above the MRZ), the title across the top.
  const band = h.kind === 'TD1' ? 0 : rng.uniform(7, 10);
  const bandH = ht - pv.bottom_mm - LINE * 2 - 4;
  if (band) {
    bg += `<rect x="0" y="0" width="${f2(band)}" height="${f2(bandH)}" fill="${ink}" opacity="0.85"/>`;
    body += `<text transform="translate(${f2(band * 0.68)} ${f2(bandH * 0.5)}) rotate(-90)" text-anchor="middle" font-family="${labelFont}" font-weight="bold" font-size="${cap(band * 0.38)}" fill="#fff" textLength="${f2(Math.min(bandH * 0.85, h.stateName.length * band * 0.32))}" lengthAdjust="spacingAndGlyphs">${esc(h.stateName)}</text>`;
  }
  const title = h.kind === 'TD3' ? rng.pick(['PASSPORT', 'PASS · PASSPORT', 'PASAPORTE · PASSPORT', 'REISEPASS']) : h.kind === 'TD2' ? 'IDENTITY CARD' : rng.pick(['IDENTITY CARD', 'RESIDENCE PERMIT', 'ID CARD · CARTE D’IDENTITÉ']);
  const titleX = h.kind === 'TD1' ? 24 : band + 4; // a TD1's top-left holds the 2D code
  body += `<text x="${f2(titleX)}" y="${h.kind === 'TD1' ? '4.2' : '6.5'}" font-family="${labelFont}" font-weight="bold" font-size="${cap(h.kind === 'TD1' ? 1.8 : 2.1)}" fill="${ink}" letter-spacing="0.3">${esc(title)}</text>`;
  const sexVz = h.sex === '<' ? 'X' : h.sex;
  const ds = rng.int(0, 3);
  const field = (x: number, y: number, label: string, value: string, vc = 2.0): string =>
    `<text x="${f2(x)}" y="${f2(y)}" font-family="${labelFont}" font-size="${cap(1.15)}" fill="${ink}" opacity="0.9">${esc(label)}</text>` +
    `<text x="${f2(x)}" y="${f2(y + vc + 1.0)}" font-family="${valueFont}" font-weight="${weight}" font-size="${cap(vc)}" fill="#161616">${esc(value)}</text>`;
  const face = (x: number, y: number, pw: number, ph: number): string => portrait(rng, x, y, pw, ph, rng.chance(0.4), 'face');
  if (h.kind === 'TD3') {
    const px = w - 38;
    body += face(px, 11, 33, 42);
    let y = 12;
    const x = band + 4;
    body += field(x, y, 'Type', h.code) + field(x + 16, y, 'Issuing State', h.issuing.replace(/</g, '')) + field(x + 44, y, 'Passport No.', h.number, 2.2);
    for (const [label, value] of [['Surname', h.surname.toUpperCase()], ['Given names', h.given.toUpperCase() || '-'], ['Nationality', h.nationality.replace(/</g, '')],
      ['Date of birth', dateText(h.birthDate, ds)], ['Date of expiry', dateText(h.expiryDate, ds)]] as const) {
      y += 6.2;
      body += field(x, y, label, value);
    }
    body += field(x + 40, 12 + 6.2 * 4, 'Sex', sexVz) + field(x + 52, 12 + 6.2 * 4, 'Date of issue', dateText(h.issueDate, ds));
  } else if (h.kind === 'TD2') {
    body += face(w - 30, 9, 26, 33);
    let y = 10;
    const x = band + 3.5;
    for (const [label, value] of [['Surname', h.surname.toUpperCase()], ['Given names', h.given.toUpperCase() || '-'], ['Document No.', h.number],
      ['Date of birth', dateText(h.birthDate, ds)]] as const) {
      body += field(x, y, label, value, 1.9);
      y += 5.6;
    }
    body += field(x + 36, 10 + 5.6 * 3, 'Sex', sexVz, 1.9);
  } else {
    // TD1 back: a 2D-code-like block, address and issue data.
    const qx = 4;
    const qy = 4;
    const cell = rng.uniform(0.55, 0.8);
    let code = '';
    for (let i = 0; i < 21; i++) for (let j = 0; j < 21; j++) if (rng.chance(0.5) || (i < 7 && j < 7 && (i % 6 === 0 || j % 6 === 0 || (i > 1 && i < 5 && j > 1 && j < 5)))) code += `<rect x="${f2(qx + j * cell)}" y="${f2(qy + i * cell)}" width="${f2(cell)}" height="${f2(cell)}"/>`;
    if (rng.chance(0.7)) body += `<g fill="#1c1c1c">${code}</g>`;
    const x = 24;
    body += field(x, 7, 'Address', `${rng.int(1, 250)} ${rng.pick(['STORGATAN', 'AVENIDA SUL', 'RUE HAUTE', 'KINGS ROAD', 'ULICA KRÓTKA'])}`, 1.8);
    body += field(x, 13, 'Place of birth', rng.pick(['BERGEN', 'OSAKA', 'LIMA', 'GDAŃSK', 'LEÓN', 'TURKU']), 1.8);
    body += field(x, 19, 'Date of issue', dateText(h.issueDate, ds), 1.8) + field(x + 30, 19, 'Authority', rng.pick(['POLICE', 'MUNICIPALITY', 'PREFECTURE']), 1.8);
    if (rng.chance(0.5)) body += `<g opacity="0.3">${face(w - 18, 5, 14, 18)}</g>`;
  }
  body += m.svg;
  // The canvas: the page, optionally inside a booklet cover's rim.
  const rim = h.kind === 'TD3' && rng.chance(0.5);
  const rimMm = rim ? rng.uniform(1.5, 3) : 0;
  const cw = w + 2 * rimMm;
  const ch = ht + 2 * rimMm;
  const radius = h.kind === 'TD3' ? 3.5 : 3.18;
  const defs = `<defs>
<linearGradient id="bg" x1="0" y1="0" x2="1" y2="${f2(rng.uniform(0.2, 1))}"><stop offset="0" stop-color="${paperA}"/><stop offset="1" stop-color="${paperB}"/></linearGradient>
<pattern id="fibres" width="6" height="6" patternUnits="userSpaceOnUse">${specks}</pattern></defs>`;
  const backgroundSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="@W" height="@H" viewBox="0 0 ${w} ${ht}">${defs}${bg}</svg>`;
  const cover = rim ? `<rect width="${f2(cw)}" height="${f2(ch)}" rx="${f2(radius + rimMm)}" fill="${hsl(rng.pick([350, 220, 140, 0]), rng.uniform(30, 70), rng.uniform(10, 25))}"/>` : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="@W" height="@H" viewBox="0 0 ${f2(cw)} ${f2(ch)}">` +
    `<defs><clipPath id="page"><rect width="${w}" height="${ht}" rx="${radius}"/></clipPath></defs>${cover}` +
    `<g transform="translate(${f2(rimMm)} ${f2(rimMm)})" clip-path="url(#page)"><image href="@BG" xlink:href="@BG" width="${w}" height="${ht}" preserveAspectRatio="none"/>${body}</g></svg>`;
  return { backgroundSvg, svg, canvasMm: [cw, ch], pageOffsetMm: [rimMm, rimMm], mrzBoxMm: m.box, print: pv, rim };
}
