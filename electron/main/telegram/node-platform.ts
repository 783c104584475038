/**
 * What mtcute's core needs from Node, in our own tree so the app does not depend on @mtcute/node (whose
 * SQLite storage drags in better-sqlite3, a native module built for one runtime's ABI; issue 20). Behaviour
 * follows @mtcute/node 0.30.3's NodePlatform and TcpTransport: device model, MTCUTE_LOG_LEVEL, logging to
 * the console, clean-up before exit, TCP with the intermediate codec. No `normalizeFile`: we hand mtcute
 * bytes, never Node streams or paths.
 */
import * as os from 'node:os';
import { connectTcp } from '@fuman/node';
import { IntermediatePacketCodec } from '@mtcute/core';
import type { ICorePlatform, IPacketCodec, ITelegramConnection, TelegramTransport } from '@mtcute/core';
import type { BasicDcOption } from '@mtcute/core/utils.js';

const LEVEL_NAMES = ['', 'ERR', 'WRN', 'INF', 'DBG', 'VRB'];

const exitCallbacks = new Set<() => void>();
let exitHooked = false;

/** Runs the callbacks once, at the first of beforeExit / SIGINT / SIGTERM / exit; signals then end the process. */
function hookExit(): void {
  exitHooked = true;
  let handled = false;
  const handlers = new Map<string, () => void>();
  const on = (event: 'beforeExit' | 'SIGINT' | 'SIGTERM' | 'exit', signal: NodeJS.Signals | undefined): void => {
    const handler = (): void => {
      if (handled) return;
      handled = true;
      for (const fn of exitCallbacks) fn();
      for (const [e, h] of handlers) process.off(e, h);
      if (signal !== undefined) process.kill(process.pid, signal);
    };
    process.on(event, handler);
    handlers.set(event, handler);
  };
  on('beforeExit', undefined);
  on('SIGINT', 'SIGINT');
  on('SIGTERM', 'SIGTERM');
  on('exit', undefined);
}

export class NodePlatform implements ICorePlatform {
  getDeviceModel(): string {
    return `Node.js/${process.version} (${os.type()} ${os.arch()})`;
  }

  getDefaultLogLevel(): number | null {
    const level = Number.parseInt(process.env['MTCUTE_LOG_LEVEL'] ?? '');
    return Number.isNaN(level) ? null : level;
  }

  log(_color: number, level: number, tag: string, fmt: string, args: unknown[]): void {
    console.log(`%s [%s] [%s] ${fmt}`, new Date().toISOString(), LEVEL_NAMES[level] ?? level, tag, ...args);
  }

  beforeExit(fn: () => void): () => void {
    if (!exitHooked) hookExit();
    exitCallbacks.add(fn);
    return () => exitCallbacks.delete(fn);
  }
}

export class TcpTransport implements TelegramTransport {
  async connect(dc: BasicDcOption): Promise<ITelegramConnection> {
    const conn = await connectTcp({ address: dc.ipAddress, port: dc.port });
    conn.setNoDelay(true);
    conn.setKeepAlive(true);
    return conn;
  }

  packetCodec(): IPacketCodec {
    return new IntermediatePacketCodec();
  }
}
