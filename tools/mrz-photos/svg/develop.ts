/**
 * The SVG family's lens, sensor and processing: sharp (libvips) for motion (convolve), defocus (blur), saturation
 * (modulate), contrast (linear), sharpening and JPEG (mozjpeg's encoder), with sensor noise from our own PRNG.
 */
import sharp from 'sharp';
import type { Plan } from './pose';
import type { Rng } from './rng';

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number): number => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** 4096 quantiles of the standard normal: noise from one uniform draw and a lookup. */
const NORMAL = Float32Array.from({ length: 4096 }, (_, i) => inverseNormal((i + 0.5) / 4096));

export interface LensInfo {
  blur_sigma_at_3000: number;
  blur_sigma_px: number;
  motion: { length_px: number; angle_deg: number } | null;
  noise: number;
  saturation: number;
  contrast: number;
  sharpen_sigma: number;
  jpeg_quality: number;
  chroma_subsampling: string;
  mozjpeg: boolean;
}

/** Lens, sensor and the phone's processing: sharp for the filters, our PRNG for the noise. Returns JPEG bytes. */
export async function develop(pl: Plan, img: Buffer, exposure: number, rng: Rng): Promise<{ jpeg: Buffer; info: LensInfo }> {
  const p = pl.p;
  const { w, h } = pl;
  const raw = { raw: { width: w, height: h, channels: 3 as const } };
  const ref = Math.max(w, h) / 3000;
  const sigma = rng.uniform(...p.blur);
  let stage = sharp(img, raw);
  let motion: LensInfo['motion'] = null;
  if (rng.chance(p.motionP)) {
    const len = rng.uniform(...p.motionPx) * ref;
    const ang = rng.uniform(0, Math.PI);
    const size = Math.min(9, 2 * Math.ceil(len / 2) + 1);
    const kernel = new Array<number>(size * size).fill(0);
    const c = (size - 1) / 2;
    for (let s = 0; s <= 32; s++) {
      const t = (s / 32 - 0.5) * len;
      const x = Math.round(c + t * Math.cos(ang));
      const y = Math.round(c + t * Math.sin(ang));
      kernel[y * size + x]! += 1;
    }
    stage = sharp(await stage.convolve({ width: size, height: size, kernel, scale: 33 }).raw().toBuffer(), raw);
    motion = { length_px: Number(len.toFixed(2)), angle_deg: Number(((ang * 180) / Math.PI).toFixed(1)) };
  }
  const sPx = sigma * ref;
  const blurred = sPx >= 0.3 ? await stage.blur(sPx).raw().toBuffer() : await stage.raw().toBuffer();
  // Sensor noise: shot noise grows with the signal, read noise does not; both with the gain of a dark shot.
  const level = rng.uniform(...p.noise);
  const gain = 1 / Math.max(0.3, exposure);
  const shot = 0.0009 * level * gain * 255;
  const read = 0.0035 * level * gain * 255;
  const chroma = 2.2 * level * gain;
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      const cr = NORMAL[(rng.next() * 4096) | 0]! * chroma;
      const cb = NORMAL[(rng.next() * 4096) | 0]! * chroma;
      for (let k = 0; k < 4; k++) {
        const xx = x + (k & 1);
        const yy = y + (k >> 1);
        if (xx >= w || yy >= h) continue;
        const o = (yy * w + xx) * 3;
        const Y = 0.299 * blurred[o]! + 0.587 * blurred[o + 1]! + 0.114 * blurred[o + 2]!;
        const n = NORMAL[(rng.next() * 4096) | 0]! * Math.sqrt(shot * Y + read * read);
        blurred[o] = Math.max(0, Math.min(255, blurred[o]! + n + cr));
        blurred[o + 1] = Math.max(0, Math.min(255, blurred[o + 1]! + n - 0.5 * (cr + cb)));
        blurred[o + 2] = Math.max(0, Math.min(255, blurred[o + 2]! + n + cb));
      }
    }
  }
  const saturation = rng.uniform(1, 1.25);
  const contrast = rng.uniform(1, 1.2);
  const sharpenSigma = rng.uniform(0.6, 1.6) * ref;
  const quality = rng.int(p.jpeg[0], p.jpeg[1] + 1);
  const sub = rng.chance(0.75) ? '4:2:0' : '4:4:4';
  const moz = rng.chance(0.3);
  const jpeg = await sharp(blurred, raw)
    .modulate({ saturation })
    .linear(contrast, -(contrast - 1) * 128)
    .sharpen({ sigma: Math.max(0.3, sharpenSigma), m1: rng.uniform(0.5, 1.5), m2: rng.uniform(1, 3) })
    .jpeg({ quality, chromaSubsampling: sub, mozjpeg: moz })
    .toBuffer();
  return {
    jpeg,
    info: { blur_sigma_at_3000: Number(sigma.toFixed(3)), blur_sigma_px: Number(sPx.toFixed(3)), motion, noise: Number(level.toFixed(3)), saturation: Number(saturation.toFixed(3)),
      contrast: Number(contrast.toFixed(3)), sharpen_sigma: Number(sharpenSigma.toFixed(2)), jpeg_quality: quality, chroma_subsampling: sub, mozjpeg: moz },
  };
}
