/**
 * From the template matcher's ranked guesses per cell to the MRZ lines, with the check digits choosing
 * among the candidates (issue 18):
 *
 * 1. Each position takes the best-scoring character its field allows (ICAO 9303: digits in dates and
 *    check digits, letters and "<" in names and country codes, M/F/< for sex…). A blurred "0" read as
 *    "O" in a date becomes the "0" that scored next.
 *    Where another reader (Tesseract) read the position, its character weighs in: agreeing with the
 *    matcher's first choice makes the alternatives dearer, a different character is made cheaper.
 * 2. Each field a check digit protects (document number, dates, personal number), and then the
 *    composite, is checked; when it fails, the cheapest change of one or two characters to other
 *    candidates the matcher scored nearly as well that makes it pass is taken, but only if no other
 *    change of about the same cost passes too (a check digit lets one wrong candidate in ten through:
 *    between two near-equal ways to pass, nothing here knows the right one).
 *
 * Every character that ends up differing from the matcher's first choice is returned as a correction:
 * the value is filled, and shown for the person to confirm (mrz-to-passport.ts). Pure: no `node:`, no DOM.
 */
import type { MrzFormat } from './mrz-format';
import type { Correction } from './mrz-read';
import { CONFUSABLE } from './mrz-repair';
import { isStateCode } from './nationality';

/** What one position may hold: D digit, A letter or filler, N letter/digit/filler, S sex, C check digit or filler. */
type PositionClass = 'D' | 'A' | 'N' | 'S' | 'C';

const ALLOWED: Record<PositionClass, RegExp> = { D: /^[0-9]$/, A: /^[A-Z<]$/, N: /^[A-Z0-9<]$/, S: /^[MF<]$/, C: /^[0-9<]$/ };

/** Classes of every position, line by line: [class, count] runs (ICAO 9303 parts 4-6). */
const LAYOUT: Record<MrzFormat, readonly (readonly (readonly [PositionClass, number])[])[]> = {
  TD3: [
    [['A', 44]],
    [['N', 9], ['D', 1], ['A', 3], ['D', 7], ['S', 1], ['D', 7], ['N', 14], ['C', 1], ['D', 1]],
  ],
  TD1: [
    [['A', 5], ['N', 9], ['C', 1], ['N', 15]],
    [['D', 7], ['S', 1], ['D', 7], ['A', 3], ['N', 11], ['D', 1]],
    [['A', 30]],
  ],
  TD2: [
    [['A', 36]],
    [['N', 9], ['D', 1], ['A', 3], ['D', 7], ['S', 1], ['D', 7], ['N', 7], ['D', 1]],
  ],
};

type Span = readonly [line: number, start: number, end: number];

interface CheckGroup {
  readonly covers: readonly Span[];
  readonly digit: readonly [line: number, column: number];
}

/**
 * A document number longer than 9 characters (TD1, TD2): its check digit's place holds "<", and the number
 * continues in the optional data up to its first "<", the last character before it being the check digit.
 */
const LONG_NUMBER: Partial<Record<MrzFormat, { readonly number: Span; readonly digit: readonly [number, number]; readonly continuation: Span }>> = {
  TD1: { number: [0, 5, 14], digit: [0, 14], continuation: [0, 15, 30] },
  TD2: { number: [1, 0, 9], digit: [1, 9], continuation: [1, 28, 35] },
};

/** The document number's check group as these lines have it: the long form when its check digit's place is "<". */
function numberGroup(format: MrzFormat, lines: readonly (readonly string[])[]): CheckGroup | null {
  const long = LONG_NUMBER[format];
  if (long === undefined || lines[long.digit[0]]?.[long.digit[1]] !== '<') return null;
  const [li, from, to] = long.continuation;
  const line = lines[li] ?? [];
  let end = from;
  while (end < to && line[end] !== '<') end++;
  // At least one more character of the number, then its check digit.
  if (end - from < 2) return null;
  return { covers: [long.number, [li, from, end - 1]], digit: [li, end - 1] };
}

