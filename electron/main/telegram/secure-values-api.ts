/**
 * Secure values through the Telegram API: read, save (checked against the type catalogue before any network)
 * and delete. Everything that goes out is already encrypted by the caller; `secureValue.hash` is Telegram's and
 * opaque: it is handed back as is (acceptAuthorization's value_hashes).
 */
import type { tl } from '@mtcute/core';
import { AppError } from '../../common/errors';
import { MAX_FILES_PER_VALUE, MAX_TRANSLATIONS_PER_VALUE, SECURE_VALUE_TYPES, type SecureValueTypeName } from '../../common/passport/secure-value-types';
import type { TelegramConnection } from './connection';
import { TYPE_BY_TL, buf, fromLong, run, tlType, toLong } from './passport-tl';

export interface SecureFileRef {
  kind: 'stored';
  id: bigint;
  accessHash: bigint;
  /** Size of the encrypted file. */
  size: number;
  dcId: number;
  date: number;
  fileHash: Buffer;
  /** The file secret, encrypted under the passport secret. */
  encryptedSecret: Buffer;
}

/** A file whose parts are uploaded, ready to be attached by saveSecureValue (once). */
export interface UploadedSecureFile {
  kind: 'uploaded';
  fileId: bigint;
  parts: number;
  md5Checksum: string;
  fileHash: Buffer;
  encryptedSecret: Buffer;
}

export type SecureFileInput = SecureFileRef | UploadedSecureFile;

export interface EncryptedSecureData {
  encrypted: Buffer;
  dataHash: Buffer;
  /** The data secret, encrypted under the passport secret. */
  encryptedSecret: Buffer;
}

export type PlainValue = { phone: string } | { email: string };

export interface SecureValue {
  type: SecureValueTypeName;
  data: EncryptedSecureData | null;
  frontSide: SecureFileRef | null;
  reverseSide: SecureFileRef | null;
  selfie: SecureFileRef | null;
  files: SecureFileRef[];
  translation: SecureFileRef[];
  plain: PlainValue | null;
  /** Telegram's hash of the value: opaque, passed back unchanged when sharing. */
  hash: Buffer;
}

export interface SecureValueInput {
  type: SecureValueTypeName;
  data?: EncryptedSecureData;
  frontSide?: SecureFileInput;
  reverseSide?: SecureFileInput;
  selfie?: SecureFileInput;
  files?: SecureFileInput[];
  translation?: SecureFileInput[];
  plain?: PlainValue;
}

function fileRef(f: tl.TypeSecureFile | undefined): SecureFileRef | null {
  if (f?._ !== 'secureFile') return null;
  return {
    kind: 'stored',
    id: fromLong(f.id),
    accessHash: fromLong(f.accessHash),
    size: Number(f.size),
    dcId: f.dcId,
    date: f.date,
    fileHash: buf(f.fileHash),
    encryptedSecret: buf(f.secret),
  };
}

const fileRefs = (list: tl.TypeSecureFile[] | undefined): SecureFileRef[] => (list ?? []).map(fileRef).filter((f): f is SecureFileRef => f !== null);

/** A secureValue as the app handles it; null for types this build does not know. */
export function fromSecureValue(v: tl.TypeSecureValue): SecureValue | null {
  const type = TYPE_BY_TL.get(v.type._);
  if (!type) return null;
  const plain = v.plainData;
  return {
    type,
    data: v.data ? { encrypted: buf(v.data.data), dataHash: buf(v.data.dataHash), encryptedSecret: buf(v.data.secret) } : null,
    frontSide: fileRef(v.frontSide),
    reverseSide: fileRef(v.reverseSide),
    selfie: fileRef(v.selfie),
    files: fileRefs(v.files),
    translation: fileRefs(v.translation),
    plain: plain ? (plain._ === 'securePlainPhone' ? { phone: plain.phone } : { email: plain.email }) : null,
    hash: buf(v.hash),
  };
}

function toInputFile(f: SecureFileInput): tl.TypeInputSecureFile {
  if (f.kind === 'stored') return { _: 'inputSecureFile', id: toLong(f.id), accessHash: toLong(f.accessHash) };
  return { _: 'inputSecureFileUploaded', id: toLong(f.fileId), parts: f.parts, md5Checksum: f.md5Checksum, fileHash: f.fileHash, secret: f.encryptedSecret };
}

