/**
 * local init / set / list / get and backup export / import / inspect: a local-only vault and its
 * backups from the command line. The vault's key goes to the OS keychain when one is reachable
 * (`--keychain auto`, the default) or the vault is keyless (`--keychain none`, or no keychain).
 */
import { SecureValueTypeNameSchema } from '../../../common/passport';
import { Keychain } from '../../keychain/keychain';
import { importBackup } from '../../vault/backup/import';
import { inspectBackup } from '../../vault/backup/format';
import { LocalVault } from '../../vault/local/local-vault';
import type { OptionValues } from '../args';
import { optionalString, readPasswordFile, requireString } from '../args';
import { checkInputFile, checkOutputTarget } from '../input-file';
import { usageError } from '../output';
import { describeFile, readValueInput, wipeValueInput } from '../value-input';

function keychainOption(values: OptionValues): Keychain | null {
  const mode = optionalString(values, 'keychain') ?? 'auto';
  if (mode === 'none') return null;
  if (mode !== 'auto') throw usageError('--keychain must be auto or none');
  return new Keychain();
}

async function withPassword<T>(values: OptionValues, fn: (password: Buffer) => Promise<T>): Promise<T> {
  const password = readPasswordFile(requireString(values, 'password-file'));
  try {
    return await fn(password);
  } finally {
    password.fill(0);
  }
}

/** Opens the vault at --vault-dir and unlocks it with --password-file. */
async function unlocked<T>(values: OptionValues, fn: (vault: LocalVault) => Promise<T>): Promise<T> {
  const vault = await LocalVault.open(requireString(values, 'vault-dir'), keychainOption(values));
  try {
    await withPassword(values, (password) => vault.unlock(password));
    return await fn(vault);
  } finally {
    vault.close();
  }
}

export async function localInit(values: OptionValues): Promise<object> {
  const vault = await withPassword(values, (password) =>
    LocalVault.init(requireString(values, 'vault-dir'), password, keychainOption(values)),
  );
  vault.close();
  return { vault_id: vault.vaultId, sealing: vault.store.sealing, keychain: vault.keychainUse };
}

export async function localSet(values: OptionValues): Promise<object> {
  const type = SecureValueTypeNameSchema.safeParse(requireString(values, 'type'));
  if (!type.success) throw usageError('--type must be one of the 13 Passport types, e.g. passport or utility_bill');
  const input = readValueInput(values, type.data, 'data-file');
  try {
    return await unlocked(values, async (vault) => ({ saved: await vault.save(input) }));
  } finally {
    wipeValueInput(input);
  }
}

export async function localList(values: OptionValues): Promise<object> {
  const vault = await LocalVault.open(requireString(values, 'vault-dir'), keychainOption(values));
  try {
    return { vault_id: vault.vaultId, sealing: vault.store.sealing, values: vault.listChecked() };
  } finally {
    vault.close();
  }
}

/** Prints a value's data and, for each file, its size and SHA-256 (never the scan itself). */
export async function localGet(values: OptionValues): Promise<object> {
  const type = SecureValueTypeNameSchema.safeParse(requireString(values, 'type'));
  if (!type.success) throw usageError('--type must be one of the 13 Passport types');
  return unlocked(values, async (vault) => {
    const v = await vault.read(type.data);
    if (v === null) return { type: type.data, found: false };
    return {
      type: v.type,
      found: true,
      updated_at: new Date(v.updatedAt).toISOString(),
      ...(v.data ? { data: v.data } : {}),
      ...(v.plain !== undefined ? { plain: v.plain } : {}),
      files: {
        ...(v.frontSide ? { front_side: describeFile(v.frontSide) } : {}),
        ...(v.reverseSide ? { reverse_side: describeFile(v.reverseSide) } : {}),
        ...(v.selfie ? { selfie: describeFile(v.selfie) } : {}),
        ...(v.files ? { files: v.files.map(describeFile) } : {}),
        ...(v.translation ? { translation: v.translation.map(describeFile) } : {}),
      },
    };
  });
}

export async function backupExport(values: OptionValues): Promise<object> {
  const out = requireString(values, 'out');
  checkOutputTarget(out, '--out');
  return unlocked(values, async (vault) => ({ out, counts: await vault.backupTo(out) }));
}

export async function backupImport(values: OptionValues): Promise<object> {
  const input = requireString(values, 'in');
  checkInputFile(input, '--in', 'backup');
  const result = await withPassword(values, (password) =>
    importBackup(input, password, requireString(values, 'vault-dir'), keychainOption(values)),
  );
  return { vault_id: result.vaultId, created: result.created, values: result.values, files: result.files, keychain: result.keychain };
}

export async function backupInspect(values: OptionValues): Promise<object> {
  const input = requireString(values, 'in');
  checkInputFile(input, '--in', 'backup');
  return inspectBackup(input);
}
