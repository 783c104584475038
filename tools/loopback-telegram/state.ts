/**
 * What the loopback server remembers, and nothing more than a real server would: accounts
 * (phone, names, the SRP verifier — never the password), auth keys and which account each is
 * signed in to, and each account's Telegram Passport as Telegram holds it: the passport secret
 * ENCRYPTED under the password, secure values as ciphertext + hashes + encrypted secrets, secure
 * files as the encrypted bytes the client uploaded, and the (by design unencrypted) verified
 * phone/e-mail plain values. Verification codes, SRP challenges and pending upload parts are
 * transient. With a `stateFile` the durable part is written (atomically) after every change and
 * read back at start-up; secure files go to `<stateFile>.files/`, one file each.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { makeAuthKey, type AuthKey } from './mtproto/envelope';
import type { SrpChallenge } from './crypto/srp';
import { UpdatePush } from './update-push';
import {
  type PersistedSecureFile,
  type PersistedSecureValue,
  type SecureFileRecord,
  type SecureSettingsRecord,
  type SecureValueRecord,
  fileBlobName,
  readSecureFile,
  readSecureSettings,
  readSecureValue,
  writeSecureFile,
  writeSecureSettings,
  writeSecureValue,
} from './passport-state';

export interface PasswordRecord {
  salt1: Buffer;
  salt2: Buffer;
  /** v = g^x mod p (256 bytes). */
  verifier: Buffer;
  hint: string | undefined;
  /** Confirmed recovery e-mail. */
  email: string | undefined;
  /** A recovery e-mail set but not confirmed yet (account.confirmPasswordEmail). */
  unconfirmedEmail?: string | undefined;
  /** The passport secret, encrypted under the password by the client (secureSecretSettings). */
  secure?: SecureSettingsRecord | undefined;
}

export interface UserRecord {
  id: bigint;
  accessHash: bigint;
  phone: string;
  firstName: string;
  lastName: string;
  password: PasswordRecord | undefined;
  /** Telegram Passport values by TL type name (secureValueTypePassport, …). */
  secureValues: Map<string, SecureValueRecord>;
  /** Numbers and addresses proven by account.verifyPhone / account.verifyEmail. */
  verifiedPhones: Set<string>;
  verifiedEmails: Set<string>;
  /** The DC the account lives on (several-DC servers); absent: the first DC. */
  homeDc?: number | undefined;
}

/** What the client said about itself in its last initConnection (account.getAuthorizations shows it). */
export interface ClientInfo {
  apiId: number;
  deviceModel: string;
  systemVersion: string;
  appVersion: string;
  langCode: string;
}

/** A signed-in session as account.getAuthorizations lists it (methods/sessions.ts). */
export interface AuthorizationRecord {
  /** Nonzero; the session that asks sees its own as 0, as Telegram shows it. */
  hash: bigint;
  /** Unix seconds: when the key signed in, and its last call. */
  createdAt: number;
  activeAt: number;
}

export interface AuthKeyRecord {
  authKey: AuthKey;
  createdAt: number;
  dc: number;
  /** The account this key is signed in to. */
  userId: bigint | undefined;
  /** Set when the key signs in (not when an authorization is imported from another DC). */
  authorization?: AuthorizationRecord | undefined;
  client?: ClientInfo | undefined;
  // --- transient, per key ---
  /** After a correct code for an account with 2FA: the account awaiting auth.checkPassword. */
  passwordPendingUserId?: bigint | undefined;
  srp?: SrpChallenge | undefined;
  /** The verifier the outstanding SRP challenge was made for (SRP_PASSWORD_CHANGED). */
  srpVerifier?: Buffer | undefined;
  /** The server part of new_algo.salt1 last offered by account.getPassword (NEW_SALT_INVALID). */
  newSalt1?: Buffer | undefined;
  salts: { salt: bigint; validUntil: number }[];
  sessions: Set<bigint>;
}

export interface CodeRecord {
  phone: string;
  code: string;
  hash: string;
  expiresAt: number;
  kind: 'app' | 'sms';
  /** What the code proves; absent means sign-in. A verification code never signs anyone in. */
  purpose?: 'login' | 'verify_phone';
}

/** A code sent by e-mail: recovery e-mail confirmation, Passport e-mail verification, password recovery. */
export interface EmailCodeRecord {
  userId: bigint;
  email: string;
  code: string;
  expiresAt: number;
  purpose: 'confirm_password_email' | 'verify_passport_email' | 'password_recovery';
}

