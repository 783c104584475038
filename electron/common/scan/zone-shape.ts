/**
 * What the MRZ zone's own shape says about the document around it (page-detect.ts). ICAO 9303 prints every zone
 * in OCR-B at one pitch (10 characters an inch) and one line spacing: a TD1 card has 3 lines of 30 characters, a
 * TD2 card 2 of 36, a TD3 passport page 2 of 44. So the zone's length over the height of one of its lines counts
 * its characters, whatever the photo's scale, and tells the formats apart, or says that the zone found is not a
 * whole one: the locator (mrz-locate.ts) can miss a TD1's third line (a glare spot, a faint print), and its two
 * lines, 30 characters long, then look like a passport's two.
 */
import type { DocumentAspect } from './page-quad';

/** ICAO 9303's document sizes, width over height: TD1 85.6 × 54 mm, TD3 page 125 × 88 (TD2 105 × 74, nearly the same). */
const TD1_ASPECT = 85.6 / 54;
const TD3_ASPECT = 125 / 88;

/**
 * One line of the zone as the locator outlines it is about this many character pitches high: the print's line
 * spacing (about 1.65 pitches) and the outline's margins. Measured on the generated photos' outlines: two lines of
 * a passport's 44 characters come out as ~42, of a TD2's 36 as ~35, a TD1's 30 as ~31-32.
 */
const LINE_HEIGHT_IN_PITCHES = 2;

/**
 * Two lines whose length counts a TD1's 30 characters, within the estimate's spread (±10%: the three-line zones of
 * TD1 cards measure 27-35), may be two of a card's three. Not fewer: a zone shorter than any format's is a piece of
 * a longer one (half a passport's lines, the rest too faint or under a glare), whose document is a passport as
 * often as a card, and allowing a card's shape there let an outline through the table's lines win.
 */
const TD1_CHARS = 30;
const CHARS_SPREAD = 0.1;

/** Characters per line that the zone's outline (top-left, top-right, bottom-right, bottom-left) holds, roughly. */
export function charsPerLine(corners: readonly (readonly [number, number])[], lines: number): number | null {
  const [tl, tr, br, bl] = corners;
  if (tl === undefined || tr === undefined || br === undefined || bl === undefined || lines < 1) return null;
  const length = (Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) + Math.hypot(br[0] - bl[0], br[1] - bl[1])) / 2;
  const height = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  if (height <= 0) return null;
  return (LINE_HEIGHT_IN_PITCHES * lines * length) / height;
}

/**
 * The shapes the document holding this zone may have: a zone of three lines is a TD1 card's; one of two a
 * passport page's or a TD2 card's, or, when its lines are as short as a TD1's, two of the three of a card whose third
 * was not found (each outline then scores by the shape it fits best, page-quad.ts `shapeFit`).
 */
export function documentAspects(corners: readonly (readonly [number, number])[], lines: number): DocumentAspect {
  if (lines === 3) return TD1_ASPECT;
  const chars = charsPerLine(corners, lines);
  const maybeTd1 = chars !== null && Math.abs(chars / TD1_CHARS - 1) <= CHARS_SPREAD;
  return maybeTd1 ? [TD3_ASPECT, TD1_ASPECT] : TD3_ASPECT;
}
