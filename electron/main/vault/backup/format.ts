/**
 * The portable backup file (`.pvbackup`). One file holds a whole Passport, readable by any copy of
 * the app with the password, and by nothing without it:
 *
 *   0   8  magic "PVBACKUP"
 *   8   2  format version (u16 BE), currently 2 (1 is still read)
 *   10  4  header length H (u32 BE), at most 1 MiB
 *   14  H  header, UTF-8 JSON (BackupHeader below), NOT encrypted: created-at, the manifest
 *          (types, dates, counts: what `inspect` shows without the password), the passport
 *          secret wrapped under the password exactly as Telegram wraps it (secureSecretSettings),
 *          and the parameters of the body encryption
 *   ..  32 (version 2) SHA-256(bytes 0..14+H): lets `inspect` refuse a damaged header without the
 *          password (it proves no authorship: import's tags do that); version 1 has no such check
 *   ..     body frames, until the end of the file:
 *            u32 BE  bit 31 = final frame, bits 0-30 = plaintext length n (at most FRAME_SIZE)
 *            n       AES-256-GCM ciphertext
 *            16      GCM tag
 *
 * Body key = HKDF-SHA256(passport secret, salt = header.body.salt (32 random bytes per backup),
 * info = "passport-vault backup v1 body"), 32 bytes. Frame i uses nonce = 0x00000000 ‖ u64 i (the
 * key is fresh per file, so a counter nonce never repeats) and additional data =
 * SHA-256(bytes 0..14+H) ‖ u64 i ‖ final flag. So the header cannot be changed, frames cannot be
 * reordered, dropped or replayed from another backup, and a file cut short is refused (no final
 * frame). `inspect` reads the header only and cannot authenticate it (no password), but with version 2
 * it checks the header's SHA-256, so damage (bit rot, a cut file) is refused there too; import
 * re-checks the manifest against the body.
 *
 * The decrypted body is a stream of records, still in Passport's own encrypted format:
 *   0x01 value  u32 BE length, JSON of a stored value (state.ts StoredValue; blob names as exported)
 *   0x02 file   16 bytes blob name, u64 BE size, then size bytes: the Passport ciphertext of a file
 *   0x03 end    u32 BE length, JSON {values, files, fileBytes}
 * Each value record is followed by the file records of its files, in `filesOf` order.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { base64String } from '../../../common/base64-schema';
import { AppError } from '../../../common/errors';
import { SecureValueTypeNameSchema } from '../../../common/passport';
import { SecretSettingsSchema } from '../store/state';

export const BACKUP_MAGIC = Buffer.from('PVBACKUP', 'latin1');
export const BACKUP_VERSION = 2 as const;
/** Versions this code reads: 1 (no header checksum) and 2. */
const READABLE_VERSIONS: readonly number[] = [1, 2];
/** Version 2's SHA-256 of the preamble and header, right after the header. */
export const HEADER_CHECK_LENGTH = 32;
export const PREAMBLE_LENGTH = BACKUP_MAGIC.length + 2 + 4;
export const MAX_HEADER_LENGTH = 1024 * 1024;
export const FRAME_SIZE = 256 * 1024;
export const FINAL_FLAG = 0x8000_0000;
export const TAG_LENGTH = 16;
export const BODY_KDF_INFO = 'passport-vault backup v1 body';

export const RECORD_VALUE = 0x01;
export const RECORD_FILE = 0x02;
export const RECORD_END = 0x03;

const B64 = base64String();
const IsoDate = z.iso.datetime();

