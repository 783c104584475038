/** Which chosen files can be document photos, and what the person is told about the rest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { checkPhotoBlob, checkPhotoFile } from '../../../electron/common/scan/photo-file';

/** An ISO-BMFF `ftyp` box: size, 'ftyp', major brand, version, compatible brands. */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  const bytes = new Uint8Array(Math.max(size, 32));
  new DataView(bytes.buffer).setUint32(0, size);
  bytes.set(new TextEncoder().encode(`ftyp${major}\0\0\0\0${compatible.join('')}`), 4);
  return bytes;
}

test('JPEG, PNG, WebP and AVIF are accepted by their bytes, whatever their name or type says', async () => {
  const img = sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } });
  for (const bytes of [await img.clone().jpeg().toBuffer(), await img.clone().png().toBuffer(), await img.clone().webp().toBuffer(), await img.clone().avif().toBuffer()]) {
    assert.deepEqual(checkPhotoFile('photo.jpg', 'image/jpeg', new Uint8Array(bytes)), { ok: true, kind: 'image' });
    assert.deepEqual(checkPhotoFile('no-extension', '', new Uint8Array(bytes.subarray(0, 64))), { ok: true, kind: 'image' });
  }
});

test('HEIC is refused with the advice to export as JPEG: by its bytes, its type or its name', () => {
  const heic = ftyp('heic', ['mif1', 'heic']);
  const generic = ftyp('mif1', ['mif1', 'heic']);
  const unknown = new Uint8Array(64);
  for (const [name, type, head] of [
    ['IMG_0001.HEIC', 'image/heic', heic],
    ['renamed.jpg', 'image/jpeg', heic],
    ['x', '', generic],
    ['IMG_0002.heic', '', unknown],
    ['photo.heif', '', unknown],
    ['photo', 'image/heif', unknown],
    ['burst', 'image/heic-sequence', unknown],
  ] as const) {
    const r = checkPhotoFile(name, type, head);
    assert.equal(r.ok, false, name);
    assert.ok(!r.ok && r.reason === 'heic' && /HEIC is not supported: export the photo as JPEG/.test(r.message), `${name}: ${JSON.stringify(r)}`);
  }
  // AVIF is HEIF too, but AV1: readable.
  assert.deepEqual(checkPhotoFile('photo.heic', 'image/heic', ftyp('mif1', ['mif1', 'avif'])), { ok: true, kind: 'image' });
});

test('PDF is accepted as a PDF (its first page is read in the renderer): by its bytes first, then its type or name; anything else is refused with the list of formats', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'.padEnd(64, ' '));
  for (const [name, type, head] of [
    ['passport.pdf', 'application/pdf', pdf],
    ['scan', '', pdf],
    ['scan.PDF', '', new Uint8Array(64)],
    ['renamed.jpg', 'image/jpeg', pdf],
    ['renamed.heic', 'image/heic', pdf],
  ] as const) {
    assert.deepEqual(checkPhotoFile(name, type, head), { ok: true, kind: 'pdf' }, name);
  }
  for (const [name, type, head] of [
    ['drawing.svg', 'image/svg+xml', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>'.padEnd(64, ' '))],
    ['photo.tiff', 'image/tiff', Uint8Array.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0, 0, 0])],
    ['notes.txt', 'text/plain', new TextEncoder().encode('hello')],
    ['empty.jpg', 'image/jpeg', new Uint8Array(0)],
  ] as const) {
    const r = checkPhotoFile(name, type, head);
    assert.ok(!r.ok && r.reason === 'other' && /or a PDF/.test(r.message), name);
  }
});

test('checkPhotoBlob reads a Blob/File the same way', async () => {
  const heic = new File([ftyp('heic', ['mif1', 'heic']), new Uint8Array(1000)], 'IMG.HEIC', { type: 'image/heic' });
  const r = await checkPhotoBlob(heic);
  assert.ok(!r.ok && r.reason === 'heic');
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#777' } }).jpeg().toBuffer();
  assert.deepEqual(await checkPhotoBlob(new Blob([new Uint8Array(jpeg)], { type: '' })), { ok: true, kind: 'image' });
});
