/**
 * What Settings shows about updates: one state of the updater's life, as the main process sees it.
 * Pure zod, shared by the IPC contract, the update controller in main and the renderer.
 */
import { z } from 'zod';

const Version = z.string().min(1).max(64);
const Message = z.string().max(512);

export const UpdateStatusSchema = z.discriminatedUnion('state', [
  /** The person has not allowed updates (the default): nothing is checked, nothing is downloaded. */
  z.strictObject({ state: z.literal('off') }),
  /** Allowed, but this copy cannot update itself (a development build, an install type without updates); `reason` says which. */
  z.strictObject({ state: z.literal('unsupported'), reason: Message }),
  /** Allowed and waiting for the next check; `lastCheckedAt` (epoch ms) null before the first. */
  z.strictObject({ state: z.literal('idle'), lastCheckedAt: z.number().nullable() }),
  z.strictObject({ state: z.literal('checking') }),
  /** A newer version was found; its download starts by itself (allowing updates allowed that). */
  z.strictObject({ state: z.literal('available'), version: Version }),
  z.strictObject({ state: z.literal('downloading'), version: Version, percent: z.number().min(0).max(100) }),
  /** Downloaded and verified; installed only when the person restarts from Settings. */
  z.strictObject({ state: z.literal('ready'), version: Version }),
  /** The last check or download failed; the next scheduled check tries again. */
  z.strictObject({ state: z.literal('error'), message: Message, lastCheckedAt: z.number().nullable() }),
]);
export type UpdateStatus = z.infer<typeof UpdateStatusSchema>;
export type UpdateState = UpdateStatus['state'];
