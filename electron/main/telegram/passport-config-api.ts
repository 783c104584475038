/** help.getPassportConfig: which languages each country's documents may be in. */
import { z } from 'zod';
import { AppError } from '../../common/errors';
import type { TelegramConnection } from './connection';
import { run } from './passport-tl';

const CountriesLangsSchema = z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1).max(16));

export interface PassportConfig {
  hash: number;
  /** Country (ISO 3166-1 alpha-2) → language code for native names. */
  countriesLangs: Record<string, string>;
}

/** help.getPassportConfig; null when `hash` is still current (passportConfigNotModified). */
export async function getPassportConfig(conn: TelegramConnection, hash = 0): Promise<PassportConfig | null> {
  return run(conn, 'passport config', async (tg, abortSignal) => {
    const res = await tg.call({ _: 'help.getPassportConfig', hash }, { abortSignal });
    if (res._ === 'help.passportConfigNotModified') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.countriesLangs.data);
    } catch {
      throw new AppError('TELEGRAM_ERROR', 'Telegram sent a Passport configuration that is not JSON.');
    }
    const langs = CountriesLangsSchema.safeParse(parsed);
    if (!langs.success) throw new AppError('TELEGRAM_ERROR', 'Telegram sent a Passport configuration of an unexpected shape.');
    return { hash: res.hash, countriesLangs: langs.data };
  });
}
