/** All handlers, one namespace per file. The router's type makes this map exhaustive over the contract. */
import type { AllHandlers } from '../ipc/router';
import { createAppHandlers, type AppDeps } from './app';

export interface HandlerDeps {
  readonly app: AppDeps;
}

export function createHandlers(deps: HandlerDeps): AllHandlers {
  return {
    app: createAppHandlers(deps.app),
  };
}
