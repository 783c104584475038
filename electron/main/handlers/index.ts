/** All handlers, one namespace per file. The router's type makes this map exhaustive over the contract. */
import type { AllHandlers } from '../ipc/router';
import type { DialogService } from '../app/dialogs';
import type { AccountService } from '../account/account-service';
import type { AuthorizationService } from '../authorization/authorization-service';
import { createAuthorizationHandlers } from './authorization';
import { createAccountHandlers } from './account';
import { createAppHandlers, type AppDeps } from './app';
import type { DeviceService } from '../device/device-service';
import type { ScanStore } from '../scans/scan-store';
import { createScanHandlers } from './scan';
import type { SecurityService } from '../account/security/security-service';
import { createSecurityHandlers } from './security';
import { createSettingsHandlers } from './settings';
import type { SettingsService } from '../settings/settings-service';
import { createDeviceHandlers } from './device';
import type { VaultService } from '../vault/session/vault-service';
import { createVaultHandlers } from './vault';
import { createVerifyHandlers } from './verify';
import { createUpdateHandlers } from './update';
import type { UpdateController } from '../update/update-controller';
import type { FilePreviews } from '../vault/session/file-previews';
import type { ContactVerification } from '../vault/telegram/contact-verification';

export interface HandlerDeps {
  readonly app: AppDeps;
  readonly account: AccountService;
  readonly vault: VaultService;
  readonly device: DeviceService;
  readonly authorization: AuthorizationService;
  /** Where prepared scans wait for the vault (shared, so locking the vault can clear it). */
  readonly scans: ScanStore;
  /** Decrypted scan previews (shared, so locking the vault can clear them). */
  readonly previews: FilePreviews;
  readonly verification: ContactVerification;
  readonly settings: SettingsService;
  readonly updates: UpdateController;
  /** The OS file dialogs (backups). */
  readonly dialogs: DialogService;
  readonly security: SecurityService;
}

export function createHandlers(deps: HandlerDeps): AllHandlers {
  return {
    app: createAppHandlers(deps.app),
    account: createAccountHandlers(deps.account),
    authorization: createAuthorizationHandlers(deps.authorization),
    vault: createVaultHandlers(deps.vault, deps.scans, deps.previews, deps.dialogs),
    verify: createVerifyHandlers(deps.verification),
    device: createDeviceHandlers(deps.device),
    scan: createScanHandlers(deps.scans),
    settings: createSettingsHandlers(deps.settings),
    update: createUpdateHandlers(deps.updates),
    security: createSecurityHandlers(deps.security),
  };
}
