/**
 * The OCR-B template matcher on MRZ crops, one small fixture per failure class it once had (issue 18).
 * Fast: no Tesseract. Fixtures are gray JPEGs of the zone as the reader cuts it (a text line about 40 px
 * high), from photos of the generator's tune split (tools/mrz-photos, `--split tune`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { checkedScore, scanMrz } from '../../../electron/common/scan/mrz-ocr';
import { readByTemplates } from '../../../electron/common/scan/ocrb-match';
import { grayOf } from '../../support/scan-fixtures/node-ocr';

async function fixture(name: string) {
  return grayOf(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}

describe('OCR-B template matcher', () => {
  test('a TD2 zone whose margins let a 44-column grid span the crop is read as a TD2, not a TD3', async () => {
    // tune-41-0022 (seed 41, tune split, hard), the zone as cut from the corrected card. The TD3 grid was
    // taken (no empty cell: its pitch stretched over the margins) and every cell straddled two characters.
    const t = readByTemplates(await fixture('td2-zone-crop.jpg'), 2, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD2');
    assert.deepEqual(t.decision.lines, ['I<INDRUIZ<PICASSO<<MARCO<LUCA<<<<<<<', '5498389493IND8702023F2103086447<<<<3']);
  });

  test('shading beyond one line\'s end does not move that line\'s cells: the lines start at the same margin', async () => {
    // tune-41-0001 (seed 41, tune split, hard): the page's edge shades the paper right of the first line, and
    // its grid (where 44 cells hold the most ink) took the shade for two characters and lost the first two.
    const t = readByTemplates(await fixture('td3-zone-edge-shade.jpg'), 2, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD3');
    assert.deepEqual(t.lines, ['P<ARGKORHONEN<<ABDULRAHMAN<HANS<<<<<<<<<<<<<', '1124414230ARG8008194F3008096<<<<<<<<<<<<<<08']);
  });
});

describe('the zone read from its other end', () => {
  test('a zone upside down (no page outline said so) is read turned half round', async () => {
    // tune-41-0008 (seed 41, tune split, hard): a TD1 lying upside down on a wooden table, its outline not
    // found, the zone found in the whole photo and read as it lay: nothing passed, "not found".
    const zone = await fixture('td1-zone-upside-down.jpg');
    const silent = { recognize: async (): Promise<string> => '' };
    const scan = await scanMrz(zone, silent);
    assert.ok(scan.reading !== null && checkedScore(scan.reading) > 0, 'check digits pass');
    assert.equal(scan.reading.lines[1], '7108097F2604192GHA<<<<<<<<<<<7');
  });
});
