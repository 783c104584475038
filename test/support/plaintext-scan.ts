/** Scanning stored bytes for plaintext: typed values and image windows must never appear. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`, recursively, concatenated. */
export function allBytesUnder(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

/**
 * Asserts that none of `texts` (as UTF-8, and as they would appear JSON-escaped) and no 32-byte
 * window of any of `images` (taken at several offsets) occurs in `haystack`.
 */
export function assertNoPlaintext(haystack: Buffer, texts: readonly string[], images: readonly Buffer[], where: string): void {
  assert.ok(haystack.length > 0, `${where}: nothing to scan`);
  for (const t of texts) assert.equal(haystack.includes(Buffer.from(t, 'utf8')), false, `${where} holds the plaintext "${t}"`);
  for (const img of images) {
    for (const at of [0, 16, Math.floor(img.length / 3), Math.floor(img.length / 2), img.length - 40]) {
      assert.equal(haystack.includes(img.subarray(at, at + 32)), false, `${where} holds image bytes at offset ${at}`);
    }
  }
}
