/**
 * The loopback Telegram server: a real MTProto 2.0 endpoint on 127.0.0.1 for tests and
 * `npm run dev:local`. It imports nothing from any Telegram client library but @mtcute/wasm's AES-IGE
 * decryption (crypto/ige.ts, tested against a node:crypto reference); its other crypto is node:crypto +
 * BigInt and its TL codec is driven by the schema text in tl/schema/.
 */
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { Connection } from './connection';
import { fingerprintIsClientFriendly, generateRsaKey, loadRsaKey } from './crypto/rsa';
import { Faults } from './faults';
import { methods } from './methods';
import { codeFor, normalizePhone } from './methods/auth';
import { DEFAULT_SESSION_POLICY } from './methods/sessions';
import type { SessionPolicy } from './methods/types';
import { createAccount, seedDemoAccount, type NewAccount } from './seed';
import { ServerCore, type ServerStats } from './server-core';
import { LoopbackState, type UserRecord } from './state';
import { TlCodec } from './tl/codec';
import { loadSchema } from './tl/schema';

export { DEMO_ACCOUNT } from './seed';
export type { NewAccount } from './seed';

export interface LoopbackOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Keep accounts and auth keys in this JSON file across restarts. */
  stateFile?: string;
  /** PEM private key (PKCS#1 or PKCS#8), or a path to one; generated when absent. */
  rsaKey?: string;
  /** The DC id this server claims to be (default 2). */
  dcId?: number;
  /**
   * More DCs of the same cluster, each on its own port (0 = a free one), all sharing the state and the
   * faults; help.getConfig lists them all. Accounts then live on a home DC and the other DCs answer
   * PHONE_MIGRATE_N / FILE_MIGRATE_N as Telegram does (methods/dc.ts). Default: none (one DC).
   */
  extraDcs?: readonly { id: number; port?: number }[];
  codeTtlMs?: number;
  /**
   * Sessions (methods/sessions.ts): `freshResetSeconds` (default 0: any session may end others; Telegram's
   * rule is TELEGRAM_FRESH_RESET_SECONDS), the `country` they are listed with, app names by api_id.
   */
  sessions?: Partial<SessionPolicy>;
  /** Seed the demo account (default true). */
  seedDemo?: boolean;
  log?: (line: string) => void;
  /** Called with the phone digits (or the e-mail address) and the code whenever one is "sent". */
  onCode?: (to: string, code: string) => void;
}

export interface LoopbackTelegram {
  readonly host: string;
  readonly port: number;
  readonly dcId: number;
  readonly layer: number;
  /** The server's RSA public key, PKCS#1 PEM ("BEGIN RSA PUBLIC KEY"). */
  readonly publicKeyPem: string;
  /** Its private key PEM, so a restarted server can keep the same identity. */
  readonly privateKeyPem: string;
  /** The key's MTProto fingerprint (signed 64-bit). */
  readonly fingerprint: bigint;
  readonly faults: Faults;
  /** Of the first DC (`dcId`). */
  readonly stats: ServerStats;
  /** Every DC of the cluster, the first DC first (one entry without `extraDcs`). */
  readonly dcs: readonly LoopbackDc[];
  readonly state: LoopbackState;
  /** The last code (login or Passport phone verification) sent to a phone number (any format). */
  lastCode(phone: string): string | undefined;
  /** The last code e-mailed to an address (recovery e-mail, Passport e-mail, password recovery). */
  lastEmailCode(email: string): string | undefined;
  /** Where the state lives on disk (with `stateFile`): the JSON file and the secure files' directory. */
  readonly stateFiles: { json: string; filesDir: string } | undefined;
  /** The code the server will send to this number, if it is deterministic (test numbers). */
  createAccount(account: NewAccount): UserRecord;
  /** Make every outstanding code (login, verification, e-mail) expire now. */
  expireCodes(): void;
  /** Forget all server salts (each client then gets bad_server_salt). */
  rotateSalts(): void;
  /** Close every open client connection now (clients are expected to reconnect). */
  dropConnections(): void;
  readonly connectionCount: number;
  /** Transports of the open connections (for tests). */
  transports(): (string | undefined)[];
  close(): Promise<void>;
}

export interface LoopbackDc {
  readonly id: number;
  readonly port: number;
  readonly stats: ServerStats;
  /** Open client connections to this DC. */
  readonly connectionCount: number;
}

function readPem(value: string): string {
  return value.includes('-----BEGIN') ? value : readFileSync(value, 'utf8');
}

