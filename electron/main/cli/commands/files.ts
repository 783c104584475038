/** seal / open: a document (scan) file encrypted or decrypted with a data secret. */
import { toBase64 } from '../../passport/crypto/base64';
import { openFile, sealFile } from '../../passport/crypto/file-encryption';
import type { OptionValues } from '../args';
import { base64Option, requireString, secretOption } from '../args';
import { checkInputFile, checkOutputTarget } from '../input-file';
import { progressFor } from '../progress';

/** --in and --out, checked before anything is read, decrypted or written. Returns --in's size. */
function checkFiles(inPath: string, outPath: string): number {
  const size = checkInputFile(inPath, '--in', 'document');
  checkOutputTarget(outPath, '--out');
  return size;
}

export function seal(values: OptionValues): object {
  const inPath = requireString(values, 'in');
  const outPath = requireString(values, 'out');
  const size = checkFiles(inPath, outPath);
  const secret = secretOption(values);
  const progress = progressFor('sealing', size);
  try {
    const hash = sealFile(inPath, outPath, secret, progress.onProgress);
    return { hash: toBase64(hash) };
  } finally {
    progress.finish();
    secret.fill(0);
  }
}

export function open(values: OptionValues): object {
  const inPath = requireString(values, 'in');
  const outPath = requireString(values, 'out');
  const size = checkFiles(inPath, outPath);
  const hash = base64Option(values, 'hash');
  const secret = secretOption(values);
  const progress = progressFor('opening', size);
  try {
    openFile(inPath, outPath, secret, hash, progress.onProgress);
    return { ok: true };
  } finally {
    progress.finish();
    secret.fill(0);
  }
}
