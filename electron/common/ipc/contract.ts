/**
 * THE IPC contract: every channel between the renderer and the main process, declared once.
 * The main-side router, the preload API and the renderer's types are all derived from this object.
 * Each namespace's channels and schemas are in channels/<namespace>.ts (shared ones in channels/shared.ts);
 * adding a channel = one entry there + one handler in electron/main/handlers/<namespace>.ts.
 *
 * Channel names are `namespace.method`; the renderer calls them as `passportVault.namespace.method(request)`.
 * Requests are strict objects: unknown fields are rejected, not ignored.
 */
import { appChannels } from './channels/app';
import { accountChannels } from './channels/account';
import { vaultChannels } from './channels/vault';
import { verifyChannels } from './channels/verify';
import { deviceChannels } from './channels/device';
import { authorizationChannels } from './channels/authorization';
import { settingsChannels } from './channels/settings';
import { updateChannels } from './channels/update';
import { scanChannels } from './channels/scan';
import { securityChannels } from './channels/security';

export const contract = {
  ...appChannels,
  ...accountChannels,
  ...vaultChannels,
  ...verifyChannels,
  ...deviceChannels,
  ...authorizationChannels,
  ...settingsChannels,
  ...updateChannels,
  ...scanChannels,
  ...securityChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];
