/**
 * Errors a service reported about Passport values (`secureValueError*`, PASSPORT-SPEC §4: nine
 * kinds), attached to what they are about so the UI can show them in place: the whole value, one
 * data field, one file, a single-file slot, or "the scan list / translations as a whole".
 *
 * An error names its target by hash (value hash, data_hash, file_hash). It only applies while that
 * hash is still current: once the person replaces the field's data or the file, the error is gone
 * (tdesktop behaves the same way). Telegram delivers these errors with an authorization form
 * (`account.authorizationForm.errors`); `parseSecureValueErrors` takes them as mtcute gives them.
 */
import type { tl } from '@mtcute/core';
import { SECURE_VALUE_TYPES, type SecureValueTypeName } from '../../../common/passport';
import type { ServiceValueError } from '../../telegram/authorization-api';

export type ServiceErrorTarget =
  /** secureValueError: the whole value, identified by its secureValue.hash. */
  | { kind: 'value'; hash: string }
  /** secureValueErrorData: one field of the data identified by its data_hash. */
  | { kind: 'data'; dataHash: string; field: string }
  /** secureValueErrorFrontSide / ReverseSide / Selfie: the file in that slot. */
  | { kind: 'front_side' | 'reverse_side' | 'selfie'; fileHash: string }
  /** secureValueErrorFile / TranslationFile: one scan or translation. */
  | { kind: 'file' | 'translation_file'; fileHash: string }
  /** secureValueErrorFiles / TranslationFiles: the list as a whole (e.g. "missing pages"), while it is unchanged. */
  | { kind: 'files' | 'translation_files'; fileHashes: string[] };

export interface ServiceError {
  type: SecureValueTypeName;
  target: ServiceErrorTarget;
  text: string;
}

/** What the UI shows for one value; every hash is standard base64. */
export interface ValueServiceErrors {
  /** Errors about the value as a whole. */
  value: string[];
  /** Errors about the scan list / the translations as a whole ("a page is missing"), shown on that list. */
  lists: { files: string[]; translation: string[] };
  /** Field name → message, for the current data. */
  fields: Record<string, string>;
  /** file_hash (base64) → message, for files of the current value. */
  files: Record<string, string>;
}

const TYPE_BY_TL: ReadonlyMap<string, SecureValueTypeName> = new Map(Object.values(SECURE_VALUE_TYPES).map((i) => [i.tlName, i.type]));
const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** mtcute's secureValueError* objects → ServiceError; errors about unknown types are dropped. */
export function parseSecureValueErrors(errors: readonly tl.TypeSecureValueError[]): ServiceError[] {
  const out: ServiceError[] = [];
  for (const e of errors) {
    const type = TYPE_BY_TL.get(e.type._);
    if (type === undefined) continue;
    let target: ServiceErrorTarget;
    switch (e._) {
      case 'secureValueError':
        target = { kind: 'value', hash: b64(e.hash) };
        break;
      case 'secureValueErrorData':
        target = { kind: 'data', dataHash: b64(e.dataHash), field: e.field };
        break;
      case 'secureValueErrorFrontSide':
        target = { kind: 'front_side', fileHash: b64(e.fileHash) };
        break;
      case 'secureValueErrorReverseSide':
        target = { kind: 'reverse_side', fileHash: b64(e.fileHash) };
        break;
      case 'secureValueErrorSelfie':
        target = { kind: 'selfie', fileHash: b64(e.fileHash) };
        break;
      case 'secureValueErrorFile':
        target = { kind: 'file', fileHash: b64(e.fileHash) };
        break;
      case 'secureValueErrorTranslationFile':
        target = { kind: 'translation_file', fileHash: b64(e.fileHash) };
        break;
      case 'secureValueErrorFiles':
        target = { kind: 'files', fileHashes: e.fileHash.map(b64) };
        break;
      case 'secureValueErrorTranslationFiles':
        target = { kind: 'translation_files', fileHashes: e.fileHash.map(b64) };
        break;
      default:
        continue;
    }
    out.push({ type, target, text: e.text });
  }
  return out;
}

/** The errors of an authorization form (authorization-api's shape) as the vault keeps them. */
export function fromFormErrors(errors: readonly ServiceValueError[]): ServiceError[] {
  return errors.flatMap((e): ServiceError[] => {
    const first = e.hashes[0];
    if (first === undefined) return [];
    let target: ServiceErrorTarget;
    switch (e.target) {
      case 'value':
        target = { kind: 'value', hash: b64(first) };
        break;
      case 'data':
        if (e.field === null) return [];
        target = { kind: 'data', dataHash: b64(first), field: e.field };
        break;
      case 'files':
      case 'translation_files':
        target = { kind: e.target, fileHashes: e.hashes.map(b64) };
        break;
      default:
        target = { kind: e.target, fileHash: b64(first) };
    }
    return [{ type: e.type, target, text: e.text }];
  });
}

/** The hashes of a value as it is now (what errors are matched against). */
export interface ValueHashes {
  /** secureValue.hash, if the value is on Telegram. */
  hash: string | null;
  dataHash: string | null;
  frontSide: string | null;
  reverseSide: string | null;
  selfie: string | null;
  files: string[];
  translation: string[];
}

/**
 * The errors that still apply to a value in its current state. A list error (`files`,
 * `translation_files`) applies while the list is exactly the one the service saw.
 */
export function errorsForValue(errors: readonly ServiceError[], type: SecureValueTypeName, v: ValueHashes): ValueServiceErrors {
  const out: ValueServiceErrors = { value: [], lists: { files: [], translation: [] }, fields: {}, files: {} };
  const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((h) => b.includes(h));
  for (const e of errors) {
    if (e.type !== type) continue;
    const t = e.target;
    switch (t.kind) {
      case 'value':
        if (v.hash === t.hash) out.value.push(e.text);
        break;
      case 'data':
        if (v.dataHash === t.dataHash) out.fields[t.field] = e.text;
        break;
      case 'front_side':
      case 'reverse_side':
      case 'selfie': {
        const current = t.kind === 'front_side' ? v.frontSide : t.kind === 'reverse_side' ? v.reverseSide : v.selfie;
        if (current === t.fileHash) out.files[t.fileHash] = e.text;
        break;
      }
      case 'file':
        if (v.files.includes(t.fileHash)) out.files[t.fileHash] = e.text;
        break;
      case 'translation_file':
        if (v.translation.includes(t.fileHash)) out.files[t.fileHash] = e.text;
        break;
      case 'files':
        if (sameList(t.fileHashes, v.files)) out.lists.files.push(e.text);
        break;
      case 'translation_files':
        if (sameList(t.fileHashes, v.translation)) out.lists.translation.push(e.text);
        break;
    }
  }
  return out;
}
