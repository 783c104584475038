/**
 * What the document lies on, for the SVG family: drawn as SVG over the visible area in millimetres (flat in the
 * image, unlike the Python family's surfaces, which are seen in perspective) and rasterised by librsvg at a
 * reduced size, then enlarged by sharp. Its own set: marble, ceramic tiles, a laptop keyboard, a glossy magazine,
 * cork, striped bedding.
 */
import type { Rng } from './rng';

export const SURFACES = ['marble', 'tiles', 'keyboard', 'magazine', 'cork', 'stripes'] as const;
export type Surface = (typeof SURFACES)[number];

const f2 = (v: number): string => v.toFixed(2);
const hsl = (h: number, s: number, l: number): string => `hsl(${h.toFixed(0)},${s.toFixed(0)}%,${l.toFixed(0)}%)`;

/** An SVG of wMm x hMm (width/height placeholders @W/@H) showing the surface. */
export function surfaceSvg(rng: Rng, kind: Surface, wMm: number, hMm: number): string {
  let defs = '';
  let body = '';
  const W = f2(wMm);
  const H = f2(hMm);
  const rot = rng.uniform(-30, 30);
  if (kind === 'marble') {
    const base = hsl(rng.uniform(20, 60), rng.uniform(5, 20), rng.uniform(70, 92));
    defs += `<filter id="v" x="0" y="0" width="100%" height="100%"><feTurbulence type="turbulence" baseFrequency="${(0.01 + rng.next() * 0.015).toFixed(4)} ${(0.03 + rng.next() * 0.03).toFixed(4)}" numOctaves="3" seed="${rng.int(1, 9999)}"/>` +
      `<feColorMatrix type="matrix" values="0 0 0 0 0.2  0 0 0 0 0.2  0 0 0 0 0.22  -2.2 0 0 0 1.2"/></filter>`;
    body += `<rect width="${W}" height="${H}" fill="${base}"/><rect width="${W}" height="${H}" filter="url(#v)" opacity="${f2(rng.uniform(0.35, 0.7))}"/>`;
  } else if (kind === 'tiles') {
    const s = rng.uniform(60, 150);
    const grout = hsl(rng.uniform(0, 60), 10, rng.uniform(40, 75));
    const tile = rng.uniform(0, 360);
    defs += `<pattern id="t" width="${f2(s)}" height="${f2(s)}" patternUnits="userSpaceOnUse" patternTransform="rotate(${f2(rot)})">` +
      `<rect width="${f2(s)}" height="${f2(s)}" fill="${grout}"/><rect x="1.5" y="1.5" width="${f2(s - 3)}" height="${f2(s - 3)}" rx="1" fill="${hsl(tile, rng.uniform(5, 40), rng.uniform(55, 90))}"/></pattern>`;
    body += `<rect width="${W}" height="${H}" fill="url(#t)"/>`;
  } else if (kind === 'keyboard') {
    const keyW = rng.uniform(15, 19);
    const keys = 'QWERTYUIOPASDFGHJKLZXCVBNM1234567890';
    let caps = '';
    for (let r = 0; r * keyW < hMm + keyW; r++) {
      for (let c = 0; c * keyW < wMm + keyW; c++) {
        const x = c * keyW + (r % 2) * keyW * 0.3;
        caps += `<rect x="${f2(x + 1)}" y="${f2(r * keyW + 1)}" width="${f2(keyW - 2)}" height="${f2(keyW - 2)}" rx="2" fill="#2a2b2e"/>` +
          `<text x="${f2(x + 3)}" y="${f2(r * keyW + 6.5)}" font-family="DejaVu Sans" font-size="4" fill="#c8c8c8">${keys.charAt(rng.int(0, keys.length))}</text>`;
      }
    }
    body += `<rect width="${W}" height="${H}" fill="#141518"/><g transform="rotate(${f2(rot / 3)} ${f2(wMm / 2)} ${f2(hMm / 2)})">${caps}</g>`;
  } else if (kind === 'magazine') {
    const paper = hsl(rng.uniform(30, 60), 15, rng.uniform(90, 97));
    let cols = '';
    const colW = rng.uniform(45, 65);
    for (let x = -colW * 0.5; x < wMm; x += colW) {
      let y = rng.uniform(2, 20);
      if (rng.chance(0.5)) {
        cols += `<rect x="${f2(x + 2)}" y="${f2(y)}" width="${f2(colW - 4)}" height="${f2(colW * 0.7)}" fill="${hsl(rng.uniform(0, 360), 50, rng.uniform(30, 65))}"/>`;
        y += colW * 0.75;
      }
      cols += `<text x="${f2(x + 2)}" y="${f2(y + 6)}" font-family="DejaVu Sans" font-weight="bold" font-size="6" fill="${hsl(rng.uniform(0, 360), 70, 35)}">${['TRAVEL', 'NEWS', 'STYLE', 'TECH', 'SPORT'][rng.int(0, 5)] ?? ''}</text>`;
      y += 10;
      const line = 'lorem ipsum travel document border control passport visa entry stamp';
      for (; y < hMm; y += 3.6) cols += `<text x="${f2(x + 2)}" y="${f2(y)}" font-family="DejaVu Sans" font-size="2.6" fill="#333">${line.slice(0, Math.floor((colW - 5) / 1.6) - rng.int(0, 6))}</text>`;
    }
    body += `<rect width="${W}" height="${H}" fill="${paper}"/><g transform="rotate(${f2(rot)} ${f2(wMm / 2)} ${f2(hMm / 2)})">${cols}</g>`;
  } else if (kind === 'cork') {
    let dots = '';
    for (let i = 0; i < 160; i++) {
      dots += `<ellipse cx="${f2(rng.uniform(0, 20))}" cy="${f2(rng.uniform(0, 20))}" rx="${f2(rng.uniform(0.2, 0.9))}" ry="${f2(rng.uniform(0.2, 0.6))}" fill="${hsl(rng.uniform(20, 35), 50, rng.uniform(20, 55))}" opacity="0.7"/>`;
    }
    defs += `<pattern id="c" width="20" height="20" patternUnits="userSpaceOnUse" patternTransform="rotate(${f2(rot)})">${dots}</pattern>`;
    body += `<rect width="${W}" height="${H}" fill="${hsl(30, 45, rng.uniform(45, 60))}"/><rect width="${W}" height="${H}" fill="url(#c)"/>`;
  } else {
    const s = rng.uniform(6, 25);
    const a = hsl(rng.uniform(0, 360), rng.uniform(20, 50), rng.uniform(70, 90));
    const b = hsl(rng.uniform(0, 360), rng.uniform(20, 50), rng.uniform(40, 80));
    defs += `<pattern id="s" width="${f2(s)}" height="${f2(s)}" patternUnits="userSpaceOnUse" patternTransform="rotate(${f2(rot)})"><rect width="${f2(s)}" height="${f2(s)}" fill="${a}"/><rect width="${f2(s * 0.4)}" height="${f2(s)}" fill="${b}"/></pattern>`;
    body += `<rect width="${W}" height="${H}" fill="url(#s)"/>`;
  }
  // Folds and mottling: a few soft (radial-gradient) patches of light and dark.
  for (let i = 0; i < 4; i++) {
    const id = `m${i}`;
    defs += `<radialGradient id="${id}"><stop offset="0" stop-color="${rng.chance(0.5) ? '#000' : '#fff'}" stop-opacity="${f2(rng.uniform(0.04, 0.1))}"/><stop offset="1" stop-opacity="0"/></radialGradient>`;
    body += `<ellipse cx="${f2(rng.uniform(0, wMm))}" cy="${f2(rng.uniform(0, hMm))}" rx="${f2(rng.uniform(0.2, 0.5) * wMm)}" ry="${f2(rng.uniform(0.1, 0.3) * hMm)}" fill="url(#${id})"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="@W" height="@H" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none"><defs>${defs}</defs>${body}</svg>`;
}
