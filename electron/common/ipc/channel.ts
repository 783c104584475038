/**
 * The building blocks of the IPC contract: what a channel declares and what travels back.
 * Kept apart from `contract.ts` so the contract file reads as a plain list of channels.
 */
import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { AppErrorShape } from '../error-shape';

/** Codes any channel may return, whatever it declares: the router's own failures. */
export const ROUTER_ERROR_CODES = [
  'IPC_FORBIDDEN_SENDER',
  'IPC_UNKNOWN_CHANNEL',
  'IPC_INVALID_PAYLOAD',
  'IPC_PAYLOAD_TOO_LARGE',
  'IPC_INVALID_RESULT',
  'INTERNAL',
] as const satisfies readonly ErrorCode[];
export type RouterErrorCode = (typeof ROUTER_ERROR_CODES)[number];

/** Default cap on a serialized request; a channel that carries more declares its own. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

export interface ChannelSpec<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  Codes extends readonly ErrorCode[] = readonly ErrorCode[],
> {
  readonly request: Req;
  readonly result: Res;
  /** Domain errors the handler may return; anything else becomes INTERNAL. */
  readonly errors: Codes;
  readonly maxPayloadBytes?: number;
  /** One line for people reading the contract. */
  readonly summary: string;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType, const Codes extends readonly ErrorCode[]>(
  spec: ChannelSpec<Req, Res, Codes>,
): ChannelSpec<Req, Res, Codes> {
  return spec;
}

export type IpcOk<T> = { readonly ok: true; readonly value: T };
export type IpcErr<C extends ErrorCode> = {
  readonly ok: false;
  readonly error: { readonly code: C; readonly message: string; readonly details?: Record<string, string | number | boolean> };
};
export type IpcResult<T, C extends ErrorCode> = IpcOk<T> | IpcErr<C>;

/** The envelope as it crosses the process boundary, checked by the router before it leaves. */
export const IpcEnvelopeSchema = z.union([
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: AppErrorShape }),
]);