/** Parts of a file being uploaded (upload.saveFilePart / saveBigFilePart), until it is used. */
export interface UploadRecord {
  /** Set by saveBigFilePart (its declared file_total_parts). */
  bigTotalParts: number | undefined;
  parts: Map<number, Buffer>;
  touchedAt: number;
}

interface Persisted {
  version: 1;
  nextUserId: string;
  users: {
    id: string;
    accessHash: string;
    phone: string;
    firstName: string;
    lastName: string;
    password?: {
      salt1: string;
      salt2: string;
      verifier: string;
      hint?: string;
      email?: string;
      unconfirmedEmail?: string;
      secure?: ReturnType<typeof writeSecureSettings>;
    };
    // Absent in state files written before Passport support.
    secureValues?: PersistedSecureValue[];
    verifiedPhones?: string[];
    verifiedEmails?: string[];
    homeDc?: number;
  }[];
  authKeys: {
    key: string;
    createdAt: number;
    dc: number;
    userId?: string;
    // Absent in state files written before multi-session support.
    authorization?: { hash: string; createdAt: number; activeAt: number };
    client?: ClientInfo;
  }[];
  secureFiles?: PersistedSecureFile[];
}

export const SALT_LIFETIME_S = 30 * 60;

export class LoopbackState {
  readonly users = new Map<bigint, UserRecord>();
  /** By auth_key_id (hex). */
  readonly authKeys = new Map<string, AuthKeyRecord>();
  readonly codes = new Map<string, CodeRecord>();
  /** Every code sent, newest last, so tests can read them. */
  readonly sentCodes: CodeRecord[] = [];
  /** Outstanding e-mail codes by `${purpose}:${userId}` (one per purpose and account). */
  readonly emailCodes = new Map<string, EmailCodeRecord>();
  /** Every e-mail code sent, newest last, so tests can read them. */
  readonly sentEmailCodes: EmailCodeRecord[] = [];
  /** Secure files by id (the encrypted bytes and their metadata). */
  readonly secureFiles = new Map<bigint, SecureFileRecord>();
  /** Upload parts by `${userId}:${fileId}`. */
  readonly uploads = new Map<string, UploadRecord>();
  /** auth.exportAuthorization tokens (hex) not used yet: whose, for which DC, until when. Transient. */
  readonly exportedAuths = new Map<string, { userId: bigint; dc: number; expiresAt: number }>();
  /** Connections listening for updates (updateNewAuthorization…). Transient. */
  readonly updates = new UpdatePush();
  nextUserId = 100000001n;

  constructor(private readonly file: string | undefined) {
    if (file && existsSync(file)) this.load(file);
  }

  /** Where secure file bytes are kept when the state is persisted. */
  get filesDir(): string | undefined {
    return this.file === undefined ? undefined : `${this.file}.files`;
  }

