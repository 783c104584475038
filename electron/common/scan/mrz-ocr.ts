/**
 * The MRZ pipeline: locate the zone, cut it out upright, read it with two independent recognisers,
 * parse, and decide per field how far the reading can be trusted.
 *
 * - The OCR-B template matcher (ocrb-match.ts) reads the fixed-pitch cells; it is the primary reader.
 * - Tesseract (legacy engine, injected: tesseract.js in a browser worker, or in Node for tests and the
 *   bench) reads the whole zone at three scales, and the document number on its own twice.
 *
 * A field that passes its check digits is filled. It is filled WITHOUT asking only when the other
 * recogniser read exactly the same value (MrzField.secondReader): check digits alone miss some
 * misreads (8↔S, G↔6, I↔8 leave every ICAO check digit unchanged), and passes of one engine repeat
 * that engine's own mistakes. This file stays pure; both the app's worker and Node run the same steps.
 */
import { forEachBlob } from './blobs';
import { encodePgm, sample, type GrayImage } from './gray-image';
import { darkness, paperOf } from './mrz-cells';
import { extractRegion, locateMrz, type MrzRegion } from './mrz-locate';
import { DOCUMENT_NUMBER_AT } from './mrz-format';
import { decideLines } from './mrz-decide';
import { CONFUSABLE } from './mrz-repair';
import { chooseFormat, mrzLinesFromText, readMrzLines, readMrzText, type MrzField, type MrzReading } from './mrz-read';
import { checkedScore, readByTemplates, type TemplateReading } from './ocrb-match';

export { checkedScore } from './ocrb-match';

export interface OcrEngine {
  /** OCR of a binary PGM image with MRZ_TESSERACT_PARAMETERS applied; returns plain text. */
  recognize(pgm: Uint8Array): Promise<string>;
}

/**
 * Tesseract settings for the MRZ: the legacy engine (OEM 0) reads OCR-B's "<" fillers far better than
 * the LSTM one; only the MRZ alphabet; the crop is one uniform block of text (PSM 6).
 */
export const MRZ_TESSERACT_OEM = 0;
export const MRZ_TESSERACT_PARAMETERS: Readonly<Record<string, string>> = {
  tessedit_char_whitelist: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<',
  tessedit_pageseg_mode: '6',
};
/** Settings Tesseract takes only when it starts: no dictionaries (MRZ text is not words). */
export const MRZ_TESSERACT_INIT_CONFIG: Readonly<Record<string, string>> = {
  load_system_dawg: '0',
  load_freq_dawg: '0',
};

export type MrzReader = 'templates' | 'tesseract';

export interface MrzScan {
  readonly region: MrzRegion | null;
  readonly reading: MrzReading | null;
  /** Which recogniser's reading was kept (null when nothing was read). */
  readonly reader: MrzReader | null;
  /** What the template matcher read, line by line (null when it could not cut the zone into cells). */
  readonly templateLines: readonly string[] | null;
  /** Raw Tesseract text of its best zone pass (for the screen's "what was read"). */
  readonly text: string;
  /** Tesseract calls made. */
  readonly attempts: number;
  readonly ms: { readonly locate: number; readonly templates: number; readonly ocr: number };
  /**
   * How far the zone's print (the matcher's cells, the first and the last of each line) lies inside the
   * image's left and right edges, in character pitches; null without the matcher's cells. Under
   * `EDGE_ROOM` the image may have cut a character off (a document outline found inside the card), and a
   * reading can then pass its check digits wrong: a shifted line's look-alikes compensating each other.
   */
  readonly edgeRoom: number | null;
}

/** Pitches of room (`MrzScan.edgeRoom`) under which the zone's print is taken to reach the image's edge. */
export const EDGE_ROOM = 1;

/** Line heights of Tesseract's zone passes: each sees the zone at another scale. */
const LINE_HEIGHTS = [34, 26, 44] as const;
/** The matcher's crop: a text line about this high (cells are resampled to a fixed raster anyway). */
const TEMPLATE_LINE_HEIGHT = 40;

export interface ReaderOutput {
  readonly reader: MrzReader;
  readonly reading: MrzReading;
}

