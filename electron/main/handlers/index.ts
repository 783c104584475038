/** All handlers, one namespace per file. The router's type makes this map exhaustive over the contract. */
import type { AllHandlers } from '../ipc/router';
import type { AccountService } from '../account/account-service';
import { createAccountHandlers } from './account';
import { createAppHandlers, type AppDeps } from './app';

export interface HandlerDeps {
  readonly app: AppDeps;
  readonly account: AccountService;
}

export function createHandlers(deps: HandlerDeps): AllHandlers {
  return {
    app: createAppHandlers(deps.app),
    account: createAccountHandlers(deps.account),
  };
}
