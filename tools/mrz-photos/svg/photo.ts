/**
 * The SVG family's scene and light: the document warped by inverse mapping with bilinear sampling in TypeScript
 * (with a soft contact shadow), then light, white balance and glare over the frame in one pass.
 */
import type { Raster } from './raster';
import type { Rng } from './rng';
import { bbox, photoToCanvas, project, type Plan, type Pt, type Vec3 } from './pose';

/** Signed distance (px) inside a clockwise convex quad (min over its edges; negative outside), as a function. */
function insideDistance(q: Pt[]): (x: number, y: number) => number {
  const edges = q.map((a, i) => {
    const b = q[(i + 1) % 4]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return [a[0], a[1], -(b[1] - a[1]) / len, (b[0] - a[0]) / len] as const;
  });
  return (x, y) => {
    let d = Infinity;
    for (const [ax, ay, nx, ny] of edges) d = Math.min(d, (x - ax) * nx + (y - ay) * ny);
    return d;
  };
}

/** Composites the document raster over the scene (RGB, 3 channels), with a soft contact shadow. */
export function layDown(pl: Plan, scene: Buffer, doc: Raster, px: number, offMm: Pt, rng: Rng): Float32Array {
  const { w, h } = pl;
  const Hi = photoToCanvas(pl, px, offMm);
  const [cw, ch] = [doc.width, doc.height];
  const canvasQuad: Pt[] = [[0, 0], [cw, 0], [cw, ch], [0, ch]].map(([u, v]) => {
    const X = (u as number) / px - (offMm[0] + pl.pageMm[0] / 2);
    const Y = (v as number) / px - (offMm[1] + pl.pageMm[1] / 2);
    return project(pl, X, Y);
  });
  const scale = Math.hypot(canvasQuad[1]![0] - canvasQuad[0]![0], canvasQuad[1]![1] - canvasQuad[0]![1]) / (cw / px);
  // Contact shadow: the quad nudged and softened, darkening what is under it.
  const sdx = rng.normal() * 0.5 * scale;
  const sdy = (0.3 + rng.normal() * 0.3) * scale;
  const soft = Math.max(1, scale * 0.6);
  const dark = rng.uniform(0.25, 0.45);
  const shadowQuad = canvasQuad.map(([x, y]) => [x + sdx, y + sdy] as Pt);
  const inShadow = insideDistance(shadowQuad);
  const mask = new Float32Array(w * h);
  const [bx0, by0, bx1, by1] = bbox(shadowQuad.concat(canvasQuad));
  const X0 = Math.max(0, Math.floor(bx0 - 3 * soft));
  const Y0 = Math.max(0, Math.floor(by0 - 3 * soft));
  const X1 = Math.min(w, Math.ceil(bx1 + 3 * soft));
  const Y1 = Math.min(h, Math.ceil(by1 + 3 * soft));
  const data = doc.data;
  const nc = doc.channels;
  for (let y = Y0; y < Y1; y++) {
    for (let x = X0; x < X1; x++) {
      const o = (y * w + x) * 3;
      const sd = inShadow(x + 0.5, y + 0.5);
      if (sd > -2 * soft) {
        const s = 1 - dark * Math.min(1, Math.max(0, (sd + 2 * soft) / (3 * soft)));
        scene[o] = scene[o]! * s;
        scene[o + 1] = scene[o + 1]! * s;
        scene[o + 2] = scene[o + 2]! * s;
      }
      const zx = Hi[0][0] * (x + 0.5) + Hi[0][1] * (y + 0.5) + Hi[0][2];
      const zy = Hi[1][0] * (x + 0.5) + Hi[1][1] * (y + 0.5) + Hi[1][2];
      const zz = Hi[2][0] * (x + 0.5) + Hi[2][1] * (y + 0.5) + Hi[2][2];
      const u = zx / zz - 0.5;
      const v = zy / zz - 0.5;
      if (u < -1 || v < -1 || u > cw || v > ch) continue;
      const iu = Math.floor(u);
      const iv = Math.floor(v);
      const fu = u - iu;
      const fv = v - iv;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < 4; k++) {
        const su = iu + (k & 1);
        const sv = iv + (k >> 1);
        if (su < 0 || sv < 0 || su >= cw || sv >= ch) continue;
        const wgt = ((k & 1) ? fu : 1 - fu) * ((k >> 1) ? fv : 1 - fv);
        const q = (sv * cw + su) * nc;
        const al = (data[q + 3]! / 255) * wgt;
        r += data[q]! * al;
        g += data[q + 1]! * al;
        b += data[q + 2]! * al;
        a += al;
      }
      if (a <= 0) continue;
      scene[o] = r + scene[o]! * (1 - a);
      scene[o + 1] = g + scene[o + 1]! * (1 - a);
      scene[o + 2] = b + scene[o + 2]! * (1 - a);
      mask[y * w + x] = a;
    }
  }
  return mask;
}

