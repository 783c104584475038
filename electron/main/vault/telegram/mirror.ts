/**
 * The offline mirror of an account's Passport ↔ what passport-api.ts moves over the wire. Values
 * stay in Passport's own encrypted format on both sides (state.ts), so mirroring is copying bytes:
 * `data` as is, every file's ciphertext into a blob of the vault store, and the server's ids of
 * the files (`remote`), so a later save reuses them by id instead of uploading them again.
 */
import { AppError } from '../../../common/errors';
import { fromBase64, toBase64 } from '../../passport/crypto/base64';
import type { SecureSecretSettings } from '../../telegram/passport-setup';
import type { SecureFileInput, SecureFileRef, SecureValue, SecureValueInput } from '../../telegram/passport-api';
import { filesOf } from '../store/state';
import type { SecretSettings, StoredFile, StoredValue } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { openValueData } from '../local/value-codec';

export const b64 = toBase64;

export function toMirrorSettings(s: SecureSecretSettings): SecretSettings {
  return { algo: s.algo, salt: toBase64(s.salt), encryptedSecret: toBase64(s.encryptedSecret), secretId: s.secretId.toString() };
}

const remoteOf = (f: SecureFileRef): NonNullable<StoredFile['remote']> => ({ id: f.id.toString(), accessHash: f.accessHash.toString(), dcId: f.dcId });

/** All file refs of a server value, in filesOf's order. */
export function serverFiles(v: SecureValue): SecureFileRef[] {
  return [v.frontSide, v.reverseSide, v.selfie, ...v.files, ...v.translation].filter((f): f is SecureFileRef => f !== null);
}

/** Runs `jobs` with at most `limit` at once. */
export async function limited<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i];
      if (job) out[i] = await job();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return out;
}

/** The mirror's copy of server file `f` among a value's `known` files (same server id, or same file_hash, secret and size). */
export function mirroredFile(known: readonly StoredFile[], f: SecureFileRef): StoredFile | undefined {
  const id = f.id.toString();
  const byId = known.find((k) => k.remote?.id === id);
  if (byId !== undefined) return byId;
  const fileHash = toBase64(f.fileHash);
  const secret = toBase64(f.encryptedSecret);
  return known.find((k) => k.fileHash === fileHash && k.secret === secret && k.size === f.size);
}

/**
 * The mirror's form of a server value. Files already mirrored (same server id, or same file_hash
 * and size) keep their blob; others are downloaded (ciphertext) into new blobs. Nothing is
 * committed: the caller commits the result.
 */
export async function mirrorServerValue(
  store: VaultStore,
  sv: SecureValue,
  previous: StoredValue | undefined,
  download: (f: SecureFileRef) => Promise<Buffer>,
  now: number,
): Promise<StoredValue> {
  const known = previous === undefined ? [] : filesOf(previous);
  const mirrorFile = async (f: SecureFileRef): Promise<StoredFile> => {
    const same = mirroredFile(known, f);
    if (same !== undefined) return { ...same, remote: remoteOf(f) };
    const fileHash = toBase64(f.fileHash);
    const secret = toBase64(f.encryptedSecret);
    const bytes = await download(f);
    if (bytes.length !== f.size || bytes.length === 0 || bytes.length % 16 !== 0) {
      throw new AppError('DOWNLOAD_FAILED', `Telegram sent ${bytes.length} bytes for a file of ${f.size}.`);
    }
    const blob = await store.putBlob(bytes);
    return { blob, fileHash, secret, size: f.size, date: f.date * 1000, remote: remoteOf(f) };
  };
  const refs = serverFiles(sv);
  const mirrored = await limited(refs.map((f) => () => mirrorFile(f)), 4);
  const byRef = new Map(refs.map((f, i) => [f, mirrored[i]]));
  const pick = (f: SecureFileRef | null): StoredFile | undefined => (f === null ? undefined : byRef.get(f));
  const serverHash = toBase64(sv.hash);
  const out: StoredValue = { type: sv.type, serverHash, updatedAt: previous?.serverHash === serverHash ? previous.updatedAt : now };
  if (sv.data) out.data = { data: toBase64(sv.data.encrypted), dataHash: toBase64(sv.data.dataHash), secret: toBase64(sv.data.encryptedSecret) };
  if (sv.plain) out.plainData = 'phone' in sv.plain ? { phone: sv.plain.phone } : { email: sv.plain.email };
  const front = pick(sv.frontSide);
  if (front) out.frontSide = front;
  const reverse = pick(sv.reverseSide);
  if (reverse) out.reverseSide = reverse;
  const selfie = pick(sv.selfie);
  if (selfie) out.selfie = selfie;
  if (sv.files.length > 0) out.files = sv.files.map((f) => byRef.get(f)).filter((f): f is StoredFile => f !== undefined);
  if (sv.translation.length > 0) out.translation = sv.translation.map((f) => byRef.get(f)).filter((f): f is StoredFile => f !== undefined);
  return out;
}

/** A stored file as passport-api's reference to a file already on Telegram. */
export function storedAsRef(f: StoredFile): SecureFileRef {
  const r = f.remote;
  if (r === undefined) throw new AppError('INTERNAL', 'This file was never uploaded.');
  return {
    kind: 'stored',
    id: BigInt(r.id),
    accessHash: BigInt(r.accessHash),
    size: f.size,
    dcId: r.dcId,
    date: Math.floor(f.date / 1000),
    fileHash: fromBase64(f.fileHash, 'file_hash'),
    encryptedSecret: fromBase64(f.secret, 'file secret'),
  };
}

