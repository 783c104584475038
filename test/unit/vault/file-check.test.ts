/**
 * The Passport check of backup files (electron/main/vault/backup/file-check.ts): the worker-thread
 * checker and the in-thread reference give the same verdict on good files, damaged files, wrong keys
 * and bad padding, however the ciphertext is cut into pieces; and the worker keeps its backlog
 * bounded on files larger than its in-flight limit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AppError } from '../../../electron/common/errors';
import { encryptData } from '../../../electron/main/passport/crypto/data-encryption';
import { deriveAesKeyIv, rawCbcCipher } from '../../../electron/main/passport/crypto/keys';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { FileCheckWorker, inThreadFileChecks, MAX_IN_FLIGHT, type FileChecks } from '../../../electron/main/vault/backup/file-check';

interface Sample {
  encrypted: Buffer;
  hash: Buffer;
  secret: Buffer;
}

/** A file whose hash matches but whose first byte is not a valid padding length (5 < 32). */
function badPaddingFile(size: number): Sample {
  const plain = randomBytes(size);
  plain[0] = 5;
  const hash = createHash('sha256').update(plain).digest();
  const secret = generateSecret();
  const c = rawCbcCipher(deriveAesKeyIv(secret, hash));
  return { encrypted: Buffer.concat([c.update(plain), c.final()]), hash, secret };
}

const PREFIX = Buffer.from('passport-vault blob\0vault\0name\0PVB1\0');

/**
 * Runs every sample through `checks` in pieces of the given sizes; returns the verdict (null = all
 * good). Each file's keyless envelope digest is asked for too; when every file passes, each must
 * equal SHA-256(prefix ‖ ciphertext) computed here.
 */
async function verdict(checks: FileChecks, samples: Sample[], cuts: number[]): Promise<string | null> {
  const digests: Promise<Buffer>[] = [];
  try {
    for (const [n, s] of samples.entries()) {
      const check = checks.begin({ secret: s.secret, fileHash: s.hash, size: s.encrypted.length, label: `file ${n}` });
      const digest = check.keylessDigest(PREFIX);
      digest.catch(() => undefined); // after a failure it rejects with it; compared below otherwise
      digests.push(digest);
      let pos = 0;
      for (let i = 0; pos < s.encrypted.length; i++) {
        const len = cuts[i % cuts.length] ?? 1;
        await check.update(s.encrypted.subarray(pos, pos + len));
        pos += len;
      }
      check.end();
    }
    await checks.settle();
    for (const [n, s] of samples.entries()) {
      assert.deepEqual(await digests[n], createHash('sha256').update(PREFIX).update(s.encrypted).digest(), `envelope digest of file ${n}`);
    }
    return null;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, 'BACKUP_CORRUPT');
    return e.message;
  } finally {
    await checks.close();
  }
}

const good = (size: number): Sample => encryptData(randomBytes(size));

describe('backup file checks', () => {
  test('worker and in-thread checks agree on good, damaged, wrongly keyed and badly padded files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('none', 'flip', 'wrong-key', 'padding'),
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 }),
        async (sizes, damage, where, cuts) => {
          const samples = sizes.map(good);
          const victim = where % samples.length;
          const s = samples[victim] as Sample;
          if (damage === 'flip') {
            const at = where % s.encrypted.length;
            s.encrypted[at] = (s.encrypted[at] ?? 0) ^ (1 << (where % 8));
          }
          if (damage === 'wrong-key') s.secret = generateSecret();
          if (damage === 'padding') samples[victim] = badPaddingFile(s.encrypted.length);
          const copy = (): Sample[] => samples.map((x) => ({ encrypted: Buffer.from(x.encrypted), hash: Buffer.from(x.hash), secret: Buffer.from(x.secret) }));
          const inThread = await verdict(inThreadFileChecks(), copy(), cuts);
          const worker = await verdict(FileCheckWorker.start(), copy(), cuts);
          assert.equal(worker, inThread);
          if (damage === 'none') assert.equal(worker, null);
          else assert.match(worker ?? 'accepted', new RegExp(`^file ${victim} in the backup .*(hash mismatch|padding)`));
        },
      ),
      { numRuns: 25 },
    );
  });

  test('a file larger than the in-flight limit passes with bounded backlog, and the last byte still counts', async () => {
    const big = good(20 * 1024 * 1024);
    const worker = new FileCheckWorker();
    assert.equal(await verdict(worker, [big], [32 * 1024]), null); // the importer hands over 32 KiB slices
    assert.ok(worker.peakInFlight > MAX_IN_FLIGHT / 2, `the test drives a backlog (peak ${worker.peakInFlight})`);
    assert.ok(worker.peakInFlight <= MAX_IN_FLIGHT + 256 * 1024, `backlog bounded (peak ${worker.peakInFlight})`);
    const last = big.encrypted.length - 1;
    big.encrypted[last] = (big.encrypted[last] ?? 0) ^ 0x80;
    assert.match((await verdict(FileCheckWorker.start(), [big], [256 * 1024])) ?? 'accepted', /hash mismatch/);
  });

  test('a length that is not a whole number of AES blocks is refused before anything is sent', () => {
    const checks = FileCheckWorker.start();
    try {
      assert.throws(() => checks.begin({ secret: generateSecret(), fileHash: randomBytes(32), size: 1000, label: 'x' }), (e) => e instanceof AppError && e.code === 'BAD_LENGTH');
    } finally {
      void checks.close();
    }
  });
});
