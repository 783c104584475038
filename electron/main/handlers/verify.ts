/** Handlers of the `verify.*` channels: proving the Passport's phone and e-mail by code. */
import type { NamespaceHandlers } from '../ipc/router';
import { publicCodeInfo as codeInfo } from '../telegram/auth';
import type { ContactVerification } from '../vault/telegram/contact-verification';

export function createVerifyHandlers(v: ContactVerification): NamespaceHandlers<'verify'> {
  return {
    sendPhoneCode: async ({ phone }) => codeInfo(await v.sendPhoneCode(phone)),
    resendPhoneCode: async () => codeInfo(await v.resendPhoneCode()),
    async cancelPhoneCode() {
      await v.cancelPhoneCode();
      return {};
    },
    confirmPhone: ({ code }) => v.confirmPhone(code),
    useAccountPhone: () => v.useAccountPhone(),
    sendEmailCode: ({ email }) => v.sendEmailCode(email),
    confirmEmail: ({ code }) => v.confirmEmail(code),
  };
}
