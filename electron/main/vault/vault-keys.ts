/**
 * Opening and creating a vault store with its key from the keychain.
 *
 * A new vault gets a fresh random key in the keychain when one is reachable, and is sealed with
 * it; otherwise it is created keyless (checksums only, see store/envelope.ts) and the caller is told
 * why (`keychain.status === 'unavailable'`), so the UI can say "nothing is remembered on this
 * device". A vault that was created sealed cannot be opened while the keychain is unreachable:
 * that is KEYCHAIN_UNAVAILABLE, never a silent downgrade.
 *
 * While a keychain is in use it also keeps each vault's last committed generation: written after
 * every commit (the disk first; a failed keychain write changes nothing), read at open, where a
 * state older than it is VAULT_ROLLBACK (store/vault-store.ts).
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../common/errors';
import type { Keychain } from '../keychain/keychain';
import type { VaultContent } from './store/state';
import { VaultStore } from './store/vault-store';
import type { StoreOptions } from './store/vault-store';

export type KeychainUse = { status: 'used' } | { status: 'unavailable'; reason: string } | { status: 'off' };

function isUnavailable(e: unknown): e is AppError {
  return e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE';
}

/** Each commit's generation goes to the keychain, when one is in use. */
function recordGenerations(keychain: Keychain | null, use: KeychainUse, vaultId: string): Pick<StoreOptions, 'onCommit'> {
  if (keychain === null || use.status !== 'used') return {};
  return { onCommit: (generation) => keychain.setVaultGeneration(vaultId, generation) };
}

/** `keychain` null = do not use one at all (tests, `--keychain none`). */
export async function createVaultStore(
  dir: string,
  keychain: Keychain | null,
  origin: VaultContent['origin'],
): Promise<{ store: VaultStore; keychain: KeychainUse }> {
  // Refuse an existing vault before touching the keychain, so no orphan key is made.
  try {
    await VaultStore.readInfo(dir);
    throw new AppError('VAULT_EXISTS', `A vault already exists in ${dir}`);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VAULT_NOT_FOUND') throw e;
  }
  const vaultId = randomBytes(16).toString('hex');
  let key: Buffer | null = null;
  let use: KeychainUse = { status: 'off' };
  if (keychain !== null) {
    try {
      key = await keychain.createVaultKey(vaultId);
      use = { status: 'used' };
    } catch (e) {
      if (!isUnavailable(e)) throw e;
      use = { status: 'unavailable', reason: e.message };
    }
  }
  try {
    return { store: await VaultStore.create(dir, { vaultKey: key, origin, vaultId, ...recordGenerations(keychain, use, vaultId) }), keychain: use };
  } catch (e) {
    if (key !== null) await keychain?.deleteVaultKey(vaultId).catch(() => undefined);
    throw e;
  } finally {
    key?.fill(0);
  }
}

export async function openVaultStore(dir: string, keychain: Keychain | null): Promise<{ store: VaultStore; keychain: KeychainUse }> {
  const info = await VaultStore.readInfo(dir);
  // An edited vault.json is an integrity error, whatever the keychain would say.
  await VaultStore.checkSealing(dir, info);
  let key: Buffer | null = null;
  let use: KeychainUse = { status: 'off' };
  let knownGeneration: number | null = null;
  if (keychain !== null) {
    try {
      key = await keychain.getVaultKey(info.vaultId);
      use = { status: 'used' };
    } catch (e) {
      if (!isUnavailable(e)) throw e;
      // A keyless vault still opens; a sealed one cannot (VaultStore.open says so).
      use = { status: 'unavailable', reason: e.message };
    }
    if (use.status === 'used' && key === null && info.sealing === 'aes-256-gcm') {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain no longer holds the key of this vault (it was forgotten or reset)');
    }
    if (use.status === 'used') knownGeneration = await keychain.getVaultGeneration(info.vaultId).catch(() => null);
  }
  try {
    const options: StoreOptions = { ...recordGenerations(keychain, use, info.vaultId), ...(knownGeneration === null ? {} : { knownGeneration }) };
    return { store: await VaultStore.open(dir, key, options), keychain: use };
  } finally {
    key?.fill(0);
  }
}
