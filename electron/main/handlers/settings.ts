/** Handlers of the `settings.*` channels: the app's non-secret settings, through the SettingsService. */
import type { NamespaceHandlers } from '../ipc/router';
import type { SettingsService } from '../settings/settings-service';

export function createSettingsHandlers(service: SettingsService): NamespaceHandlers<'settings'> {
  return {
    get: () => service.get(),
    set: (patch) => service.set(patch),
  };
}
