/** `window.passportVault`, for every program that runs in the page: the renderer and the e2e tests. */
import type { PassportVaultApi } from './api';

declare global {
  interface Window {
    /** The only door to the main process: exposed by the preload (or the test bridge), typed from the IPC contract. */
    readonly passportVault: PassportVaultApi;
  }
}

export {};
