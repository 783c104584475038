/**
 * `passport-vault authorize --link URL [--print-form]`: a service's Passport link, parsed exactly as
 * the app parses it (every SDK dialect; AUTH_LINK_INVALID names the parameter and the reason), and
 * with --print-form the authorization form Telegram returns for the signed-in account (the session
 * `login` saved): the service, each item with the status of every option, the privacy policy.
 * Sharing itself needs the unlocked Passport and a person pressing Authorize: not from here yet.
 */
import { AuthorizationService, LOCKED_KEYRING, MemoryHistoryStore } from '../../authorization/authorization-service';
import { authorizationTelegramOver } from '../../telegram/authorization-api';
import type { OptionValues } from '../args';
import { requireString } from '../args';
import { accountService } from './account';

export async function authorize(values: OptionValues): Promise<object> {
  const link = requireString(values, 'link');
  if (values['print-form'] !== true) {
    const service = new AuthorizationService({
      telegram: { getForm: () => Promise.reject(new Error('unused')), accept: () => Promise.reject(new Error('unused')) },
      keyring: LOCKED_KEYRING,
      history: new MemoryHistoryStore(),
      openInBrowser: () => Promise.reject(new Error('the CLI opens no browser')),
    });
    return { request: service.open(link).request };
  }
  const { service: account } = accountService(values);
  try {
    const service = new AuthorizationService({
      telegram: authorizationTelegramOver(() => account.telegram()),
      keyring: LOCKED_KEYRING,
      history: new MemoryHistoryStore(),
      openInBrowser: () => Promise.reject(new Error('the CLI opens no browser')),
    });
    const { requestId, request } = service.open(link);
    const form = await service.getForm(requestId);
    return { request, form: { ...form, requestId: undefined } };
  } finally {
    await account.close();
  }
}
