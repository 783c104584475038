/**
 * The cell grid's fit on column profiles with no character rhythm. The two profiles are the ink over the
 * columns of one MRZ line in tune-11-0005.jpg (`tools/mrz-photos/generate.py --seed 11 --split tune
 * --sizes 3000x2200`) and svg-31-0005.jpg (the SVG family, `--seed 31 --sizes 3000x2200`): their
 * autocorrelation is nearly flat, the peak's parabolic refinement put the pitch at about -2e12 px, and
 * the next autocorrelation walked trillions of lags: minutes of CPU, the CLI unanswering.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fitGrid } from '../../../electron/common/scan/mrz-cells';

interface Profile {
  readonly x0: number;
  readonly x1: number;
  readonly columns: number;
  readonly cols: number[];
}
const profiles = JSON.parse(readFileSync(new URL('./fixtures/no-rhythm-columns.json', import.meta.url), 'utf8')) as Record<string, Profile>;

describe('MRZ cell grid', () => {
  for (const [name, p] of Object.entries(profiles)) {
    test(`${name}: a profile with a flat autocorrelation gives a pitch near the ink's extent or none, at once`, () => {
      const t0 = performance.now();
      const grid = fitGrid(Float32Array.from(p.cols), p.x0, p.x1, p.columns);
      const ms = performance.now() - t0;
      const expected = (p.x1 - p.x0) / p.columns;
      // No grid (NaN, which mrzCells rejects) or one within the range the pitch was searched in.
      if (!Number.isNaN(grid.pitch)) assert.ok(grid.pitch > expected * 0.5 && grid.pitch < expected * 2, `pitch ${grid.pitch}`);
      // Generous (a loaded machine): the runaway search took minutes; a fit takes milliseconds.
      assert.ok(ms < 2000, `${ms} ms`);
    });
  }
});
