/**
 * Restores a backup into the open Passport, whatever its key: the backup is first imported (and so
 * fully checked: password, every tag, every value and file, the manifest) into a scratch local vault,
 * then each value is decrypted there with the backup's own secret and saved through the open
 * Passport like an edit, so it is re-encrypted under the open Passport's secret (on Telegram: sent).
 * The scratch vault holds only ciphertext and is removed afterwards, whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import { importBackup } from '../backup/import';
import { LocalVault } from '../local/local-vault';
import type { FileChange, TelegramValueInput } from '../telegram/value-edit';

export interface RestoreReport {
  restored: SecureValueTypeName[];
  /** Values the open Passport would not take as they are (a phone or e-mail Telegram wants verified first). */
  skipped: { type: SecureValueTypeName; code: string; message: string }[];
}

/** Codes that leave one value out instead of failing the whole restore. */
const SKIPPABLE = new Set(['PHONE_VERIFICATION_NEEDED', 'EMAIL_VERIFICATION_NEEDED']);

export async function restoreBackup(o: {
  backupPath: string;
  password: string;
  /** A folder for the scratch vault (it is created and removed here). */
  scratchParent: string;
  save: (input: TelegramValueInput) => Promise<unknown>;
  onProgress?: (done: number, total: number) => void;
}): Promise<RestoreReport> {
  const scratch = join(o.scratchParent, `restore-${randomBytes(8).toString('hex')}`);
  const pw = Buffer.from(o.password, 'utf8');
  let vault: LocalVault | undefined;
  try {
    await importBackup(o.backupPath, pw, scratch, null);
    vault = await LocalVault.open(scratch, null);
    await vault.unlock(pw);
    return await copyValues(vault, o.save, o.onProgress);
  } finally {
    pw.fill(0);
    vault?.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Copies every value of an unlocked local vault into another Passport through `save` (which
 * re-encrypts under its own key). Scans are decrypted in main one value at a time and wiped after.
 */
export async function copyValues(
  source: LocalVault,
  save: (input: TelegramValueInput) => Promise<unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<RestoreReport> {
  const values = source.values();
  const report: RestoreReport = { restored: [], skipped: [] };
  for (const [i, v] of values.entries()) {
    onProgress?.(i, values.length);
    if (v.problem !== null) {
      report.skipped.push({ type: v.type, code: v.problem.code, message: v.problem.message });
      continue;
    }
    if (v.damaged.length > 0) {
      const slots = v.damaged.map((d) => `${d.slot} (${d.reason})`).join(', ');
      report.skipped.push({ type: v.type, code: 'VAULT_CORRUPT', message: `Files of this document are damaged on this device: ${slots}` });
      continue;
    }
    const plain: Buffer[] = [];
    const read = async (fileHash: string): Promise<FileChange> => {
      const bytes = await source.readFile(v.type, fileHash);
      plain.push(bytes);
      return bytes;
    };
    const input: TelegramValueInput = { type: v.type };
    if (v.data !== undefined) input.data = v.data;
    if (v.plain !== undefined) input.plain = v.plain;
    if (v.frontSide) input.frontSide = await read(v.frontSide.fileHash);
    if (v.reverseSide) input.reverseSide = await read(v.reverseSide.fileHash);
    if (v.selfie) input.selfie = await read(v.selfie.fileHash);
    if (v.files.length > 0) input.files = await Promise.all(v.files.map((f) => read(f.fileHash)));
    if (v.translation.length > 0) input.translation = await Promise.all(v.translation.map((f) => read(f.fileHash)));
    try {
      await save(input);
      report.restored.push(v.type);
    } catch (e) {
      if (!(e instanceof AppError) || !SKIPPABLE.has(e.code)) throw e;
      report.skipped.push({ type: v.type, code: e.code, message: e.message });
    } finally {
      for (const b of plain) b.fill(0); // decrypted scans
    }
  }
  onProgress?.(values.length, values.length);
  return report;
}
