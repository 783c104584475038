/**
 * Quality checks: the rules on their own (each threshold raises its own issue, and only it), then on
 * generated photos through the app's detection: clean and degraded pass, each spoilt set fails for its
 * own reason. The full measurement (15 + 15 per set, and where the MRZ reader starts failing) is
 * `npx tsx bench/scan-quality.ts`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectPage } from '../../../electron/common/scan/page-detect';
import { assessQuality, judgeQuality, QUALITY_ADVICE, QUALITY_THRESHOLDS, type QualityIssue, type QualityMetrics } from '../../../electron/common/scan/quality';
import { grayOf } from '../../support/scan-fixtures/node-ocr';
import { QUALITY_SETS, qualityFixture } from '../../support/scan-fixtures/quality-sets';

const good: QualityMetrics = { longSide: 1200, sharpness: 8, luminance: 190, glare: 0 };

describe('quality rules', () => {
  test('a good photo passes; each metric past its threshold raises its own issue', () => {
    const t = QUALITY_THRESHOLDS;
    assert.deepEqual(judgeQuality(good).issues, []);
    assert.deepEqual(judgeQuality({ ...good, longSide: t.minLongSide - 1 }).issues, ['small']);
    assert.deepEqual(judgeQuality({ ...good, longSide: t.minLongSide }).issues, []);
    assert.deepEqual(judgeQuality({ ...good, sharpness: t.minSharpness * 0.9 }).issues, ['blurry']);
    assert.deepEqual(judgeQuality({ ...good, luminance: t.minLuminance - 1 }).issues, ['dark']);
    assert.deepEqual(judgeQuality({ ...good, glare: t.maxGlare * 1.5 }).issues, ['glare']);
  });

  test('in the dark, "too dark" is said, not "blurry" too (noise hides the detail)', () => {
    assert.deepEqual(judgeQuality({ ...good, luminance: 40, sharpness: 0.5 }).issues, ['dark']);
  });

  test('every issue has a title and advice', () => {
    for (const issue of ['small', 'blurry', 'dark', 'glare'] as QualityIssue[]) {
      assert.ok(QUALITY_ADVICE[issue].title.length > 0 && QUALITY_ADVICE[issue].advice.length > 0);
    }
  });
});

describe('quality checks on generated photos', () => {
  for (const set of QUALITY_SETS) {
    test(`${set}: ${set === 'clean' || set === 'degraded' ? 'passes' : `fails as ${set}`}`, async () => {
      for (const kind of ['TD3', 'TD1'] as const) {
        for (let i = 0; i < 2; i++) {
          const f = await qualityFixture(set, i, kind);
          const gray = await grayOf(f.photo.jpeg);
          const found = detectPage(gray);
          assert.ok(found !== null, `${set} ${kind} ${i}: document not found`);
          const { issues, metrics } = assessQuality(gray, found.corners);
          const where = `${set} ${kind} #${i}: ${JSON.stringify(metrics)}`;
          if (set === 'clean' || set === 'degraded') assert.deepEqual(issues, [], where);
          else assert.deepEqual(issues, [set], where);
        }
      }
    });
  }
});
