/**
 * The Telegram Passport part of the loopback server's state, and its JSON form. Everything here
 * is what the client hands the server: ciphertext, hashes, secrets encrypted under the passport
 * secret, the passport secret encrypted under the password. Only `securePlainPhone`/`Email` are
 * plaintext, as on Telegram (they are verified by code, so the server must see them).
 */

/** secureSecretSettings: the passport secret wrapped by the client under its 2FA password. */
export interface SecureSettingsRecord {
  /** securePasswordKdfAlgoPBKDF2HMACSHA512iter100000 or securePasswordKdfAlgoSHA512. */
  algo: string;
  /** The full salt the client chose (server part + its own 32 bytes). */
  salt: Buffer;
  /** 32 bytes, AES-CBC under the password-derived key. */
  secret: Buffer;
  /** The fingerprint of the plaintext secret, as the client declared it. */
  secretId: bigint;
}

export interface SecureDataRecord {
  data: Buffer;
  dataHash: Buffer;
  secret: Buffer;
}

export interface SecureValueRecord {
  /** TL constructor name of the type, e.g. secureValueTypePassport. */
  type: string;
  data?: SecureDataRecord | undefined;
  frontSide?: bigint | undefined;
  reverseSide?: bigint | undefined;
  selfie?: bigint | undefined;
  files?: bigint[] | undefined;
  translation?: bigint[] | undefined;
  plain?: { kind: 'phone' | 'email'; value: string } | undefined;
  /** The secure_secret_id the value was saved under. */
  secretId: bigint;
  /** secureValue.hash (see methods/secure.ts for how it is computed). */
  hash: Buffer;
}

export interface SecureFileRecord {
  id: bigint;
  accessHash: bigint;
  ownerId: bigint;
  /** Size of the encrypted bytes. */
  size: number;
  dcId: number;
  date: number;
  fileHash: Buffer;
  /** The file secret, encrypted under the passport secret by the client. */
  secret: Buffer;
  /** The encrypted bytes, exactly as uploaded. */
  bytes: Buffer;
}

export interface PersistedSecureValue {
  type: string;
  data?: { data: string; dataHash: string; secret: string };
  frontSide?: string;
  reverseSide?: string;
  selfie?: string;
  files?: string[];
  translation?: string[];
  plain?: { kind: 'phone' | 'email'; value: string };
  secretId: string;
  hash: string;
}

export interface PersistedSecureFile {
  id: string;
  accessHash: string;
  ownerId: string;
  size: number;
  dcId: number;
  date: number;
  fileHash: string;
  secret: string;
}

const hex = (b: Buffer): string => b.toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');

/** The name of a secure file's blob in the files directory. */
export function fileBlobName(id: bigint): string {
  return `${BigInt.asUintN(64, id).toString(16).padStart(16, '0')}.bin`;
}

export function writeSecureSettings(s: SecureSettingsRecord): { algo: string; salt: string; secret: string; secretId: string } {
  return { algo: s.algo, salt: hex(s.salt), secret: hex(s.secret), secretId: s.secretId.toString() };
}

export function readSecureSettings(s: { algo: string; salt: string; secret: string; secretId: string }): SecureSettingsRecord {
  return { algo: s.algo, salt: unhex(s.salt), secret: unhex(s.secret), secretId: BigInt(s.secretId) };
}

export function writeSecureValue(v: SecureValueRecord): PersistedSecureValue {
  const ids = (list: bigint[] | undefined): string[] | undefined => list?.map((id) => id.toString());
  const out: PersistedSecureValue = { type: v.type, secretId: v.secretId.toString(), hash: hex(v.hash) };
  if (v.data) out.data = { data: v.data.data.toString('base64'), dataHash: hex(v.data.dataHash), secret: hex(v.data.secret) };
  if (v.frontSide !== undefined) out.frontSide = v.frontSide.toString();
  if (v.reverseSide !== undefined) out.reverseSide = v.reverseSide.toString();
  if (v.selfie !== undefined) out.selfie = v.selfie.toString();
  const files = ids(v.files);
  if (files) out.files = files;
  const translation = ids(v.translation);
  if (translation) out.translation = translation;
  if (v.plain) out.plain = { ...v.plain };
  return out;
}

export function readSecureValue(v: PersistedSecureValue): SecureValueRecord {
  const big = (s: string | undefined): bigint | undefined => (s === undefined ? undefined : BigInt(s));
  return {
    type: v.type,
    data: v.data ? { data: Buffer.from(v.data.data, 'base64'), dataHash: unhex(v.data.dataHash), secret: unhex(v.data.secret) } : undefined,
    frontSide: big(v.frontSide),
    reverseSide: big(v.reverseSide),
    selfie: big(v.selfie),
    files: v.files?.map((s) => BigInt(s)),
    translation: v.translation?.map((s) => BigInt(s)),
    plain: v.plain ? { ...v.plain } : undefined,
    secretId: BigInt(v.secretId),
    hash: unhex(v.hash),
  };
}

export function writeSecureFile(f: SecureFileRecord): PersistedSecureFile {
  return {
    id: f.id.toString(),
    accessHash: f.accessHash.toString(),
    ownerId: f.ownerId.toString(),
    size: f.size,
    dcId: f.dcId,
    date: f.date,
    fileHash: hex(f.fileHash),
    secret: hex(f.secret),
  };
}

export function readSecureFile(f: PersistedSecureFile, readBytes: (id: bigint) => Buffer): SecureFileRecord {
  const id = BigInt(f.id);
  const bytes = readBytes(id);
  if (bytes.length !== f.size) throw new Error(`secure file ${f.id}: ${bytes.length} bytes on disk, ${f.size} expected`);
  return {
    id,
    accessHash: BigInt(f.accessHash),
    ownerId: BigInt(f.ownerId),
    size: f.size,
    dcId: f.dcId,
    date: f.date,
    fileHash: unhex(f.fileHash),
    secret: unhex(f.secret),
    bytes,
  };
}
