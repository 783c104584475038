/**
 * Part of `npm run bench -- scan` (issue 18): the MRZ reader on realistic phone photos made by a generator that
 * shares nothing with the reader (tools/mrz-photos: its own documents, print variation, camera), read by
 * exactly what `passport-vault scan` runs (`scanFiles`, electron/main/cli/commands/scan.ts) and scored by the
 * generator's own scorer (tools/mrz-photos/score.py).
 *
 * Sets (generated into .cache/bench-scan/, not committed; the generators skip a set that is already complete
 * and current):
 * - tune: the split the reader was tuned on (Python family, --split tune);
 * - holdout: the same generator's other split (other surfaces, portraits, label fonts, half the MRZs in the
 *   OCR-B "S" digitisation, other seeds): never tuned on;
 * - svg: the second family (tools/mrz-photos/svg: SVG layouts through librsvg, its own camera): never tuned on;
 * - speed: 3000×2200 photos (holdout split, another seed) for the latency figure.
 * Sizes: SCAN_BENCH_PHOTOS (tune and holdout, default 40), SCAN_BENCH_SVG (default 20), SCAN_BENCH_SPEED (default 8):
 * the reader takes seconds a photo today, so the defaults keep a run under half an hour on this machine.
 * `npm run bench -- scan` runs this after the issue-8 sets (clean, degraded, harsh); `npm run bench -- scan-photos` runs it alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanPhoto } from '../electron/common/scan/scan-photo';
import { scanFiles } from '../electron/main/cli/commands/scan';
import { createNodeOcr } from '../electron/main/scans/node-ocr';
import { decodePhoto } from '../electron/main/scans/photo-decode';
import { findPhotoPython } from '../tools/mrz-photos/python';
import { result } from './result';

const root = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(root, '.cache', 'bench-scan');
const PHOTOS = Number(process.env['SCAN_BENCH_PHOTOS'] ?? 40);
const SVG = Number(process.env['SCAN_BENCH_SVG'] ?? 20);
const SPEED = Number(process.env['SCAN_BENCH_SPEED'] ?? 8);

interface Group {
  docs: number;
  all_right: number;
  all_right_pct: number;
  wrong_silent_fields: number;
  wrong_silent_docs: number;
  wrong_flagged_fields: number;
  ok: number;
  confirm: number;
  not_found: number;
  error: number;
  missing: number;
  ms_median: number | null;
  corner_docs: number;
  corners_found: number;
  corners_pct: number | null;
  corners_oriented: number;
  mrz_char_accuracy_pct: number;
}

interface SetSpec {
  readonly name: 'tune' | 'holdout' | 'svg' | 'speed';
  readonly label: string;
  readonly dir: string;
  readonly generate: readonly string[];
}

function sets(python: string): SetSpec[] {
  const py = (out: string, args: string[]): string[] => [python, join(root, 'tools/mrz-photos/generate.py'), '--out', out, ...args];
  const tune = join(CACHE, `tune-s1-n${PHOTOS}`);
  const holdout = join(CACHE, `holdout-s1-n${PHOTOS}`);
  const svg = join(CACHE, `svg-s1-n${SVG}`);
  const speed = join(CACHE, `speed-s7-n${SPEED}`);
  return [
    { name: 'tune', label: 'tuned on', dir: tune, generate: py(tune, ['--count', String(PHOTOS), '--seed', '1', '--split', 'tune', '--jobs', '2']) },
    { name: 'holdout', label: 'held out', dir: holdout, generate: py(holdout, ['--count', String(PHOTOS), '--seed', '1', '--split', 'holdout', '--jobs', '2']) },
    {
      name: 'svg',
      label: 'held out, 2nd generator',
      dir: svg,
      generate: [process.execPath, '--import', 'tsx', join(root, 'tools/mrz-photos/svg/generate.ts'), '--out', svg, '--count', String(SVG), '--seed', '1', '--quiet'],
    },
    {
      name: 'speed',
      label: '3000×2200 (latency)',
      dir: speed,
      generate: py(speed, ['--count', String(SPEED), '--seed', '7', '--split', 'holdout', '--sizes', '3000x2200', '--jobs', '2']),
    },
  ];
}

function generate(set: SetSpec): boolean {
  mkdirSync(set.dir, { recursive: true });
  const t = performance.now();
  const [cmd, ...args] = set.generate;
  const r = spawnSync(cmd!, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0 || !existsSync(join(set.dir, 'truth.json'))) {
    console.log(`  ${set.name}: the generator failed (${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    return false;
  }
  const s = (performance.now() - t) / 1000;
  if (s > 5) console.log(`  ${set.name}: generated in ${s.toFixed(0)} s`);
  return true;
}

function score(python: string, set: SetSpec, resultsPath: string): Record<string, Group> | null {
  const r = spawnSync(python, [join(root, 'tools/mrz-photos/score.py'), '--truth', join(set.dir, 'truth.json'), '--results', resultsPath, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`  ${set.name}: score.py failed: ${r.stderr.trim().split('\n').pop() ?? ''}`);
    return null;
  }
  return (JSON.parse(r.stdout) as { groups: Record<string, Group> }).groups;
}

const pct = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)}%`);

function table(label: string, groups: Record<string, Group>): void {
  console.log(`  ${label}`);
  console.log('    group          docs  all-right  wrong-unflagged(fields/docs)  wrong-flagged  ok/confirm/not_found/error  corners(whole card)  MRZ chars  median ms');
  for (const [k, g] of Object.entries(groups)) {
    console.log(
      `    ${k.padEnd(13)}${String(g.docs).padStart(5)}  ${pct(g.all_right_pct).padStart(9)}  ${`${g.wrong_silent_fields}/${g.wrong_silent_docs}`.padStart(28)}  ${String(g.wrong_flagged_fields).padStart(13)}  ` +
        `${`${g.ok}/${g.confirm}/${g.not_found}/${g.error}`.padStart(26)}  ${`${pct(g.corners_pct)} of ${g.corner_docs}`.padStart(19)}  ${pct(g.mrz_char_accuracy_pct).padStart(9)}  ${String(g.ms_median ?? '-').padStart(9)}`,
    );
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Warm per-photo times on the 3000×2200 set: decoding (sharp) and the pipeline (scan-photo.ts), apart. */
async function latency(set: SetSpec): Promise<void> {
  const truth = JSON.parse(readFileSync(join(set.dir, 'truth.json'), 'utf8')) as { photos: { file: string }[] };
  const ocr = await createNodeOcr();
  try {
    const files = truth.photos.map((p) => join(set.dir, p.file));
    const first = await decodePhoto(readFileSync(files[0]!));
    await scanPhoto(first.gray, ocr); // warm-up: Tesseract's first call and the JIT
    const decode: number[] = [];
    const pipeline: number[] = [];
    const cpu: number[] = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      const t0 = performance.now();
      const photo = await decodePhoto(bytes);
      const t1 = performance.now();
      const c0 = process.cpuUsage();
      await scanPhoto(photo.gray, ocr);
      const c = process.cpuUsage(c0);
      pipeline.push(performance.now() - t1);
      decode.push(t1 - t0);
      cpu.push((c.user + c.system) / 1000);
    }
    console.log(
      `  3000×2200 photos, warm, median of ${files.length}: decode ${median(decode).toFixed(0)} ms, pipeline (corners, orientation, quality, MRZ) ${median(pipeline).toFixed(0)} ms ` +
        `(CPU of both threads ${median(cpu).toFixed(0)} ms); decode + pipeline ${median(pipeline.map((p, i) => p + decode[i]!)).toFixed(0)} ms; goal ≤ 1000 ms`,
    );
    result('scan.photos.latency.3000x2200', median(pipeline.map((p, i) => p + decode[i]!)), 'ms', 'decode+pipeline', '<=', 1000);
  } finally {
    await ocr.terminate();
  }
}

