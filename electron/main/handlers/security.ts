/** Handlers of the `security.*` channels: sessions and two-step status through the SecurityService. */
import type { SecurityService } from '../account/security/security-service';
import type { NamespaceHandlers } from '../ipc/router';

export function createSecurityHandlers(service: SecurityService): NamespaceHandlers<'security'> {
  return {
    status: () => service.twoStep(),
    sessions: () => service.list(),
    endSession: ({ hash }) => service.end(hash),
    async endOtherSessions() {
      await service.endOthers();
      return {};
    },
    alerts: () => Promise.resolve(service.alerts()),
    acknowledge: ({ hashes }) => service.acknowledge(hashes),
  };
}
