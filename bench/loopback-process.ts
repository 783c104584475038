/**
 * The loopback Telegram server in a process of its own (bench/loopback-child.ts), as Telegram's servers
 * are for the app: elsewhere, with CPU of their own. In the bench's process its work (SRP checks,
 * MTProto encryption of every answer) ran on the thread that also runs the client and was charged to
 * the figures and their references alike. The benches talk to it over process IPC.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SecureFileRef } from '../electron/main/telegram/passport-api';

export interface ServerProcess {
  pid: number;
  port: number;
  publicKeyPem: string;
  /** A socket that discards what it is sent (raw TCP upload reference). */
  sinkPort: number;
  /** A socket that sends `payloadSize` bytes to whoever connects (raw TCP download reference). */
  sourcePort: number;
  /** A secure file of `size` random bytes stored for the demo account. */
  file(size: number): Promise<SecureFileRef>;
  /**
   * From now on the server runs at the lowest CPU priority (nice 19): it takes a core only when the client
   * leaves one idle. For figures of the client's own work (unlock, render), which do not wait for the
   * server's work but had it run beside the client's KDF on this machine's 2 cores: Telegram's servers do
   * not run on the person's computer. Not for transfers, whose figure waits on the server's every part.
   */
  yieldCpu(): void;
  /** The last code the server sent to `email` (null: none). */
  emailCode(email: string): Promise<string | null>;
  /** Stops the server and waits for the process to exit. */
  close(): Promise<void>;
}

/** `payloadSize`: the bytes the raw download source sends (0 when the bench has no raw reference). */
export async function startServerProcess(payloadSize = 0): Promise<ServerProcess> {
  // BENCH_SERVER_CPU_PROF=DIR: the server's CPU profile (node --cpu-prof) written there when it exits.
  const profile = process.env['BENCH_SERVER_CPU_PROF'];
  const execArgv = ['--import', 'tsx', ...(profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile])];
  const child = fork(fileURLToPath(new URL('./loopback-child.ts', import.meta.url)), [String(payloadSize)], { execArgv, stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>): void => {
        if (!(key in m)) return;
        child.off('message', onMessage);
        resolve(m[key] as T);
      };
      child.on('message', onMessage);
      void exited.then((code) => reject(new Error(`the server process exited (${code})`)));
    });
  const ready = await next<{ port: number; publicKeyPem: string; sinkPort: number; sourcePort: number }>('ready');
  return {
    ...ready,
    pid: child.pid ?? 0,
    async file(size) {
      const answer = next<{ id: string; accessHash: string; size: number; dcId: number; date: number }>('file');
      child.send({ op: 'file', size });
      const f = await answer;
      return { kind: 'stored', id: BigInt(f.id), accessHash: BigInt(f.accessHash), size: f.size, dcId: f.dcId, date: f.date, fileHash: randomBytes(32), encryptedSecret: randomBytes(32) };
    },
    yieldCpu() {
      if (child.pid !== undefined) setPriority(child.pid, 19);
    },
    async emailCode(email) {
      const answer = next<string | null>('emailCode');
      child.send({ op: 'emailCode', email });
      return answer;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ op: 'close' });
      await exited;
    },
  };
}
