/**
 * From a fetched form and the person's choices to what account.acceptAuthorization carries
 * (PASSPORT-SPEC §1d; tdesktop FormController:641-748): only the chosen values, each with the
 * PLAINTEXT secrets of its data and files (decrypted from the passport secret by the keyring),
 * selfie and translations only when requested, phone and e-mail by value hash only (they are plain),
 * `nonce` or `payload` as the scope's form demands; then encrypted for the service's key.
 * The server's `secureValue.hash` of each value is passed back unchanged.
 */
import { AppError } from '../../common/errors';
import type { AuthorizationRequest, RequiredItem, RequiredType } from '../../common/authorization/request';
import type { SecureValueTypeName } from '../../common/passport/secure-value-types';
import { buildCredentials, credentialsNonceKey, encryptCredentials, type FileSecretRef, type ValueToShare } from '../passport/crypto/credentials';
import type { AuthorizationForm, EncryptedCredentialsForBot } from '../telegram/authorization-api';
import type { SecureFileRef, SecureValue } from '../telegram/passport-api';
import { missingParts, standingErrors } from './form-status';

/** Opens secrets stored under the passport secret; the secret itself stays in the vault. */
export interface PassportKeyring {
  /** A value's data secret or a file's secret (PASSPORT-SPEC §1b). VAULT_LOCKED when the vault is locked. */
  decryptSecret(encryptedSecret: Buffer, hash: Buffer): Promise<Buffer>;
}

export interface Choice {
  item: number;
  type: SecureValueTypeName;
}

export interface Share {
  valueHashes: { type: SecureValueTypeName; hash: Buffer }[];
  credentials: EncryptedCredentialsForBot;
  types: SecureValueTypeName[];
}

/** The requirement each item resolves to, given the person's choices (one per one_of). */
export function chosenRequirements(required: readonly RequiredItem[], choices: readonly Choice[]): RequiredType[] {
  for (const c of choices) {
    if (!Number.isInteger(c.item) || c.item < 0 || c.item >= required.length) throw new AppError('BAD_INPUT', `There is no item ${c.item} in this request.`);
  }
  return required.map((item, index) => {
    if (item.kind === 'type') return item;
    const choice = choices.find((c) => c.item === index);
    if (choice === undefined) throw new AppError('BAD_INPUT', `Choose which document to share for item ${index + 1}.`);
    const req = item.types.find((t) => t.type === choice.type);
    if (req === undefined) throw new AppError('BAD_INPUT', `The service did not ask for a ${choice.type} in item ${index + 1}.`);
    return req;
  });
}

/** Merges requirements on the same type (two items naming it): a part asked once is asked. */
function mergeByType(reqs: readonly RequiredType[]): RequiredType[] {
  const out = new Map<SecureValueTypeName, RequiredType>();
  for (const r of reqs) {
    const prev = out.get(r.type);
    out.set(
      r.type,
      prev === undefined
        ? { type: r.type, selfie: r.selfie, translation: r.translation, nativeNames: r.nativeNames }
        : { type: r.type, selfie: prev.selfie || r.selfie, translation: prev.translation || r.translation, nativeNames: prev.nativeNames || r.nativeNames },
    );
  }
  return [...out.values()];
}

async function fileSecret(keyring: PassportKeyring, f: SecureFileRef, opened: Buffer[]): Promise<FileSecretRef> {
  const secret = await keyring.decryptSecret(f.encryptedSecret, f.fileHash);
  opened.push(secret);
  return { fileHash: f.fileHash, secret };
}

async function valueToShare(keyring: PassportKeyring, v: SecureValue, req: RequiredType, opened: Buffer[]): Promise<ValueToShare> {
  const out: ValueToShare = { type: v.type, selfieRequested: req.selfie, translationRequested: req.translation };
  if (v.data !== null) {
    const secret = await keyring.decryptSecret(v.data.encryptedSecret, v.data.dataHash);
    opened.push(secret);
    out.data = { dataHash: v.data.dataHash, secret };
  }
  if (v.frontSide !== null) out.frontSide = await fileSecret(keyring, v.frontSide, opened);
  if (v.reverseSide !== null) out.reverseSide = await fileSecret(keyring, v.reverseSide, opened);
  // Opened only when they will be disclosed (buildCredentials would drop them anyway).
  if (req.selfie && v.selfie !== null) out.selfie = await fileSecret(keyring, v.selfie, opened);
  if (v.files.length > 0) out.files = await Promise.all(v.files.map((f) => fileSecret(keyring, f, opened)));
  if (req.translation && v.translation.length > 0) out.translation = await Promise.all(v.translation.map((f) => fileSecret(keyring, f, opened)));
  return out;
}

/** Everything acceptAuthorization needs, or AUTH_DATA_MISSING naming the first gap. */
export async function prepareShare(request: AuthorizationRequest, form: AuthorizationForm, choices: readonly Choice[], keyring: PassportKeyring): Promise<Share> {
  if (credentialsNonceKey(request.scopeText) !== request.nonceKey) {
    // The parser and the credentials builder read the scope the same way; if not, refuse rather than send a wrong key.
    throw new AppError('INTERNAL', 'The request’s nonce key is ambiguous.');
  }
  const reqs = mergeByType(chosenRequirements(form.required, choices));
  const byType = new Map(form.values.map((v) => [v.type, v] as const));
  for (const req of reqs) {
    const v = byType.get(req.type);
    if (v === undefined) throw new AppError('AUTH_DATA_MISSING', `Add your ${req.type.replace(/_/g, ' ')} first.`, { type: req.type, missing: 'everything' });
    const missing = missingParts(v, req);
    if (missing.length > 0) throw new AppError('AUTH_DATA_MISSING', `Your ${req.type.replace(/_/g, ' ')} needs ${missing.join(', ')}.`, { type: req.type, missing: missing.join(', ') });
    if (standingErrors(v, form.errors).length > 0) {
      throw new AppError('AUTH_DATA_MISSING', `The service reported problems with your ${req.type.replace(/_/g, ' ')}: fix them first.`, { type: req.type, missing: 'fixes' });
    }
  }
  const opened: Buffer[] = [];
  try {
    const values: ValueToShare[] = [];
    for (const req of reqs) values.push(await valueToShare(keyring, byType.get(req.type) as SecureValue, req, opened));
    const credentials = encryptCredentials(buildCredentials(values, request.scopeText, request.nonce), request.publicKey);
    return {
      valueHashes: reqs.map((r) => ({ type: r.type, hash: (byType.get(r.type) as SecureValue).hash })),
      credentials,
      types: reqs.map((r) => r.type),
    };
  } finally {
    for (const s of opened) s.fill(0);
  }
}
