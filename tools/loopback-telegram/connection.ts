/**
 * One client TCP connection: transport framing, the unencrypted handshake, and MTProto 2.0
 * encrypted messages — service messages (containers, gzip, acks, pings, salts, sessions) are
 * handled here; RPC calls are unwrapped (invokeWithLayer/initConnection/…) and dispatched to
 * the method table, their results or errors returned in rpc_result.
 */
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync, unzipSync } from 'node:zlib';
import { Handshake, HandshakeError } from './handshake';
import { decryptClientMessage, encryptServerMessage } from './mtproto/envelope';
import { msgIdTime, serverMsgId } from './mtproto/msg-id';
import { TransportFraming } from './transport/framing';
import { GZIP_PACKED_ID, TlDecodeError, TlReader, TlUnknownIdError, TlWriter, type TlObject } from './tl/codec';
import { keyBelongsHere } from './methods/dc-placement';
import { noteClientCall } from './methods/sessions';
import { RpcError, type CallContext } from './methods/types';
import type { AuthKeyRecord } from './state';
import type { UpdateSink } from './update-push';
import type { ServerCore, SessionState } from './server-core';

const MSG_CONTAINER_ID = 0x73f1f8dc;
const RPC_RESULT_ID = 0xf35c6d01;
/** Results bigger than this are sent gzip_packed when that makes them smaller. */
const GZIP_THRESHOLD = 1024;
/**
 * Results never tried with gzip: a file's bytes (Passport files are ciphertext, which does not shrink).
 * Trying cost ~10 ms per 512 KiB part, more than encrypting it.
 */
const NOT_COMPRESSED = new Set(['upload.getFile']);

/** Wrappers a client puts around a call; the server records what they say and unwraps them. */
const WRAPPERS = new Set(['invokeWithLayer', 'initConnection', 'invokeWithoutUpdates', 'invokeAfterMsg', 'invokeAfterMsgs', 'invokeWithTakeout']);

class Dropped extends Error {}

interface Current {
  key: AuthKeyRecord;
  session: SessionState;
  salt: bigint;
}

