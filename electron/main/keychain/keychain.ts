/**
 * The app's one door to the OS keychain. Everything it keeps is under the service `passport-vault`:
 *
 *   mtproto-session            the MTProto session string, so a restart needs no new sign-in
 *   vault-key:VAULT_ID         the random 32-byte key that seals that vault's offline mirror
 *   vault-generation:VAULT_ID  the last generation committed to that vault (decimal), so a state
 *                              put back from an older copy is recognised (store/vault-store.ts)
 *   passport-secret:VAULT_ID   only after "Remember my Passport on this device for N days":
 *                              {"v":1,"secret":B64,"expiresAt":MS}; deleted when read after expiry
 *
 * Every failure of the keychain itself (no Secret Service, locked keyring, access denied, no
 * answer within the time limit) is one AppError: KEYCHAIN_UNAVAILABLE. Callers then carry on
 * without caching. There is deliberately no fallback store: a secret that cannot go into the
 * keychain is not written anywhere.
 *
 * Limits of hygiene: keytar takes and returns JS strings, which cannot be wiped; the Buffers we
 * decode from them are returned to the caller, who wipes them after use.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../common/errors';
import { fromBase64, toBase64 } from '../passport/crypto/base64';
import { isValidSecret } from '../passport/crypto/secret';
import { loadKeytarBackend } from './backend';
import type { KeychainBackend } from './backend';

/** The keychain service our entries are filed under (tests and the CLI may name another). */
export const KEYCHAIN_SERVICE = 'passport-vault';
export const SESSION_ACCOUNT = 'mtproto-session';
const VAULT_KEY_PREFIX = 'vault-key:';
const SECRET_PREFIX = 'passport-secret:';
const GENERATION_PREFIX = 'vault-generation:';
const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_REMEMBER_DAYS = 365;
export const VAULT_KEY_BYTES = 32;

export interface KeychainOptions {
  /** Defaults to `passport-vault`; tests use a throwaway name. */
  service?: string;
  /** Each call is abandoned after this long: libsecret can wait on D-Bus for a long time. */
  timeoutMs?: number;
  now?: () => number;
}

const VAULT_ID_RE = /^[0-9a-f]{32}$/;

function assertVaultId(vaultId: string): void {
  if (!VAULT_ID_RE.test(vaultId)) throw new AppError('BAD_INPUT', 'Bad vault id');
}

function unavailable(reason: string): AppError {
  return new AppError('KEYCHAIN_UNAVAILABLE', reason);
}

export class Keychain {
  readonly service: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private backend: Promise<KeychainBackend> | undefined;

