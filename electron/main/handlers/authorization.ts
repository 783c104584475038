/** Handlers of the `authorization.*` channels: Passport requests from services, through the AuthorizationService. */
import type { AuthorizationService } from '../authorization/authorization-service';
import type { NamespaceHandlers } from '../ipc/router';

export function createAuthorizationHandlers(service: AuthorizationService): NamespaceHandlers<'authorization'> {
  return {
    open({ link }) {
      return Promise.resolve(service.open(link));
    },
    takePending() {
      const { opened, invalid } = service.takePending();
      return Promise.resolve({ opened, invalid: invalid.map((e) => e.toShape()) });
    },
    list() {
      return Promise.resolve({ requests: service.openRequests() });
    },
    getForm({ requestId }) {
      return service.getForm(requestId);
    },
    authorize({ requestId, choices }) {
      return service.authorize(requestId, choices);
    },
    cancel({ requestId }) {
      return service.cancel(requestId);
    },
    async history() {
      return { entries: await service.history() };
    },
  };
}
