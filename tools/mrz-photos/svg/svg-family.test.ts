/**
 * The SVG family: its TypeScript MRZ code against ICAO's specimens and against the Python family's mrz.py on
 * random documents (two implementations written apart must agree), and the generator's determinism and truth,
 * which ../score.py must read like the Python family's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MRZ_PHOTOS_DIR, findPhotoPython } from '../python';
import { generate } from './generate';
import { makeHolder } from './holder';
import { checkDigit, fields, lines, type Holder, type Kind } from './mrz';
import { Rng } from './rng';

const specimen = (kind: Kind, over: Partial<Holder> = {}): Holder => ({
  kind, code: kind === 'TD3' ? 'P' : 'I', issuing: 'UTO', nationality: 'UTO', primary: ['ERIKSSON'], secondary: ['ANNA', 'MARIA'],
  number: kind === 'TD3' ? 'L898902C3' : 'D23145890', birth: '740812', sex: 'F', expiry: '120415', optional: kind === 'TD3' ? 'ZE184226B' : '', optional2: '', ...over,
});

function python(): string {
  const found = findPhotoPython();
  if ('error' in found) assert.fail(found.error);
  return found.python;
}

describe('SVG family MRZ', () => {
  test('ICAO specimens and check digits', () => {
    assert.equal(checkDigit('520727'), '3');
    assert.deepEqual(lines(specimen('TD3')), ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']);
    assert.deepEqual(lines(specimen('TD1')), ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<']);
    assert.deepEqual(lines(specimen('TD2')), ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6']);
    const long = lines(specimen('TD1', { number: 'D23145890734', primary: ['STEVENSON'], secondary: ['PETER', 'JOHN'], birth: '340712', sex: 'M', expiry: '950712' }));
    assert.deepEqual(long, ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<']);
    assert.equal(fields('TD1', long).document_number, 'D23145890734');
  });

  test('agrees with the Python family on 300 random documents', () => {
    const rng = new Rng(42);
    const docs = Array.from({ length: 300 }, (_, i) => makeHolder(rng, (['TD1', 'TD2', 'TD3'] as const)[i % 3]!));
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(MRZ_PHOTOS_DIR)})
import mrz
out = []
for d in json.load(sys.stdin):
    common = (d["issuing"], d["primary"], d["secondary"], d["number"], d["nationality"], d["birth"], d["sex"], d["expiry"])
    if d["kind"] == "TD3":
        l = mrz.td3(d["code"], *common, personal=d["optional"])
    elif d["kind"] == "TD2":
        l = mrz.td2(d["code"], *common, optional=d["optional"])
    else:
        l = mrz.td1(d["code"], *common, optional1=d["optional"], optional2=d["optional2"])
    mrz.validate(d["kind"], l)
    out.append({"lines": l, "fields": mrz.fields(d["kind"], l)})
print(json.dumps(out))`;
    const run = spawnSync(python(), ['-c', script], { input: JSON.stringify(docs), encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const theirs = JSON.parse(run.stdout) as { lines: string[]; fields: unknown }[];
    docs.forEach((d, i) => {
      const ours = lines(d);
      assert.deepEqual(ours, theirs[i]?.lines, `document ${i}`);
      assert.deepEqual(fields(d.kind, ours), theirs[i]?.fields, `fields of document ${i}`);
    });
  });
});

describe('SVG family generator', () => {
  test('deterministic, and its truth scores with score.py', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mrz-svg-'));
    try {
      const runs: { truth: Record<string, unknown>; bytes: Buffer[] }[] = [];
      for (const sub of ['one', 'two']) {
        const out = join(dir, sub);
        await generate({ out, count: 2, seed: 9, severity: 'mix', start: 0, sizes: [[1600, 1200]], force: false, quiet: true });
        const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as Record<string, unknown> & { photos: Record<string, unknown>[] };
        const bytes = truth.photos.map((p) => readFileSync(join(out, String(p['file']))));
        delete truth['seconds'];
        for (const p of truth.photos) delete p['ms'];
        runs.push({ truth, bytes });
      }
      assert.deepEqual(runs[0]?.truth, runs[1]?.truth);
      assert.deepEqual(runs[0]?.bytes, runs[1]?.bytes);
      const photos = (runs[0]?.truth as { photos: { file: string; kind: Kind; mrz: string[]; fields: unknown; corners: number[][]; mrz_quad: number[][]; whole_card_visible: boolean }[] }).photos;
      for (const p of photos) {
        assert.deepEqual(p.fields, fields(p.kind, p.mrz));
        const c = p.corners;
        let area = 0;
        for (let i = 0; i < 4; i++) area += c[i]![0]! * c[(i + 1) % 4]![1]! - c[(i + 1) % 4]![0]! * c[i]![1]!;
        assert.ok(area > 0, 'corners clockwise in image coordinates');
      }
      // A perfect reading scores 100% with no silent errors.
      const results = { results: photos.map((p) => ({ file: p.file, status: 'ok', kind: p.kind, mrz: p.mrz, fields: p.fields, confirm: [], values: {}, ms: 1, corners: p.corners })) };
      writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
      const score = spawnSync(python(), [join(MRZ_PHOTOS_DIR, 'score.py'), '--truth', join(dir, 'one', 'truth.json'), '--results', join(dir, 'results.json'), '--json'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(score.status, 0, score.stderr);
      const all = (JSON.parse(score.stdout) as { groups: Record<string, { all_right_pct: number; wrong_silent_fields: number; corners_pct: number | null }> }).groups['all'];
      assert.equal(all?.all_right_pct, 100);
      assert.equal(all?.wrong_silent_fields, 0);
      if (photos.some((p) => p.whole_card_visible)) assert.equal(all?.corners_pct, 100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