  constructor(
    private readonly load: () => Promise<KeychainBackend> = loadKeytarBackend,
    options: KeychainOptions = {},
  ) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Runs one backend call; any failure or timeout becomes KEYCHAIN_UNAVAILABLE (never the cause's text, which may echo input). */
  private async call<T>(op: (b: KeychainBackend) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable('The system keychain did not answer in time')), this.timeoutMs);
    });
    try {
      this.backend ??= this.load();
      const backend = await Promise.race([this.backend, timeout]);
      return await Promise.race([op(backend), timeout]);
    } catch (e) {
      if (e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE') throw e;
      throw unavailable(
        process.platform === 'linux'
          ? 'No unlocked Secret Service is available (GNOME Keyring or KWallet), or it refused access'
          : 'The system keychain refused access',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private get(account: string): Promise<string | null> {
    return this.call((b) => b.getPassword(this.service, account));
  }

  private set(account: string, value: string): Promise<void> {
    return this.call((b) => b.setPassword(this.service, account, value));
  }

  private delete(account: string): Promise<boolean> {
    return this.call((b) => b.deletePassword(this.service, account));
  }

  // ---- MTProto session ----

  async getSession(): Promise<string | undefined> {
    return (await this.get(SESSION_ACCOUNT)) ?? undefined;
  }

  async setSession(session: string): Promise<void> {
    if (session === '') throw new AppError('BAD_INPUT', 'Empty session');
    await this.set(SESSION_ACCOUNT, session);
  }

  async deleteSession(): Promise<void> {
    await this.delete(SESSION_ACCOUNT);
  }

  // ---- vault keys ----

  /** The vault's key, or null if the keychain has none for it. The caller wipes the Buffer. */
  async getVaultKey(vaultId: string): Promise<Buffer | null> {
    assertVaultId(vaultId);
    const text = await this.get(VAULT_KEY_PREFIX + vaultId);
    if (text === null) return null;
    const key = fromBase64(text, 'The vault key in the keychain');
    if (key.length !== VAULT_KEY_BYTES) {
      key.fill(0);
      throw new AppError('VAULT_CORRUPT', 'The vault key in the keychain has the wrong length');
    }
    return key;
  }

  /** Makes and stores a fresh random vault key; returns it (the caller wipes it). */
  async createVaultKey(vaultId: string): Promise<Buffer> {
    assertVaultId(vaultId);
    const key = randomBytes(VAULT_KEY_BYTES);
    try {
      await this.set(VAULT_KEY_PREFIX + vaultId, toBase64(key));
    } catch (e) {
      key.fill(0);
      throw e;
    }
    return key;
  }

  async deleteVaultKey(vaultId: string): Promise<void> {
    assertVaultId(vaultId);
    await this.delete(VAULT_KEY_PREFIX + vaultId);
    await this.delete(GENERATION_PREFIX + vaultId);
  }

  /** The last generation committed to the vault as recorded here, or null (none recorded, or unreadable). */
  async getVaultGeneration(vaultId: string): Promise<number | null> {
    assertVaultId(vaultId);
    const text = await this.get(GENERATION_PREFIX + vaultId);
    return text !== null && /^\d{1,15}$/.test(text) ? Number(text) : null;
  }

  /** Records the generation just committed (one small write per commit). */
  async setVaultGeneration(vaultId: string, generation: number): Promise<void> {
    assertVaultId(vaultId);
    if (!Number.isSafeInteger(generation) || generation < 0) throw new AppError('BAD_INPUT', 'Bad vault generation');
    await this.set(GENERATION_PREFIX + vaultId, String(generation));
  }

  // ---- "Remember my Passport on this device for N days" ----

  /** Keeps the unlocked passport secret until now + days. Returns the expiry (ms since epoch). */
  async rememberPassportSecret(vaultId: string, secret: Uint8Array, days: number): Promise<number> {
    assertVaultId(vaultId);
    if (!Number.isInteger(days) || days < 1 || days > MAX_REMEMBER_DAYS) {
      throw new AppError('BAD_INPUT', `Remember for 1 to ${MAX_REMEMBER_DAYS} days`);
    }
    if (!isValidSecret(secret)) throw new AppError('SECRET_CHECKSUM', 'Not a passport secret');
    const expiresAt = this.now() + days * DAY_MS;
    await this.set(SECRET_PREFIX + vaultId, JSON.stringify({ v: 1, secret: toBase64(secret), expiresAt }));
    return expiresAt;
  }

  /**
   * The remembered secret, or null when none is remembered. An expired entry is deleted on the
   * way. So is one that does not parse or whose expiry lies further ahead than any we write
   * (a clock set back): an unreadable entry must not keep a secret alive.
   */
  async recallPassportSecret(vaultId: string): Promise<{ secret: Buffer; expiresAt: number } | null> {
    assertVaultId(vaultId);
    const account = SECRET_PREFIX + vaultId;
    const text = await this.get(account);
    if (text === null) return null;
    const entry = parseRemembered(text);
    const now = this.now();
    if (entry === null || entry.expiresAt <= now || entry.expiresAt > now + MAX_REMEMBER_DAYS * DAY_MS) {
      entry?.secret.fill(0);
      await this.delete(account);
      return null;
    }
    return entry;
  }

  async forgetPassportSecret(vaultId: string): Promise<void> {
    assertVaultId(vaultId);
    await this.delete(SECRET_PREFIX + vaultId);
  }

  // ---- everything ----

  /** Account names of every entry of this service (the secrets themselves are dropped at once). */
  async listAccounts(): Promise<string[]> {
    const entries = await this.call((b) => b.findCredentials(this.service));
    const accounts = entries.map((e) => e.account).sort();
    entries.length = 0;
    return accounts;
  }

  /** "Forget everything on this device", keychain half: deletes every entry of the service. */
  async forgetAll(): Promise<number> {
    const accounts = await this.listAccounts();
    for (const account of accounts) await this.delete(account);
    const left = await this.listAccounts();
    if (left.length > 0) throw unavailable('The system keychain did not delete every entry');
    return accounts.length;
  }
}

function parseRemembered(text: string): { secret: Buffer; expiresAt: number } | null {
  try {
    const json = JSON.parse(text) as { v?: unknown; secret?: unknown; expiresAt?: unknown };
    if (json.v !== 1 || typeof json.secret !== 'string' || typeof json.expiresAt !== 'number') return null;
    const secret = fromBase64(json.secret, 'remembered secret');
    if (!isValidSecret(secret)) {
      secret.fill(0);
      return null;
    }
    return { secret, expiresAt: json.expiresAt };
  } catch {
    return null;
  }
}