/** Check digits and what each covers; the composite last. */
const GROUPS: Record<MrzFormat, readonly CheckGroup[]> = {
  TD3: [
    { covers: [[1, 0, 9]], digit: [1, 9] },
    { covers: [[1, 13, 19]], digit: [1, 19] },
    { covers: [[1, 21, 27]], digit: [1, 27] },
    { covers: [[1, 28, 42]], digit: [1, 42] },
    { covers: [[1, 0, 10], [1, 13, 20], [1, 21, 43]], digit: [1, 43] },
  ],
  TD1: [
    { covers: [[0, 5, 14]], digit: [0, 14] },
    { covers: [[1, 0, 6]], digit: [1, 6] },
    { covers: [[1, 8, 14]], digit: [1, 14] },
    { covers: [[0, 5, 30], [1, 0, 7], [1, 8, 15], [1, 18, 29]], digit: [1, 29] },
  ],
  TD2: [
    { covers: [[1, 0, 9]], digit: [1, 9] },
    { covers: [[1, 13, 19]], digit: [1, 19] },
    { covers: [[1, 21, 27]], digit: [1, 27] },
    { covers: [[1, 0, 10], [1, 13, 20], [1, 21, 35]], digit: [1, 35] },
  ],
};

/** Issuing state and nationality (no check digit covers them; the list of codes does). */
const STATE_CODES: Record<MrzFormat, readonly Span[]> = {
  TD3: [[0, 2, 5], [1, 10, 13]],
  TD1: [[0, 2, 5], [1, 15, 18]],
  TD2: [[0, 2, 5], [1, 10, 13]],
};

/** ICAO 9303-3 §4.9: weights 7, 3, 1; digits as themselves, A-Z as 10-35, the filler as 0. */
export function checkDigitOf(chars: readonly string[]): number {
  const weights = [7, 3, 1];
  let sum = 0;
  chars.forEach((ch, i) => {
    const c = ch.charCodeAt(0);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * weights[i % 3]!;
  });
  return sum % 10;
}

/** A cell as the matcher scored it: every character with its score, best first. */
export interface RankedCell {
  readonly ranked: readonly (readonly [string, number])[];
}

/** How much worse than a position's best a candidate may score and still be tried. */
const MAX_COST = 0.25;
/** Another reader agreeing with the matcher's first choice makes every alternative there this much dearer. */
const AGREED = 0.15;
/** Another reader's different character there costs only this share of what the matcher alone says. */
const SECONDED = 0.3;
/** Two ways to pass whose costs differ by less than this are a tie: nothing is chosen. */
const TIE = 0.04;
/**
 * Where no check digit covers a position, the matcher's first choice stays against the other readers unless
 * it scored less than this above their character (then the other readers' character leads, as a correction).
 */
const UNDECIDED = 0.03;
/**
 * A matcher's first choice scoring under this is no reading of a glyph (a clear print scores about 0.9, a
 * blurred one 0.8): where no check digit covers the position, the other readers' agreed character leads there.
 */
const UNCLEAR = 0.7;
/** At most this many alternatives per position are tried. */
const PER_POSITION = 3;
/** A matcher's line with at least this share of first choices its layout forbids was cut wrong. */
const MISFIT_SHARE = 0.2;
/** Another reader's line with at most this share of such characters may lead instead. */
const FIT_SHARE = 0.05;

interface Position {
  readonly line: number;
  readonly column: number;
  /** Allowed characters by falling score, with their cost (best allowed = 0). */
  readonly options: readonly (readonly [string, number])[];
}

export interface Decision {
  readonly lines: string[];
  /** Positions whose character is not the matcher's first choice. */
  readonly corrections: Correction[];
}

function classes(format: MrzFormat): PositionClass[][] {
  return LAYOUT[format].map((runs) => runs.flatMap(([c, n]) => Array<PositionClass>(n).fill(c)));
}

