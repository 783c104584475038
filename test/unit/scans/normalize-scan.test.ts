/**
 * normalizeScan with images made here by sharp: formats, refusals, orientation, metadata stripping,
 * size and quality of the output.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { isAppError } from '../../../electron/common/errors';
import { SCAN_LIMITS } from '../../../electron/common/scan/limits';
import { sniffImageFormat } from '../../../electron/common/scan/image-format';
import { normalizeScan, targetSize } from '../../../electron/main/scans/normalize-scan';

async function solid(width: number, height: number, format: 'jpeg' | 'png' | 'webp' | 'avif', alpha = false): Promise<Uint8Array> {
  const img = sharp({ create: { width, height, channels: alpha ? 4 : 3, background: alpha ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 40, g: 90, b: 160 } } });
  return new Uint8Array(await img.toFormat(format).toBuffer());
}

/** Random pixels: the worst case for JPEG size (libvips' own noise generator is much slower). */
async function noise(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAppError(e), `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** Quantisation tables (DQT) of a baseline JPEG, in file order. */
function quantTables(jpeg: Uint8Array): number[][] {
  const tables: number[][] = [];
  let i = 2;
  while (i + 4 < jpeg.length) {
    assert.equal(jpeg[i], 0xff, 'marker expected');
    const marker = jpeg[i + 1] ?? 0;
    const len = ((jpeg[i + 2] ?? 0) << 8) | (jpeg[i + 3] ?? 0);
    if (marker === 0xda) break; // start of scan
    if (marker === 0xdb) {
      let j = i + 4;
      while (j < i + 2 + len) {
        const precision = (jpeg[j] ?? 0) >> 4;
        assert.equal(precision, 0, '8-bit tables');
        tables.push([...jpeg.subarray(j + 1, j + 65)]);
        j += 65;
      }
    }
    i += 2 + len;
  }
  return tables;
}

/** The IJG standard luminance table (JPEG Annex K.1) scaled the way libjpeg's jpeg_set_quality does. */
function ijgLuminance(quality: number): number[] {
  const std = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56,
    68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
  ];
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return std.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/** A minimal PNG whose header claims a huge image: a decode bomb that must be refused unread. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]),
  );
}

describe('normalizeScan: accepted inputs', () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
    test(`${format} becomes a baseline JPEG with the same size`, async () => {
      const out = await normalizeScan(await solid(640, 480, format));
      assert.deepEqual([out.width, out.height, out.sourceFormat], [640, 480, format]);
      const meta = await sharp(out.jpeg).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.space, meta.isProgressive], ['jpeg', 640, 480, 'srgb', false]);
    });
  }

  test('large photos are scaled to 2048 on the longest side, at JPEG quality 89, under 10 MiB', async () => {
    const out = await normalizeScan(await noise(4000, 3000));
    assert.deepEqual([out.width, out.height], [2048, 1536]);
    assert.ok(out.jpeg.byteLength <= SCAN_LIMITS.maxOutputBytes);
    const [luma] = quantTables(out.jpeg);
    assert.equal(luma?.length, 64);
    // DQT stores the table in zig-zag order; compare as multisets to stay independent of the order.
    assert.deepEqual(sorted(luma ?? []), sorted(ijgLuminance(89)));
    assert.notDeepEqual(sorted(luma ?? []), sorted(ijgLuminance(90)), 'the check tells 89 from 90');
    const portrait = await normalizeScan(await noise(1000, 2600));
    assert.deepEqual([portrait.width, portrait.height], [788, 2048]);
  });

  test('small images are not enlarged; 300 px on the short side is enough', async () => {
    const out = await normalizeScan(await solid(300, 300, 'png'));
    assert.deepEqual([out.width, out.height], [300, 300]);
  });

  test('a transparent PNG is flattened onto white, not black', async () => {
    const out = await normalizeScan(await solid(400, 400, 'png', true));
    const { data } = await sharp(out.jpeg).raw().toBuffer({ resolveWithObject: true });
    assert.ok((data[0] ?? 0) > 245 && (data[1] ?? 0) > 245 && (data[2] ?? 0) > 245, `pixel ${data[0]},${data[1]},${data[2]}`);
  });

  test('exactly 20:1 is accepted and stays within 20:1 after scaling', async () => {
    const out = await normalizeScan(await solid(6000, 300, 'png'));
    assert.equal(out.width, 2048);
    assert.ok(out.width / out.height <= 20, `${out.width}x${out.height}`);
  });
});

describe('normalizeScan: orientation and metadata', () => {
  test('EXIF orientation is applied to the pixels and every metadata block is dropped (GPS included)', async () => {
    // 800×600 stored; a red block in the stored top-left corner; orientation 6 = "rotate 90° clockwise to show".
    const red = await sharp({ create: { width: 200, height: 150, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
    const withGps = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 255, g: 255, b: 255 } } })
      .composite([{ input: red, left: 0, top: 0 }])
      .jpeg()
      .withExif({
        IFD0: { Make: 'SecretCam', Model: 'Serial-1234567' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100', GPSMapDatum: 'SECRET-DATUM' },
      })
      .withIccProfile('p3')
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const before = await sharp(withGps).metadata();
    assert.equal(before.orientation, 6, 'the fixture carries orientation 6');
    assert.ok(before.exif !== undefined && before.icc !== undefined, 'the fixture carries EXIF and ICC');
    for (const marker of ['SecretCam', 'SECRET-DATUM']) assert.ok(withGps.includes(marker), `the fixture carries ${marker}`);

    const out = await normalizeScan(new Uint8Array(withGps));
    assert.deepEqual([out.width, out.height], [600, 800]);
    const after = await sharp(out.jpeg).metadata();
    assert.equal(after.exif, undefined);
    assert.equal(after.icc, undefined);
    assert.equal(after.xmp, undefined);
    assert.equal(after.iptc, undefined);
    assert.equal(after.orientation, undefined);
    const text = Buffer.from(out.jpeg).toString('latin1');
    for (const marker of ['Exif', 'SecretCam', 'Serial-1234567', 'SECRET-DATUM', 'ICC_PROFILE', 'http://ns.adobe.com']) assert.ok(!text.includes(marker), marker);
    // Rotated clockwise, the stored top-left block is now at the top-right.
    const { data, info } = await sharp(out.jpeg).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const tr = px(info.width - 20, 20);
    const tl = px(20, 20);
    assert.ok((tr[0] ?? 0) > 200 && (tr[1] ?? 255) < 60, `top-right should be red: ${String(tr)}`);
    assert.ok((tl[1] ?? 0) > 200, `top-left should be white: ${String(tl)}`);
  });
});

describe('normalizeScan: refusals', () => {
  test('bytes that are not an image, SVG, GIF, TIFF, truncated JPEG, lying magic: SCAN_NOT_AN_IMAGE', async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"><image href="file:///etc/passwd"/></svg>');
    const gif = new Uint8Array(await sharp({ create: { width: 400, height: 400, channels: 3, background: '#888' } }).gif().toBuffer());
    const tiff = new Uint8Array(await sharp({ create: { width: 400, height: 400, channels: 3, background: '#888' } }).tiff().toBuffer());
    const jpeg = await noise(800, 600);
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
    const lying = new Uint8Array([...(await solid(400, 400, 'png')).subarray(0, 8), ...new Uint8Array(200).fill(7)]);
    const pngMagicOnJpeg = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...jpeg]);
    for (const [name, bytes] of Object.entries({ empty: new Uint8Array(0), text: new TextEncoder().encode('hello, this is not a picture'), svg, gif, tiff, truncated, lying, pngMagicOnJpeg })) {
      await rejects(normalizeScan(bytes), 'SCAN_NOT_AN_IMAGE').catch((e: unknown) => {
        throw new Error(`${name}: ${String(e)}`);
      });
    }
  });

  test('HEIC is recognised and refused with its own code', async () => {
    const ftyp = Buffer.alloc(32);
    ftyp.writeUInt32BE(24, 0);
    ftyp.write('ftypheic', 4, 'ascii');
    ftyp.write('mif1heic', 16, 'ascii');
    assert.equal(sniffImageFormat(ftyp), 'heic');
    await rejects(normalizeScan(new Uint8Array(ftyp)), 'SCAN_UNSUPPORTED_FORMAT');
  });

  test('too small: under 300 px on the shortest side (after orientation)', async () => {
    await rejects(normalizeScan(await solid(299, 1000, 'png')), 'SCAN_TOO_SMALL');
    await rejects(normalizeScan(await solid(1000, 120, 'jpeg')), 'SCAN_TOO_SMALL');
  });

  test('aspect ratio over 20:1', async () => {
    await rejects(normalizeScan(await solid(6100, 300, 'png')), 'SCAN_ASPECT');
  });

  test('decode bombs are refused from the header, before decoding', async () => {
    const bomb = pngHeaderOnly(50_000, 50_000); // 2.5 gigapixels claimed in ~70 bytes
    assert.ok(bomb.length < 100);
    const t = performance.now();
    await rejects(normalizeScan(bomb), 'SCAN_TOO_LARGE');
    assert.ok(performance.now() - t < 1000, 'refused without decoding');
  });

  test('byte, pixel and output caps are enforced (limits lowered to make them reachable)', async () => {
    const photo = await noise(1200, 1000);
    await rejects(normalizeScan(photo, { ...SCAN_LIMITS, maxInputBytes: photo.byteLength - 1 }), 'SCAN_TOO_LARGE');
    await rejects(normalizeScan(photo, { ...SCAN_LIMITS, maxInputPixels: 1_000_000 }), 'SCAN_TOO_LARGE');
    await rejects(normalizeScan(photo, { ...SCAN_LIMITS, maxOutputBytes: 10_000 }), 'SCAN_TOO_LARGE');
    const ok = await normalizeScan(photo, { ...SCAN_LIMITS, maxInputBytes: photo.byteLength, maxInputPixels: 1_200_000 });
    assert.deepEqual([ok.width, ok.height], [1200, 1000]);
  });
});

test('targetSize keeps within the long side and the aspect limit', () => {
  assert.deepEqual(targetSize(4000, 3000, SCAN_LIMITS), { width: 2048, height: 1536 });
  assert.deepEqual(targetSize(1000, 800, SCAN_LIMITS), { width: 1000, height: 800 });
  assert.deepEqual(targetSize(6000, 300, SCAN_LIMITS), { width: 2048, height: 103 });
  assert.deepEqual(targetSize(300, 6000, SCAN_LIMITS), { width: 103, height: 2048 });
});

function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}
