/** What the Passport API modules share: calls with Passport error mapping, TL longs and bytes, TL value types. */
import { Long, type tl } from '@mtcute/core';
import type { TelegramClient } from '@mtcute/core/client.js';
import { SECURE_VALUE_TYPES, type SecureValueTypeName } from '../../common/passport/secure-value-types';
import type { TelegramConnection } from './connection';
import { mappingPassportErrors } from './passport-errors';

export type Client = TelegramClient;

/** conn.run with Passport error mapping inside (see passport-errors.ts). */
export function run<T>(conn: TelegramConnection, what: string, fn: (tg: Client, abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  return conn.run(what, mappingPassportErrors(fn));
}

// TL longs and bigints by their two 32-bit halves: Long's decimal toString divides in WebAssembly, and
// an unlock's getAllSecureValues turns two longs per file into bigints (a few ms of 50 files, measured
// while the list waited for its KDF). test/unit/telegram/passport-tl.test.ts checks both against decimal.
export const toLong = (n: bigint): Long => {
  const bits = BigInt.asUintN(64, n);
  return Long.fromBits(Number(bits & 0xffffffffn) | 0, Number(bits >> 32n) | 0);
};
export const fromLong = (l: Long): bigint => {
  const bits = (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  return l.unsigned ? bits : BigInt.asIntN(64, bits);
};
export const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export const TYPE_BY_TL: ReadonlyMap<string, SecureValueTypeName> = new Map(
  Object.values(SECURE_VALUE_TYPES).map((info) => [info.tlName, info.type]),
);
/** The app's name for a TL `secureValueType…` constructor; undefined for types this build does not know. */
export const secureValueTypeFromTl = (tlName: string): SecureValueTypeName | undefined => TYPE_BY_TL.get(tlName);
/** The TL `secureValueType…` constructor of a type. */
export const tlType = (type: SecureValueTypeName): tl.TypeSecureValueType => ({ _: SECURE_VALUE_TYPES[type].tlName }) as tl.TypeSecureValueType;
