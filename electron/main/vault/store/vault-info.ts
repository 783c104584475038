/**
 * `vault.json`: {format, version, vaultId, sealing, createdAt}, plain, written once; its presence
 * marks a finished creation. Readable without any key: which vault this is and how it is sealed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { writeFileAtomic } from '../fs/atomic-write';
import { errnoOf, isMissing } from '../fs/errno';
import { stateRecordMode } from './envelope';
import { readStatePrefix } from './state-file';

export const STORE_FORMAT = 'passport-vault-store';
export const STORE_VERSION = 1;
export const INFO_FILE = 'vault.json';

const VaultInfoSchema = z.strictObject({
  format: z.literal(STORE_FORMAT),
  version: z.number().int().positive(),
  vaultId: z.string().regex(/^[0-9a-f]{32}$/),
  sealing: z.enum(['none', 'aes-256-gcm']),
  createdAt: z.number().int().nonnegative(),
});
export type VaultInfo = z.infer<typeof VaultInfoSchema>;

/** Reads `vault.json` without any key: which vault this is and how it is sealed. */
export async function readInfo(dir: string): Promise<VaultInfo> {
  let text: string;
  try {
    text = await readFile(join(dir, INFO_FILE), 'utf8');
  } catch (e) {
    if (isMissing(e) || errnoOf(e) === 'ENOTDIR') throw new AppError('VAULT_NOT_FOUND', `No vault in ${dir}`);
    if (errnoOf(e) === 'EISDIR') throw new AppError('VAULT_CORRUPT', 'vault.json is a folder, not a file');
    throw new AppError('BAD_INPUT', `Cannot read the vault in ${dir}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('VAULT_CORRUPT', 'vault.json is not valid JSON');
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > STORE_VERSION) {
    throw new AppError('UNSUPPORTED_VERSION', `This vault was written by a newer version (format ${version})`);
  }
  const parsed = VaultInfoSchema.safeParse(json);
  if (!parsed.success) throw new AppError('VAULT_CORRUPT', 'vault.json does not describe a vault');
  return parsed.data;
}

/** Writes `vault.json` atomically. */
export async function writeInfo(dir: string, info: VaultInfo): Promise<void> {
  await writeFileAtomic(join(dir, INFO_FILE), Buffer.from(`${JSON.stringify(info, null, 2)}\n`));
}

/**
 * Refuses a vault.json whose `sealing` disagrees with the state record's own mode byte (an edited
 * vault.json), before anybody asks the keychain for a key that would not fit anyway.
 */
export async function checkSealing(dir: string, info: VaultInfo): Promise<void> {
  const mode = stateRecordMode(await readStatePrefix(dir));
  if (mode === null) throw new AppError('VAULT_CORRUPT', 'The vault state is not a vault state record');
  if (mode !== info.sealing) {
    throw new AppError('VAULT_CORRUPT', `vault.json says the vault is sealed "${info.sealing}", but its state was written "${mode}": vault.json was altered`);
  }
}
