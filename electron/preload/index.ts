/**
 * The preload: exposes exactly one object, `window.passportVault`, built from the IPC contract.
 * Each function is bound to one channel; no ipcRenderer, no generic invoke, no Node reaches the page.
 * Built as CommonJS (index.cjs) because sandboxed preloads cannot be ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '../common/ipc/api';
import { CHANNEL_NAMES } from '../common/ipc/contract';

contextBridge.exposeInMainWorld(
  'passportVault',
  createApi(CHANNEL_NAMES, (channel, request) => ipcRenderer.invoke(channel, request)),
);
