/**
 * node:crypto allocates a new output buffer on every `update()`. Up to a few tens of KiB those come
 * from reused heap memory; larger ones are fresh pages each time, mapped, faulted in and unmapped
 * again, which cost more than the cipher itself (measured here: checking 200 MiB of backup files
 * took ~800 ms with 256 KiB outputs and ~250 ms with 32 KiB ones; the whole import 1030 → 820 ms). Streams of sealed or encrypted bytes are therefore
 * fed to ciphers and hashes in slices of this size, and copied into reused buffers where they are
 * collected (BufferedFileWriter, the backup frames).
 */
export const CIPHER_SLICE = 32 * 1024;

/** Views of `bytes` at most `size` long, in order (none for empty input). */
export function* slices(bytes: Uint8Array, size = CIPHER_SLICE): Generator<Uint8Array> {
  for (let pos = 0; pos < bytes.length; pos += size) yield bytes.subarray(pos, pos + size);
}
