/**
 * The main process's one Telegram connection: mtcute 0.30.3 (@mtcute/core with our Node pieces,
 * node-platform.ts) over TCP, configured for
 * production or the loopback server, with its session kept only through a SessionStore.
 * Knows its online state, waits out short FLOOD_WAITs (announcing them so the UI can count
 * down), reconnects with exponential backoff, and turns failures into coded AppErrors.
 * Imports nothing from `electron`: it runs the same in the app, the CLI and tests.
 */
import { release, type } from 'node:os';
import { MemoryStorage, networkMiddlewares } from '@mtcute/core';
import { TelegramClient } from '@mtcute/core/client.js';
import { addPublicKey } from '@mtcute/core/utils.js';
import { AppError } from '../../common/errors';
import { AppCryptoProvider, NodeCryptoProvider } from './crypto-provider';
import { NodePlatform, TcpTransport } from './node-platform';
import { TelegramConfigSchema, type TelegramConfig, type TelegramConfigInput } from './config';
import { mapTelegramError } from './errors';
import type { SessionStore } from './session-store';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';

export interface FloodWaitNotice {
  method: string;
  seconds: number;
  /** Epoch ms when the wait ends (for a live countdown). */
  until: number;
}

export interface TelegramConnectionOptions {
  /** mtcute log level (0 off … 5 verbose); default 1 (errors). */
  logLevel?: number;
  /**
   * How this device introduces itself in initConnection, i.e. what the account's session list shows
   * for it (Settings → Security, other Telegram apps). Default: "Desktop", the OS and its release.
   */
  device?: { model?: string; systemVersion?: string; appVersion?: string };
}

const OS_NAMES: Readonly<Record<string, string>> = { Linux: 'Linux', Darwin: 'macOS', Windows_NT: 'Windows' };

type Listener<T> = (value: T) => void;

export class TelegramConnection {
  readonly config: TelegramConfig;
  readonly client: TelegramClient;
  private status: ConnectionStatus = 'idle';
  private readonly statusListeners = new Set<Listener<ConnectionStatus>>();
  private readonly floodListeners = new Set<Listener<FloodWaitNotice>>();
  private started: Promise<void> | undefined;
  /** Failed connection attempts since the last success (from mtcute's reconnection strategy). */
  private failedAttempts = 0;

  constructor(
    config: TelegramConfigInput,
    private readonly sessions: SessionStore,
    opts: TelegramConnectionOptions = {},
  ) {
    this.config = TelegramConfigSchema.parse(config);
    const c = this.config;
    if (c.serverPublicKeyPem !== undefined) {
      // mtcute keeps server keys in a process-wide table indexed by fingerprint.
      addPublicKey(new NodeCryptoProvider(), c.serverPublicKeyPem);
    }
    const dc = c.endpoint ? { id: c.endpoint.dcId, ipAddress: c.endpoint.host, port: c.endpoint.port } : undefined;
    this.client = new TelegramClient({
      apiId: c.apiId,
      apiHash: c.apiHash,
      storage: new MemoryStorage(),
      crypto: new AppCryptoProvider(), // mtcute's, with IGE encryption on native AES (crypto-provider.ts)
      transport: new TcpTransport(),
      platform: new NodePlatform(),
      ...(dc ? { defaultDcs: { main: dc, media: dc } } : {}),
      logLevel: opts.logLevel ?? 1,
      updates: false,
      initConnectionOptions: {
        deviceModel: opts.device?.model ?? 'Desktop',
        systemVersion: opts.device?.systemVersion ?? `${OS_NAMES[type()] ?? type()} ${release()}`,
        ...(opts.device?.appVersion !== undefined ? { appVersion: opts.device.appVersion } : {}),
      },
      reconnectionStrategy: ({ consequentFails }) => {
        this.failedAttempts = consequentFails; // > 0: the last attempt failed (see knownUnreachable)
        return Math.min(c.reconnectMaxMs, c.reconnectBaseMs * 2 ** Math.max(0, consequentFails - 1));
      },
      network: {
        middlewares: networkMiddlewares.basic({
          floodWaiter: {
            maxWait: c.floodSleepThresholdSec * 1000,
            onBeforeWait: (ctx, seconds) => {
              const notice = { method: ctx.request._, seconds, until: Date.now() + seconds * 1000 };
              for (const l of this.floodListeners) l(notice);
            },
          },
        }),
      },
    });
    this.client.onConnectionState.add((s) => {
      if (s === 'connected' || s === 'updating') this.failedAttempts = 0;
      this.setStatus(s === 'connected' || s === 'updating' ? 'online' : s);
    });
  }

  get connectionStatus(): ConnectionStatus {
    return this.status;
  }

  /**
   * Telegram is known to be out of reach right now: not connected, and the last connection attempt
   * failed (as opposed to a first connection still under way). Lets callers with an offline
   * fallback use it at once instead of waiting out the request timeout.
   */
  get knownUnreachable(): boolean {
    return this.status === 'closed' || (this.status !== 'online' && this.failedAttempts > 0);
  }

  onStatus(l: Listener<ConnectionStatus>): () => void {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  onFloodWait(l: Listener<FloodWaitNotice>): () => void {
    this.floodListeners.add(l);
    return () => this.floodListeners.delete(l);
  }

  private setStatus(s: ConnectionStatus): void {
    if (this.status === s || this.status === 'closed') return;
    this.status = s;
    for (const l of this.statusListeners) l(s);
  }

  /** Restores the stored session (if any) and connects. Safe to call more than once. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const saved = await this.sessions.load();
      if (saved !== undefined) await this.client.importSession(saved);
      this.setStatus('connecting');
      await this.client.connect();
    })();
    return this.started;
  }

  /**
   * Runs client work with the request timeout; any failure comes out as an AppError
   * (OFFLINE when Telegram could not be reached in time).
   */
  async run<T>(what: string, fn: (client: TelegramClient, signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.status === 'closed') throw new AppError('OFFLINE', 'The Telegram connection is closed.');
    const ctl = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ctl.abort();
        reject(new AppError('OFFLINE', `Telegram did not answer (${what}). Check the connection and try again.`));
      }, this.config.requestTimeoutMs);
    });
    try {
      await Promise.race([this.start(), timeout]);
      return await Promise.race([fn(this.client, ctl.signal), timeout]);
    } catch (e) {
      throw mapTelegramError(e);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Saves the current session (auth key + DC + self) through the store. */
  async persistSession(): Promise<void> {
    await this.sessions.save(await this.client.exportSession());
  }

  async forgetSession(): Promise<void> {
    await this.sessions.clear();
  }

  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.setStatus('closed');
    await this.client.destroy();
  }
}
