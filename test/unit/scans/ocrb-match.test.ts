/**
 * The OCR-B template matcher on MRZ crops, one small fixture per failure class it once had (issue 18).
 * Fast: no Tesseract. Fixtures are gray JPEGs of the zone as the reader cuts it (a text line about 40 px
 * high), from photos of the generator's tune split (tools/mrz-photos, `--split tune`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { checkedScore, scanMrz } from '../../../electron/common/scan/mrz-ocr';
import { decideLines } from '../../../electron/common/scan/mrz-decide';
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

  test('two lines whose rows touch (bold print, each line tilted its own way) are still cut apart', async () => {
    // tune-3-0021 (seed 3, tune split, hard): a TD3 on gingham printed bold (ink bleed), its two lines tilted
    // against each other, the zone as cut from the photo (line height 40). Every row between the lines held a
    // fifth of the densest row's ink: the rows made one band, not two, and the matcher found no lines at all.
    const t = readByTemplates(await fixture('td3-zone-lines-touching.jpg'), 2, 40);
    assert.ok(t !== null, 'the lines are found');
    assert.equal(t.format, 'TD3');
    assert.deepEqual(t.decision.lines, ['POLVADE<LA<CRUZ<<<<<<<<<<<<<<<<<<<<<<<<<<<<<', '9612844149LVA8601171M3101263<<<<<<<<<<<<<<<4']);
  });

  test('a shade above the first line does not lift its cells off the print', async () => {
    // tune-4-0019 (seed 4, tune split, hard): an open passport, under-exposed, the zone cut from the photo with the
    // page's darker edge along its top. The shade, a little darker than the paper across the whole width, added
    // up to as much as a line's ink: the first line's band took it in, its cells sat above the print, and the
    // line read as garbage (the second, below, read right).
    const t = readByTemplates(await fixture('td3-zone-dark-above.jpg'), 2, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD3');
    assert.deepEqual(t.decision.lines, ['PPCYPGARCIA<MARQUEZ<<EMILY<IOANA<<<<<<<<<<<<', 'M226WFX947CYP0706254M2410041<<<<<<<<<<<<<<06']);
  });

  test('shading beyond one line\'s end does not move that line\'s cells: the lines start at the same margin', async () => {
    // tune-41-0001 (seed 41, tune split, hard): the page's edge shades the paper right of the first line, and
    // its grid (where 44 cells hold the most ink) took the shade for two characters and lost the first two.
    const t = readByTemplates(await fixture('td3-zone-edge-shade.jpg'), 2, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD3');
    assert.deepEqual(t.lines, ['P<ARGKORHONEN<<ABDULRAHMAN<HANS<<<<<<<<<<<<<', '1124414230ARG8008194F3008096<<<<<<<<<<<<<<08']);
  });

  test('print whose cap height per pitch is not the font\'s is cut at its own height: a squat O is no D, a squat 0 no O', async () => {
    // svg-778-0005 (tools/mrz-photos/svg, seed 778, hard TD1), the zone as cut from the corrected card. Its print's
    // cap height is about 0.86 of its pitch, the font's 0.99: cut at the font's height each glyph looked squat, every
    // O matched the D template best (the given name HARUTO read HARUTD, no check digit to catch it) and every 0 the O.
    const t = readByTemplates(await fixture('td1-zone-squat-print.jpg'), 3, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD1');
    assert.deepEqual(t.lines, ['IDNGATYTOKLAIO1Z8MMD<<<<<<<<<<', '1407064M3110072NGA<<<<<<<<<<<2', 'SZYMANSKA<<HARUTO<<<<<<<<<<<<<']);
  });
});

describe('the check digits choosing among the readers\' candidates', () => {
  test('two readers agreeing on one of O, 0 and Q does not keep the other look-alikes from the check digit', async () => {
    // svg-100-0004 (tools/mrz-photos/svg, seed 100, mild): document number G7V22OT0A. The matcher read its O as Q
    // (0.02 behind) and its 0 as O (0.05 behind); Tesseract read them 0 and O in each of its three zone passes
    // (its lines below, as it read them).
    // The number's check digit passes only for O…0, but Tesseract's agreeing "O" made the 0 too dear to reach.
    // The cells are cut at the font's own cap height, as they were then (at the print's own, 0.92 of the font's,
    // the matcher reads them right).
    const t = readByTemplates(await fixture('td3-zone-o-zero-q.jpg'), 2, 40, [1]);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD3');
    assert.equal(t.lines[1]!.slice(0, 10), 'G7V22QTOA1');
    const tesseract = ['PDESPOKAFOR<<ILSE<NILS<BAO<<<<<<<<<<<<<<<<<<', 'G7V220TOA1ESP4202189M3209206<<<<<<<<<<<<<<<8'];
    const decision = decideLines(t.format, t.cells, [tesseract, tesseract, tesseract]);
    assert.equal(decision.lines[1], 'G7V22OT0A1ESP4202189M3209206<<<<<<<<<<<<<<<8');
    // Both changed characters are corrections: the number is shown for confirmation.
    assert.deepEqual(
      decision.corrections.filter((c) => c.line === 1 && c.column < 9).map((c) => [c.column, c.from, c.to]),
      [[5, 'Q', 'O'], [7, 'O', '0']],
    );
  });

  test('a filler\'s cell that looks like no glyph is not read as the letter that matched it least badly', async () => {
    // tune-2-0001 (seed 2, tune split, hard TD1), the zone as cut from the photo. A mark near the name line's end sits
    // in a filler's cell: no template matched it well (K, 0.61; a glyph scores 0.8-0.9), so the K was kept against
    // Tesseract's "<" in every pass (more than 0.03 ahead), and the given names came back "MIN JUN K". Tesseract's
    // lines below are its first zone pass as it read them.
    const t = readByTemplates(await fixture('td1-zone-mark-in-filler.jpg'), 3, 40);
    assert.ok(t !== null);
    assert.equal(t.format, 'TD1');
    assert.equal(t.lines[2], '0BRIEN<<MIN<JUN<<<<<<<<<<<<<K<');
    const tesseract = ['I<NLDNA70918<<29500<<<<<<<<<<<', '6911270F22120508WETROKXYFB39X6', 'OBRIEN<<MIN<JUN<<<<<<<<<<<<<<<'];
    const decision = decideLines(t.format, t.cells, [tesseract]);
    assert.equal(decision.lines[2], 'OBRIEN<<MIN<JUN<<<<<<<<<<<<<<<');
    // Not the matcher's first choice: a correction, so the names are shown for confirmation.
    assert.ok(decision.corrections.some((c) => c.line === 2 && c.column === 28 && c.from === 'K' && c.to === '<'));
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

  test('a zone upside down whose garbage passes a check digit or two by chance is read turned half round too', async () => {
    // tune-2-0014 (seed 2, tune split, mild): a TD3 upside down on paper, no page outline found, the zone found in
    // the whole photo (this crop, halved). Read as it lay, the check digits choosing among the garbage's
    // candidates passed two fields, so the other end was never tried; the garbage came back as a reading to confirm.
    const zone = await fixture('td3-zone-upside-down.jpg');
    const silent = { recognize: async (): Promise<string> => '' };
    const scan = await scanMrz(zone, silent);
    assert.ok(scan.reading !== null && scan.reading.valid, 'every check digit passes');
    assert.deepEqual(scan.reading.lines, ['PPHUNMENSAH<<CHINONSO<<<<<<<<<<<<<<<<<<<<<<<', 'UG18266788HUN6509181M2706203295262<<<<<<<<08']);
  });
});