type FieldName = keyof MrzReading['fields'];

function agrees(a: MrzReading, b: MrzReading, name: FieldName): boolean {
  const f = a.fields[name];
  const g = b.fields[name];
  if (f === undefined || g === undefined || !f.valid || !g.valid || f.value !== g.value) return false;
  return name !== 'documentNumber' || (a.documentNumber !== null && a.documentNumber === b.documentNumber);
}

/**
 * The primary reading with, per field, whether another recogniser read the same (`secondReader`).
 * `documentNumberTexts` are extra reads of just the document number and its check digit by the
 * OTHER recogniser than the primary one, compared character for character with the primary's line.
 *
 * With Tesseract as the primary reader (the matcher failed), a field must also be read the same in
 * two of its passes to count at all, as before the matcher existed: one pass alone is too often a
 * misread that slipped past a check digit.
 */
export function combineReadings(primary: ReaderOutput, others: readonly ReaderOutput[], documentNumberTexts: readonly string[] = []): MrzReading {
  const p = primary.reading;
  const fields: Partial<Record<FieldName, MrzField>> = { ...p.fields };
  let valid = p.valid;
  let documentNumber = p.documentNumber;
  for (const [name, f] of Object.entries(p.fields) as [FieldName, MrzField][]) {
    if (!f.valid) continue;
    const same = others.some((o) => o.reader === primary.reader && agrees(p, o.reading, name));
    let second = others.some((o) => o.reader !== primary.reader && agrees(p, o.reading, name));
    if (name === 'documentNumber' && !second) {
      const [li, a, b] = DOCUMENT_NUMBER_AT[p.format];
      const want = p.lines[li]?.slice(a, b);
      second = want !== undefined && documentNumberTexts.includes(want);
    }
    if (primary.reader === 'tesseract' && !same && !second) {
      fields[name] = { ...f, valid: false, error: 'read differently in another pass' };
      valid = false;
      if (name === 'documentNumber') documentNumber = null;
      continue;
    }
    fields[name] = { ...f, secondReader: second };
  }
  return { ...p, fields, valid, documentNumber };
}

/**
 * The document number and its check digit alone, from the matcher's cell grid: ink on white (the
 * darkness map, so lighting does not matter), a text line about `capPx` high, a margin of paper.
 */
function documentNumberImage(paper: GrayImage, t: TemplateReading, capPx: number): GrayImage | null {
  const [li, a, b] = DOCUMENT_NUMBER_AT[t.format];
  const g = t.grid[li];
  if (g === undefined) return null;
  const x0 = g.left + a * g.pitch;
  const x1 = g.left + b * g.pitch;
  const y0 = g.centre - g.capHeight * 0.65;
  const y1 = g.centre + g.capHeight * 0.65;
  const scale = capPx / g.capHeight;
  const pad = g.capHeight * 0.6;
  const width = Math.round((x1 - x0 + 2 * pad) * scale);
  const height = Math.round((y1 - y0 + 2 * pad) * scale);
  const data = new Uint8Array(width * height).fill(255);
  for (let j = 0; j < height; j++) {
    const y = y0 - pad + j / scale;
    if (y < y0 || y > y1) continue;
    for (let i = 0; i < width; i++) {
      const x = x0 - pad + i / scale;
      if (x >= x0 && x <= x1) data[j * width + i] = Math.round(sample(paper, x, y));
    }
  }
  return { width, height, data };
}

/**
 * What Tesseract is given: the zone as black ink on white paper. A light blur first (sensor noise and JPEG
 * blocks, scaled up with the crop, are blobs of a pixel or two), then the darkness map (local paper and
 * ink levels, so uneven light and a soft glare do not matter) thresholded at half, then specks far smaller
 * than a stroke dropped. Tesseract's own binarisation of a dim, noisy photo leaves thousands of specks,
 * which its legacy engine then takes seconds to sort through.
 */
