/**
 * TEST/BENCH ONLY — the photo sets the quality thresholds (electron/common/scan/quality.ts) are
 * measured on: the bench's clean and degraded photos (which must pass: the MRZ reader reads them)
 * and, for each failure class, photos made bad in exactly that one way.
 */
import type { QualityIssue } from '../../../electron/common/scan/quality';
import { makeFixture, photoOptions, type Fixture } from './index';
import { composeMrz, randomIdentity, type MrzKind } from './mrz-compose';
import { photograph, renderDocument, type PhotoOptions } from './render';

export type QualitySet = 'clean' | 'degraded' | QualityIssue;

export const QUALITY_SETS: readonly QualitySet[] = ['clean', 'degraded', 'small', 'blurry', 'dark', 'glare'];

/** The one way each bad set differs from a degraded photo (clean for "small", so that size alone fails it). */
function spoil(set: QualityIssue, base: PhotoOptions, r: (k: number) => number): PhotoOptions {
  switch (set) {
    case 'small':
      // 1600 px wide photos: the document 450-670 px across (clean photos read there, degraded ones not reliably).
      return { ...photoOptions(base.seed, 'clean'), docFraction: 0.28 + r(1) * 0.14 };
    case 'blurry':
      // Where the MRZ reader starts failing (σ 2.6: 5 of 6 read; σ 3: 3 of 6) and beyond.
      return { ...base, blurSigma: 2.8 + r(2) * 1.4 };
    case 'dark':
      return { ...base, brightness: 0.22 + r(3) * 0.1 };
    case 'glare':
      return { ...base, glare: 0.8 + r(4) * 0.5 };
  }
}

export async function qualityFixture(set: QualitySet, index: number, kind: MrzKind): Promise<Fixture> {
  // The clean and degraded seeds are the bench's own (bench/scan.ts), the bad sets' seeds apart.
  if (set === 'clean' || set === 'degraded') return makeFixture(1000 + index * 4 + (set === 'degraded' ? 2 : 0) + (kind === 'TD1' ? 1 : 0), kind, set);
  const seed = 7000 + QUALITY_SETS.indexOf(set) * 100 + index * 2 + (kind === 'TD1' ? 1 : 0);
  const r = (k: number): number => ((Math.sin(seed * 7.7 + k * 31.1) * 9631.7) % 1 + 1) % 1;
  const identity = randomIdentity(seed, kind);
  const mrz = composeMrz(identity);
  const doc = await renderDocument(identity, mrz, seed);
  const options = spoil(set, photoOptions(seed, 'degraded'), r);
  return { identity, mrz, photo: await photograph(doc, options), options };
}
