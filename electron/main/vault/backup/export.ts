/**
 * Writes a backup (format.ts) of a vault: every value and file, still in Passport's encrypted
 * format, inside the GCM-framed body. Streamed blob by blob; the output appears at `outPath` only
 * once complete (atomic write), so a failed export never leaves a partial backup that looks whole.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../common/errors';
import { toBase64 } from '../../passport/crypto/base64';
import { secretFingerprint } from '../../passport/crypto/secret';
import { writeFileAtomic } from '../fs/atomic-write';
import { unlockSecretSettings } from '../secret-settings';
import { filesOf } from '../store/state';
import type { StoredValue } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { BACKUP_VERSION, encodePreambleAndHeader, FRAME_SIZE, headerDigest, RECORD_END, RECORD_FILE, RECORD_VALUE } from './format';
import type { BackupHeader, Counts, ManifestEntry } from './format';
import { deriveBodyKey, FrameWriter } from './frames';

export function manifestOf(values: readonly StoredValue[]): { values: ManifestEntry[]; counts: Counts } {
  const entries = values.map((v) => ({
    type: v.type,
    updatedAt: new Date(v.updatedAt).toISOString(),
    hasData: v.data !== undefined || v.plainData !== undefined,
    files: filesOf(v).length,
  }));
  const files = values.flatMap(filesOf);
  return {
    values: entries,
    counts: { values: values.length, files: files.length, fileBytes: files.reduce((n, f) => n + f.size, 0) },
  };
}

function lengthPrefixed(kind: number, json: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  const head = Buffer.alloc(5);
  head[0] = kind;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/**
 * Exports the vault in `store` to `outPath`. `passportSecret` is the unlocked secret (it keys the
 * body and must be the one the vault's settings wrap). `onProgress` hears file bytes written of all.
 */
export async function exportBackup(
  store: VaultStore,
  passportSecret: Buffer,
  outPath: string,
  now = new Date(),
  onProgress?: (done: number, total: number) => void,
  /** The file format; 1 (no header checksum) only for an older copy of the app to read. */
  formatVersion: 1 | 2 = BACKUP_VERSION,
): Promise<Counts> {
  const state = store.state;
  const settings = state.secretSettings;
  if (settings === null) throw new AppError('VAULT_CORRUPT', 'The vault has no passport secret settings');
  if (secretFingerprint(passportSecret).toString() !== settings.secretId) {
    throw new AppError('SECRET_FINGERPRINT', 'The unlocked secret is not the vault\'s passport secret');
  }
  const manifest = manifestOf(state.values);
  const salt = randomBytes(32);
  const header: BackupHeader = {
    app: 'passport-vault',
    createdAt: now.toISOString(),
    manifest,
    passportSecret: settings,
    body: { cipher: 'aes-256-gcm', kdf: 'hkdf-sha256', salt: toBase64(salt), frameSize: FRAME_SIZE },
  };
  const { headerBytes, written } = encodePreambleAndHeader(header, formatVersion);
  const key = deriveBodyKey(passportSecret, salt);
  let done = 0;
  onProgress?.(0, manifest.counts.fileBytes);
  try {
    await writeFileAtomic(outPath, async (out) => {
      await out.write(written);
      const w = new FrameWriter(out, key, headerDigest(headerBytes));
      for (const value of state.values) {
        await w.write(lengthPrefixed(RECORD_VALUE, value));
        for (const f of filesOf(value)) {
          const head = Buffer.alloc(1 + 16 + 8);
          head[0] = RECORD_FILE;
          Buffer.from(f.blob, 'hex').copy(head, 1);
          head.writeBigUInt64BE(BigInt(f.size), 17);
          await w.write(head);
          let written = 0;
          const before = done;
          // The blob's integrity is checked after its last slice (vault-store.ts); a failure
          // throws here and the half-written backup is discarded by writeFileAtomic.
          for await (const chunk of store.readBlobChunks(f.blob)) {
            written += chunk.length;
            await w.write(chunk);
            done = before + written;
            onProgress?.(done, manifest.counts.fileBytes);
          }
          if (written !== f.size) throw new AppError('VAULT_CORRUPT', `Blob ${f.blob} has ${written} bytes, expected ${f.size}`);
        }
      }
      await w.write(lengthPrefixed(RECORD_END, manifest.counts));
      await w.finish();
    });
  } finally {
    key.fill(0);
  }
  return manifest.counts;
}

/**
 * Exports a vault that is not unlocked: `password` opens the vault's own secret settings for this
 * export only (a backup before a reset or a recovery must not need the Passport open), and the secret
 * is wiped after. WRONG_PASSWORD as for an unlock.
 */
export async function exportBackupWithPassword(
  store: VaultStore,
  password: string,
  outPath: string,
  now = new Date(),
  onProgress?: (done: number, total: number) => void,
  formatVersion: 1 | 2 = BACKUP_VERSION,
): Promise<Counts> {
  const settings = store.state.secretSettings;
  if (settings === null) throw new AppError('VAULT_CORRUPT', 'The vault has no passport secret settings');
  const pw = Buffer.from(password, 'utf8');
  let secret: Buffer;
  try {
    secret = await unlockSecretSettings(settings, pw);
  } finally {
    pw.fill(0);
  }
  try {
    return await exportBackup(store, secret, outPath, now, onProgress, formatVersion);
  } finally {
    secret.fill(0);
  }
}