export function forTesseract(zone: GrayImage, lineHeightPx: number): GrayImage {
  const { width: w, height: h } = zone;
  const blurred = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          sum += zone.data[yy * w + xx]!;
          n++;
        }
      }
      blurred[y * w + x] = sum / n;
    }
  }
  const dark = darkness({ width: w, height: h, data: blurred });
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = dark[i]! >= 0.5 ? 1 : 0;
  dropSpecks(ink, w, h, Math.max(6, (lineHeightPx * 0.15) ** 2));
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = ink[i] === 1 ? 0 : 255;
  return { width: w, height: h, data };
}

/** Clears 8-connected groups of ink smaller than `minArea` pixels. */
function dropSpecks(ink: Uint8Array, w: number, h: number, minArea: number): void {
  forEachBlob(w, h, 8, (i) => ink[i] === 1, ({ members }) => {
    if (members.length < minArea) for (const p of members) ink[p] = 0;
  });
}

/** What a look-alike of the character Tesseract read costs in `decideLines` (its own read costs nothing). */
const LOOKALIKE_COST = 0.1;

/**
 * A Tesseract pass decided by the same rules as the matcher's cells (mrz-decide.ts): each position takes
 * what its field allows (a "0" in a name is the "O" it looks like; an "O" in a date the "0"), a failing
 * check digit may take a look-alike (mrz-repair.ts's pairs) when exactly one makes it pass, a state code
 * no state has its nearest that exists. Every such change is a correction, shown for confirmation.
 */
export function readTesseractText(text: string): MrzReading | null {
  const chosen = chooseFormat(mrzLinesFromText(text));
  if (chosen === null) return null;
  const cells = chosen.lines.map((line) =>
    [...line].map((ch) => ({ ranked: [[ch, 1] as const, ...[...(CONFUSABLE[ch] ?? '')].map((c) => [c, 1 - LOOKALIKE_COST] as const)] })),
  );
  const decision = decideLines(chosen.format, cells);
  return readMrzLines(decision.lines, decision.corrections) ?? readMrzText(text);
}

/** Resolves after the current task: every queued promise step has run (e.g. jobs posted to a worker). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Every check-digit-protected field of a valid reading was read the same by the other recogniser. */
function fullyVouched(r: MrzReading): boolean {
  return r.valid && Object.values(r.fields).every((f) => f === undefined || !f.checkDigit || !f.valid || f.secondReader);
}

/** Tesseract's lines in the matcher's format, when it read that many lines of the right length (position by position). */
function alignedLines(text: string, format: MrzReading['format'], count: number): string[] | null {
  const chosen = chooseFormat(mrzLinesFromText(text));
  if (chosen === null || chosen.format !== format || chosen.lines.length !== count) return null;
  return chosen.lines;
}

/**
 * The zone located, cut out upright, read by the template matcher and by Tesseract, and decided:
 * - Tesseract's first pass (one scale) is handed over first: tesseract.js works in its own thread, so
 *   it runs while this thread does the template matching.
 * - The matcher's candidates and Tesseract's lines are decided together, the check digits choosing
 *   (mrz-decide.ts); the reading is then compared field by field with Tesseract's own (secondReader).
 * - Only when that leaves something unread, invalid or vouched for by one reader do more Tesseract
 *   passes run (two more scales, and the document number on its own): a clear photo costs one, and
 *   none run past `deadline` (in `now()` time; the caller's time budget).
 */
