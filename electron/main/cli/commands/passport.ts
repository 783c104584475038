/**
 * `list` and `set TYPE`: the signed-in account's Telegram Passport, through the same TelegramPassport
 * the app uses (unlock with the 2FA password, end-to-end encryption, the offline mirror). The session
 * is the one `login` kept in the keychain; the mirror lives where the app keeps it,
 * `<dataDir>/telegram/<userId>`, with its key in the same keychain.
 */
import { AppError } from '../../../common/errors';
import { SecureValueTypeNameSchema } from '../../../common/passport';
import { defaultDataDir, telegramMirrorDir } from '../../app/data-dir';
import { TelegramPassport, type FileInfo, type UnlockResult } from '../../vault/telegram/telegram-passport';
import type { OptionValues } from '../args';
import { optionalString, readPasswordFile, requireString } from '../args';
import { usageError } from '../output';
import { describeFile, readValueInput, wipeValueInput } from '../value-input';
import { accountService } from './account';

export { passportOptions } from '../options';

export function dataDir(values: OptionValues): string {
  const dir = optionalString(values, 'data-dir') ?? process.env['PASSPORT_VAULT_DATA_DIR'];
  return dir !== undefined && dir !== '' ? dir : defaultDataDir();
}

/** Opens and unlocks the signed-in account's Passport, runs `fn`, and closes everything again. */
async function withPassport<T>(values: OptionValues, fn: (passport: TelegramPassport, unlocked: UnlockResult) => Promise<T>): Promise<T> {
  const password = readPasswordFile(requireString(values, 'password-file'));
  const { service, keychain } = accountService(values);
  let passport: TelegramPassport | undefined;
  try {
    const status = await service.status();
    if (status.user === null) {
      if (status.unverified) throw new AppError('OFFLINE', 'Telegram cannot be reached to confirm which account is signed in. Try again when online.');
      throw new AppError('NOT_SIGNED_IN', 'Not signed in to Telegram: run passport-vault login first.');
    }
    const userId = status.user.id;
    // One process, one operation: nothing to sync in the background.
    passport = await TelegramPassport.open({ conn: service.telegram(), accountId: userId, dir: telegramMirrorDir(dataDir(values), userId), keychain, autoSync: false });
    const unlocked = await passport.unlock(password.toString('utf8'));
    return await fn(passport, unlocked);
  } finally {
    password.fill(0);
    passport?.close();
    await service.close();
  }
}

/** Every value, decrypted; each scan decrypted too, but shown only as its size and SHA-256. */
export async function passportList(values: OptionValues): Promise<object> {
  return withPassport(values, async (passport, unlocked) => {
    const out = [];
    for (const v of await passport.list()) {
      const describe = async (f: FileInfo): Promise<{ size: number; sha256: string }> => {
        const bytes = await passport.readFile(v.type, f.fileHash);
        try {
          return describeFile(bytes);
        } finally {
          bytes.fill(0);
        }
      };
      const files: Record<string, unknown> = {};
      if (v.frontSide) files['front_side'] = await describe(v.frontSide);
      if (v.reverseSide) files['reverse_side'] = await describe(v.reverseSide);
      if (v.selfie) files['selfie'] = await describe(v.selfie);
      if (v.files.length > 0) files['files'] = await Promise.all(v.files.map(describe));
      if (v.translation.length > 0) files['translation'] = await Promise.all(v.translation.map(describe));
      out.push({
        type: v.type,
        ...(v.data !== undefined ? { data: v.data } : {}),
        ...(v.plain !== undefined ? { plain: v.plain } : {}),
        files,
        server_hash: v.serverHash,
        pending: v.pending,
        // Data that cannot be decrypted is said so, not silently left out.
        ...(v.problem !== null ? { problem: v.problem } : {}),
      });
    }
    // Listing on an account without a secret creates one (that is what unlocking does): say so.
    return { values: out, ...(unlocked.created ? { created_secret: true } : {}) };
  });
}

/** Saves one value; file options replace those slots, left-out ones keep what the value has. */
export async function passportSet(values: OptionValues): Promise<object> {
  const type = SecureValueTypeNameSchema.safeParse(requireString(values, 'type'));
  if (!type.success) throw usageError('TYPE must be one of the 13 Passport types, e.g. passport, phone_number or utility_bill');
  const input = readValueInput(values, type.data, 'data');
  try {
    return await withPassport(values, async (passport, unlocked) => {
      const saved = await passport.save(input);
      // 'queued': Telegram went away meanwhile; the edit waits in the mirror and the next unlock sends it.
      return { type: saved.type, status: saved.status, created_secret: unlocked.created };
    });
  } finally {
    wipeValueInput(input);
  }
}
