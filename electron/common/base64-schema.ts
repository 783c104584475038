/** The zod schema for a standard padded base64 string, checked by the linear loop in base64.ts. */
import { z } from 'zod';
import { BASE64_MESSAGE, isStrictBase64 } from './base64';

/** A zod string that is standard padded base64 (empty allowed; add `.min()` where it is not). */
export const base64String = (): z.ZodString => z.string().refine(isStrictBase64, BASE64_MESSAGE);
