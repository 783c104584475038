/** All handlers, one namespace per file. The router's type makes this map exhaustive over the contract. */
import type { AllHandlers } from '../ipc/router';
import type { AccountService } from '../account/account-service';
import { createAccountHandlers } from './account';
import { createAppHandlers, type AppDeps } from './app';
import type { VaultService } from '../vault/session/vault-service';
import { createVaultHandlers } from './vault';

export interface HandlerDeps {
  readonly app: AppDeps;
  readonly account: AccountService;
  readonly vault: VaultService;
}

export function createHandlers(deps: HandlerDeps): AllHandlers {
  return {
    app: createAppHandlers(deps.app),
    account: createAccountHandlers(deps.account),
    vault: createVaultHandlers(deps.vault),
  };
}
