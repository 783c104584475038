/**
 * What Telegram accepts for a Passport scan, and our own floor for legibility. One place, read by the
 * renderer (to encode what it sends) and by the main process (which re-checks whatever arrives).
 *
 * Telegram's numbers, as issue 8 states them (what Telegram Desktop produces for a scan): JPEG at
 * quality 89, at most 2048 px on the longest side, at most 10 MiB, aspect ratio at most 20:1.
 */
export const SCAN_LIMITS = {
  /** Longest side of the JPEG that leaves the machine. */
  maxLongSide: 2048,
  jpegQuality: 89,
  maxOutputBytes: 10 * 1024 * 1024,
  maxAspect: 20,
  /** Below this on the shortest side, a document photo is not legible (our rule, not Telegram's). */
  minShortSide: 300,
  /** What main accepts from the renderer: a 24 MP phone JPEG is ~8-15 MB, PNGs more. */
  maxInputBytes: 25 * 1024 * 1024,
  /** Decode-bomb guard: a 100 MP image is ~300 MB of RGB; anything larger is refused unread. */
  maxInputPixels: 100_000_000,
} as const;
