/**
 * Strict standard base64 (RFC 4648 §4, `=` padding, no line breaks, no base64url), checked by one
 * loop over the char codes. Not a regex: V8's backtracking engine recurses per repetition of
 * `(?:[A-Za-z0-9+/]{4})*` and overflows the stack at ~8M characters, even on valid input.
 * Pure and import-free (no `node:`, no zod), so schemas in common and main share it and the CLI's
 * light commands (seal, open) load nothing more for it; the zod schema is in base64-schema.ts.
 */

/** 1 for the 64 alphabet characters, 0 otherwise; indexed by char code (< 128). */
const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;
const PAD = 0x3d; // '='

/** True when `text` is standard padded base64 (the empty string included). Linear, no recursion. */
export function isStrictBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  // Up to two '=' at the very end; everything before them from the alphabet.
  let end = n;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  if (end > 0 && text.charCodeAt(end - 1) === PAD) end--;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ALPHABET[c] === 0) return false;
  }
  return true;
}

export const BASE64_MESSAGE = 'Expected standard base64 with = padding';
