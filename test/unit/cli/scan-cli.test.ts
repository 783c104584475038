/**
 * `passport-vault scan FILE...`, the built command (issue 18): one JSON object with a result per file,
 * in order. Generated document photos as JPEG (with an EXIF orientation), PNG, WebP and a two-page PDF
 * are read with every field right; a text file and a missing file are coded errors while the other
 * files are still read (exit 0); no file or an unknown option is a usage error (exit 2).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { makeFixture, type Fixture } from '../../support/scan-fixtures';
import { expectedValues } from '../../support/scan-fixtures/evaluate';
import { jpegPagesPdf } from '../../support/pdf';
import { cli, fails, ok } from './cli-process';

interface Result {
  file: string;
  status: string;
  kind: string | null;
  mrz: string[] | null;
  fields: Record<string, string | null> | null;
  confirm: string[];
  values: Record<string, Record<string, string>> | null;
  corners: [number, number][] | null;
  ms: number;
  pages?: number;
  error?: { code: string; message: string };
}

/** What the fields must say, from the generator's identity (not from the reader's code). */
function truthFields(f: Fixture): Record<string, string> {
  const id = f.identity;
  return {
    document_number: id.documentNumber,
    surname: id.lastName,
    given_names: id.firstNames,
    nationality: id.nationality,
    birth_date: id.birth,
    sex: id.sex,
    expiry_date: id.expiry,
    issuing_country: id.issuing,
  };
}

function assertRead(r: Result | undefined, f: Fixture, corners: readonly (readonly [number, number])[] = f.photo.corners): void {
  assert.ok(r !== undefined);
  assert.ok(r.status === 'ok' || r.status === 'confirm', `${r.file}: ${JSON.stringify(r)}`);
  assert.equal(r.kind, f.identity.kind);
  assert.deepEqual(r.mrz, f.mrz);
  assert.deepEqual(r.fields, truthFields(f));
  // What the app would fill: every form value right, in Telegram Passport's JSON.
  const want = expectedValues(f.identity);
  const docType = f.identity.kind === 'TD3' ? 'passport' : 'identity_card';
  assert.deepEqual(r.values, {
    personal_details: { last_name: want.last_name, first_name: want.first_name, birth_date: want.birth_date, gender: want.gender, country_code: want.country_code },
    [docType]: { document_no: want.document_no, expiry_date: want.expiry_date },
  });
  assert.equal(r.status === 'ok', r.confirm.length === 0);
  // The page's corners, in the picture as stored, the document's top-left first.
  assert.ok(r.corners !== null, 'corners found');
  r.corners.forEach(([x, y], i) => {
    const [tx, ty] = corners[i]!;
    assert.ok(Math.hypot(x - tx, y - ty) < 4, `corner ${i}: ${x},${y} vs ${tx},${ty}`);
  });
  assert.ok(Number.isInteger(r.ms) && r.ms > 0);
}

describe('passport-vault scan', { timeout: 300_000 }, () => {
  let dir = '';
  let td3: Fixture;
  let td1: Fixture;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pv-scan-cli-'));
    td3 = await makeFixture(7, 'TD3', 'clean');
    td1 = await makeFixture(8, 'TD1', 'clean');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('JPEG (EXIF-rotated), PNG, WebP and a PDF are read; a text file and a missing file are coded errors, the rest still read', async () => {
    const files = {
      // Stored turned a quarter anticlockwise with EXIF orientation 6 ("turn clockwise to show"): read as shown.
      jpeg: join(dir, 'passport.jpg'),
      png: join(dir, 'card.png'),
      webp: join(dir, 'card.webp'),
      pdf: join(dir, 'passport.pdf'),
      text: join(dir, 'notes.txt'),
      missing: join(dir, 'missing.jpg'),
    };
    writeFileSync(files.jpeg, await sharp(await sharp(td3.photo.jpeg).rotate(270).toBuffer()).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer());
    writeFileSync(files.png, await sharp(td1.photo.jpeg).png().toBuffer());
    writeFileSync(files.webp, await sharp(td1.photo.jpeg).webp({ quality: 90 }).toBuffer());
    writeFileSync(files.pdf, await jpegPagesPdf([td3.photo.jpeg, td1.photo.jpeg]));
    writeFileSync(files.text, 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n');
    const order = [files.jpeg, files.text, files.png, files.missing, files.webp, files.pdf];
    const out = ok(await cli(['scan', ...order], { timeoutMs: 240_000 })) as { results: Result[] };
    assert.deepEqual(Object.keys(out), ['results']);
    assert.deepEqual(out.results.map((r) => r.file), order);
    const [jpeg, text, png, missing, webp, pdf] = out.results;
    assertRead(jpeg, td3);
    assertRead(png, td1);
    assertRead(webp, td1);
    // The PDF page is drawn at the app's size (longest side 3000 px): corners in its pixels.
    const pdfScale = 3000 / td3.photo.width;
    assertRead(pdf, td3, td3.photo.corners.map(([x, y]) => [x * pdfScale, y * pdfScale] as const));
    assert.equal(pdf?.pages, 2);
    assert.equal(text?.status, 'error');
    assert.equal(text?.error?.code, 'SCAN_NOT_AN_IMAGE');
    assert.equal(missing?.status, 'error');
    assert.equal(missing?.error?.code, 'BAD_INPUT');
    for (const bad of [text, missing]) assert.deepEqual({ ...bad, ms: 0, error: undefined }, { file: bad?.file, status: 'error', kind: null, mrz: null, fields: null, confirm: [], values: null, corners: null, ms: 0, error: undefined });
  });

  test('a picture with no document in it: not_found, exit 0', async () => {
    const blank = join(dir, 'table.jpg');
    writeFileSync(blank, await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6b5a48' } }).jpeg().toBuffer());
    const out = ok(await cli(['scan', blank], { timeoutMs: 120_000 })) as { results: Result[] };
    assert.equal(out.results[0]?.status, 'not_found');
    assert.equal(out.results[0]?.fields, null);
  });

  test('no file, or an unknown option: usage error, exit 2', async () => {
    fails(await cli(['scan']), 2, 'BAD_INPUT');
    fails(await cli(['scan', '--frobnicate', 'x.jpg']), 2, 'BAD_INPUT');
  });
});
