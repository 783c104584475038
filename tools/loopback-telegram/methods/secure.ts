/**
 * Telegram Passport secure values: account.getAllSecureValues / getSecureValue /
 * saveSecureValue / deleteSecureValue. The server never sees a document value in clear: `data`
 * is ciphertext, each secret is encrypted under the passport secret, files are the encrypted
 * bytes the client uploaded. Only phone and e-mail are plain (SecurePlainData), and Telegram
 * accepts those only once proven by code (PHONE_/EMAIL_VERIFICATION_NEEDED) — except the
 * account's own phone number, which tdesktop offers to use directly.
 *
 * secureValue.hash — Telegram does not document how it computes it; clients treat it as opaque
 * and pass it back unchanged in account.acceptAuthorization's value_hashes. This server uses
 *   SHA-256( type constructor id (u32 LE)
 *          ‖ "data"  ‖ data_hash ‖ SHA-256(encrypted data secret)      when data is set
 *          ‖ "front" ‖ file_hash, "reverse" ‖ …, "selfie" ‖ …          per single-file slot
 *          ‖ "file"  ‖ file_hash for each scan, "translation" ‖ …      per list entry, in order
 *          ‖ "plain" ‖ "phone:"/"email:" ‖ value )                     for plain data
 * i.e. a digest over exactly the hashes that identify the value's content. It changes whenever
 * any part of the value changes (data_hash and file_hash cover the random padding too) and
 * needs no plaintext.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SecureFileRecord, SecureValueRecord } from '../passport-state';
import type { UserRecord } from '../state';
import type { TlObject, TlValue } from '../tl/codec';
import { normalizePhone } from './auth';
import { normalizeEmail } from './email-codes';
import { assembleUpload, uploadKey } from './upload';
import { type CallContext, type MethodTable, RpcError, bytes, int, long, obj, optObj, requireUser, str, vec } from './types';

/** Which fields each type may carry (core.telegram.org/passport/encryption, PASSPORT-SPEC §1e). */
interface TypeRule {
  data: boolean;
  front: boolean;
  reverse: boolean;
  selfie: boolean;
  files: boolean;
  translation: boolean;
  plain: 'phone' | 'email' | null;
}
const NONE: TypeRule = { data: false, front: false, reverse: false, selfie: false, files: false, translation: false, plain: null };
const ID_DOC = (reverse: boolean): TypeRule => ({ ...NONE, data: true, front: true, reverse, selfie: true, translation: true });
const PROOF: TypeRule = { ...NONE, files: true, translation: true };

export const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  secureValueTypePersonalDetails: { ...NONE, data: true },
  secureValueTypePassport: ID_DOC(false),
  secureValueTypeDriverLicense: ID_DOC(true),
  secureValueTypeIdentityCard: ID_DOC(true),
  secureValueTypeInternalPassport: ID_DOC(false),
  secureValueTypeAddress: { ...NONE, data: true },
  secureValueTypeUtilityBill: PROOF,
  secureValueTypeBankStatement: PROOF,
  secureValueTypeRentalAgreement: PROOF,
  secureValueTypePassportRegistration: PROOF,
  secureValueTypeTemporaryRegistration: PROOF,
  secureValueTypePhone: { ...NONE, plain: 'phone' },
  secureValueTypeEmail: { ...NONE, plain: 'email' },
};

/** tdesktop/Android limits (FC:41-42); the server enforces the same. */
export const MAX_FILES = 20;
export const MAX_TRANSLATIONS = 20;

const TYPE_IDS: Readonly<Record<string, number>> = {
  secureValueTypePersonalDetails: 0x9d2a81e3,
  secureValueTypePassport: 0x3dac6a00,
  secureValueTypeDriverLicense: 0x06e425c4,
  secureValueTypeIdentityCard: 0xa0d0744b,
  secureValueTypeInternalPassport: 0x99a48f23,
  secureValueTypeAddress: 0xcbe31e26,
  secureValueTypeUtilityBill: 0xfc36954e,
  secureValueTypeBankStatement: 0x89137c0d,
  secureValueTypeRentalAgreement: 0x8b883488,
  secureValueTypePassportRegistration: 0x99e3806a,
  secureValueTypeTemporaryRegistration: 0xea02ec33,
  secureValueTypePhone: 0xb320aadb,
  secureValueTypeEmail: 0x8e3ca7ee,
};

/** secureValue.hash; see the header comment. */
export function secureValueHash(v: Omit<SecureValueRecord, 'hash'>, files: ReadonlyMap<bigint, SecureFileRecord>): Buffer {
  const h = createHash('sha256');
  const id = Buffer.alloc(4);
  id.writeUInt32LE(TYPE_IDS[v.type] ?? 0);
  h.update(id);
  const tag = (s: string): void => void h.update(Buffer.from(s, 'utf8'));
  const fileHash = (fid: bigint): Buffer => files.get(fid)?.fileHash ?? Buffer.alloc(32);
  if (v.data) {
    tag('data');
    h.update(v.data.dataHash);
    h.update(createHash('sha256').update(v.data.secret).digest());
  }
  for (const [name, fid] of [['front', v.frontSide], ['reverse', v.reverseSide], ['selfie', v.selfie]] as const) {
    if (fid !== undefined) {
      tag(name);
      h.update(fileHash(fid));
    }
  }
  for (const fid of v.files ?? []) {
    tag('file');
    h.update(fileHash(fid));
  }
  for (const fid of v.translation ?? []) {
    tag('translation');
    h.update(fileHash(fid));
  }
  if (v.plain) {
    tag('plain');
    tag(`${v.plain.kind}:${v.plain.value}`);
  }
  return h.digest();
}

