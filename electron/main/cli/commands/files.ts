/** seal / open: a document (scan) file encrypted or decrypted with a data secret. */
import { stat } from 'node:fs/promises';
import { toBase64 } from '../../passport/crypto/base64';
import { openFile, sealFile } from '../../passport/crypto/file-encryption';
import type { OptionValues } from '../args';
import { base64Option, requireString, secretOption } from '../args';
import { progressFor } from '../progress';

async function sizeOrZero(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0, // sealFile/openFile report the unreadable input properly
  );
}

export async function seal(values: OptionValues): Promise<object> {
  const secret = secretOption(values);
  const inPath = requireString(values, 'in');
  const outPath = requireString(values, 'out');
  const progress = progressFor('sealing', await sizeOrZero(inPath));
  try {
    const hash = await sealFile(inPath, outPath, secret, progress.onProgress);
    return { hash: toBase64(hash) };
  } finally {
    progress.finish();
    secret.fill(0);
  }
}

export async function open(values: OptionValues): Promise<object> {
  const secret = secretOption(values);
  const hash = base64Option(values, 'hash');
  const inPath = requireString(values, 'in');
  const outPath = requireString(values, 'out');
  const progress = progressFor('opening', await sizeOrZero(inPath));
  try {
    await openFile(inPath, outPath, secret, hash, progress.onProgress);
    return { ok: true };
  } finally {
    progress.finish();
    secret.fill(0);
  }
}
