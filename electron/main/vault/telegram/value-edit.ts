/**
 * An edit of one Passport value, as the UI sends it, into the mirror's encrypted form
 * (state.ts `StoredValue`): validated with the shared schemas (value-codec's validation), new
 * scans checked (JPEG, ≤ 10 MiB) and encrypted into blobs by value-codec, files the value already
 * has kept as they are (same ciphertext, same secret, same server id, so they are not uploaded
 * again).
 */
import { AppError } from '../../../common/errors';
import { secureValueTypeInfo } from '../../../common/passport';
import type { SecureValueTypeName } from '../../../common/passport';
import { encryptValue, MAX_SCAN_BYTES, validateValueParts } from '../local/value-codec';
import type { ValueInput, ValueParts } from '../local/value-codec';
import { filesOf } from '../store/state';
import type { StoredFile, StoredValue } from '../store/state';
import type { VaultStore } from '../store/vault-store';

/** A file the value already has, by its `fileHash` (standard base64, as `list()` shows it). */
export interface KeepFile {
  keep: string;
}

/** New scan bytes (a JPEG), or a file to keep. */
export type FileChange = Uint8Array | KeepFile;

/**
 * What to save. Fields as in value-codec's ValueInput (which is a valid TelegramValueInput), plus:
 * a single-file slot left out keeps the file there, `null` removes it; a list left out keeps the
 * list, an array replaces it (each entry new bytes or `{ keep: fileHash }`).
 */
export interface TelegramValueInput {
  type: SecureValueTypeName;
  data?: Record<string, string>;
  plain?: string;
  frontSide?: FileChange | null;
  reverseSide?: FileChange | null;
  selfie?: FileChange | null;
  files?: FileChange[];
  translation?: FileChange[];
}

type Part = { kind: 'new'; bytes: Uint8Array } | { kind: 'kept'; file: StoredFile };

const isKeep = (f: FileChange): f is KeepFile => !(f instanceof Uint8Array);

/** tdesktop re-encodes every scan to JPEG; we accept only JPEG (the scans module produces it). */
export function assertJpegScan(bytes: Uint8Array): void {
  if (bytes.length > MAX_SCAN_BYTES) throw new AppError('SCAN_TOO_LARGE', `A scan may be at most ${MAX_SCAN_BYTES / 1024 / 1024} MiB.`);
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new AppError('SCAN_NOT_AN_IMAGE', 'A scan must be a JPEG image.');
  }
}

function resolveParts(input: TelegramValueInput, current: StoredValue | undefined): ValueParts<Part> {
  const have = current === undefined ? [] : filesOf(current);
  const part = (f: FileChange): Part => {
    if (!isKeep(f)) {
      assertJpegScan(f);
      return { kind: 'new', bytes: f };
    }
    const file = have.find((x) => x.fileHash === f.keep);
    if (file === undefined) throw new AppError('BAD_INPUT', 'A file to keep is not part of this document (it may have been replaced meanwhile).');
    return { kind: 'kept', file };
  };
  const slot = (change: FileChange | null | undefined, existing: StoredFile | undefined): Part | undefined => {
    if (change === null) return undefined;
    if (change === undefined) return existing === undefined ? undefined : { kind: 'kept', file: existing };
    return part(change);
  };
  const list = (change: FileChange[] | undefined, existing: StoredFile[] | undefined): Part[] | undefined => {
    if (change === undefined) return existing?.map((file) => ({ kind: 'kept', file }) as const);
    return change.map(part);
  };
  const out: ValueParts<Part> = { type: input.type };
  if (input.data !== undefined) out.data = input.data;
  if (input.plain !== undefined) out.plain = input.plain;
  const same = current?.type === input.type ? current : undefined;
  const front = slot(input.frontSide, same?.frontSide);
  if (front) out.frontSide = front;
  const reverse = slot(input.reverseSide, same?.reverseSide);
  if (reverse) out.reverseSide = reverse;
  const selfie = slot(input.selfie, same?.selfie);
  if (selfie) out.selfie = selfie;
  const files = list(input.files, same?.files);
  if (files) out.files = files;
  const translation = list(input.translation, same?.translation);
  if (translation) out.translation = translation;
  return out;
}

/**
 * Builds the encrypted value for `input` on top of `current` (the value of that type now, if
 * any). New scans are written as blobs of `store` (not yet referenced: the caller commits).
 */
export async function buildStoredValue(store: VaultStore, input: TelegramValueInput, current: StoredValue | undefined, passportSecret: Buffer, now: number): Promise<StoredValue> {
  const parts = resolveParts(input, current);
  validateValueParts(parts, (p) => (p.kind === 'new' ? p.bytes.length : null));
  const info = secureValueTypeInfo(input.type);
  // Telegram refuses an address proof without scans (FILES_EMPTY): say so before any upload.
  if (info.files && (parts.files?.length ?? 0) === 0) throw new AppError('BAD_INPUT', `Add at least one scan of the ${info.label.toLowerCase()}.`);

  // value-codec encrypts data, plain value and the NEW scans (in order); kept files slot back in.
  const newOnly = (p: Part | undefined): Uint8Array | undefined => (p?.kind === 'new' ? p.bytes : undefined);
  const fresh: ValueInput = { type: input.type };
  if (parts.data !== undefined) fresh.data = parts.data;
  if (parts.plain !== undefined) fresh.plain = parts.plain;
  const front = newOnly(parts.frontSide);
  if (front) fresh.frontSide = front;
  const reverse = newOnly(parts.reverseSide);
  if (reverse) fresh.reverseSide = reverse;
  const selfie = newOnly(parts.selfie);
  if (selfie) fresh.selfie = selfie;
  const newFiles = (parts.files ?? []).flatMap((p) => (p.kind === 'new' ? [p.bytes] : []));
  if (newFiles.length > 0) fresh.files = newFiles;
  const newTranslation = (parts.translation ?? []).flatMap((p) => (p.kind === 'new' ? [p.bytes] : []));
  if (newTranslation.length > 0) fresh.translation = newTranslation;
  const sealed = await encryptValue(store, fresh, passportSecret, now);

  const out: StoredValue = { type: input.type, updatedAt: now };
  if (sealed.data) out.data = sealed.data;
  if (sealed.plainData) out.plainData = sealed.plainData;
  const pickOne = (p: Part | undefined, enc: StoredFile | undefined): StoredFile | undefined => (p === undefined ? undefined : p.kind === 'kept' ? p.file : enc);
  const f = pickOne(parts.frontSide, sealed.frontSide);
  if (f) out.frontSide = f;
  const r = pickOne(parts.reverseSide, sealed.reverseSide);
  if (r) out.reverseSide = r;
  const s = pickOne(parts.selfie, sealed.selfie);
  if (s) out.selfie = s;
  const pickList = (list: Part[] | undefined, enc: StoredFile[] | undefined): StoredFile[] | undefined => {
    if (list === undefined) return undefined;
    let i = 0;
    return list.map((p) => {
      if (p.kind === 'kept') return p.file;
      const next = enc?.[i++];
      if (next === undefined) throw new AppError('INTERNAL', 'A new scan was not encrypted.');
      return next;
    });
  };
  const files = pickList(parts.files, sealed.files);
  if (files && files.length > 0) out.files = files;
  const translation = pickList(parts.translation, sealed.translation);
  if (translation && translation.length > 0) out.translation = translation;
  return out;
}