export async function startLoopbackTelegram(opts: LoopbackOptions = {}): Promise<LoopbackTelegram> {
  const host = opts.host ?? '127.0.0.1';
  const schema = loadSchema();
  const codec = new TlCodec(schema);
  const privateKeyPem = opts.rsaKey !== undefined ? readPem(opts.rsaKey) : generateRsaKey();
  const rsa = loadRsaKey(privateKeyPem);
  if (!fingerprintIsClientFriendly(rsa.fingerprint)) {
    (opts.log ?? console.warn)('warning: this RSA key\'s fingerprint starts with a 0 hex digit; mtcute 0.30.3 cannot look it up');
  }
  const state = new LoopbackState(opts.stateFile);
  if (opts.seedDemo ?? true) seedDemoAccount(state);
  const faults = new Faults();
  const log = opts.log ?? ((): void => undefined);
  const codeTtlMs = opts.codeTtlMs ?? 5 * 60_000;
  const sessions: SessionPolicy = { ...DEFAULT_SESSION_POLICY, ...opts.sessions };
  const onCode = opts.onCode ?? ((): void => undefined);
  const dcIds = [opts.dcId ?? 2, ...(opts.extraDcs ?? []).map((d) => d.id)];
  if (new Set(dcIds).size !== dcIds.length) throw new Error(`duplicate DC ids: ${dcIds.join(', ')}`);
  // One address list shared by every DC's ServerInfo: each port is filled in once it listens.
  const dcs = dcIds.map((id) => ({ id, host, port: 0 }));
  const wanted = [opts.port ?? 0, ...(opts.extraDcs ?? []).map((d) => d.port ?? 0)];
  const nodes: { core: ServerCore; server: Server }[] = [];
  for (const [i, address] of dcs.entries()) {
    const info = { host, port: 0, dcId: address.id, layer: schema.layer, codeTtlMs, dcs, sessions };
    // Per DC: sessions, connections and stats; shared: state (accounts, auth keys, files) and faults.
    const core = new ServerCore(schema, codec, rsa, state, faults, info, methods, onCode, log);
    const server: Server = createServer((socket) => {
      core.stats.connectionsOpened++;
      core.connections.add(new Connection(socket, core));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(wanted[i] ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      // A port taken for a later DC: the DCs already listening are closed, not leaked.
      for (const n of nodes) n.server.close();
      throw e;
    }
    const bound = server.address();
    if (bound === null || typeof bound === 'string') throw new Error('unexpected server address');
    info.port = address.port = bound.port;
    nodes.push({ core, server });
    if (i > 0) log(`loopback Telegram dc ${address.id} listening on ${host}:${bound.port}`);
  }
  const first = nodes[0];
  if (!first) throw new Error('no DC');
  const core = first.core;
  const info = core.info;
  log(`loopback Telegram listening on ${host}:${info.port} (layer ${schema.layer}, dc ${info.dcId})`);

  return {
    host,
    port: info.port,
    dcId: info.dcId,
    layer: schema.layer,
    publicKeyPem: rsa.publicKeyPem,
    privateKeyPem,
    fingerprint: rsa.fingerprint,
    faults,
    stats: core.stats,
    dcs: nodes.map(({ core: c }) => ({
      id: c.info.dcId,
      port: c.info.port,
      stats: c.stats,
      get connectionCount() {
        return c.connections.size;
      },
    })),
    state,
    lastCode(phone) {
      const digits = normalizePhone(phone);
      return state.sentCodes.findLast((c) => c.phone === digits)?.code;
    },
    lastEmailCode(email) {
      const e = email.trim();
      return state.sentEmailCodes.findLast((c) => c.email === e)?.code;
    },
    stateFiles: opts.stateFile === undefined ? undefined : { json: opts.stateFile, filesDir: `${opts.stateFile}.files` },
    createAccount: (a) => createAccount(state, a),
    expireCodes() {
      for (const c of state.codes.values()) c.expiresAt = 0;
      for (const c of state.emailCodes.values()) c.expiresAt = 0;
    },
    // Salts live on the (shared) auth keys, so one core's rotation covers every DC.
    rotateSalts: () => core.rotateSalts(),
    dropConnections() {
      for (const n of nodes) for (const c of [...n.core.connections]) c.close();
    },
    get connectionCount() {
      return core.connections.size;
    },
    transports: () => [...core.connections].map((c) => c.transport),
    async close() {
      await Promise.all(
        nodes.map(({ core: c, server }) => {
          for (const conn of [...c.connections]) conn.close();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
    },
  };
}

export { codeFor };
export { TELEGRAM_FRESH_RESET_SECONDS } from './methods/sessions';
