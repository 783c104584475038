/** TEST ONLY — generated document photos with their ground truth. */
import { composeMrz, randomIdentity, type Identity, type MrzKind } from './mrz-compose';
import { photograph, renderDocument, type Photo, type PhotoOptions } from './render';

export { composeMrz, icaoCheckDigit, randomIdentity, rng, type Identity, type MrzKind } from './mrz-compose';
export { photograph, renderDocument, MRZ_FONT_FAMILY, type Photo, type PhotoOptions, type Point } from './render';

export interface Fixture {
  readonly identity: Identity;
  readonly mrz: readonly string[];
  readonly photo: Photo;
  readonly options: PhotoOptions;
}

export type Condition = 'clean' | 'degraded' | 'harsh';

/**
 * The photo conditions of a generated set: "clean" is a good phone photo, "degraded" a poor one,
 * "harsh" one nobody should send (small in the frame, blurred, dark, noisy, JPEG at quality 25-40):
 * it is there to make the readers fail, so that what the fill rules do with failures is measured.
 */
export function photoOptions(seed: number, condition: Condition, size: { width: number; height: number } = { width: 1600, height: 1200 }): PhotoOptions {
  const r = (k: number): number => ((Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453) % 1 + 1) % 1;
  const clean = condition === 'clean';
  if (condition === 'harsh') {
    return {
      photoWidth: size.width,
      photoHeight: size.height,
      docFraction: 0.42 + r(1) * 0.12,
      angle: (r(2) - 0.5) * 20,
      blurSigma: 1.4 + r(3) * 1.0,
      brightness: 0.45 + r(4) * 0.2,
      noise: 10 + r(5) * 8,
      jpegQuality: 25 + Math.floor(r(6) * 15),
      seed,
    };
  }
  return {
    photoWidth: size.width,
    photoHeight: size.height,
    docFraction: clean ? 0.7 + r(1) * 0.15 : 0.6 + r(1) * 0.2,
    angle: (r(2) - 0.5) * (clean ? 6 : 14),
    blurSigma: clean ? 0 : 0.8 + r(3) * 0.9,
    brightness: clean ? 1 : 0.65 + r(4) * 0.2,
    noise: clean ? 2 : 6 + r(5) * 6,
    jpegQuality: clean ? 90 : 45 + Math.floor(r(6) * 20),
    seed,
  };
}

export async function makeFixture(seed: number, kind: MrzKind, condition: Condition, size?: { width: number; height: number }): Promise<Fixture> {
  const identity = randomIdentity(seed, kind);
  const mrz = composeMrz(identity);
  const doc = await renderDocument(identity, mrz, seed);
  const options = photoOptions(seed, condition, size);
  return { identity, mrz, photo: await photograph(doc, options), options };
}