export async function photoSets(): Promise<void> {
  console.log('\nRealistic phone photos (tools/mrz-photos; issue 18): read by `passport-vault scan`\'s own code, scored by the generator\'s score.py');
  const found = findPhotoPython();
  if ('error' in found) {
    console.log(`  skipped: ${found.error}`);
    return;
  }
  const { python } = found;
  const all = sets(python);
  for (const set of all) {
    if (!generate(set)) continue;
    if (set.name === 'speed') {
      await latency(set);
      continue;
    }
    const truth = JSON.parse(readFileSync(join(set.dir, 'truth.json'), 'utf8')) as { photos: { file: string }[]; generator_version?: string };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const results = await scanFiles(truth.photos.map((p) => join(set.dir, p.file)));
    const c = process.cpuUsage(c0);
    const resultsPath = join(set.dir, 'results.json');
    writeFileSync(resultsPath, JSON.stringify({ results }));
    const groups = score(python, set, resultsPath);
    if (groups === null) continue;
    table(
      `${set.name} (${set.label}; generator ${truth.generator_version ?? '?'}): ${truth.photos.length} photos in ${((performance.now() - t0) / 1000).toFixed(0)} s, ` +
        `CPU ${((c.user + c.system) / 1000 / truth.photos.length).toFixed(0)} ms a photo`,
      groups,
    );
    const g = groups['all'];
    if (g === undefined) continue;
    result(`scan.photos.${set.name}.all-right`, g.all_right_pct, '%', 'mild+hard', '>=', 95);
    result(`scan.photos.${set.name}.wrong-silent`, g.wrong_silent_fields, 'fields', 'mild+hard', '==', 0);
    if (g.corners_pct !== null) result(`scan.photos.${set.name}.corners`, g.corners_pct, '%', 'whole-card-photos', '>=', 98);
    if (g.ms_median !== null) result(`scan.photos.${set.name}.median-ms`, g.ms_median, 'ms', 'decode+read (all sizes)', '<=', 1000);
  }
}

// `npm run bench -- scan-photos`: this part alone.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await photoSets();