/** `others`: other readers' lines of the same format, position by position (each the right length). */
export function decideLines(format: MrzFormat, cells: readonly (readonly RankedCell[])[], others: readonly (readonly string[])[] = []): Decision {
  const cls = classes(format);
  const misfits = (li: number, chars: readonly (string | undefined)[]): number =>
    chars.reduce((n, ch, col) => n + (ch !== undefined && ALLOWED[cls[li]?.[col] ?? 'N'].test(ch) ? 0 : 1), 0);
  // A line whose cells the matcher cut wrong (a grid off by a cell, a curve): its first choices break the
  // layout all along (digits in a name). Where another reader's line fits the layout, that line leads there.
  const leading = cells.map((line, li) => {
    if (misfits(li, line.map((c) => c.ranked[0]?.[0])) < Math.max(3, line.length * MISFIT_SHARE)) return null;
    return others.find((o) => o[li] !== undefined && o[li].length === line.length && misfits(li, [...o[li]]) <= line.length * FIT_SHARE)?.[li] ?? null;
  });
  const checked = cells.map((line, li) => line.map((_, col) => GROUPS[format].some((g) => (g.digit[0] === li && g.digit[1] === col) || g.covers.some(([l, a, b]) => l === li && col >= a && col < b))));
  const positions: Position[][] = cells.map((line, li) =>
    line.map((cell, col) => {
      const allowed = ALLOWED[cls[li]?.[col] ?? 'N'];
      const read = leading[li]?.[col];
      // A character the position does not allow (a "0" in a name) leads as the allowed one it looks like.
      const lead = read === undefined || allowed.test(read) ? read : [...(CONFUSABLE[read] ?? '')].find((c) => allowed.test(c));
      if (lead !== undefined) {
        // The matcher's own guesses stay as dear alternatives, beyond what a check digit may reach for.
        const rest = cell.ranked.filter(([ch]) => allowed.test(ch) && ch !== lead).map(([ch]) => [ch, 1] as const);
        return { line: li, column: col, options: [[lead, 0] as const, ...rest] };
      }
      const ok = cell.ranked.filter(([ch]) => allowed.test(ch));
      const best = ok[0]?.[1] ?? 0;
      let options = ok.map(([ch, s]) => [ch, best - s] as [string, number]);
      const first = options[0];
      for (const other of others) {
        const said = other[li]?.[col];
        if (said === undefined || !allowed.test(said)) continue;
        // Agreement makes the alternatives dearer, but not the agreed character's look-alikes (O, 0 and Q; 8 and B):
        // both readers confuse those the same way, so two of them reading "O" says little about "0".
        const lookalike = (ch: string): boolean => (CONFUSABLE[said] ?? '').includes(ch);
        options = options.map(([ch, cost]) => [ch, ch === said ? cost * SECONDED : cost + (said === options[0]?.[0] && !lookalike(ch) ? AGREED : 0)]);
      }
      // Where no check digit covers the position (names, state codes, sex), every other reader read the same
      // allowed character and the matcher's own first choice is not allowed there (a digit in a name: the cell
      // was not clear to it), the other readers' character leads rather than the matcher's next best. It is not
      // the matcher's first choice, so it is a correction: shown for confirmation. Where the matcher's first
      // choice is allowed it stays unless the next is within UNDECIDED of it: on clear OCR-B print the matcher is
      // right far more often than one Tesseract pass (letting Tesseract lead within 0.1 turned 6 of 15 harsh
      // issue-8 passports from right to wrong-and-flagged). Where a check digit covers the position, the check
      // digit decides.
      const said = others.map((o) => o[li]?.[col]).filter((ch) => ch !== undefined);
      const agreed = said.length > 0 && said.every((ch) => ch === said[0]) ? said[0]! : null;
      const theirs = options.find(([ch]) => ch === agreed);
      if (first !== undefined && theirs !== undefined && agreed !== first[0] && !checked[li]![col]!) {
        // Nor where the matcher could not tell its first choice from theirs (a hundredth apart: the print's O
        // with a tail of noise is its Q as much as its O); that is no decision of the matcher's to keep.
        const scoreOf = (ch: string): number => cell.ranked.find(([c]) => c === ch)?.[1] ?? -1;
        const undecided = scoreOf(first[0]) - scoreOf(theirs[0]) < UNDECIDED;
        // Nor where the cell looked like no glyph at all (a stray mark or a card's edge in a filler's cell, which a
        // K matches a little better than anything else): the matcher's first choice there is no reading.
        const unclear = scoreOf(first[0]) < UNCLEAR;
        if (!allowed.test(cell.ranked[0]?.[0] ?? '<') || undecided || unclear) theirs[1] = Math.min(...options.map(([, c]) => c)) - 0.01;
      }
      options.sort((a, b) => a[1] - b[1]);
      const base = options[0]?.[1] ?? 0;
      return { line: li, column: col, options: options.map(([ch, cost]) => [ch, cost - base] as const) };
    }),
  );
  const chosen = positions.map((line) => line.map((p) => p.options[0]?.[0] ?? '<'));
  const fixed = positions.map((line) => line.map(() => false));
  const long = numberGroup(format, chosen);
  // The first group is the document number's: its long form replaces it when the lines show one.
  const groups = long === null ? GROUPS[format] : [long, ...GROUPS[format].slice(1)];
  for (const group of groups) {
    const covered = group.covers.flatMap(([li, a, b]) => Array.from({ length: b - a }, (_, k) => positions[li]?.[a + k]).filter((p): p is Position => p !== undefined));
    const digit = positions[group.digit[0]]?.[group.digit[1]];
    if (digit === undefined || covered.length === 0) continue;
    const passes = (): boolean => {
      const d = chosen[digit.line]![digit.column]!;
      const value = covered.map((p) => chosen[p.line]![p.column]!);
      // A field left empty (all fillers) may have "<" as its check digit (TD3 personal number).
      if (d === '<') return value.every((c) => c === '<');
      return Number(d) === checkDigitOf(value);
    };
    const members = [...covered, digit];
    if (!passes()) {
      // Positions already vouched for by their own check digit stay as they are (the composite's turn).
      const free = members.filter((p) => !fixed[p.line]![p.column]!);
      const alternatives = free.flatMap((p) =>
        p.options
          .slice(1, 1 + PER_POSITION)
          .filter(([, cost]) => cost <= MAX_COST)
          .map(([ch, cost]) => ({ p, ch, cost })),
      );
      const solutions: { changes: typeof alternatives; cost: number }[] = [];
      const tryChanges = (changes: typeof alternatives): void => {
        const before = changes.map(({ p }) => chosen[p.line]![p.column]!);
        for (const { p, ch } of changes) chosen[p.line]![p.column] = ch;
        if (passes()) solutions.push({ changes, cost: changes.reduce((s, c) => s + c.cost, 0) });
        changes.forEach(({ p }, k) => (chosen[p.line]![p.column] = before[k]!));
      };
      for (const a of alternatives) tryChanges([a]);
      for (let i = 0; i < alternatives.length; i++) {
        for (let j = i + 1; j < alternatives.length; j++) {
          const a = alternatives[i]!;
          const b = alternatives[j]!;
          if (a.p === b.p || a.cost + b.cost > MAX_COST) continue;
          tryChanges([a, b]);
        }
      }
      solutions.sort((x, y) => x.cost - y.cost);
      // Between ways to pass about as cheap, the one whose every change another reader read there is taken when it is
      // the only such way: the check digit cannot tell them apart, the other reader can (tune-3-0011: 466327SO6's S
      // and O as Tesseract's 5 and 0, against a Z for the 2 that every reader read as 2).
      const near = solutions.filter((x) => x.cost - (solutions[0]?.cost ?? 0) < TIE);
      const backed = near.filter((x) => x.changes.every(({ p, ch }) => others.some((o) => o[p.line]?.[p.column] === ch)));
      const taken = near.length === 1 ? near[0] : backed.length === 1 ? backed[0] : undefined;
      if (taken !== undefined) {
        for (const { p, ch } of taken.changes) chosen[p.line]![p.column] = ch;
      }
    }
    if (passes()) for (const p of members) fixed[p.line]![p.column] = true;
  }
  for (const span of STATE_CODES[format]) chooseStateCode(positions, chosen, span);
  const corrections: Correction[] = [];
  cells.forEach((line, li) =>
    line.forEach((cell, col) => {
      const from = cell.ranked[0]?.[0] ?? '<';
      const to = chosen[li]![col]!;
      if (from !== to) corrections.push({ line: li, column: col, from, to });
    }),
  );
  return { lines: chosen.map((l) => l.join('')), corrections };
}

