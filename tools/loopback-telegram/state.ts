/**
 * What the loopback server remembers, and nothing more than a real server would: accounts
 * (phone, names, the SRP verifier — never the password), auth keys and which account each is
 * signed in to. Verification codes and SRP challenges are transient. With a `stateFile` the
 * durable part is written (atomically) after every change and read back at start-up.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { makeAuthKey, type AuthKey } from './mtproto/envelope';
import type { SrpChallenge } from './crypto/srp';

export interface PasswordRecord {
  salt1: Buffer;
  salt2: Buffer;
  /** v = g^x mod p (256 bytes). */
  verifier: Buffer;
  hint: string | undefined;
  /** Confirmed recovery e-mail. */
  email: string | undefined;
}

export interface UserRecord {
  id: bigint;
  accessHash: bigint;
  phone: string;
  firstName: string;
  lastName: string;
  password: PasswordRecord | undefined;
}

export interface AuthKeyRecord {
  authKey: AuthKey;
  createdAt: number;
  dc: number;
  /** The account this key is signed in to. */
  userId: bigint | undefined;
  // --- transient, per key ---
  /** After a correct code for an account with 2FA: the account awaiting auth.checkPassword. */
  passwordPendingUserId?: bigint | undefined;
  srp?: SrpChallenge | undefined;
  salts: { salt: bigint; validUntil: number }[];
  sessions: Set<bigint>;
}

export interface CodeRecord {
  phone: string;
  code: string;
  hash: string;
  expiresAt: number;
  kind: 'app' | 'sms';
}

interface Persisted {
  version: 1;
  nextUserId: string;
  users: { id: string; accessHash: string; phone: string; firstName: string; lastName: string; password?: { salt1: string; salt2: string; verifier: string; hint?: string; email?: string } }[];
  authKeys: { key: string; createdAt: number; dc: number; userId?: string }[];
}

export const SALT_LIFETIME_S = 30 * 60;

export class LoopbackState {
  readonly users = new Map<bigint, UserRecord>();
  /** By auth_key_id (hex). */
  readonly authKeys = new Map<string, AuthKeyRecord>();
  readonly codes = new Map<string, CodeRecord>();
  /** Every code sent, newest last, so tests can read them. */
  readonly sentCodes: CodeRecord[] = [];
  nextUserId = 100000001n;

  constructor(private readonly file: string | undefined) {
    if (file && existsSync(file)) this.load(file);
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
              },
            }
          : {}),
      })),
      authKeys: [...this.authKeys.values()].map((k) => ({
        key: k.authKey.key.toString('hex'),
        createdAt: k.createdAt,
        dc: k.dc,
        ...(k.userId !== undefined ? { userId: k.userId.toString() } : {}),
      })),
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
            }
          : undefined,
      });
    }
    for (const k of data.authKeys) {
      const authKey = makeAuthKey(Buffer.from(k.key, 'hex'));
      // Salts are not kept: a client coming back gets bad_server_salt and a fresh one.
      this.authKeys.set(authKey.id.toString('hex'), {
        authKey,
        createdAt: k.createdAt,
        dc: k.dc,
        userId: k.userId === undefined ? undefined : BigInt(k.userId),
        salts: [],
        sessions: new Set(),
      });
    }
  }
}
