/**
 * The SVG family: a second, smaller held-out set of phone photos, through a different rendering path from the
 * Python family (SVG laid out here, rasterised by librsvg through sharp; warp, light and noise in TypeScript;
 * blur, sharpening and JPEG by libvips). Same truth.json format, same scorer (../score.py).
 *
 *   npx tsx tools/mrz-photos/svg/generate.ts --out DIR --count N --seed S [--severity mild|hard|mix] [--sizes WxH,...] [--start K] [--force] [--quiet]
 *
 * It is for reporting only: never tune on it.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { documentSvg, SIZE_MM } from './document-svg';
import { makeHolder } from './holder';
import { fields, lines, type Kind } from './mrz';
import { develop } from './develop';
import { layDown, light } from './photo';
import { makePlan, pageCorners, project, type Severity } from './pose';
import { rasterDocument, rasterSvg } from './raster';
import { Rng } from './rng';
import { SURFACES, surfaceSvg } from './table-svg';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export function generatorVersion(): string {
  const h = createHash('sha256');
  for (const name of readdirSync(HERE).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) h.update(name).update('\0').update(readFileSync(join(HERE, name)));
  return h.digest('hex').slice(0, 12);
}

export interface Options {
  out: string;
  count: number;
  seed: number;
  severity: 'mild' | 'hard' | 'mix';
  start: number;
  sizes?: [number, number][];
  force: boolean;
  quiet: boolean;
}

const KINDS: [Kind, number][] = [['TD1', 0.45], ['TD2', 0.1], ['TD3', 0.45]];
const round1 = (v: number): number => Math.round(v * 10) / 10;

async function makeOne(o: Options, index: number): Promise<Record<string, unknown>> {
  const t0 = Date.now();
  const rng = new Rng(o.seed, 0x5f6, index);
  const severity: Severity = o.severity === 'mix' ? (index % 2 === 0 ? 'mild' : 'hard') : o.severity;
  const u = rng.next();
  const kind = u < (KINDS[0]?.[1] ?? 0) ? 'TD1' : u < 0.55 ? 'TD2' : 'TD3';
  const holder = makeHolder(rng, kind);
  const mrz = lines(holder);
  const doc = documentSvg(rng, holder, mrz, severity === 'hard');
  const pageMm = SIZE_MM[kind];
  const pl = makePlan(rng, severity, pageMm, o.sizes);
  const corners = pageCorners(pl);
  // Print resolution: the largest magnification along the page's edges (x1.08), capped.
  let mag = 0;
  for (let i = 0; i < 4; i++) {
    const a = corners[i]!;
    const b = corners[(i + 1) % 4]!;
    mag = Math.max(mag, Math.hypot(b[0] - a[0], b[1] - a[1]) / (i % 2 === 0 ? pageMm[0] : pageMm[1]));
  }
  const px = Math.min(36, Math.max(4, mag * 1.08));
  const raster = await rasterDocument(doc, px);
  // The surface: drawn over the frame's extent in mm at a quarter of the photo's size, enlarged by sharp.
  const surface = rng.pick(SURFACES);
  const frameMm: [number, number] = [pl.w / mag, pl.h / mag];
  const tw = Math.max(16, Math.round(pl.w / 4));
  const th = Math.max(16, Math.round(pl.h / 4));
  const small = await rasterSvg(surfaceSvg(rng, surface, frameMm[0], frameMm[1]), tw, th);
  const scene = await sharp(small.data, { raw: { width: small.width, height: small.height, channels: 4 } })
    .removeAlpha()
    .resize(pl.w, pl.h, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
  const mask = layDown(pl, scene, raster, px, doc.pageOffsetMm, rng);
  const [mx0, my0, mx1, my1] = doc.mrzBoxMm;
  const mrzQuad = [[mx0, my0], [mx1, my0], [mx1, my1], [mx0, my1]].map(([x, y]) => project(pl, (x as number) - pageMm[0] / 2, (y as number) - pageMm[1] / 2));
  const lightInfo = light(pl, scene, mask, mrzQuad, corners, rng);
  const { jpeg, info } = await develop(pl, scene, lightInfo.exposure, rng);
  const name = `svg-${o.seed}-${String(index).padStart(4, '0')}.jpg`;
  writeFileSync(join(o.out, `${name}.tmp`), jpeg);
  renameSync(join(o.out, `${name}.tmp`), join(o.out, name));
  const inside = (q: [number, number][]): boolean => q.every(([x, y]) => x >= 0 && x <= pl.w && y >= 0 && y <= pl.h);
  return {
    file: name, kind, severity, mrz, fields: fields(kind, mrz), width: pl.w, height: pl.h,
    corners: corners.map(([x, y]) => [round1(x), round1(y)]), mrz_quad: mrzQuad.map(([x, y]) => [round1(x), round1(y)]),
    whole_card_visible: inside(corners), mrz_inside: inside(mrzQuad), upside_down: pl.upsideDown,
    capture: {
      surface, booklet_rim: doc.rim, hfov_deg: round1(pl.hfov), tilt_deg: Number(pl.tilt.toFixed(2)), tilt_axis_deg: round1((pl.tiltAxis * 180) / Math.PI),
      roll_deg: Number(pl.roll.toFixed(2)), fill: Number(pl.fill.toFixed(3)), crop: pl.crop, print_px_per_mm: Number(px.toFixed(2)),
      card_px_per_mm: Number(mag.toFixed(2)), ...lightInfo, ...info,
    },
    document: { doc_code: holder.code, printed_surname: holder.surname, printed_given_names: holder.given, print: doc.print },
    ms: Date.now() - t0,
  };
}

export async function generate(o: Options): Promise<number> {
  const version = generatorVersion();
  mkdirSync(o.out, { recursive: true });
  const truthPath = join(o.out, 'truth.json');
  const header = { generator: 'mrz-photos-svg', generator_version: version, split: 'holdout', seed: o.seed, severity: o.severity, start: o.start, count: o.count,
    sizes: o.sizes ? o.sizes.map(([w, h]) => `${w}x${h}`).join(',') : null };
  if (!o.force && existsSync(truthPath)) {
    try {
      const old = JSON.parse(readFileSync(truthPath, 'utf8')) as Record<string, unknown>;
      if (Object.entries(header).every(([k, v]) => JSON.stringify(old[k]) === JSON.stringify(v))) {
        if (!o.quiet) console.error(`${truthPath}: up to date (generator ${version})`);
        return 0;
      }
    } catch {
      // regenerate
    }
  }
  sharp.concurrency(1);
  sharp.cache(false);
  const t0 = Date.now();
  const photos = [];
  for (let i = o.start; i < o.start + o.count; i++) {
    const e = await makeOne(o, i);
    photos.push(e);
    if (!o.quiet) console.error(`${String(e['file'])} ${String(e['kind'])} ${String(e['severity'])} ${String(e['width'])}x${String(e['height'])} ${String(e['ms'])} ms`);
  }
  const seconds = (Date.now() - t0) / 1000;
  writeFileSync(`${truthPath}.tmp`, JSON.stringify({ ...header, seconds, photos }, null, 1));
  renameSync(`${truthPath}.tmp`, truthPath);
  if (!o.quiet) console.error(`${o.count} photos in ${seconds.toFixed(1)} s (${((seconds / o.count) * 1000).toFixed(0)} ms each) -> ${o.out}`);
  return 0;
}

function parse(argv: string[]): Options | string {
  const o: Partial<Options> & { severity: Options['severity']; start: number; force: boolean; quiet: boolean } = { severity: 'mix', start: 0, force: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => argv[++i] ?? '';
    if (a === '--out') o.out = v();
    else if (a === '--count') o.count = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--start') o.start = Number(v());
    else if (a === '--severity') {
      const s = v();
      if (s !== 'mild' && s !== 'hard' && s !== 'mix') return `--severity: mild, hard or mix, not ${s}`;
      o.severity = s;
    } else if (a === '--sizes') {
      const sizes = v().split(',').map((s) => s.toLowerCase().split('x').map(Number));
      if (sizes.some((s) => s.length !== 2 || s.some((n) => !Number.isInteger(n) || n < 400 || n > 8000))) return '--sizes: WxH[,WxH...] with sides from 400 to 8000';
      o.sizes = sizes as [number, number][];
    } else if (a === '--force') o.force = true;
    else if (a === '--quiet') o.quiet = true;
    else return `unknown argument ${a}`;
  }
  if (!o.out || !Number.isInteger(o.count) || (o.count ?? 0) < 1 || !Number.isInteger(o.seed) || (o.seed ?? -1) < 0 || !Number.isInteger(o.start) || o.start < 0) {
    return 'usage: generate.ts --out DIR --count N (>= 1) --seed S (>= 0) [--severity mild|hard|mix] [--sizes WxH,...] [--start K] [--force] [--quiet]';
  }
  return o as Options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // glibc's per-thread malloc arenas make repeated large librsvg renders in one process ever slower (measured:
  // 1.5 s -> 5 s CPU per page by the third); one arena keeps them flat. It must be set before the process starts.
  if (process.env['MALLOC_ARENA_MAX'] === undefined) {
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, MALLOC_ARENA_MAX: '1' } });
    process.exit(r.status ?? 1);
  }
  const o = parse(process.argv.slice(2));
  if (typeof o === 'string') {
    console.error(o);
    process.exit(2);
  }
  process.exitCode = await generate(o);
}
