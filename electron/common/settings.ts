/**
 * The app's non-secret settings and what Settings shows about them. Pure zod, shared by the IPC
 * contract, the settings file in main and the renderer. Secrets never go here: the file is plain JSON.
 */
import { z } from 'zod';

export const AppSettingsSchema = z.strictObject({
  /**
   * Ask the OS to send tg: links to this app. Off by default: Telegram's own app usually owns tg:, and
   * taking it means chat and channel links come here too.
   */
  handleTgLinks: z.boolean(),
  /**
   * Check GitHub Releases for new versions and download them (signature-checked; installed only when
   * the person restarts from Settings). Off by default: the app contacts nothing but Telegram unless
   * the person allows it.
   */
  autoUpdate: z.boolean(),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;

export const DEFAULT_APP_SETTINGS: Readonly<AppSettings> = Object.freeze({ handleTgLinks: false, autoUpdate: false });

/** What the OS said when the app (un)registered itself for tg:. */
export const TgLinksStatusSchema = z.strictObject({
  /** This app is now the one that opens tg: links. */
  registered: z.boolean(),
  /** Which application opens them otherwise, when the OS tells (e.g. "Telegram Desktop"). */
  owner: z.string().max(256).nullable(),
  /** Why it could not be done, in words, when known. */
  reason: z.string().max(512).nullable(),
});
export type TgLinksStatus = z.infer<typeof TgLinksStatusSchema>;

export const SettingsViewSchema = z.strictObject({
  settings: AppSettingsSchema,
  /** null until the saved choice was first applied (at start-up). */
  tgLinks: TgLinksStatusSchema.nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