export interface LightInfo {
  exposure: number;
  gradient: number;
  vignette: number;
  shadow: { depth: number; penumbra: number } | null;
  warm: boolean;
  white_balance: Vec3;
  glare: { where: string; centre?: Pt; radius_px?: number; peak?: number };
}

/** Light, white balance and glare over the whole frame, in place. */
export function light(pl: Plan, img: Buffer, cardMask: Float32Array, mrzQuad: Pt[], corners: Pt[], rng: Rng): LightInfo {
  const p = pl.p;
  const { w, h } = pl;
  const exposure = rng.uniform(...p.exposure);
  const gradient = rng.uniform(...p.gradient);
  const ga = rng.uniform(0, 2 * Math.PI);
  const vignette = rng.uniform(...p.vignette);
  const warm = rng.chance(p.warmP);
  const wb: Vec3 = warm ? [rng.uniform(1.04, 1.12), 1, rng.uniform(0.72, 0.88)] : [rng.uniform(0.96, 1.04), 1, rng.uniform(0.95, 1.08)];
  let shadow: LightInfo['shadow'] = null;
  let sa = 0;
  let sc = 0;
  if (rng.chance(p.shadowP)) {
    shadow = { depth: rng.uniform(0.2, 0.5) * (pl.severity === 'mild' ? 0.6 : 1), penumbra: rng.uniform(0.02, 0.1) };
    sa = rng.uniform(0, 2 * Math.PI);
    sc = rng.uniform(-0.25, 0.2);
  }
  // Glare: a Gaussian lobe, saturating away from the MRZ, below saturation on it.
  let glare: LightInfo['glare'] = { where: 'none' };
  let gx = 0;
  let gy = 0;
  let gr = 1;
  let gp = 0;
  if (rng.chance(p.glareP)) {
    const cardW = Math.hypot(corners[1]![0] - corners[0]![0], corners[1]![1] - corners[0]![1]);
    const r = rng.next();
    const lerp = (q: Pt[], a: number, b: number): Pt => [q[0]![0] + a * (q[1]![0] - q[0]![0]) + b * (q[3]![0] - q[0]![0]), q[0]![1] + a * (q[1]![1] - q[0]![1]) + b * (q[3]![1] - q[0]![1])];
    let where = 'card';
    let c: Pt;
    if (r < p.glareMrzP * 0.5) {
      where = 'on_mrz';
      c = lerp(mrzQuad, rng.next(), rng.next());
      gp = rng.uniform(0.2, 0.42);
    } else if (r < p.glareMrzP) {
      where = 'near_mrz';
      c = lerp(mrzQuad, rng.next(), -rng.uniform(0.8, 1.6));
      gp = rng.uniform(0.4, 1.2);
    } else {
      c = lerp(corners, rng.uniform(0.05, 0.95), rng.uniform(0.05, 0.5));
      gp = rng.uniform(0.4, 1.5);
    }
    gr = cardW * rng.uniform(0.04, 0.11);
    [gx, gy] = c;
    glare = { where, centre: [Math.round(gx), Math.round(gy)], radius_px: Math.round(gr), peak: Number(gp.toFixed(3)) };
  }
  const ar = w / h;
  const vnorm = 0.25 * ar * ar + 0.25;
  const cosG = Math.cos(ga) * 1.4 * gradient;
  const sinG = Math.sin(ga) * 1.4 * gradient;
  const cosS = Math.cos(sa);
  const sinS = Math.sin(sa);
  const r2 = gr * gr;
  for (let y = 0; y < h; y++) {
    const ny = y / h - 0.5;
    const rowG = 1 + ny * sinG;
    const rowV = ny * ny;
    const nearGlare = gp > 0 && Math.abs(y - gy) < gr * 3.5;
    for (let x = 0; x < w; x++) {
      const nx = x / w - 0.5;
      let L = exposure * (rowG + nx * cosG) * (1 - (vignette * (nx * nx * ar * ar + rowV)) / vnorm);
      if (shadow) L *= 1 - shadow.depth * Math.min(1, Math.max(0, (nx * cosS + ny * sinS - sc) / shadow.penumbra + 0.5));
      const o = (y * w + x) * 3;
      let add = 0;
      if (nearGlare) {
        const dx = x - gx;
        const dy = y - gy;
        const d2 = (dx * dx + dy * dy) / r2;
        if (d2 < 12) add = 255 * gp * Math.exp(-d2 / 2) * (0.3 + 0.7 * cardMask[y * w + x]!);
      }
      img[o] = Math.min(255, img[o]! * L * wb[0] + add);
      img[o + 1] = Math.min(255, img[o + 1]! * L * wb[1] + add);
      img[o + 2] = Math.min(255, img[o + 2]! * L * wb[2] + add * 0.97);
    }
  }
  return { exposure, gradient, vignette, shadow, warm, white_balance: wb, glare };
}
