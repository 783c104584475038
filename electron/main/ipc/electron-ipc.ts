/** Connects the router to Electron's ipcMain: one `handle` per contract channel, sender frame passed on. */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../common/ipc/contract';
import type { Router, SenderInfo } from './router';

function senderOf(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed has no URL we can trust.
  if (frame === null || frame.isDestroyed()) return { frameUrl: '', isTopLevel: false };
  return { frameUrl: frame.url, isTopLevel: frame.parent === null };
}

export function registerIpc(router: Router): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(name, (event, payload: unknown) => router.dispatch(name, payload, senderOf(event)));
  }
}
