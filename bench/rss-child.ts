/**
 * Run by bench/index.ts (bundled, under `node --expose-gc`) in a fresh process: does exactly one
 * operation on FILE and prints `{beforeKiB, peakKiB}`: RSS just before the operation (after a full GC)
 * and the address space's high-water mark (VmHWM) after it. `baseline` does nothing, showing the method's noise.
 * Usage: rss-child.mjs MODE FILE [SECRET_B64 HASH_B64]
 */
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { decryptData, encryptDataWithSecret } from '../electron/main/passport/crypto/data-encryption';
import { openFile, sealFile } from '../electron/main/passport/crypto/file-encryption';
import { generateSecret } from '../electron/main/passport/crypto/secret';
import { peakRssKiB } from './peak-rss';

const [mode, file] = process.argv.slice(2);
if (mode === undefined || file === undefined) throw new Error('usage: rss-child.ts MODE FILE');
const secret = generateSecret();
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** For modes that need a sealed file first, the sealing happens before the measurement starts. */
const preparedHash = mode === 'open-file' ? sealFile(file, `${file}.rss.enc`, secret) : undefined;
gc();
const beforeKiB = Math.round(process.memoryUsage().rss / 1024);

switch (mode) {
  case 'baseline':
    break;
  case 'seal-file':
    sealFile(file, `${file}.rss.enc`, secret);
    break;
  case 'open-file':
    if (preparedHash === undefined) throw new Error('unreachable');
    openFile(`${file}.rss.enc`, `${file}.rss.out`, secret, preparedHash);
    break;
  case 'seal-memory': {
    // The app's path: the (re-encoded) scan is in memory, and the ciphertext is kept for upload.
    const data = readFileSync(file);
    const { encrypted } = encryptDataWithSecret(data, secret);
    if (encrypted.length < data.length) throw new Error('unreachable');
    break;
  }
  case 'open-memory': {
    // FILE is already encrypted; SECRET and HASH (base64) come from the parent.
    const [secretB64, hashB64] = process.argv.slice(4);
    if (secretB64 === undefined || hashB64 === undefined) throw new Error('open-memory needs SECRET HASH');
    const encrypted = readFileSync(file);
    const plain = decryptData(encrypted, Buffer.from(hashB64, 'base64'), Buffer.from(secretB64, 'base64'));
    if (plain.length > encrypted.length) throw new Error('unreachable');
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
const peakKiB = peakRssKiB();
await rm(`${file}.rss.enc`, { force: true });
await rm(`${file}.rss.out`, { force: true });
process.stdout.write(`${JSON.stringify({ beforeKiB, peakKiB })}\n`);
