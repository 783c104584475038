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

export type Condition = 'clean' | 'degraded';

/** The photo conditions of a generated set: "clean" is a good phone photo, "degraded" a poor one. */
export function photoOptions(seed: number, condition: Condition, size: { width: number; height: number } = { width: 1600, height: 1200 }): PhotoOptions {
  const r = (k: number): number => ((Math.sin(seed * 12.9898 + k * 78.233) * 43758.5453) % 1 + 1) % 1;
  const clean = condition === 'clean';
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
