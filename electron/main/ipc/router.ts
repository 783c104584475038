/**
 * The main-side IPC router, independent of Electron so the same code serves Electron's ipcMain and the
 * browser test rig. For every call it: checks the sender frame, the channel name, the payload size and
 * shape (strict zod), runs the handler, validates the handler's result, and returns an envelope.
 * It never throws and never leaks a stack trace: every failure becomes `{ ok: false, error: { code, message } }`.
 */
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../../common/errors';
import { DEFAULT_MAX_PAYLOAD_BYTES, ROUTER_ERROR_CODES, type ChannelSpec, type IpcResult } from '../../common/ipc/channel';
import { contract, type ChannelName, type Contract } from '../../common/ipc/contract';
import { measurePayload } from './payload-size';
import type { Logger } from '../log/logger';

/** What the transport knows about who is calling. */
export interface SenderInfo {
  /** URL of the frame that sent the message (Electron: event.senderFrame.url). */
  readonly frameUrl: string;
  /** True only for the window's top-level frame (Electron: senderFrame.parent === null). */
  readonly isTopLevel: boolean;
}

export interface HandlerContext {
  readonly sender: SenderInfo;
}

export type Handler<C extends ChannelName> = (
  request: z.output<Contract[C]['request']>,
  ctx: HandlerContext,
) => Promise<z.input<Contract[C]['result']>>;

type NamespaceOf<C extends string> = C extends `${infer NS}.${string}` ? NS : never;
type MethodOf<C extends string, NS extends string> = C extends `${NS}.${infer M}` ? M : never;

/** Handlers grouped by namespace, e.g. `handlers/app.ts` exports `NamespaceHandlers<'app'>`. */
export type NamespaceHandlers<NS extends NamespaceOf<ChannelName>> = {
  readonly [M in MethodOf<ChannelName, NS>]: `${NS}.${M}` extends ChannelName ? Handler<`${NS}.${M}`> : never;
};
export type AllHandlers = { readonly [NS in NamespaceOf<ChannelName>]: NamespaceHandlers<NS> };

export interface RouterOptions {
  readonly handlers: AllHandlers;
  /** The app's own origin, e.g. `app://passport-vault`; any other sender is refused. */
  readonly trustedOrigin: string;
  readonly logger: Logger;
}

export type Envelope = IpcResult<unknown, ErrorCode>;

export interface Router {
  dispatch(channel: unknown, payload: unknown, sender: SenderInfo): Promise<Envelope>;
}

const fail = (code: ErrorCode, message: string, details?: Record<string, string | number | boolean>): Envelope => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // Custom schemes report origin "null"; build it the way Chromium shows it for standard schemes.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isTrustedSender(sender: SenderInfo, trustedOrigin: string): boolean {
  return sender.isTopLevel && originOf(sender.frameUrl) === trustedOrigin;
}

function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** zod issues as "path: message" lines; paths and messages only, never the offending values. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

export function createRouter(options: RouterOptions): Router {
  const { handlers, trustedOrigin, logger } = options;

  function handlerFor(name: ChannelName): Handler<ChannelName> {
    const dot = name.indexOf('.');
    const group = handlers[name.slice(0, dot) as keyof AllHandlers] as Record<string, Handler<ChannelName>>;
    return group[name.slice(dot + 1)] as Handler<ChannelName>;
  }

  async function dispatch(channel: unknown, payload: unknown, sender: SenderInfo): Promise<Envelope> {
    if (!isTrustedSender(sender, trustedOrigin)) {
      logger.warn('ipc: refused sender', { channel: String(channel).slice(0, 64), origin: originOf(sender.frameUrl) ?? 'invalid' });
      return fail('IPC_FORBIDDEN_SENDER', 'This request did not come from the app’s own window.');
    }
    if (!isChannelName(channel)) {
      return fail('IPC_UNKNOWN_CHANNEL', `Unknown channel “${String(channel).slice(0, 64)}”.`);
    }
    const spec: ChannelSpec = contract[channel];
    const cap = spec.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (measurePayload(payload, cap) > cap) {
      return fail('IPC_PAYLOAD_TOO_LARGE', `The request to ${channel} is larger than ${cap} bytes or not plain data.`, { maxBytes: cap });
    }
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      return fail('IPC_INVALID_PAYLOAD', `Invalid request to ${channel}: ${describeIssues(parsed.error)}`);
    }

    let raw: unknown;
    try {
      raw = await handlerFor(channel)(parsed.data as never, { sender });
    } catch (e) {
      if (e instanceof AppError) {
        const allowed: readonly ErrorCode[] = spec.errors;
        if (allowed.includes(e.code) || (ROUTER_ERROR_CODES as readonly ErrorCode[]).includes(e.code)) {
          return { ok: false, error: e.toShape() };
        }
        logger.error('ipc: handler returned an undeclared error code', { channel, code: e.code });
      } else {
        logger.error('ipc: handler threw', { channel, error: e instanceof Error ? e.name : typeof e });
      }
      return fail('INTERNAL', 'Something went wrong inside the app. The error has been logged.');
    }

    const checked = spec.result.safeParse(raw);
    if (!checked.success) {
      logger.error('ipc: handler result does not match the contract', { channel, issues: describeIssues(checked.error) });
      return fail('IPC_INVALID_RESULT', `The app produced an invalid answer for ${channel}.`);
    }
    return { ok: true, value: checked.data };
  }

  return {
    async dispatch(channel, payload, sender) {
      try {
        return await dispatch(channel, payload, sender);
      } catch (e) {
        // Last line of defence: the router itself must never reject.
        logger.error('ipc: router failure', { error: e instanceof Error ? e.name : typeof e });
        return fail('INTERNAL', 'Something went wrong inside the app. The error has been logged.');
      }
    },
  };
}