export class Connection {
  private readonly framing = new TransportFraming();
  private readonly handshake: Handshake;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private pingDisconnect: NodeJS.Timeout | undefined;
  /** Set once a call accepted updates: where updates for its account are pushed. */
  private updateSink: (UpdateSink & { cur: Current }) | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly core: ServerCore,
  ) {
    this.handshake = new Handshake(core.codec, core.rsa, (key) => core.keyIdTaken(key));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get transport(): string | undefined {
    return this.framing.kind;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.pingDisconnect);
    if (this.updateSink) this.core.state.updates.remove(this.updateSink);
    this.socket.destroy();
    this.core.connections.delete(this);
  }

  private onData(chunk: Buffer): void {
    let packets: Buffer[];
    try {
      packets = this.framing.push(chunk);
    } catch (e) {
      this.core.log(`transport error: ${(e as Error).message}`);
      this.close();
      return;
    }
    for (const p of packets) {
      this.queue = this.queue
        .then(() => this.process(p))
        .catch((e: unknown) => {
          if (!(e instanceof Dropped)) this.core.log(`connection error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          this.close();
        });
    }
  }

  private write(payload: Buffer): void {
    if (this.closed) return;
    // The transport's header and the payload as two writes in one go (cork): a 512 KiB file part is not copied behind a 4-byte header.
    const parts = this.framing.encodeParts(payload);
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  private async process(packet: Buffer): Promise<void> {
    const latency = this.core.faults.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    if (this.closed) return;
    if (packet.length < 8) return; // quick-ack / keep-alive noise
    if (packet.readBigUInt64LE(0) === 0n) return this.processPlain(packet);
    return this.processEncrypted(packet);
  }

  // ---------------------------------------------------------------- unencrypted (handshake)

  private processPlain(packet: Buffer): void {
    if (packet.length < 20) throw new HandshakeError('short unencrypted message');
    const len = packet.readUInt32LE(16);
    const req = this.core.codec.readObject(new TlReader(packet.subarray(20, 20 + len)));
    const { reply, result } = this.handshake.handle(req);
    const body = this.core.codec.encode(reply);
    const out = Buffer.alloc(20 + body.length);
    out.writeBigInt64LE(serverMsgId('response'), 8);
    out.writeUInt32LE(body.length, 16);
    body.copy(out, 20);
    if (result) {
      this.core.state.addAuthKey(result.authKey, result.dc, result.serverSalt);
      this.core.stats.handshakes++;
    }
    this.write(out);
  }

  // ---------------------------------------------------------------- encrypted

  private async processEncrypted(packet: Buffer): Promise<void> {
    const found = this.core.state.authKeys.get(packet.subarray(0, 8).toString('hex'));
    const key = found && keyBelongsHere(this.core.info.dcs, this.core.info.dcId, found.dc) ? found : undefined;
    if (!key) {
      // Unknown auth key: the client must make a new one.
      // encodeError frames the code itself: written as is (framing it again made mtcute read it as a
      // message under an unknown key and wait forever instead of making a new key).
      if (!this.closed) this.socket.write(this.framing.encodeError(404));
      return;
    }
    const msg = decryptClientMessage(key.authKey, packet);
    if (typeof msg === 'string') {
      this.core.log(`dropping undecryptable message: ${msg}`);
      return;
    }
    const nowS = Math.floor(Date.now() / 1000);
    const session = this.core.session(key, msg.sessionId);
    const current: Current = { key, session, salt: this.core.currentSalt(key) };

    const badMsg = this.checkMsgId(msg.msgId, nowS);
    if (badMsg !== undefined) {
      this.send(current, { _: 'bad_msg_notification', bad_msg_id: msg.msgId, bad_msg_seqno: msg.seqNo, error_code: badMsg }, false, 'notification');
      return;
    }
    if (!key.salts.some((s) => s.salt === msg.salt && s.validUntil >= nowS)) {
      this.send(
        current,
        { _: 'bad_server_salt', bad_msg_id: msg.msgId, bad_msg_seqno: msg.seqNo, error_code: 48, new_server_salt: current.salt },
        false,
        'notification',
      );
      return;
    }
    if (session.isNew) {
      session.isNew = false;
      this.send(current, { _: 'new_session_created', first_msg_id: msg.msgId, unique_id: randomBytes(8).readBigInt64LE(0), server_salt: current.salt }, true, 'notification');
    }
    await this.handleMessage(current, msg.msgId, msg.seqNo, msg.body);
  }

  /** bad_msg_notification codes: 16 too old, 17 too new, 18 not divisible by 4. */
  private checkMsgId(msgId: bigint, nowS: number): number | undefined {
    if (msgId % 4n !== 0n) return 18;
    const t = msgIdTime(msgId);
    if (t < nowS - 300) return 16;
    if (t > nowS + 30) return 17;
    return undefined;
  }

  private async handleMessage(cur: Current, msgId: bigint, seqNo: number, body: Buffer): Promise<void> {
    if (cur.session.seen(msgId)) return; // a resend of something already processed
    await this.handleBody(cur, msgId, seqNo, body);
  }

  private async handleBody(cur: Current, msgId: bigint, seqNo: number, body: Buffer): Promise<void> {
    if (body.length < 4) return;
    const id = body.readUInt32LE(0);
    if (id === MSG_CONTAINER_ID) {
      const r = new TlReader(body.subarray(4));
      const n = r.uint();
      const inner: { msgId: bigint; seqNo: number; body: Buffer }[] = [];
      for (let i = 0; i < n; i++) {
        const innerId = r.long();
        const innerSeq = r.uint();
        const len = r.uint();
        inner.push({ msgId: innerId, seqNo: innerSeq, body: r.raw(len) });
      }
      for (const m of inner) await this.handleMessage(cur, m.msgId, m.seqNo, m.body);
      return;
    }
    if (id === GZIP_PACKED_ID) {
      let unpacked: Buffer;
      try {
        // gzip or zlib-wrapped deflate (mtcute sends the latter); unzip accepts both.
        unpacked = unzipSync(new TlReader(body.subarray(4)).bytes());
      } catch {
        this.core.log('dropping a gzip_packed message that does not decompress');
        return;
      }
      return this.handleBody(cur, msgId, seqNo, unpacked);
    }

    let obj: TlObject;
    try {
      obj = this.core.codec.decode(body);
    } catch (e) {
      if (!(e instanceof TlDecodeError)) throw e;
      // A request the schema does not know, or a malformed one: answer it, never crash.
      const message = e instanceof TlUnknownIdError ? 'INPUT_METHOD_INVALID' : 'INPUT_FETCH_FAIL';
      this.sendRpcError(cur, msgId, 400, message);
      return;
    }
    const c = this.core.schema.byName.get(obj._);

    switch (obj._) {
      case 'msgs_ack':
      case 'http_wait':
      case 'msg_resend_req':
        return;
      case 'ping':
      case 'ping_delay_disconnect':
        if (obj._ === 'ping_delay_disconnect') this.schedulePingDisconnect(obj);
        this.send(cur, { _: 'pong', msg_id: msgId, ping_id: obj.ping_id }, true, 'response');
        return;
      case 'get_future_salts':
        this.send(cur, this.core.futureSalts(cur.key, msgId, typeof obj.num === 'number' ? obj.num : 1), true, 'response');
        return;
      case 'destroy_session': {
        const sid = obj.session_id;
        const existed = typeof sid === 'bigint' && this.core.destroySession(cur.key, sid);
        this.send(cur, { _: existed ? 'destroy_session_ok' : 'destroy_session_none', session_id: sid }, true, 'response');
        return;
      }
      case 'msgs_state_req': {
        const ids = Array.isArray(obj.msg_ids) ? obj.msg_ids : [];
        // 4 = received (and answered: this server answers in order, before reading on);
        // 2 = certainly not received (e.g. lost with a dropped connection) — the client resends.
        const info = Buffer.from(ids.map((m) => (typeof m === 'bigint' && cur.session.has(m) ? 4 : 2)));
        this.send(cur, { _: 'msgs_state_info', req_msg_id: msgId, info }, false, 'response');
        return;
      }
      case 'rpc_drop_answer':
        this.sendRpcResult(cur, msgId, this.core.codec.encode({ _: 'rpc_answer_unknown' }));
        return;
      case 'destroy_auth_key':
        this.core.destroyAuthKey(cur.key);
        this.send(cur, { _: 'destroy_auth_key_ok' }, false, 'response');
        return;
    }
    if (c?.kind !== 'function') return; // a stray constructor: nothing to do
    await this.rpc(cur, msgId, obj);
  }

  private schedulePingDisconnect(obj: TlObject): void {
    clearTimeout(this.pingDisconnect);
    const delay = typeof obj.disconnect_delay === 'number' ? obj.disconnect_delay : 75;
    this.pingDisconnect = setTimeout(() => this.close(), delay * 1000);
    this.pingDisconnect.unref();
  }

  private async rpc(cur: Current, msgId: bigint, request: TlObject): Promise<void> {
    let query = request;
    let init: TlObject | undefined;
    let withUpdates = true;
    while (WRAPPERS.has(query._)) {
      if (query._ === 'invokeWithLayer' && typeof query.layer === 'number') cur.session.layer = query.layer;
      if (query._ === 'initConnection') cur.session.initConnection = init = query;
      if (query._ === 'invokeWithoutUpdates') withUpdates = false;
      const inner = query.query;
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner) || Buffer.isBuffer(inner)) {
        this.sendRpcError(cur, msgId, 400, 'INPUT_FETCH_FAIL');
        return;
      }
      query = inner;
    }
    const method = query._;
    const def = this.core.schema.byName.get(method);
    noteClientCall(cur.key, init);
    if (withUpdates) this.listenForUpdates(cur);
    this.core.stats.calls.set(method, (this.core.stats.calls.get(method) ?? 0) + 1);

    if (this.core.faults.takeDrop(method)) {
      this.core.log(`fault: dropping connection on ${method}`);
      // The request dies with the link, unprocessed: the server must not claim to have it.
      cur.session.forget(msgId);
      this.close();
      throw new Dropped();
    }
    const injected = this.core.faults.takeError(method, this.core.info.dcId);
    if (injected) {
      this.sendRpcError(cur, msgId, injected.code, injected.message);
      return;
    }
    const handler = this.core.methods[method];
    if (!handler || def?.kind !== 'function') {
      this.sendRpcError(cur, msgId, 400, 'METHOD_NOT_IMPLEMENTED');
      return;
    }
    const ctx: CallContext = { state: this.core.state, key: cur.key, server: this.core.info, onCode: this.core.onCode };
    let encoded: Buffer;
    try {
      const result = await handler(ctx, query);
      encoded = this.core.codec.encodeAs(def.result, result);
    } catch (e) {
      if (e instanceof RpcError) {
        this.sendRpcError(cur, msgId, e.code, e.errorMessage);
      } else {
        this.core.log(`internal error in ${method}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.sendRpcError(cur, msgId, 500, 'INTERNAL_SERVER_ERROR');
      }
      return;
    }
    if (this.closed) return; // the link died while the call ran; the client will resend
    this.sendRpcResult(cur, msgId, encoded, !NOT_COMPRESSED.has(method));
  }

  /** Updates for this key's account (updateNewAuthorization…) come down this connection, in its latest session. */
  private listenForUpdates(cur: Current): void {
    if (this.updateSink?.cur.key === cur.key && this.updateSink.cur.session === cur.session) return;
    if (this.updateSink) this.core.state.updates.remove(this.updateSink);
    const sink = { cur, key: cur.key, send: (updates: TlObject) => this.send(cur, updates, true, 'notification') };
    this.updateSink = sink;
    this.core.state.updates.add(sink);
  }

  private sendRpcError(cur: Current, reqMsgId: bigint, code: number, message: string): void {
    this.sendRpcResult(cur, reqMsgId, this.core.codec.encode({ _: 'rpc_error', error_code: code, error_message: message }));
  }

  private sendRpcResult(cur: Current, reqMsgId: bigint, result: Buffer, compress = true): void {
    let payload = result;
    if (compress && result.length > GZIP_THRESHOLD) {
      const gz = gzipSync(result);
      if (gz.length + 8 < result.length) {
        const w = new TlWriter();
        w.uint(GZIP_PACKED_ID);
        w.bytes(gz);
        payload = w.result();
      }
    }
    const head = Buffer.alloc(12);
    head.writeUInt32LE(RPC_RESULT_ID, 0);
    head.writeBigInt64LE(reqMsgId, 4);
    this.sendRaw(cur, [head, payload], true, 'response'); // the result is not copied into a wrapper first
  }

  private send(cur: Current, obj: TlObject, contentRelated: boolean, kind: 'response' | 'notification'): void {
    this.sendRaw(cur, this.core.codec.encode(obj), contentRelated, kind);
  }

  private sendRaw(cur: Current, body: Buffer | readonly Buffer[], contentRelated: boolean, kind: 'response' | 'notification'): void {
    if (this.closed) return;
    const packet = encryptServerMessage(cur.key.authKey, {
      salt: cur.salt,
      sessionId: cur.session.id,
      msgId: serverMsgId(kind),
      seqNo: cur.session.nextSeqNo(contentRelated),
      body,
    });
    this.write(packet);
  }
}
