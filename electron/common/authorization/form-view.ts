/**
 * What the renderer is shown of an authorization form: the service, each required item with the
 * state of every type that could satisfy it, the service's complaints, the privacy policy. No key,
 * no hash, no secret: main keeps the form itself. Pure zod.
 */
import { z } from 'zod';
import { SecureValueTypeNameSchema } from '../passport/secure-value-types';

export const ItemStatusSchema = z.enum([
  /** Everything the service asks for is there. */
  'ready',
  /** No value of this type yet. */
  'missing',
  /** A value exists but lacks parts the service requires (a selfie, a translation, a scan…). */
  'incomplete',
  /** The service reported problems with the value as it is now. */
  'needs_fix',
]);
export type ItemStatus = z.infer<typeof ItemStatusSchema>;

export const FormOptionSchema = z.strictObject({
  type: SecureValueTypeNameSchema,
  label: z.string(),
  selfie: z.boolean(),
  translation: z.boolean(),
  nativeNames: z.boolean(),
  status: ItemStatusSchema,
  /** Parts still missing, in words ("a selfie with the document", "a translation"…). */
  missing: z.array(z.string()),
  /** The service's own messages about this value. */
  errors: z.array(z.string()),
});
export type FormOption = z.infer<typeof FormOptionSchema>;

export const FormItemSchema = z.strictObject({
  index: z.number().int().min(0),
  kind: z.enum(['type', 'one_of']),
  options: z.array(FormOptionSchema).min(1),
  /** The option that will be shared unless the person picks another (a ready one when there is one). */
  suggested: SecureValueTypeNameSchema,
});
export type FormItem = z.infer<typeof FormItemSchema>;

export const FormViewSchema = z.strictObject({
  requestId: z.string(),
  service: z.strictObject({ botId: z.string(), name: z.string(), username: z.string().nullable() }),
  privacyPolicyUrl: z.string().nullable(),
  callbackUrl: z.string().nullable(),
  items: z.array(FormItemSchema),
  /** Every item has a ready option. */
  complete: z.boolean(),
});
export type FormView = z.infer<typeof FormViewSchema>;

export const HistoryEntrySchema = z.strictObject({
  at: z.string(),
  botId: z.string(),
  service: z.string(),
  username: z.string().nullable(),
  outcome: z.enum(['shared', 'declined', 'failed']),
  /** The types shared (for `shared`), or asked for (otherwise). */
  types: z.array(SecureValueTypeNameSchema),
  errorCode: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
