/** Handlers of the `device.*` channels: what is cached here, and forgetting all of it. */
import type { DeviceService } from '../device/device-service';
import type { NamespaceHandlers } from '../ipc/router';

export function createDeviceHandlers(service: DeviceService): NamespaceHandlers<'device'> {
  return {
    cached: () => service.cached(),
    forgetEverything: ({ confirmation }) => service.forgetEverything(confirmation),
  };
}