/**
 * What saveSecureValue sends for a mirrored value. `fileInput` decides per file: a reference to the
 * server's copy, or a fresh upload of the blob.
 */
export async function toSecureValueInput(v: StoredValue, fileInput: (f: StoredFile) => Promise<SecureFileInput>): Promise<SecureValueInput> {
  const input: SecureValueInput = { type: v.type };
  if (v.data) {
    input.data = { encrypted: fromBase64(v.data.data, 'data'), dataHash: fromBase64(v.data.dataHash, 'data_hash'), encryptedSecret: fromBase64(v.data.secret, 'data secret') };
  }
  if (v.plainData) input.plain = 'phone' in v.plainData ? { phone: v.plainData.phone } : { email: v.plainData.email };
  const all = filesOf(v);
  const inputs = await Promise.all(all.map((f) => fileInput(f)));
  const of = new Map(all.map((f, i) => [f, inputs[i]]));
  const one = (f: StoredFile | undefined): SecureFileInput | undefined => (f === undefined ? undefined : of.get(f));
  const front = one(v.frontSide);
  if (front) input.frontSide = front;
  const reverse = one(v.reverseSide);
  if (reverse) input.reverseSide = reverse;
  const selfie = one(v.selfie);
  if (selfie) input.selfie = selfie;
  if (v.files) input.files = v.files.map((f) => of.get(f)).filter((f): f is SecureFileInput => f !== undefined);
  if (v.translation) input.translation = v.translation.map((f) => of.get(f)).filter((f): f is SecureFileInput => f !== undefined);
  return input;
}

/**
 * The pushed value as the mirror keeps it after Telegram accepted it: the server's hash, and each
 * file's server id (matched by file_hash, which the server hands back unchanged).
 */
export function afterSave(v: StoredValue, saved: SecureValue): StoredValue {
  if (saved.type !== v.type) throw new AppError('TELEGRAM_ERROR', 'Telegram answered with another value than the one saved.');
  const refs = serverFiles(saved);
  const withRemote = (f: StoredFile): StoredFile => {
    const r = refs.find((x) => toBase64(x.fileHash) === f.fileHash);
    if (r === undefined) throw new AppError('TELEGRAM_ERROR', 'Telegram did not keep a file of the saved value.');
    return { ...f, remote: remoteOf(r) };
  };
  const out: StoredValue = { ...v, serverHash: toBase64(saved.hash) };
  if (v.frontSide) out.frontSide = withRemote(v.frontSide);
  if (v.reverseSide) out.reverseSide = withRemote(v.reverseSide);
  if (v.selfie) out.selfie = withRemote(v.selfie);
  if (v.files) out.files = v.files.map(withRemote);
  if (v.translation) out.translation = v.translation.map(withRemote);
  return out;
}

/** A server file id set, for "is this file still the server's?" checks. */
export function serverFileIds(v: SecureValue | null): Set<string> {
  return new Set(v === null ? [] : serverFiles(v).map((f) => f.id.toString()));
}

export function valueHashOf(v: SecureValue | null): string | null {
  return v === null ? null : toBase64(v.hash);
}

/**
 * Whether the server's value is exactly `v` (same data ciphertext hash, same plain value, same
 * files by file_hash, slot by slot). data_hash and file_hash cover random padding, so equality
 * means these are our own bytes: a push whose answer was lost on the way back.
 */
export function sameContent(sv: SecureValue, v: StoredValue): boolean {
  const h = (f: SecureFileRef | null): string | undefined => (f === null ? undefined : toBase64(f.fileHash));
  const list = (fs: SecureFileRef[]): string => fs.map((f) => toBase64(f.fileHash)).join(',');
  const plain = sv.plain === null ? undefined : JSON.stringify(sv.plain);
  return (
    sv.type === v.type &&
    (sv.data === null ? undefined : toBase64(sv.data.dataHash)) === v.data?.dataHash &&
    plain === (v.plainData === undefined ? undefined : JSON.stringify(v.plainData)) &&
    h(sv.frontSide) === v.frontSide?.fileHash &&
    h(sv.reverseSide) === v.reverseSide?.fileHash &&
    h(sv.selfie) === v.selfie?.fileHash &&
    list(sv.files) === (v.files ?? []).map((f) => f.fileHash).join(',') &&
    list(sv.translation) === (v.translation ?? []).map((f) => f.fileHash).join(',')
  );
}

/** A server value as the person sees it in a conflict: its fields decrypted, its files counted. */
export interface OtherVersion {
  data: Record<string, string> | null;
  plain: string | null;
  files: { frontSide: boolean; reverseSide: boolean; selfie: boolean; scans: number; translations: number };
  serverHash: string;
}

export function otherVersionOf(sv: SecureValue, passportSecret: Buffer): OtherVersion {
  return {
    data: sv.data === null ? null : openValueData(sv.type, sv.data, passportSecret),
    plain: sv.plain === null ? null : 'phone' in sv.plain ? sv.plain.phone : sv.plain.email,
    files: { frontSide: sv.frontSide !== null, reverseSide: sv.reverseSide !== null, selfie: sv.selfie !== null, scans: sv.files.length, translations: sv.translation.length },
    serverHash: toBase64(sv.hash),
  };
}
