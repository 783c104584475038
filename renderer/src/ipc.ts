/** The renderer's handle on the main process. Results are values (`{ ok, value | error }`), never exceptions. */
import type { PassportVaultApi } from '@common/ipc/api';

export function vaultApi(): PassportVaultApi {
  const api = (window as Partial<Window>).passportVault;
  if (api === undefined) throw new Error('Passport Vault must run inside its own window (the preload API is missing).');
  return api;
}
