/**
 * BufferedFileWriter (electron/main/vault/fs/buffered-writer.ts): whatever the sizes appended, the
 * buffer size and the writes in flight, the file holds exactly the bytes appended, in order; the
 * caller may overwrite its bytes as soon as append returns; a failed write surfaces as a rejection.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { BufferedFileWriter } from '../../../electron/main/vault/fs/buffered-writer';

describe('BufferedFileWriter', () => {
  test('writes exactly the appended bytes in order, and copies them at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-writer-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4096 }),
          async (sizes, inFlight, bufferSize) => {
            const path = join(dir, 'out');
            const handle = await open(path, 'w');
            const expected: Buffer[] = [];
            const scratch = Buffer.alloc(5000);
            try {
              const writer = new BufferedFileWriter(handle, inFlight, bufferSize);
              for (const n of sizes) {
                const bytes = randomBytes(n);
                expected.push(bytes);
                bytes.copy(scratch);
                await writer.append(scratch.subarray(0, n));
                scratch.fill(0xee); // the caller reuses its buffer at once
              }
              await writer.drain();
            } finally {
              await handle.close();
            }
            assert.deepEqual(readFileSync(path), Buffer.concat(expected));
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a write that fails rejects append or drain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-writer-'));
    try {
      const path = join(dir, 'read-only');
      writeFileSync(path, '');
      const handle = await open(path, 'r'); // writes fail with EBADF
      try {
        const writer = new BufferedFileWriter(handle, 2, 16);
        await assert.rejects(async () => {
          for (let i = 0; i < 10; i++) await writer.append(Buffer.alloc(16, i));
          await writer.drain();
        }, /EBADF/);
      } finally {
        await handle.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
