/**
 * Server message ids: unix time · 2^32 plus a fraction, strictly increasing, ≡ 1 (mod 4) for
 * responses and ≡ 3 (mod 4) for messages the server sends on its own.
 */
let last = 0n;

export function serverMsgId(kind: 'response' | 'notification'): bigint {
  const now = BigInt(Date.now());
  let id = ((now / 1000n) << 32n) | (((now % 1000n) << 32n) / 1000n);
  id = (id & ~3n) | (kind === 'response' ? 1n : 3n);
  if (id <= last) id = ((last + 4n) & ~3n) | (kind === 'response' ? 1n : 3n);
  last = id;
  return id;
}

/** Seconds since the epoch encoded in a message id. */
export const msgIdTime = (msgId: bigint): number => Number(msgId >> 32n);