/** Refuses, before any network, what the type cannot carry (the catalogue says what it can). */
function checkAgainstCatalogue(v: SecureValueInput): void {
  const info = SECURE_VALUE_TYPES[v.type];
  const bad = (what: string): never => {
    throw new AppError('BAD_INPUT', `A ${info.label.toLowerCase()} cannot have ${what}.`);
  };
  if ((v.data !== undefined) !== (info.data !== null)) bad(info.data === null ? 'data' : 'no data');
  if (v.frontSide && !info.fileSlots.includes('front_side')) bad('a front side');
  if (v.reverseSide && !info.fileSlots.includes('reverse_side')) bad('a reverse side');
  if (v.selfie && !info.fileSlots.includes('selfie')) bad('a selfie');
  if (v.files && !info.files) bad('scans');
  if (v.translation && !info.translation) bad('translations');
  if ((v.plain !== undefined) !== (info.plain !== null)) bad(info.plain === null ? 'plain data' : 'no value');
  if (v.plain && info.plain === 'phone' && !('phone' in v.plain)) bad('an e-mail');
  if (v.plain && info.plain === 'email' && !('email' in v.plain)) bad('a phone number');
  if ((v.files?.length ?? 0) > MAX_FILES_PER_VALUE) bad(`more than ${MAX_FILES_PER_VALUE} scans`);
  if ((v.translation?.length ?? 0) > MAX_TRANSLATIONS_PER_VALUE) bad(`more than ${MAX_TRANSLATIONS_PER_VALUE} translations`);
}

export async function getAllSecureValues(conn: TelegramConnection): Promise<SecureValue[]> {
  return run(conn, 'passport values', async (tg, abortSignal) => {
    const list = await tg.call({ _: 'account.getAllSecureValues' }, { abortSignal });
    return list.map(fromSecureValue).filter((v): v is SecureValue => v !== null);
  });
}

export async function getSecureValues(conn: TelegramConnection, types: readonly SecureValueTypeName[]): Promise<SecureValue[]> {
  return run(conn, 'passport values', async (tg, abortSignal) => {
    const list = await tg.call({ _: 'account.getSecureValue', types: types.map(tlType) }, { abortSignal });
    return list.map(fromSecureValue).filter((v): v is SecureValue => v !== null);
  });
}

/**
 * Saves a value (replacing the one of its type). `secretId` is the passport secret's id the
 * value is encrypted under: Telegram refuses it (SECURE_SECRET_MISMATCH) if it is not the
 * account's current one, and refuses phone/e-mail not verified by code.
 */
export async function saveSecureValue(conn: TelegramConnection, value: SecureValueInput, secretId: bigint): Promise<SecureValue> {
  checkAgainstCatalogue(value);
  const input: tl.RawInputSecureValue = { _: 'inputSecureValue', type: tlType(value.type) };
  if (value.data) input.data = { _: 'secureData', data: value.data.encrypted, dataHash: value.data.dataHash, secret: value.data.encryptedSecret };
  if (value.frontSide) input.frontSide = toInputFile(value.frontSide);
  if (value.reverseSide) input.reverseSide = toInputFile(value.reverseSide);
  if (value.selfie) input.selfie = toInputFile(value.selfie);
  if (value.files) input.files = value.files.map(toInputFile);
  if (value.translation) input.translation = value.translation.map(toInputFile);
  if (value.plain) input.plainData = 'phone' in value.plain ? { _: 'securePlainPhone', phone: value.plain.phone } : { _: 'securePlainEmail', email: value.plain.email };
  return run(conn, 'save passport value', async (tg, abortSignal) => {
    const saved = fromSecureValue(await tg.call({ _: 'account.saveSecureValue', value: input, secureSecretId: toLong(secretId) }, { abortSignal }));
    if (!saved || saved.type !== value.type) throw new AppError('TELEGRAM_ERROR', 'Telegram answered with a different value than the one saved.');
    return saved;
  });
}

export async function deleteSecureValues(conn: TelegramConnection, types: readonly SecureValueTypeName[]): Promise<void> {
  if (types.length === 0) return;
  await run(conn, 'delete passport values', (tg, abortSignal) => tg.call({ _: 'account.deleteSecureValue', types: types.map(tlType) }, { abortSignal }));
}
