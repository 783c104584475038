/** Everything the connections of one server share: schema, keys, state, faults, sessions, salts. */
import { randomBytes } from 'node:crypto';
import type { ServerRsaKey } from './crypto/rsa';
import type { Faults } from './faults';
import type { MethodTable, ServerInfo } from './methods/types';
import { makeAuthKey } from './mtproto/envelope';
import { SALT_LIFETIME_S, type AuthKeyRecord, type LoopbackState } from './state';
import type { TlCodec, TlObject } from './tl/codec';
import type { TlSchema } from './tl/schema';

const SEEN_LIMIT = 2000;

export class SessionState {
  isNew = true;
  layer: number | undefined;
  initConnection: TlObject | undefined;
  private serverSeq = 0;
  private readonly seenIds = new Set<bigint>();

  constructor(readonly id: bigint) {}

  /** Records a client msg_id; true if it had been seen before (a duplicate to ignore). */
  seen(msgId: bigint): boolean {
    if (this.seenIds.has(msgId)) return true;
    this.seenIds.add(msgId);
    if (this.seenIds.size > SEEN_LIMIT) {
      const oldest = this.seenIds.values().next();
      if (!oldest.done) this.seenIds.delete(oldest.value);
    }
    return false;
  }

  /** Forgets a msg_id, e.g. of a request lost with its connection, so a resend is processed. */
  forget(msgId: bigint): void {
    this.seenIds.delete(msgId);
  }

  has(msgId: bigint): boolean {
    return this.seenIds.has(msgId);
  }

  /** Content-related messages get odd seq_no and advance the counter; others get even ones. */
  nextSeqNo(contentRelated: boolean): number {
    if (!contentRelated) return this.serverSeq * 2;
    return this.serverSeq++ * 2 + 1;
  }
}

export interface ServerStats {
  handshakes: number;
  connectionsOpened: number;
  /** Calls per API method name, after unwrapping invokeWithLayer/initConnection. */
  calls: Map<string, number>;
}

/** What the server needs of an open connection (connection.ts implements it; the core keeps the set). */
export interface OpenConnection {
  readonly transport: string | undefined;
  close(): void;
}

export class ServerCore {
  readonly connections = new Set<OpenConnection>();
  readonly stats: ServerStats = { handshakes: 0, connectionsOpened: 0, calls: new Map() };
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    readonly schema: TlSchema,
    readonly codec: TlCodec,
    readonly rsa: ServerRsaKey,
    readonly state: LoopbackState,
    readonly faults: Faults,
    readonly info: ServerInfo,
    readonly methods: MethodTable,
    readonly onCode: (phone: string, code: string) => void,
    readonly log: (line: string) => void,
  ) {}

  keyIdTaken(key: Buffer): boolean {
    return this.state.authKeys.has(makeAuthKey(key).id.toString('hex'));
  }

  session(key: AuthKeyRecord, sessionId: bigint): SessionState {
    const k = `${key.authKey.id.toString('hex')}:${sessionId}`;
    let s = this.sessions.get(k);
    if (!s) {
      s = new SessionState(sessionId);
      this.sessions.set(k, s);
      key.sessions.add(sessionId);
    }
    return s;
  }

  destroySession(key: AuthKeyRecord, sessionId: bigint): boolean {
    key.sessions.delete(sessionId);
    return this.sessions.delete(`${key.authKey.id.toString('hex')}:${sessionId}`);
  }

  destroyAuthKey(key: AuthKeyRecord): void {
    const hex = key.authKey.id.toString('hex');
    this.state.authKeys.delete(hex);
    for (const k of this.sessions.keys()) if (k.startsWith(`${hex}:`)) this.sessions.delete(k);
    this.state.save();
  }

  /** The salt a client should use now; a new one is made when all have expired. */
  currentSalt(key: AuthKeyRecord): bigint {
    const now = Math.floor(Date.now() / 1000);
    key.salts = key.salts.filter((s) => s.validUntil >= now);
    const first = key.salts[0];
    if (first) return first.salt;
    const salt = randomBytes(8).readBigInt64LE(0);
    key.salts.push({ salt, validUntil: now + SALT_LIFETIME_S });
    return salt;
  }

  /** get_future_salts: `num` salts with consecutive validity windows, all accepted from now on. */
  futureSalts(key: AuthKeyRecord, reqMsgId: bigint, num: number): TlObject {
    this.currentSalt(key);
    const out: TlObject[] = [];
    for (let i = 0; i < Math.max(1, Math.min(64, num)); i++) {
      let s = key.salts[i];
      if (!s) {
        const prevUntil = key.salts[i - 1]?.validUntil ?? Math.floor(Date.now() / 1000);
        s = { salt: randomBytes(8).readBigInt64LE(0), validUntil: prevUntil + SALT_LIFETIME_S };
        key.salts.push(s);
      }
      out.push({ _: 'future_salt', valid_since: s.validUntil - SALT_LIFETIME_S, valid_until: s.validUntil, salt: s.salt });
    }
    return { _: 'future_salts', req_msg_id: reqMsgId, now: Math.floor(Date.now() / 1000), salts: out };
  }

  /** Test hook: forget every salt, so each client's next message gets bad_server_salt. */
  rotateSalts(): void {
    for (const k of this.state.authKeys.values()) k.salts = [];
  }
}
