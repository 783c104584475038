/** Handlers of the `scan.*` channels: a document photo checked and re-encoded in main, kept for the vault. */
import type { NamespaceHandlers } from '../ipc/router';
import { normalizeScan } from '../scans/normalize-scan';
import type { ScanStore } from '../scans/scan-store';

export function createScanHandlers(store: ScanStore): NamespaceHandlers<'scan'> {
  return {
    prepare: async ({ bytes }) => {
      const scan = await normalizeScan(bytes);
      const scanId = store.put(scan);
      return { scanId, width: scan.width, height: scan.height, byteLength: scan.jpeg.byteLength, sourceWidth: scan.source.width, sourceHeight: scan.source.height };
    },
  };
}