export async function scanMrz(
  img: GrayImage,
  engine: OcrEngine,
  now: () => number = () => performance.now(),
  deadline = Infinity,
  located?: MrzRegion | null,
  turned = false,
  alternative = false,
): Promise<MrzScan> {
  const t0 = now();
  // `located`: the zone already looked for in this same image (undefined: look for it here).
  const region = located === undefined ? locateMrz(img) : located;
  const t1 = now();
  if (region === null) {
    return { region, reading: null, reader: null, templateLines: null, text: '', attempts: 0, ms: { locate: t1 - t0, templates: 0, ocr: 0 }, edgeRoom: null };
  }
  const zone = (lh: number): Promise<string> => engine.recognize(encodePgm(forTesseract(extractRegion(img, region, lh), lh)));
  const first = zone(LINE_HEIGHTS[0]);
  // Unhandled until awaited below; a rejection must not surface as an unhandled one meanwhile.
  first.catch(() => undefined);
  // The engine posts its jobs to its thread a few promise steps later: let them go before this thread
  // is kept busy by the matcher (callers doing more work meanwhile should yield the same way).
  await nextTask();
  const crop = extractRegion(img, region, TEMPLATE_LINE_HEIGHT);
  const template = readByTemplates(crop, region.lines, TEMPLATE_LINE_HEIGHT);
  const t2 = now();
  const texts = [await first];
  let numberTexts: string[] = [];

  const decide = (): { reading: MrzReading | null; reader: MrzReader | null; text: string } => {
    const passes = texts.map((text) => ({ reading: readTesseractText(text), text }));
    let bestPass = passes[0] ?? { reading: null, text: '' };
    for (const p of passes) if (checkedScore(p.reading) > checkedScore(bestPass.reading)) bestPass = p;
    const outputs: ReaderOutput[] = passes.filter((p) => p.reading !== null).map((p) => ({ reader: 'tesseract', reading: p.reading as MrzReading }));
    if (template !== null) {
      // The matcher's candidates with Tesseract's lines as a second opinion, the check digits deciding.
      const others = texts.map((t) => alignedLines(t, template.format, template.cells.length)).filter((l): l is string[] => l !== null);
      const decision = decideLines(template.format, template.cells, others);
      const reading = readMrzLines(decision.lines, decision.corrections);
      if (reading !== null) outputs.unshift({ reader: 'templates', reading });
    }
    // The matcher's reading wins unless Tesseract's checks out better.
    let primary: ReaderOutput | null = outputs[0] ?? null;
    for (const o of outputs) if (primary !== null && checkedScore(o.reading) > checkedScore(primary.reading)) primary = o;
    const reading =
      primary === null
        ? null
        : combineReadings(
            primary,
            outputs.filter((o) => o !== primary),
            primary.reader === 'templates' ? numberTexts : [],
          );
    return { reading, reader: primary?.reader ?? null, text: bestPass.text };
  };

  let result = decide();
  if ((result.reading === null || !fullyVouched(result.reading)) && now() <= deadline) {
    const more = LINE_HEIGHTS.slice(1).map(zone);
    const numbers: Promise<string>[] = [];
    if (template !== null) {
      // Ink on white (the darkness map, so lighting does not matter), made once for both sizes.
      const dark = darkness(crop);
      const paper = paperOf(dark, crop.width, crop.height);
      for (const capPx of [30, 45]) {
        const image = documentNumberImage(paper, template, capPx);
        if (image !== null) numbers.push(engine.recognize(encodePgm(forTesseract(image, capPx * 1.3))));
      }
    }
    for (const p of [...more, ...numbers]) p.catch(() => undefined);
    texts.push(...(await Promise.all(more)));
    numberTexts = (await Promise.all(numbers)).map((t) => t.replace(/\s+/g, '').toUpperCase());
    result = decide();
  }
  const scan: MrzScan = {
    region,
    reading: result.reading,
    reader: result.reader,
    templateLines: template?.lines ?? null,
    text: result.text,
    attempts: texts.length + numberTexts.length,
    ms: { locate: t1 - t0, templates: t2 - t1, ocr: now() - t2 },
    edgeRoom: template === null ? null : edgeRoom(template, region, crop, img.width),
  };
  if (turned || (result.reading?.valid ?? false) || now() > deadline) return scan;
  let best = await otherEnd(img, engine, now, deadline, region, scan);
  if (alternative) return best;
  // Still not every check digit passing: perhaps this was not the zone at all (a guilloche's rows, a magazine's
  // lines beside the card, or the zone's lines found only in part) and the zone is one of the other places that
  // looked like one, or one a closer look finds (the card's own skew looked for in smaller parts of the image).
  // Each is read by the matcher alone first; only one that passes more check digits than the reading so far is
  // read in full, before the time is gone.
  const tried: MrzRegion[] = [region];
  const tryRegions = async (regions: readonly MrzRegion[]): Promise<void> => {
    for (const other of regions) {
      if ((best.reading?.valid ?? false) || now() > deadline) return;
      if (tried.some((t) => sameRegion(t, other))) continue;
      tried.push(other);
      await nextTask();
      const quick = readByTemplates(extractRegion(img, other, TEMPLATE_LINE_HEIGHT), other.lines, TEMPLATE_LINE_HEIGHT);
      if (checkedScore(quick?.reading ?? null) <= Math.max(ALTERNATIVE_CHECKS - 1, checkedScore(best.reading))) continue;
      await nextTask();
      const read = await scanMrz(img, engine, now, deadline, { ...other, others: [] }, false, true);
      if (checkedScore(read.reading) > checkedScore(best.reading)) best = read;
    }
  };
  await tryRegions(region.others ?? []);
  if (!(best.reading?.valid ?? false) && now() <= deadline) {
    await nextTask();
    const again = locateMrz(img, { thorough: true });
    if (again !== null) await tryRegions([again, ...(again.others ?? [])]);
  }
  return best;
}

