/**
 * TEST ONLY — the photos behind the Scan screen's hard cases (issue 22), generated at test time:
 * a 12 MB phone photo, passports whose machine-readable zone cannot be read, a portrait photo, and a
 * flat scan (the page itself, nothing around it).
 */
import sharp from 'sharp';
import { photoOptions } from './index';
import { photograph, renderDocument, type Photo } from './render';
import { composeMrz, randomIdentity, type Identity, type MrzKind } from './mrz-compose';

export interface HardPhoto {
  readonly identity: Identity;
  readonly photo: Photo;
}

/**
 * A passport photographed at 4600×3450 (16 MP, what a phone takes), its grain kept by a JPEG of quality
 * 98: about 12.5 MB, the size a person's photo straight off a phone has.
 */
export async function largePhoto(seed: number): Promise<HardPhoto> {
  const identity = randomIdentity(seed, 'TD3');
  const doc = await renderDocument(identity, composeMrz(identity), seed);
  const photo = await photograph(doc, { ...photoOptions(seed, 'clean', { width: 4600, height: 3450 }), noise: 15, jpegQuality: 98 });
  return { identity, photo };
}

/**
 * A sharp, well-lit photo of a document whose machine-readable zone cannot be read: `blurred` (the
 * zone is there, smeared out: the reader finds the lines but no value passes its check digits) or
 * `missing` (no zone at all). Everything else on the page is as sharp as in any good photo.
 */
export async function unreadableMrzPhoto(seed: number, kind: MrzKind, how: 'blurred' | 'missing'): Promise<HardPhoto> {
  const identity = randomIdentity(seed, kind);
  let doc = await renderDocument(identity, how === 'missing' ? [] : composeMrz(identity), seed);
  if (how === 'blurred') {
    const top = Math.round(doc.height * 0.74);
    const band = await sharp(doc.png).extract({ left: 0, top, width: doc.width, height: doc.height - top }).blur(8).png().toBuffer();
    doc = { ...doc, png: await sharp(doc.png).composite([{ input: band, left: 0, top }]).png().toBuffer() };
  }
  return { identity, photo: await photograph(doc, photoOptions(seed, 'clean')) };
}

/** A passport photographed with the phone upright: a portrait picture (1200×1600) with the page across its middle. */
export async function portraitPhoto(seed: number): Promise<HardPhoto> {
  const identity = randomIdentity(seed, 'TD3');
  const doc = await renderDocument(identity, composeMrz(identity), seed);
  return { identity, photo: await photograph(doc, { ...photoOptions(seed, 'clean', { width: 1200, height: 1600 }), docFraction: 0.82, angle: 2 }) };
}

/** A flat scan cropped to the page: the document itself as a JPEG, nothing around it. */
export async function flatScan(seed: number, kind: MrzKind): Promise<{ readonly identity: Identity; readonly jpeg: Buffer; readonly width: number; readonly height: number }> {
  const identity = randomIdentity(seed, kind);
  const doc = await renderDocument(identity, composeMrz(identity), seed);
  return { identity, jpeg: await sharp(doc.png).jpeg({ quality: 90 }).toBuffer(), width: doc.width, height: doc.height };
}
