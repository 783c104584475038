/** Handlers of the `update.*` channels: the app's own updates, through the UpdateController. */
import type { NamespaceHandlers } from '../ipc/router';
import type { UpdateController } from '../update/update-controller';

export function createUpdateHandlers(updates: UpdateController): NamespaceHandlers<'update'> {
  return {
    status: () => Promise.resolve(updates.status()),
    check: () => updates.checkNow(),
    async install() {
      await updates.install();
      return { restarting: true as const };
    },
  };
}
