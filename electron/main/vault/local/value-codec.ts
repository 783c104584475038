/**
 * A Passport value in the clear (what a form edits) <-> the same value in Passport's encrypted
 * format (state.ts `StoredValue` + blobs), under the unlocked passport secret. Validation uses the
 * shared zod schemas and the type catalogue, so what we store is what official clients accept.
 */
import { AppError } from '../../../common/errors';
import { DATA_SCHEMAS, Email, PhoneNumber, secureValueTypeInfo } from '../../../common/passport';
import type { FileSlot, SecureValueTypeName } from '../../../common/passport';
import { fromBase64, toBase64 } from '../../passport/crypto/base64';
import { decryptData, encryptData } from '../../passport/crypto/data-encryption';
import { decryptValueSecret, encryptValueSecret } from '../../passport/crypto/value-secret';
import type { StoredFile, StoredValue } from '../store/state';
import type { VaultStore } from '../store/vault-store';

/** tdesktop refuses scans over 10 MiB (PASSPORT-SPEC §3). */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

/**
 * A value's parts with files of type F: new bytes (`ValueInput`), or — for callers that keep
 * files already stored elsewhere (the Telegram mirror) — their own handle type.
 */
export interface ValueParts<F> {
  type: SecureValueTypeName;
  /** The JSON object of `data` (personal details, ID document data, address). */
  data?: Record<string, string>;
  /** The phone number or email of the two plain types. */
  plain?: string;
  frontSide?: F;
  reverseSide?: F;
  selfie?: F;
  files?: F[];
  translation?: F[];
}

export type ValueInput = ValueParts<Uint8Array>;

export interface DecryptedValue {
  type: SecureValueTypeName;
  data?: Record<string, string>;
  plain?: string;
  frontSide?: Buffer;
  reverseSide?: Buffer;
  selfie?: Buffer;
  files?: Buffer[];
  translation?: Buffer[];
  updatedAt: number;
}

const SLOT_KEYS: Record<FileSlot, 'frontSide' | 'reverseSide' | 'selfie'> = {
  front_side: 'frontSide',
  reverse_side: 'reverseSide',
  selfie: 'selfie',
};

function bad(message: string): AppError {
  return new AppError('BAD_INPUT', message);
}

/** Checks `input` against the catalogue and schemas; returns the validated data object, if any. */
export function validateValueInput(input: ValueInput): Record<string, string> | undefined {
  return validateValueParts(input, (f) => f.length);
}

/**
 * `validateValueInput` for any file handle type: `sizeOf` gives a file's plaintext size, or null
 * for a file that is already stored (validated when it was added) and is only being kept.
 */