export const ManifestEntrySchema = z.strictObject({
  type: SecureValueTypeNameSchema,
  updatedAt: IsoDate,
  hasData: z.boolean(),
  files: z.number().int().nonnegative(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const CountsSchema = z.strictObject({
  values: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  fileBytes: z.number().int().nonnegative(),
});
export type Counts = z.infer<typeof CountsSchema>;

export const BackupHeaderSchema = z.strictObject({
  app: z.literal('passport-vault'),
  createdAt: IsoDate,
  manifest: z.strictObject({ values: z.array(ManifestEntrySchema), counts: CountsSchema }),
  passportSecret: SecretSettingsSchema,
  body: z.strictObject({
    cipher: z.literal('aes-256-gcm'),
    kdf: z.literal('hkdf-sha256'),
    salt: B64,
    frameSize: z.number().int().positive().max(FRAME_SIZE),
  }),
});
export type BackupHeader = z.infer<typeof BackupHeaderSchema>;

/** SHA-256 of the preamble and header: version 2's header check, and (both versions) the body frames' additional data. */
export function headerDigest(headerBytes: Buffer): Buffer {
  return createHash('sha256').update(headerBytes).digest();
}

/**
 * The preamble and header (`headerBytes`, what `headerDigest` covers) and what is written before the
 * body: them and, from version 2, the check. Version 1 is written only for an older app to read.
 */
export function encodePreambleAndHeader(header: BackupHeader, version: 1 | 2 = BACKUP_VERSION): { headerBytes: Buffer; written: Buffer } {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = Buffer.alloc(PREAMBLE_LENGTH);
  BACKUP_MAGIC.copy(pre, 0);
  pre.writeUInt16BE(version, 8);
  pre.writeUInt32BE(json.length, 10);
  const headerBytes = Buffer.concat([pre, json]);
  return { headerBytes, written: version === 1 ? headerBytes : Buffer.concat([headerBytes, headerDigest(headerBytes)]) };
}

export function corruptBackup(message: string): AppError {
  return new AppError('BACKUP_CORRUPT', message);
}

/** Reads and checks the preamble and header; returns them and where the body starts. */
export async function readBackupHeader(path: string): Promise<{ header: BackupHeader; headerBytes: Buffer; bodyOffset: number; version: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    throw new AppError('BAD_INPUT', `Cannot read ${path}`);
  }
  try {
    const pre = Buffer.alloc(PREAMBLE_LENGTH);
    const { bytesRead } = await handle.read(pre, 0, PREAMBLE_LENGTH, 0);
    if (bytesRead < PREAMBLE_LENGTH || !pre.subarray(0, 8).equals(BACKUP_MAGIC)) {
      throw new AppError('BAD_INPUT', 'This is not a Passport Vault backup');
    }
    const version = pre.readUInt16BE(8);
    if (!READABLE_VERSIONS.includes(version)) {
      throw new AppError('UNSUPPORTED_VERSION', `Backup format ${version} is not supported (this version reads ${READABLE_VERSIONS.join(' and ')})`);
    }
    const length = pre.readUInt32BE(10);
    if (length === 0 || length > MAX_HEADER_LENGTH) throw corruptBackup('The backup header has an impossible length');
    const json = Buffer.alloc(length);
    const got = await handle.read(json, 0, length, PREAMBLE_LENGTH);
    if (got.bytesRead !== length) throw corruptBackup('The backup is cut short inside its header');
    const headerBytes = Buffer.concat([pre, json]);
    let bodyOffset = PREAMBLE_LENGTH + length;
    if (version >= 2) {
      const check = Buffer.alloc(HEADER_CHECK_LENGTH);
      const c = await handle.read(check, 0, HEADER_CHECK_LENGTH, bodyOffset);
      if (c.bytesRead !== HEADER_CHECK_LENGTH || !check.equals(headerDigest(headerBytes))) throw corruptBackup('The backup header is damaged (its checksum does not match)');
      bodyOffset += HEADER_CHECK_LENGTH;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json.toString('utf8'));
    } catch {
      throw corruptBackup('The backup header is not JSON');
    }
    const header = BackupHeaderSchema.safeParse(parsed);
    if (!header.success) throw corruptBackup('The backup header does not have the expected shape');
    return { header: header.data, headerBytes, bodyOffset, version };
  } finally {
    await handle.close();
  }
}

/** What `backup inspect` shows: no password needed, nothing secret. */
export async function inspectBackup(path: string): Promise<{
  version: number;
  createdAt: string;
  secretId: string;
  values: ManifestEntry[];
  counts: Counts;
}> {
  const { header, version } = await readBackupHeader(path);
  return {
    version,
    createdAt: header.createdAt,
    secretId: header.passportSecret.secretId,
    values: header.manifest.values,
    counts: header.manifest.counts,
  };
}
