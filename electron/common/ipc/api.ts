/**
 * The typed API the renderer sees as `window.passportVault`, built from the contract.
 * The preload builds it over ipcRenderer.invoke; the test bridge builds the very same object over HTTP.
 * Each function is bound to one fixed channel: there is no generic `invoke(channel)` to reach.
 */
import type { z } from 'zod';
import type { IpcResult, RouterErrorCode } from './channel';
import type { ChannelName, Contract } from './contract';

type Namespace<N extends string> = N extends `${infer NS}.${string}` ? NS : never;
type Method<N extends string, NS extends string> = N extends `${NS}.${infer M}` ? M : never;

export type RequestOf<C extends ChannelName> = z.input<Contract[C]['request']>;
export type ResultOf<C extends ChannelName> = z.output<Contract[C]['result']>;
export type ErrorCodeOf<C extends ChannelName> = Contract[C]['errors'][number] | RouterErrorCode;
export type ChannelResult<C extends ChannelName> = IpcResult<ResultOf<C>, ErrorCodeOf<C>>;

type CallOf<C extends ChannelName> =
  // Channels whose request is an empty object can be called without an argument.
  Record<never, never> extends RequestOf<C>
    ? (request?: RequestOf<C>) => Promise<ChannelResult<C>>
    : (request: RequestOf<C>) => Promise<ChannelResult<C>>;

export type PassportVaultApi = {
  readonly [NS in Namespace<ChannelName>]: {
    readonly [M in Method<ChannelName, NS>]: `${NS}.${M}` extends ChannelName ? CallOf<`${NS}.${M}`> : never;
  };
};

/** How a call reaches the router: ipcRenderer.invoke in Electron, fetch in the browser test rig. */
export type Transport = (channel: ChannelName, request: unknown) => Promise<unknown>;

export function createApi(channels: readonly ChannelName[], transport: Transport): PassportVaultApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const name of channels) {
    const dot = name.indexOf('.');
    const ns = name.slice(0, dot);
    const method = name.slice(dot + 1);
    const group = (api[ns] ??= {});
    // Bound to a constant channel name; the request is passed through untouched for main to validate.
    group[method] = (request: unknown = {}) => transport(name, request);
  }
  for (const group of Object.values(api)) Object.freeze(group);
  return Object.freeze(api) as unknown as PassportVaultApi;
}
