/**
 * `npx tsx bench/scan-quality.ts` — the measurements behind the quality thresholds
 * (electron/common/scan/quality.ts): the four metrics over the bench's clean and degraded photos and
 * over photos spoilt in one way each, through the app's own detection. With SCAN_QUALITY_SWEEP=1 it
 * also reads the MRZ of photos at a range of sizes, blurs and exposures (slow: Tesseract), which is
 * where each threshold was put: where the reader starts failing.
 */
import { correctDocument, grayOfRaster, guessQuarterTurns } from '../electron/common/scan/correct';
import type { Quad } from '../electron/common/scan/homography';
import { scanMrz } from '../electron/common/scan/mrz-ocr';
import { toPassportValues } from '../electron/common/scan/mrz-to-passport';
import { detectPage } from '../electron/common/scan/page-detect';
import { assessQuality, QUALITY_THRESHOLDS, type QualityMetrics } from '../electron/common/scan/quality';
import { composeMrz, photograph, photoOptions, randomIdentity, renderDocument, type MrzKind, type PhotoOptions } from '../test/support/scan-fixtures';
import { judge } from '../test/support/scan-fixtures/evaluate';
import { createNodeOcr, grayOf } from '../test/support/scan-fixtures/node-ocr';
import { QUALITY_SETS, qualityFixture } from '../test/support/scan-fixtures/quality-sets';

const PER_KIND = Number(process.env['SCAN_QUALITY_PER_KIND'] ?? 8);
const range = (xs: number[], digits: number, scale = 1): string => `${(Math.min(...xs) * scale).toFixed(digits)}-${(Math.max(...xs) * scale).toFixed(digits)}`;

async function distributions(): Promise<void> {
  console.log(`Quality metrics: ${PER_KIND} TD3 + ${PER_KIND} TD1 per set, 1600×1200 photos, corners as detected`);
  console.log(`thresholds: long side ≥ ${QUALITY_THRESHOLDS.minLongSide} px, sharpness ≥ ${QUALITY_THRESHOLDS.minSharpness}, luminance ≥ ${QUALITY_THRESHOLDS.minLuminance}, glare ≤ ${QUALITY_THRESHOLDS.maxGlare * 100}%`);
  console.log('set        long side   sharpness    luminance  glare %      verdicts');
  for (const set of QUALITY_SETS) {
    const m: Record<keyof QualityMetrics, number[]> = { longSide: [], sharpness: [], luminance: [], glare: [] };
    const verdicts = new Map<string, number>();
    let undetected = 0;
    for (const kind of ['TD3', 'TD1'] as const) {
      for (let i = 0; i < PER_KIND; i++) {
        const f = await qualityFixture(set, i, kind);
        const gray = await grayOf(f.photo.jpeg);
        const found = detectPage(gray);
        if (found === null) undetected++;
        const q = assessQuality(gray, found?.corners ?? (f.photo.corners as unknown as Quad));
        for (const k of Object.keys(m) as (keyof QualityMetrics)[]) m[k].push(q.metrics[k]);
        const v = q.issues.join('+') || 'pass';
        verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
      }
    }
    console.log(
      `${set.padEnd(10)} ${range(m.longSide, 0).padEnd(11)} ${range(m.sharpness, 2).padEnd(12)} ${range(m.luminance, 0).padEnd(10)} ${range(m.glare, 2, 100).padEnd(12)} ` +
        `${[...verdicts].map(([k, n]) => `${k} ${n}`).join(', ')}${undetected > 0 ? ` (${undetected} not detected: true corners used)` : ''}`,
    );
  }
}

async function sweep(): Promise<void> {
  const ocr = await createNodeOcr();
  const cases: [string, number[], (v: number, seed: number) => PhotoOptions][] = [
    ['long side, clean', [420, 500, 580, 660], (v, s) => ({ ...photoOptions(s, 'clean'), docFraction: v / 1600 })],
    ['long side, degraded', [480, 560, 640, 720, 800, 880], (v, s) => ({ ...photoOptions(s, 'degraded'), docFraction: v / 1600 })],
    ['blur σ', [1.8, 2.2, 2.6, 3.0, 3.5], (v, s) => ({ ...photoOptions(s, 'degraded'), blurSigma: v })],
    ['exposure', [0.22, 0.3, 0.4, 0.5], (v, s) => ({ ...photoOptions(s, 'degraded'), brightness: v })],
  ];
  console.log('\nMRZ read (all fields right) against size, blur and exposure: 3 TD3 + 3 TD1 each; metrics as measured');
  try {
    for (const [name, values, options] of cases) {
      for (const v of values) {
        let read = 0;
        const cells: string[] = [];
        for (const kind of ['TD3', 'TD1'] as MrzKind[]) {
          for (let i = 0; i < 3; i++) {
            const seed = 9000 + i * 2 + (kind === 'TD1' ? 1 : 0);
            const id = randomIdentity(seed, kind);
            const doc = await renderDocument(id, composeMrz(id), seed);
            const p = await photograph(doc, options(v, seed));
            const gray = await grayOf(p.jpeg);
            const corners = detectPage(gray)?.corners ?? (p.corners as unknown as Quad);
            const upright = grayOfRaster(correctDocument({ ...gray, channels: 1 }, corners, guessQuarterTurns(gray, corners), 2048));
            const s = await scanMrz(upright, ocr);
            const ok = judge(id, s.reading === null ? null : toPassportValues(s.reading)).fullyCorrect;
            if (ok) read++;
            const q = assessQuality(gray, corners);
            cells.push(`${ok ? 'read' : 'FAIL'} ${q.metrics.longSide.toFixed(0)}px/${q.metrics.sharpness.toFixed(1)}/${q.metrics.luminance.toFixed(0)}${q.issues.length ? ` [${q.issues.join('+')}]` : ''}`);
          }
        }
        console.log(`  ${name} ${v}: ${read}/6 read — ${cells.join('; ')}`);
      }
    }
  } finally {
    await ocr.terminate();
  }
}

await distributions();
if (process.env['SCAN_QUALITY_SWEEP'] === '1') await sweep();