function secureFileObject(f: SecureFileRecord): TlObject {
  return {
    _: 'secureFile',
    id: f.id,
    access_hash: f.accessHash,
    size: BigInt(f.size),
    dc_id: f.dcId,
    date: f.date,
    file_hash: f.fileHash,
    secret: f.secret,
  };
}

export function secureValueObject(v: SecureValueRecord, files: ReadonlyMap<bigint, SecureFileRecord>): TlObject {
  const file = (id: bigint | undefined): TlObject | undefined => {
    if (id === undefined) return undefined;
    const f = files.get(id);
    return f ? secureFileObject(f) : { _: 'secureFileEmpty' };
  };
  const list = (ids: bigint[] | undefined): TlObject[] | undefined => ids?.map((id) => file(id) ?? { _: 'secureFileEmpty' });
  const out: TlObject = { _: 'secureValue', type: { _: v.type }, hash: v.hash };
  if (v.data) out.data = { _: 'secureData', data: v.data.data, data_hash: v.data.dataHash, secret: v.data.secret };
  const front = file(v.frontSide);
  if (front) out.front_side = front;
  const reverse = file(v.reverseSide);
  if (reverse) out.reverse_side = reverse;
  const selfie = file(v.selfie);
  if (selfie) out.selfie = selfie;
  const translation = list(v.translation);
  if (translation) out.translation = translation;
  const scans = list(v.files);
  if (scans) out.files = scans;
  if (v.plain) {
    out.plain_data = v.plain.kind === 'phone' ? { _: 'securePlainPhone', phone: v.plain.value } : { _: 'securePlainEmail', email: v.plain.value };
  }
  return out;
}

function typeName(t: TlValue): string {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || Buffer.isBuffer(t) || !(t._ in TYPE_RULES)) {
    throw new RpcError(400, 'SECURE_TYPE_INVALID');
  }
  return t._;
}

/** A 32-byte hash or secret; the error names the field Telegram-style. */
function bytes32(o: TlObject, k: string, error: string): Buffer {
  const b = bytes(o, k);
  if (b.length !== 32) throw new RpcError(400, error);
  return Buffer.from(b);
}

/**
 * Resolves an InputSecureFile: a just-uploaded file becomes a new secureFile (kept pending in
 * `created` until the whole value is valid); an existing one must be the caller's own.
 */
function resolveFile(ctx: CallContext, user: UserRecord, input: TlValue, created: SecureFileRecord[], usedUploads: string[]): bigint {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || Buffer.isBuffer(input)) {
    throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  }
  if (input._ === 'inputSecureFile') {
    const f = ctx.state.secureFiles.get(long(input, 'id'));
    if (!f || f.ownerId !== user.id || f.accessHash !== long(input, 'access_hash')) throw new RpcError(400, 'SECURE_FILE_INVALID');
    return f.id;
  }
  if (input._ !== 'inputSecureFileUploaded') throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  const fileHash = bytes32(input, 'file_hash', 'FILE_HASH_INVALID');
  const secret = bytes32(input, 'secret', 'SECURE_SECRET_INVALID');
  const uploadId = long(input, 'id');
  const encrypted = assembleUpload(ctx, user, uploadId, int(input, 'parts'), str(input, 'md5_checksum'));
  usedUploads.push(uploadKey(user, uploadId));
  // Passport files are AES-CBC ciphertext: a positive multiple of 16 bytes.
  if (encrypted.length === 0 || encrypted.length % 16 !== 0) throw new RpcError(400, 'FILE_SIZE_INVALID');
  let id: bigint;
  do id = randomBytes(8).readBigInt64LE(0);
  while (ctx.state.secureFiles.has(id) || created.some((f) => f.id === id));
  created.push({
    id,
    accessHash: randomBytes(8).readBigInt64LE(0),
    ownerId: user.id,
    size: encrypted.length,
    dcId: ctx.server.dcId,
    date: Math.floor(Date.now() / 1000),
    fileHash,
    secret,
    bytes: encrypted,
  });
  return id;
}

function requireSecret(user: UserRecord): bigint {
  if (!user.password) throw new RpcError(400, 'PASSWORD_REQUIRED');
  if (!user.password.secure) throw new RpcError(400, 'SECURE_SECRET_REQUIRED');
  return user.password.secure.secretId;
}

