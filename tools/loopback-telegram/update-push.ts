/**
 * Updates the server pushes to clients on its own (not as answers): Telegram sends them to every
 * session of an account that asked for updates (any call not wrapped in invokeWithoutUpdates). Each
 * connection that made such a call registers a sink here; methods push through `toAccount`.
 */
import type { TlObject } from './tl/codec';

/** What this module needs of an auth key (state.ts's AuthKeyRecord): its account, and its identity. */
export interface SignedInKey {
  readonly userId: bigint | undefined;
}

export interface UpdateSink {
  /** The auth key the connection last used for a call that accepts updates. */
  readonly key: SignedInKey;
  /** Sends an `Updates` object (e.g. updateShort) to the client as a content-related message. */
  send(updates: TlObject): void;
}

export class UpdatePush {
  private readonly sinks = new Set<UpdateSink>();

  add(sink: UpdateSink): void {
    this.sinks.add(sink);
  }

  remove(sink: UpdateSink): void {
    this.sinks.delete(sink);
  }

  /**
   * Sends one update (wrapped in updateShort) to every listening connection signed in to `userId`,
   * except those of `except` (the key that caused it). Returns how many connections got it.
   */
  toAccount(userId: bigint, update: TlObject, except?: SignedInKey): number {
    let sent = 0;
    for (const sink of this.sinks) {
      if (sink.key === except || sink.key.userId !== userId) continue;
      sink.send({ _: 'updateShort', update, date: Math.floor(Date.now() / 1000) });
      sent++;
    }
    return sent;
  }
}
