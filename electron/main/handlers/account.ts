/** Handlers of the `account.*` channels: sign-in and sign-out through the AccountService. */
import type { AccountService } from '../account/account-service';
import type { NamespaceHandlers } from '../ipc/router';
import { publicCodeInfo as codeInfo } from '../telegram/auth';

export function createAccountHandlers(service: AccountService): NamespaceHandlers<'account'> {
  return {
    async status() {
      const s = await service.status();
      return { ...s, code: s.code === null ? null : codeInfo(s.code), connection: service.connectionStatus() };
    },
    async sendCode({ countryCode, number }) {
      return codeInfo(await service.sendCode(countryCode, number));
    },
    async resendCode() {
      return codeInfo(await service.resendCode());
    },
    async startOver() {
      await service.startOver();
      return {};
    },
    async submitCode({ code }) {
      return service.submitCode(code);
    },
    async submitPassword({ password }) {
      return { user: await service.submitPassword(password) };
    },
    async signOut() {
      await service.signOut();
      return {};
    },
  };
}
