/**
 * `login`, `status`, `logout`: the app's own sign-in (AccountService, mtcute) from the command line.
 * The session goes to the OS keychain like the app's, so the commands work one after another; where
 * no keychain is reachable, `login` says `"session_saved": false` and nothing is written anywhere.
 * Telegram is chosen by --server/--server-key or the PASSPORT_VAULT_* environment (config-from-env.ts).
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { AppError } from '../../../common/errors';
import { AccountService, connectorFor } from '../../account/account-service';
import { keychainBackedSessionStore } from '../../account/session-persistence';
import { Keychain } from '../../keychain/keychain';
import { telegramConfigFromEnv } from '../../telegram/config-from-env';
import type { OptionValues } from '../args';
import { optionalString, readPasswordFile } from '../args';
import { readInputFile } from '../input-file';
import type { CliIo } from '../output';

export { serverOptions } from '../options';

/**
 * The account service for --server/--server-key (or the environment), with its session in the keychain;
 * also that keychain, for other commands that keep something there (the Passport mirror's key).
 */
export function accountService(values: OptionValues): { service: AccountService; persisted: () => boolean; keychain: Keychain } {
  const server = optionalString(values, 'server');
  const key = optionalString(values, 'server-key');
  const env = { ...process.env, ...(server !== undefined ? { PASSPORT_VAULT_SERVER: server } : {}), ...(key !== undefined ? { PASSPORT_VAULT_SERVER_KEY: key } : {}) };
  // The keychain service can be renamed so tests never touch a person's real entries.
  const keychain = new Keychain(undefined, process.env['PASSPORT_VAULT_KEYCHAIN_SERVICE'] ? { service: process.env['PASSPORT_VAULT_KEYCHAIN_SERVICE'] } : {});
  const sessions = keychainBackedSessionStore(keychain);
  const config = telegramConfigFromEnv(env, (path) => readInputFile(path, 'the server key', 'key').toString('utf8'));
  return { service: new AccountService({ sessions, connect: connectorFor(() => config) }), persisted: sessions.persisted, keychain };
}

/** Asks on the terminal; `hidden` does not echo what is typed (for the password). */
async function ask(io: CliIo, question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = hidden;
    const text = await answer;
    if (hidden) process.stderr.write('\n');
    return text.trim();
  } finally {
    rl.close();
  }
}

const interactive = (): boolean => process.stdin.isTTY === true && process.stderr.isTTY === true;

function splitPhone(phone: string): { countryCode: string; number: string } {
  // Telegram takes the whole international number; AccountService joins code and number, so give it all as the number.
  const digits = phone.replace(/[^\d]/g, '');
  if (!phone.trim().startsWith('+') || digits.length < 7) throw new AppError('PHONE_NUMBER_INVALID', 'Give the phone number in international form, e.g. +44 7700 900123.');
  return { countryCode: digits.slice(0, 1), number: digits.slice(1) };
}

export async function login(values: OptionValues, io: CliIo): Promise<object> {
  const phone = optionalString(values, 'phone') ?? (interactive() ? await ask(io, 'Phone number (international, e.g. +44 …): ') : undefined);
  if (phone === undefined) throw new AppError('BAD_INPUT', 'login needs --phone (or run it on a terminal to be asked).');
  let code = optionalString(values, 'code');
  if (code === undefined && !interactive()) throw new AppError('BAD_INPUT', 'login needs --code when not run on a terminal.');
  const passwordFile = optionalString(values, 'password-file');

  const { service, persisted } = accountService(values);
  try {
    const { countryCode, number } = splitPhone(phone);
    const sent = await service.sendCode(countryCode, number);
    code ??= await ask(io, `Code (sent ${sent.type === 'app' ? 'to your Telegram app' : `by ${sent.type}`}): `);
    let result = await service.submitCode(code);
    if (result.status === 'sign_up_required') throw new AppError('BAD_INPUT', 'This number has no Telegram account yet; create one in an official Telegram app first.');
    if (result.status === 'password_needed') {
      let password: string;
      if (passwordFile !== undefined) {
        const bytes = readPasswordFile(passwordFile);
        password = bytes.toString('utf8');
        bytes.fill(0);
      } else if (interactive()) {
        password = await ask(io, `Two-step verification password${result.hint ? ` (hint: ${result.hint})` : ''}: `, true);
      } else throw new AppError('BAD_INPUT', 'This account has a 2FA password: pass --password-file.');
      result = { status: 'signed_in', user: await service.submitPassword(password) };
    }
    return { signed_in: true, user: { id: result.user.id, phone: result.user.phone }, session_saved: persisted() };
  } finally {
    await service.close();
  }
}

export async function status(values: OptionValues): Promise<object> {
  const { service } = accountService(values);
  try {
    const s = await service.status();
    return { signed_in: s.stage === 'signed_in', user: s.user === null ? null : { id: s.user.id, phone: s.user.phone }, ...(s.unverified ? { unverified: true } : {}) };
  } finally {
    await service.close();
  }
}

export async function logout(values: OptionValues): Promise<object> {
  const { service } = accountService(values);
  try {
    await service.status(); // restores the saved session so Telegram is told, not just this device
    await service.signOut();
    return { signed_in: false };
  } finally {
    await service.close();
  }
}
