/**
 * `npx tsx bench/scan.ts` (proposed as `npm run bench:scan`, and appended to `npm run bench`) — document scanning (issue 8): accuracy of the offline MRZ reader over generated
 * passports (TD3) and ID cards (TD1), clean and degraded, and the latencies the issue sets goals for.
 *
 * Accuracy goals: ≥ 95% of documents fully correct after check-digit validation (every field filled,
 * every value right), and zero wrong values filled silently (wrong and not marked for confirmation).
 * Latency goals: locate + MRZ on a 3000×2200 photo ≤ 1.5 s warm; JPEG encoding of 24 MP ≤ 300 ms.
 * Also prints the renderer's initial bundle (run `npm run build` first) and whether scanning assets
 * stay out of it. A benchmark reports; it does not fail.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { scanMrz } from '../electron/common/scan/mrz-ocr';
import { toPassportValues } from '../electron/common/scan/mrz-to-passport';
import { normalizeScan } from '../electron/main/scans/normalize-scan';
import { makeFixture, type Condition, type MrzKind } from '../test/support/scan-fixtures';
import { judge } from '../test/support/scan-fixtures/evaluate';
import { createNodeOcr, grayOf } from '../test/support/scan-fixtures/node-ocr';

const root = fileURLToPath(new URL('..', import.meta.url));
const PER_CELL = Number(process.env['SCAN_BENCH_PER_CELL'] ?? 15);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
const pct = (n: number, d: number): string => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;

async function accuracy(ocr: Awaited<ReturnType<typeof createNodeOcr>>): Promise<void> {
  console.log(`\nMRZ accuracy: ${PER_CELL} documents per cell, 1600×1200 photos`);
  console.log('cell              docs  fully-correct  fields-filled  wrong(flagged)  wrong(silent)  median-ms');
  let docs = 0;
  let full = 0;
  let silent = 0;
  let flagged = 0;
  for (const kind of ['TD3', 'TD1'] as MrzKind[]) {
    for (const condition of ['clean', 'degraded'] as Condition[]) {
      let cellFull = 0;
      let cellFilled = 0;
      let cellFlagged = 0;
      let cellSilent = 0;
      const ms: number[] = [];
      for (let i = 0; i < PER_CELL; i++) {
        const seed = 1000 + i * 4 + (kind === 'TD1' ? 1 : 0) + (condition === 'degraded' ? 2 : 0);
        const f = await makeFixture(seed, kind, condition);
        const gray = await grayOf(f.photo.jpeg);
        const t = performance.now();
        const scan = await scanMrz(gray, ocr);
        ms.push(performance.now() - t);
        const v = judge(f.identity, scan.reading === null ? null : toPassportValues(scan.reading));
        if (v.fullyCorrect) cellFull++;
        cellFilled += v.filled;
        cellFlagged += v.wrongFlagged.length;
        cellSilent += v.wrongSilent.length;
        if (v.wrongFlagged.length + v.wrongSilent.length > 0) {
          console.log(`  seed ${seed}: wrong ${[...v.wrongFlagged, ...v.wrongSilent.map((s) => s + '(silent)')].join(', ')}; read ${JSON.stringify(scan.text)}; truth ${JSON.stringify(f.mrz)}`);
        }
      }
      docs += PER_CELL;
      full += cellFull;
      silent += cellSilent;
      flagged += cellFlagged;
      console.log(
        `${`${kind} ${condition}`.padEnd(18)}${String(PER_CELL).padStart(4)}  ${pct(cellFull, PER_CELL).padStart(13)}  ${pct(cellFilled, PER_CELL * 7).padStart(13)}  ${String(cellFlagged).padStart(14)}  ${String(cellSilent).padStart(13)}  ${median(ms).toFixed(0).padStart(9)}`,
      );
    }
  }
  console.log(`all               ${String(docs).padStart(4)}  ${pct(full, docs).padStart(13)}  goal ≥ 95%; wrong values filled: ${flagged} flagged for confirmation, ${silent} silent (goal 0)`);
}

async function latency(ocr: Awaited<ReturnType<typeof createNodeOcr>>): Promise<void> {
  console.log('\nLatency');
  const f = await makeFixture(7, 'TD3', 'clean', { width: 3000, height: 2200 });
  const gray = await grayOf(f.photo.jpeg);
  await scanMrz(gray, ocr); // warm-up
  const runs: { locate: number; total: number; attempts: number }[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await scanMrz(gray, ocr);
    runs.push({ locate: s.ms.locate, total: performance.now() - t, attempts: s.attempts });
  }
  const decodeT = performance.now();
  await grayOf(f.photo.jpeg);
  const decode = performance.now() - decodeT;
  console.log(
    `  3000×2200 photo, warm: locate ${median(runs.map((r) => r.locate)).toFixed(0)} ms, locate+crop+OCR+parse ${median(runs.map((r) => r.total)).toFixed(0)} ms ` +
      `(${runs[0]?.attempts ?? 0} OCR attempt(s)); decode to gray ${decode.toFixed(0)} ms; goal ≤ 1500 ms (no perspective correction yet)`,
  );

  const big = await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#888' } })
    .composite([{ input: f.photo.jpeg, left: 1500, top: 900 }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  const enc: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await sharp(big.data, { raw: { width: 6000, height: 4000, channels: 3 } }).jpeg({ quality: 89, mozjpeg: false }).toBuffer();
    enc.push(performance.now() - t);
  }
  console.log(`  JPEG encode of 24 MP (6000×4000, q89, libjpeg-turbo via sharp): ${median(enc).toFixed(0)} ms; goal ≤ 300 ms`);
  const jpeg24 = await sharp(big.data, { raw: { width: 6000, height: 4000, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  const norm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await normalizeScan(new Uint8Array(jpeg24));
    norm.push(performance.now() - t);
  }
  console.log(`  normalizeScan of a 24 MP JPEG (decode, orient, resize to 2048, encode q89): ${median(norm).toFixed(0)} ms`);
}

function bundle(): void {
  console.log('\nRenderer bundle (out/renderer)');
  const dir = join(root, 'out/renderer');
  let html: string;
  try {
    html = readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    console.log('  out/renderer/index.html missing: run `npm run build` first');
    return;
  }
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  const size = (p: string): number => statSync(join(dir, p)).size;
  const initialBytes = initial.reduce((s, p) => s + size(p), 0);
  console.log(`  initial (index.html + what it loads): ${(initialBytes / 1024).toFixed(1)} KiB in ${initial.join(', ')}`);
  const assets = readdirSync(join(dir, 'assets'));
  const heavy = assets.filter((a) => /\.(wasm|traineddata|gz)$|tesseract|worker/i.test(a));
  const heavyBytes = heavy.reduce((s, a) => s + size(join('assets', a)), 0);
  const leaked = initial.filter((p) => heavy.some((h) => p.endsWith(h)));
  console.log(`  scanning assets (lazy): ${(heavyBytes / 1024 / 1024).toFixed(1)} MiB in ${heavy.length} file(s); in the initial bundle: ${leaked.length === 0 ? 'none' : leaked.join(', ')}`);
}

const ocr = await createNodeOcr();
try {
  await accuracy(ocr);
  await latency(ocr);
} finally {
  await ocr.terminate();
}
bundle();