export function validateValueParts<F>(input: ValueParts<F>, sizeOf: (f: F) => number | null): Record<string, string> | undefined {
  const info = secureValueTypeInfo(input.type);
  let data: Record<string, string> | undefined;
  if (info.data === null) {
    if (input.data !== undefined) throw bad(`${input.type} has no data fields`);
  } else {
    if (input.data === undefined) throw bad(`${input.type} needs its data fields`);
    const parsed = DATA_SCHEMAS[info.data].safeParse(input.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw bad(`${input.type}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim());
    }
    data = parsed.data;
  }
  if (info.plain === null) {
    if (input.plain !== undefined) throw bad(`${input.type} has no plain value`);
  } else {
    const schema = info.plain === 'phone' ? PhoneNumber : Email;
    if (input.plain === undefined || !schema.safeParse(input.plain).success) {
      throw bad(info.plain === 'phone' ? 'Expected a phone number of 2-12 digits' : 'Expected an email address');
    }
  }
  for (const slot of Object.keys(SLOT_KEYS) as FileSlot[]) {
    if (input[SLOT_KEYS[slot]] !== undefined && !info.fileSlots.includes(slot)) throw bad(`${input.type} has no ${slot}`);
  }
  if (input.files !== undefined && !info.files) throw bad(`${input.type} has no scan list`);
  if (input.translation !== undefined && !info.translation) throw bad(`${input.type} has no translations`);
  if ((input.files?.length ?? 0) > 20 || (input.translation?.length ?? 0) > 20) throw bad('At most 20 scans and 20 translations');
  for (const f of allFiles(input)) {
    const size = sizeOf(f);
    if (size !== null && (size === 0 || size > MAX_SCAN_BYTES)) throw bad(`A scan must be 1 byte to ${MAX_SCAN_BYTES / 1024 / 1024} MiB`);
  }
  return data;
}

function allFiles<F>(v: ValueParts<F>): F[] {
  return [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])].filter(
    (f): f is F => f !== undefined,
  );
}

async function encryptFile(store: VaultStore, bytes: Uint8Array, passportSecret: Buffer, date: number): Promise<StoredFile> {
  const sealed = encryptData(bytes);
  try {
    const blob = await store.putBlob(sealed.encrypted);
    return {
      blob,
      fileHash: toBase64(sealed.hash),
      secret: toBase64(encryptValueSecret(sealed.secret, passportSecret, sealed.hash)),
      size: sealed.encrypted.length,
      date,
    };
  } finally {
    sealed.secret.fill(0);
  }
}

/**
 * Encrypts a value (writing its files as blobs of `store`) into Passport's format. Nothing is
 * committed: the caller commits the returned value as part of the next state.
 */
export async function encryptValue(store: VaultStore, input: ValueInput, passportSecret: Buffer, now = Date.now()): Promise<StoredValue> {
  const data = validateValueInput(input);
  const out: StoredValue = { type: input.type, updatedAt: now };
  if (data !== undefined) {
    const json = Buffer.from(JSON.stringify(data), 'utf8');
    const sealed = encryptData(json);
    json.fill(0);
    out.data = {
      data: toBase64(sealed.encrypted),
      dataHash: toBase64(sealed.hash),
      secret: toBase64(encryptValueSecret(sealed.secret, passportSecret, sealed.hash)),
    };
    sealed.secret.fill(0);
  }
  if (input.plain !== undefined) {
    out.plainData = secureValueTypeInfo(input.type).plain === 'phone' ? { phone: input.plain } : { email: input.plain };
  }
  for (const key of Object.values(SLOT_KEYS)) {
    const bytes = input[key];
    if (bytes !== undefined) out[key] = await encryptFile(store, bytes, passportSecret, now);
  }
  if (input.files !== undefined) {
    out.files = [];
    for (const f of input.files) out.files.push(await encryptFile(store, f, passportSecret, now));
  }
  if (input.translation !== undefined) {
    out.translation = [];
    for (const f of input.translation) out.translation.push(await encryptFile(store, f, passportSecret, now));
  }
  return out;
}

async function decryptFile(store: VaultStore, f: StoredFile, passportSecret: Buffer): Promise<Buffer> {
  const hash = fromBase64(f.fileHash, 'file_hash');
  const secret = decryptValueSecret(fromBase64(f.secret, 'file secret'), passportSecret, hash);
  try {
    return decryptData(await store.readBlob(f.blob), hash, secret);
  } finally {
    secret.fill(0);
  }
}

/** Decrypts and re-validates a value's `data` JSON (no files). VAULT_CORRUPT if it is not its schema. */
export function decryptValueData(v: StoredValue, passportSecret: Buffer): Record<string, string> | undefined {
  if (v.data === undefined) return undefined;
  const encrypted = { encrypted: fromBase64(v.data.data, 'data'), dataHash: fromBase64(v.data.dataHash, 'data_hash'), encryptedSecret: fromBase64(v.data.secret, 'data secret') };
  return openValueData(v.type, encrypted, passportSecret);
}

/** The fields of a value's encrypted data (as Telegram sends it), checked against the type's schema. */
export function openValueData(
  type: SecureValueTypeName,
  d: { encrypted: Uint8Array; dataHash: Uint8Array; encryptedSecret: Uint8Array },
  passportSecret: Buffer,
): Record<string, string> {
  const secret = decryptValueSecret(d.encryptedSecret, passportSecret, d.dataHash);
  let plain: Buffer;
  try {
    plain = decryptData(d.encrypted, d.dataHash, secret);
  } finally {
    secret.fill(0);
  }
  let json: unknown;
  try {
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new AppError('VAULT_CORRUPT', `The ${type} data is not JSON`);
  } finally {
    plain.fill(0);
  }
  const kind = secureValueTypeInfo(type).data;
  const parsed = kind === null ? null : DATA_SCHEMAS[kind].safeParse(json);
  if (parsed === null || !parsed.success) throw new AppError('VAULT_CORRUPT', `The ${type} data does not match its schema`);
  return parsed.data;
}

/** Decrypts one stored file (its blob in `store`), checking its hash. */
export async function decryptStoredFile(store: VaultStore, f: StoredFile, passportSecret: Buffer): Promise<Buffer> {
  return decryptFile(store, f, passportSecret);
}

/** Decrypts a stored value completely (data JSON validated again, every file hash checked). */
export async function decryptValue(store: VaultStore, v: StoredValue, passportSecret: Buffer): Promise<DecryptedValue> {
  const out: DecryptedValue = { type: v.type, updatedAt: v.updatedAt };
  const data = decryptValueData(v, passportSecret);
  if (data !== undefined) out.data = data;
  if (v.plainData !== undefined) out.plain = 'phone' in v.plainData ? v.plainData.phone : v.plainData.email;
  const read = (f: StoredFile, slot: string): Promise<Buffer> => decryptSlot(store, v, f, slot, passportSecret);
  if (v.frontSide !== undefined) out.frontSide = await read(v.frontSide, 'front_side');
  if (v.reverseSide !== undefined) out.reverseSide = await read(v.reverseSide, 'reverse_side');
  if (v.selfie !== undefined) out.selfie = await read(v.selfie, 'selfie');
  if (v.files !== undefined) out.files = await Promise.all(v.files.map((f, i) => read(f, `files[${i}]`)));
  if (v.translation !== undefined) out.translation = await Promise.all(v.translation.map((f, i) => read(f, `translation[${i}]`)));
  return out;
}

/** One file of `v`; a failure names the value and the slot (details.type, details.slot), keeping its code. */
async function decryptSlot(store: VaultStore, v: StoredValue, f: StoredFile, slot: string, passportSecret: Buffer): Promise<Buffer> {
  try {
    return await decryptFile(store, f, passportSecret);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    throw new AppError(e.code, `The ${slot} file of ${v.type} cannot be read: ${e.message}`, { type: v.type, slot, blob: f.blob });
  }
}