/**
 * Check-digit fields the matcher must pass on another place before it is read in full: print that is no MRZ
 * (a magazine's lines) offers the check digits enough look-alikes to pass one or two by chance (mrz-decide.ts).
 */
const ALTERNATIVE_CHECKS = 3;

/**
 * `MrzScan.edgeRoom`: the matcher's grid (in the crop's pixels) carried back into the image along the zone's
 * outline, and the least room, in pitches, between a line's first or last cell and the image's left or right edge.
 */
function edgeRoom(t: TemplateReading, region: MrzRegion, crop: GrayImage, imageWidth: number): number {
  const [tl, tr, , bl] = region.corners as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
  const toImageX = (x: number, y: number): number => tl[0] + ((tr[0] - tl[0]) * x) / crop.width + ((bl[0] - tl[0]) * y) / crop.height;
  // Image pixels per crop pixel along the line.
  const scale = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) / crop.width;
  const columns = t.cells[0]?.length ?? 0;
  let room = Infinity;
  for (const g of t.grid) {
    const pitch = g.pitch * scale;
    if (!(pitch > 0)) continue;
    for (const x of [toImageX(g.left, g.centre), toImageX(g.left + columns * g.pitch, g.centre)]) {
      room = Math.min(room, Math.min(x, imageWidth - x) / pitch);
    }
  }
  return room;
}

/** Whether two outlines are the same zone found twice: every corner within half a line height of the other's. */
function sameRegion(a: MrzRegion, b: MrzRegion): boolean {
  const tolerance = 0.5 * Math.min(a.lineHeight, b.lineHeight);
  return a.lines === b.lines && a.corners.every((c, i) => Math.hypot(c[0] - b.corners[i]![0], c[1] - b.corners[i]![1]) <= tolerance);
}

/**
 * Not every check digit passing: perhaps the zone is upside down (the document lay turned over in the photo
 * and no page outline said so). The same zone turned half round is read once more, with Tesseract only when
 * the matcher alone already passes more check digits there than this reading does (most failures are not
 * upside down, and Tesseract's passes are the dear part). Not only when none passes: the check digits choose
 * among each cell's candidates (mrz-decide.ts), and an upside-down zone's garbage offers enough of them
 * that a date or two pass by chance.
 */
async function otherEnd(img: GrayImage, engine: OcrEngine, now: () => number, deadline: number, region: MrzRegion, scan: MrzScan): Promise<MrzScan> {
  const flipped = halfTurn(region);
  await nextTask();
  const quick = readByTemplates(extractRegion(img, flipped, TEMPLATE_LINE_HEIGHT), flipped.lines, TEMPLATE_LINE_HEIGHT);
  if (checkedScore(quick?.reading ?? null) <= Math.max(0, checkedScore(scan.reading))) return scan;
  await nextTask();
  const other = await scanMrz(img, engine, now, deadline, flipped, true);
  return checkedScore(other.reading) > checkedScore(scan.reading) ? other : scan;
}

/** The same zone outline read from its other end (turned 180°). */
function halfTurn(region: MrzRegion): MrzRegion {
  const [tl, tr, br, bl] = region.corners as [readonly [number, number], readonly [number, number], readonly [number, number], readonly [number, number]];
  return { ...region, angle: region.angle > 0 ? region.angle - 180 : region.angle + 180, corners: [br, bl, tl, tr] };
}
