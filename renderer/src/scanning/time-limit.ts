/**
 * No step of a scan takes this long when things work: a 12 MB photo opens in a few seconds, the text
 * reader loads and reads in a few more, even on a busy machine. A step that sends no news for this long
 * is stopped (scan-client.ts) and the person told, instead of a screen that waits for ever.
 */
export const SCAN_STAGE_LIMIT_MS = 30_000;
