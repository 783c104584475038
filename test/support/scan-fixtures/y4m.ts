/**
 * TEST ONLY — a still photo as a YUV4MPEG2 (.y4m) video, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture=FILE.y4m`, which plays 4:2:0 y4m or MJPEG files in a loop).
 * BT.601 limited range, 4:2:0 chroma averaged over each 2×2 block.
 */
import sharp from 'sharp';

export async function stillToY4m(image: Buffer, width: number, height: number, frames = 3): Promise<Buffer> {
  if (width % 2 !== 0 || height % 2 !== 0) throw new RangeError('4:2:0 needs even dimensions');
  const rgb = await sharp(image).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  for (let i = 0; i < width * height; i++) {
    const r = rgb[i * 3]!, g = rgb[i * 3 + 1]!, b = rgb[i * 3 + 2]!;
    y[i] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const p = ((cy * 2 + dy) * width + cx * 2 + dx) * 3;
        r += rgb[p]!;
        g += rgb[p + 1]!;
        b += rgb[p + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const o = cy * (width / 2) + cx;
      u[o] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      v[o] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, u, v]);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}