export const secureMethods: MethodTable = {
  'account.getAllSecureValues': (ctx) => {
    const user = requireUser(ctx);
    return [...user.secureValues.values()].map((v) => secureValueObject(v, ctx.state.secureFiles));
  },

  'account.getSecureValue': (ctx, params) => {
    const user = requireUser(ctx);
    const out: TlObject[] = [];
    for (const t of vec(params, 'types')) {
      const v = user.secureValues.get(typeName(t));
      if (v) out.push(secureValueObject(v, ctx.state.secureFiles));
    }
    return out;
  },

  'account.deleteSecureValue': (ctx, params) => {
    const user = requireUser(ctx);
    for (const t of vec(params, 'types')) user.secureValues.delete(typeName(t));
    ctx.state.collectSecureFiles();
    ctx.state.save();
    return true;
  },

  'account.saveSecureValue': (ctx, params) => {
    const user = requireUser(ctx);
    const currentSecretId = requireSecret(user);
    const secretId = long(params, 'secure_secret_id');
    // The client must hold the account's current passport secret (tdesktop refuses otherwise too).
    if (secretId !== currentSecretId) throw new RpcError(400, 'SECURE_SECRET_INVALID');
    const input = obj(params, 'value');
    const type = typeName(input.type);
    const rule = TYPE_RULES[type] ?? NONE;
    const has = (k: string): boolean => input[k] !== undefined;
    const allowed: Record<string, boolean> = {
      data: rule.data,
      front_side: rule.front,
      reverse_side: rule.reverse,
      selfie: rule.selfie,
      files: rule.files,
      translation: rule.translation,
      plain_data: rule.plain !== null,
    };
    for (const [k, ok] of Object.entries(allowed)) if (has(k) && !ok) throw new RpcError(400, 'SECURE_VALUE_FIELD_INVALID');
    // Required parts: data for data types, at least one scan for address proofs. Scans of ID
    // documents are required by services (authorization forms), not by saving, so not here.
    if (rule.data && !has('data')) throw new RpcError(400, 'DATA_REQUIRED');
    if (rule.files && (!has('files') || vec(input, 'files').length === 0)) throw new RpcError(400, 'FILES_EMPTY');
    if (rule.plain && !has('plain_data')) throw new RpcError(400, 'DATA_REQUIRED');

    const record: Omit<SecureValueRecord, 'hash'> = { type, secretId };
    const dataObj = optObj(input, 'data');
    if (dataObj) {
      const data = bytes(dataObj, 'data');
      if (data.length === 0 || data.length % 16 !== 0) throw new RpcError(400, 'DATA_INVALID');
      record.data = {
        data: Buffer.from(data),
        dataHash: bytes32(dataObj, 'data_hash', 'DATA_HASH_INVALID'),
        secret: bytes32(dataObj, 'secret', 'SECURE_SECRET_INVALID'),
      };
    }
    const plain = optObj(input, 'plain_data');
    if (plain) {
      if (rule.plain === 'phone' && plain._ === 'securePlainPhone') {
        const phone = normalizePhone(str(plain, 'phone'));
        if (phone !== user.phone && !user.verifiedPhones.has(phone)) throw new RpcError(400, 'PHONE_VERIFICATION_NEEDED');
        record.plain = { kind: 'phone', value: phone };
      } else if (rule.plain === 'email' && plain._ === 'securePlainEmail') {
        const email = normalizeEmail(str(plain, 'email'));
        if (!user.verifiedEmails.has(email)) throw new RpcError(400, 'EMAIL_VERIFICATION_NEEDED');
        record.plain = { kind: 'email', value: email };
      } else {
        throw new RpcError(400, 'SECURE_VALUE_FIELD_INVALID');
      }
    }
    const files = has('files') ? vec(input, 'files') : undefined;
    const translation = has('translation') ? vec(input, 'translation') : undefined;
    if ((files?.length ?? 0) > MAX_FILES) throw new RpcError(400, 'FILES_TOO_MUCH');
    if ((translation?.length ?? 0) > MAX_TRANSLATIONS) throw new RpcError(400, 'TRANSLATION_FILES_TOO_MUCH');

    // Uploaded parts are only released once the whole value is accepted, so a failed save can be retried.
    const created: SecureFileRecord[] = [];
    const usedUploads: string[] = [];
    const one = (k: string): bigint | undefined => (has(k) ? resolveFile(ctx, user, input[k], created, usedUploads) : undefined);
    record.frontSide = one('front_side');
    record.reverseSide = one('reverse_side');
    record.selfie = one('selfie');
    record.files = files?.map((f) => resolveFile(ctx, user, f, created, usedUploads));
    record.translation = translation?.map((f) => resolveFile(ctx, user, f, created, usedUploads));

    for (const key of usedUploads) ctx.state.uploads.delete(key);
    for (const f of created) ctx.state.addSecureFile(f);
    const value: SecureValueRecord = { ...record, hash: secureValueHash(record, ctx.state.secureFiles) };
    user.secureValues.set(type, value);
    ctx.state.collectSecureFiles();
    ctx.state.save();
    return secureValueObject(value, ctx.state.secureFiles);
  },
};
