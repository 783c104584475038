/**
 * Test bots of the loopback server: services that ask for Telegram Passport data. Each has an id
 * (64-bit, above 2^32 unless the test picks one), a username, and an RSA key pair — generated
 * here, or given by the test — of which the server keeps only what Telegram keeps: the PUBLIC key
 * registered with @BotFather. The private key is handed back to the test (the service), never
 * used by the server: what acceptAuthorization receives stays ciphertext here, exactly as on
 * Telegram, and the test decrypts it as the bot would.
 *
 * Bots belong to a server's state (one registry per LoopbackState): `botRegistry(server.state)`.
 * Not persisted: tests register their bots after start-up.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { LoopbackState } from './state';

/** An error the service left on a user's earlier submission (Bot API setPassportDataErrors). */
export type BotPassportError =
  | { source: 'data'; type: string; field_name: string; data_hash: string; message: string }
  | { source: 'front_side' | 'reverse_side' | 'selfie' | 'file' | 'translation_file'; type: string; file_hash: string; message: string }
  | { source: 'files' | 'translation_files'; type: string; file_hashes: string[]; message: string }
  | { source: 'unspecified'; type: string; element_hash: string; message: string };

/** Bot API PassportFile, with the id the test downloads by (`bot.file(id)`). */
export interface ReceivedPassportFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_date: number;
}

/** Bot API EncryptedPassportElement (`type` is the Bot API spelling, e.g. driver_license). */
export interface ReceivedElement {
  type: string;
  data?: string;
  phone_number?: string;
  email?: string;
  files?: ReceivedPassportFile[];
  front_side?: ReceivedPassportFile;
  reverse_side?: ReceivedPassportFile;
  selfie?: ReceivedPassportFile;
  translation?: ReceivedPassportFile[];
  hash: string;
}

/** One accepted authorization, as the bot receives it (Bot API PassportData) plus the raw call. */
export interface ReceivedAuthorization {
  userId: bigint;
  at: number;
  /** The parameters exactly as account.acceptAuthorization carried them. */
  scope: string;
  publicKey: string;
  valueHashes: { type: string; hash: Buffer }[];
  credentials: { data: Buffer; hash: Buffer; secret: Buffer };
  /** What the Bot API update carries: elements (ciphertext, file ids) and credentials, base64. */
  passportData: { data: ReceivedElement[]; credentials: { data: string; hash: string; secret: string } };
}

export interface LoopbackBot {
  readonly id: bigint;
  readonly accessHash: bigint;
  readonly username: string;
  readonly firstName: string;
  /** The key registered with @BotFather (`/setpublickey`), SPKI PEM. */
  readonly publicKeyPem: string;
  /** Only when the registry generated the pair: for the TEST, which plays the service. */
  readonly privateKeyPem: string | undefined;
  readonly privacyPolicyUrl: string | undefined;
  /** Every accepted authorization, oldest first. */
  readonly received: ReceivedAuthorization[];
  /** Errors the service reported per user (Bot API setPassportDataErrors replaces them all). */
  readonly errors: Map<bigint, BotPassportError[]>;
  setPassportDataErrors(userId: bigint, errors: BotPassportError[]): void;
}

export interface RegisterBot {
  username: string;
  firstName?: string;
  /** Default: a random id between 2^32 and 2^40 (bot ids do not fit 32 bits). */
  id?: bigint;
  /** A PEM public key (SPKI or PKCS#1) to register instead of generating a pair. */
  publicKeyPem?: string;
  privacyPolicyUrl?: string;
  /** RSA modulus size of a generated pair (default 2048). */
  modulusLength?: number;
}

export class BotRegistry {
  private readonly bots = new Map<bigint, LoopbackBot & { key: KeyObject }>();

  register(opts: RegisterBot): LoopbackBot {
    let id = opts.id;
    if (id === undefined) {
      // Above 2^32 (bot ids outgrew 32 bits) and below 2^40, the largest user id clients accept (mtcute's MAX_USER_ID).
      do id = (1n << 32n) + (randomBytes(8).readBigUInt64LE(0) % ((1n << 40n) - (1n << 33n)));
      while (this.bots.has(id));
    }
    if (this.bots.has(id)) throw new Error(`bot ${id} is already registered`);
    let publicKeyPem: string;
    let privateKeyPem: string | undefined;
    if (opts.publicKeyPem !== undefined) {
      publicKeyPem = createPublicKey(opts.publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
    } else {
      const pair = generateKeyPairSync('rsa', { modulusLength: opts.modulusLength ?? 2048 });
      publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      privateKeyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    }
    const errors = new Map<bigint, BotPassportError[]>();
    const bot = {
      id,
      accessHash: randomBytes(8).readBigInt64LE(0),
      username: opts.username,
      firstName: opts.firstName ?? opts.username,
      publicKeyPem,
      privateKeyPem,
      privacyPolicyUrl: opts.privacyPolicyUrl,
      received: [] as ReceivedAuthorization[],
      errors,
      key: createPublicKey(publicKeyPem),
      setPassportDataErrors(userId: bigint, list: BotPassportError[]): void {
        errors.set(userId, [...list]);
      },
    };
    this.bots.set(id, bot);
    return bot;
  }

  get(id: bigint): (LoopbackBot & { key: KeyObject }) | undefined {
    return this.bots.get(id);
  }

  byUsername(username: string): LoopbackBot | undefined {
    for (const b of this.bots.values()) if (b.username.toLowerCase() === username.toLowerCase()) return b;
    return undefined;
  }
}

const registries = new WeakMap<LoopbackState, BotRegistry>();

/** The bots of one loopback server (`botRegistry(server.state)`). */
export function botRegistry(state: LoopbackState): BotRegistry {
  let r = registries.get(state);
  if (r === undefined) {
    r = new BotRegistry();
    registries.set(state, r);
  }
  return r;
}
