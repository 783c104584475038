/**
 * One stored value as the app shows it: its data decrypted, its files as metadata (read one with
 * `readFile`), its sync state and the service errors that still apply. Both kinds of vault (local-only
 * and the Telegram mirror) hold the same encrypted format, so they describe values the same way.
 */
import { AppError } from '../../common/errors';
import { SECURE_VALUE_TYPE_NAMES, secureValueTypeInfo } from '../../common/passport';
import type { SecureValueTypeName } from '../../common/passport';
import { decryptValueData } from './local/value-codec';
import type { StoredFile, StoredValue } from './store/state';
import type { FileDamage } from './value-damage';
import { errorsForValue, type ServiceError, type ValueServiceErrors } from './telegram/service-errors';

export interface FileInfo {
  /** file_hash, standard base64: the handle for `readFile` and `{ keep }`, and the key of service errors. */
  fileHash: string;
  /** Bytes of the encrypted file. */
  size: number;
  date: number;
  /** On Telegram already (false: waiting in the edit queue to be uploaded, or a local-only vault). */
  uploaded: boolean;
}

export interface PassportValue {
  type: SecureValueTypeName;
  label: string;
  /** The decrypted data JSON (personal details, ID document data, address). */
  data?: Record<string, string>;
  /** Phone or e-mail (plain on Telegram too). */
  plain?: string;
  frontSide?: FileInfo;
  reverseSide?: FileInfo;
  selfie?: FileInfo;
  files: FileInfo[];
  translation: FileInfo[];
  /** Telegram's secureValue.hash (base64) of the version on the server; what acceptAuthorization passes. */
  serverHash: string | null;
  /** An edit of this value waits in the queue (not on Telegram yet). */
  pending: boolean;
  /** The queued edit conflicts with a newer version on Telegram (see `resolve`). */
  conflict: boolean;
  /** The last attempt to send the queued edit failed with this (not a conflict). */
  syncError: { code: string; message: string } | null;
  /** The data could not be decrypted or fails its schema (e.g. written under another secret). */
  problem: { code: string; message: string } | null;
  /** Errors a service reported about this value (secureValueError*), still applying to it. */
  serviceErrors: ValueServiceErrors;
  /** Files of this value missing or damaged on this device (filled in by value-damage.ts; [] here). */
  damaged: FileDamage[];
  updatedAt: number;
}

export interface ValueContext {
  pending: boolean;
  conflict: boolean;
  syncError: { code: string; message: string } | null;
  /** The server hash to show (for a pending value: the one the edit was based on). */
  serverHash: string | null;
  serviceErrors: readonly ServiceError[];
}

export const NO_CONTEXT: ValueContext = { pending: false, conflict: false, syncError: null, serverHash: null, serviceErrors: [] };

const fileInfo = (f: StoredFile): FileInfo => ({ fileHash: f.fileHash, size: f.size, date: f.date, uploaded: f.remote !== undefined });

export function viewOfValue(v: StoredValue, secret: Buffer, ctx: ValueContext): PassportValue {
  let data: Record<string, string> | undefined;
  let problem: PassportValue['problem'] = null;
  try {
    data = decryptValueData(v, secret);
  } catch (e) {
    problem = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'The data could not be read.' };
  }
  const item: PassportValue = {
    type: v.type,
    label: secureValueTypeInfo(v.type).label,
    files: (v.files ?? []).map(fileInfo),
    translation: (v.translation ?? []).map(fileInfo),
    serverHash: ctx.serverHash,
    pending: ctx.pending,
    conflict: ctx.conflict,
    syncError: ctx.syncError,
    problem,
    serviceErrors: errorsForValue(ctx.serviceErrors, v.type, {
      hash: ctx.pending ? null : (v.serverHash ?? null),
      dataHash: v.data?.dataHash ?? null,
      frontSide: v.frontSide?.fileHash ?? null,
      reverseSide: v.reverseSide?.fileHash ?? null,
      selfie: v.selfie?.fileHash ?? null,
      files: (v.files ?? []).map((f) => f.fileHash),
      translation: (v.translation ?? []).map((f) => f.fileHash),
    }),
    damaged: [],
    updatedAt: v.updatedAt,
  };
  if (data !== undefined) item.data = data;
  if (v.plainData) item.plain = 'phone' in v.plainData ? v.plainData.phone : v.plainData.email;
  if (v.frontSide) item.frontSide = fileInfo(v.frontSide);
  if (v.reverseSide) item.reverseSide = fileInfo(v.reverseSide);
  if (v.selfie) item.selfie = fileInfo(v.selfie);
  return item;
}

const CATALOGUE_ORDER = new Map(SECURE_VALUE_TYPE_NAMES.map((t, i) => [t, i]));

/** Values in the catalogue's order (personal details first, email last). */
export function inCatalogueOrder<T extends { type: SecureValueTypeName }>(values: T[]): T[] {
  return values.sort((a, b) => (CATALOGUE_ORDER.get(a.type) ?? 0) - (CATALOGUE_ORDER.get(b.type) ?? 0));
}
