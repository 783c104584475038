/** The zod schemas of errors.ts's codes and error shape, for the IPC contract (kept out of errors.ts: see there). */
import { z } from 'zod';
import { ERROR_CODES } from './errors';
import type { AppErrorShape as AppErrorShapeType, ErrorCode } from './errors';

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const AppErrorShape = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Extra machine-readable detail, e.g. seconds to wait for FLOOD_WAIT. Never secret. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

// The schema and the plain types in errors.ts describe the same thing, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCodes: Same<z.infer<typeof ErrorCodeSchema>, ErrorCode> = true;
const sameShape: Same<z.infer<typeof AppErrorShape>, AppErrorShapeType> = true;
void sameCodes;
void sameShape;