/**
 * A state code no state has (IN0 → "INO" for IND) is a misread: the cheapest change to candidates the
 * matcher scored nearly as well that makes a code some state has is taken, as for a failing check digit,
 * and only when no other such change costs about the same. The changed characters are corrections, so
 * the field is shown for confirmation.
 */
function chooseStateCode(positions: readonly (readonly Position[])[], chosen: string[][], [li, a, b]: Span): void {
  const ps = positions[li]?.slice(a, b) ?? [];
  const line = chosen[li];
  if (ps.length !== b - a || line === undefined || isStateCode(line.slice(a, b).join(''))) return;
  const choices = ps.map((p, k) => [[line[a + k]!, 0] as const, ...p.options.slice(1, 1 + PER_POSITION).filter(([ch, cost]) => cost <= MAX_COST && ch !== line[a + k])]);
  const found: { code: string[]; cost: number }[] = [];
  const walk = (k: number, code: string[], cost: number): void => {
    if (cost > MAX_COST) return;
    if (k === choices.length) {
      if (isStateCode(code.join(''))) found.push({ code: [...code], cost });
      return;
    }
    for (const [ch, c] of choices[k]!) walk(k + 1, [...code, ch], cost + c);
  };
  walk(0, [], 0);
  found.sort((x, y) => x.cost - y.cost);
  const [first, second] = found;
  if (first === undefined || (second !== undefined && second.cost - first.cost < TIE)) return;
  first.code.forEach((ch, k) => (line[a + k] = ch));
}