  /** Registers a new secure file (and writes its bytes, when persisting). */
  addSecureFile(rec: SecureFileRecord): void {
    this.secureFiles.set(rec.id, rec);
    const dir = this.filesDir;
    if (dir !== undefined) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, fileBlobName(rec.id));
      writeFileSync(`${path}.tmp`, rec.bytes, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    }
  }

  /** Forgets secure files no secure value refers to any more (and deletes their bytes). */
  collectSecureFiles(): void {
    const live = new Set<bigint>();
    for (const u of this.users.values()) {
      for (const v of u.secureValues.values()) {
        for (const id of [v.frontSide, v.reverseSide, v.selfie, ...(v.files ?? []), ...(v.translation ?? [])]) {
          if (id !== undefined) live.add(id);
        }
      }
    }
    for (const id of [...this.secureFiles.keys()]) {
      if (live.has(id)) continue;
      this.secureFiles.delete(id);
      const dir = this.filesDir;
      if (dir !== undefined) rmSync(join(dir, fileBlobName(id)), { force: true });
    }
  }

  userByPhone(phone: string): UserRecord | undefined {
    for (const u of this.users.values()) if (u.phone === phone) return u;
    return undefined;
  }

  createUser(phone: string, firstName: string, lastName = ''): UserRecord {
    const user: UserRecord = {
      id: this.nextUserId++,
      accessHash: randomBytes(8).readBigInt64LE(0),
      phone,
      firstName,
      lastName,
      password: undefined,
      secureValues: new Map(),
      verifiedPhones: new Set(),
      verifiedEmails: new Set(),
    };
    this.users.set(user.id, user);
    this.save();
    return user;
  }

  addAuthKey(key: Buffer, dc: number, salt: bigint): AuthKeyRecord {
    const authKey = makeAuthKey(key);
    const rec: AuthKeyRecord = {
      authKey,
      createdAt: Math.floor(Date.now() / 1000),
      dc,
      userId: undefined,
      salts: [{ salt, validUntil: Math.floor(Date.now() / 1000) + SALT_LIFETIME_S }],
      sessions: new Set(),
    };
    this.authKeys.set(authKey.id.toString('hex'), rec);
    this.save();
    return rec;
  }

  save(): void {
    if (!this.file) return;
    const data: Persisted = {
      version: 1,
      nextUserId: this.nextUserId.toString(),
      users: [...this.users.values()].map((u) => ({
        id: u.id.toString(),
        accessHash: u.accessHash.toString(),
        phone: u.phone,
        firstName: u.firstName,
        lastName: u.lastName,
        ...(u.password
          ? {
              password: {
                salt1: u.password.salt1.toString('hex'),
                salt2: u.password.salt2.toString('hex'),
                verifier: u.password.verifier.toString('hex'),
                ...(u.password.hint !== undefined ? { hint: u.password.hint } : {}),
                ...(u.password.email !== undefined ? { email: u.password.email } : {}),
                ...(u.password.unconfirmedEmail !== undefined ? { unconfirmedEmail: u.password.unconfirmedEmail } : {}),
                ...(u.password.secure !== undefined ? { secure: writeSecureSettings(u.password.secure) } : {}),
              },
            }
          : {}),
        secureValues: [...u.secureValues.values()].map(writeSecureValue),
        verifiedPhones: [...u.verifiedPhones],
        verifiedEmails: [...u.verifiedEmails],
        ...(u.homeDc !== undefined ? { homeDc: u.homeDc } : {}),
      })),
      authKeys: [...this.authKeys.values()].map((k) => ({
        key: k.authKey.key.toString('hex'),
        createdAt: k.createdAt,
        dc: k.dc,
        ...(k.userId !== undefined ? { userId: k.userId.toString() } : {}),
        ...(k.authorization !== undefined
          ? { authorization: { hash: k.authorization.hash.toString(), createdAt: k.authorization.createdAt, activeAt: k.authorization.activeAt } }
          : {}),
        ...(k.client !== undefined ? { client: k.client } : {}),
      })),
      // Metadata only: the (encrypted) bytes live in filesDir.
      secureFiles: [...this.secureFiles.values()].map(writeSecureFile),
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 1), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private load(file: string): void {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Persisted;
    if (data.version !== 1) throw new Error(`unsupported loopback state version in ${file}`);
    this.nextUserId = BigInt(data.nextUserId);
    for (const u of data.users) {
      this.users.set(BigInt(u.id), {
        id: BigInt(u.id),
        accessHash: BigInt(u.accessHash),
        phone: u.phone,
        firstName: u.firstName,
        lastName: u.lastName,
        password: u.password
          ? {
              salt1: Buffer.from(u.password.salt1, 'hex'),
              salt2: Buffer.from(u.password.salt2, 'hex'),
              verifier: Buffer.from(u.password.verifier, 'hex'),
              hint: u.password.hint,
              email: u.password.email,
              unconfirmedEmail: u.password.unconfirmedEmail,
              secure: u.password.secure === undefined ? undefined : readSecureSettings(u.password.secure),
            }
          : undefined,
        secureValues: new Map((u.secureValues ?? []).map((v) => [v.type, readSecureValue(v)])),
        verifiedPhones: new Set(u.verifiedPhones ?? []),
        verifiedEmails: new Set(u.verifiedEmails ?? []),
        homeDc: u.homeDc,
      });
    }
    for (const f of data.secureFiles ?? []) {
      const dir = this.filesDir ?? '';
      const rec = readSecureFile(f, (id) => readFileSync(join(dir, fileBlobName(id))));
      this.secureFiles.set(rec.id, rec);
    }
    for (const k of data.authKeys) {
      const authKey = makeAuthKey(Buffer.from(k.key, 'hex'));
      // Salts are not kept: a client coming back gets bad_server_salt and a fresh one.
      this.authKeys.set(authKey.id.toString('hex'), {
        authKey,
        createdAt: k.createdAt,
        dc: k.dc,
        userId: k.userId === undefined ? undefined : BigInt(k.userId),
        authorization: k.authorization === undefined ? undefined : { ...k.authorization, hash: BigInt(k.authorization.hash) },
        client: k.client,
        salts: [],
        sessions: new Set(),
      });
    }
  }
}
