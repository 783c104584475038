/** Starts a loopback server and mtcute-backed connections to it, and tears both down. */
import { startLoopbackTelegram, type LoopbackOptions, type LoopbackTelegram } from '../../../../tools/loopback-telegram/index';
import { TelegramConnection, loopbackConfig, MemorySessionStore, type TelegramConfigInput } from '../../../../electron/main/telegram/index';

export interface Rig {
  server: LoopbackTelegram;
  connect(overrides?: Partial<TelegramConfigInput>, store?: MemorySessionStore): TelegramConnection;
  close(): Promise<void>;
}

export async function startRig(opts: LoopbackOptions = {}): Promise<Rig> {
  const server = await startLoopbackTelegram(opts);
  const conns: TelegramConnection[] = [];
  return {
    server,
    connect(overrides = {}, store = new MemorySessionStore()) {
      const conn = new TelegramConnection(
        loopbackConfig({ port: server.port, publicKeyPem: server.publicKeyPem, overrides: { requestTimeoutMs: 10_000, ...overrides } }),
        store,
        { logLevel: 0 },
      );
      conns.push(conn);
      return conn;
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await server.close();
    },
  };
}
