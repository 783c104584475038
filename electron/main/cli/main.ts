/**
 * `passport-vault`: offline Telegram Passport document encryption for people and scripts.
 * `run(argv)` parses the arguments, runs one command and returns the exit code; it never exits the
 * process itself, so it can be called from tests.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { AppError } from '../../common/errors';
import { version } from '../../../package.json';
import type { OptionValues } from './args';
import { passportOptions, serverOptions, sessionsEndOptions, sessionsListOptions, valueFileOptions } from './options';
import { EXIT_OK, printResult, processIo, reportError, usageError } from './output';
import type { CliIo } from './output';

type Options = NonNullable<ParseArgsConfig['options']>;
const str = { type: 'string' } as const;
const vaultDir = { 'vault-dir': str, keychain: str };

interface Command {
  usage: string;
  options: Options;
  /** Names of the positional arguments, all required, in order; each lands in the values under its name. */
  positionals?: readonly string[];
  /** The name under which one or more positional arguments land as a list (instead of `positionals`). */
  variadic?: string;
  run: RunCommand;
}

type RunCommand = (values: OptionValues, io: CliIo) => object | Promise<object>;

/**
 * A command whose module is imported only when that command runs, so `--help`, `--version`,
 * `new-secret`, `seal` and `open` never load mtcute, keytar or sharp (test/unit/cli/lazy-load.test.ts).
 */
function lazy<K extends string>(load: () => Promise<Record<K, RunCommand>>, name: K): RunCommand {
  return async (values, io) => (await load())[name](values, io);
}
const account = () => import('./commands/account');
const files = () => import('./commands/files');
const passport = () => import('./commands/passport');
const secrets = () => import('./commands/secrets');
const vault = () => import('./commands/vault');
const sessions = () => import('./commands/sessions');

const COMMANDS: Record<string, Command> = {
  'new-secret': { usage: 'new-secret', options: {}, run: lazy(secrets, 'newSecret') },
  seal: { usage: 'seal --secret B64 --in FILE --out FILE', options: { secret: str, in: str, out: str }, run: lazy(files, 'seal') },
  open: {
    usage: 'open --secret B64 --hash B64 --in FILE --out FILE',
    options: { secret: str, hash: str, in: str, out: str },
    run: lazy(files, 'open'),
  },
  'wrap-secret': {
    usage: 'wrap-secret --password-file FILE --salt B64 --secret B64',
    options: { 'password-file': str, salt: str, secret: str },
    run: lazy(secrets, 'wrapSecret'),
  },
  'unwrap-secret': {
    usage: 'unwrap-secret --password-file FILE --salt B64 --encrypted-secret B64 [--secret-id N] [--legacy-sha512]',
    options: {
      'password-file': str,
      salt: str,
      'encrypted-secret': str,
      'secret-id': str,
      'legacy-sha512': { type: 'boolean' },
    },
    run: lazy(secrets, 'unwrapSecret'),
  },
  'decrypt-passport-data': {
    usage: 'decrypt-passport-data --key PEM_FILE [--in FILE]   (PassportData JSON on stdin without --in)',
    options: { key: str, in: str },
    run: lazy(() => import('./commands/passport-data'), 'decryptPassportDataCommand'),
  },
  'local init': {
    usage: 'local init --vault-dir DIR --password-file FILE [--keychain auto|none]',
    options: { ...vaultDir, 'password-file': str },
    run: lazy(vault, 'localInit'),
  },
  'local set': {
    usage:
      'local set --vault-dir DIR --password-file FILE --type TYPE [--data-file JSON] [--plain PHONE_OR_EMAIL] ' +
      '[--front-side F] [--reverse-side F] [--selfie F] [--file F]... [--translation F]...',
    options: {
      ...vaultDir,
      'password-file': str,
      type: str,
      'data-file': str,
      plain: str,
      ...valueFileOptions,
    },
    run: lazy(vault, 'localSet'),
  },
  'local list': { usage: 'local list --vault-dir DIR   (no password: types, dates, counts)', options: vaultDir, run: lazy(vault, 'localList') },
  'local get': {
    usage: 'local get --vault-dir DIR --password-file FILE --type TYPE   (data, and size + SHA-256 of each file)',
    options: { ...vaultDir, 'password-file': str, type: str },
    run: lazy(vault, 'localGet'),
  },
  'backup export': {
    usage: 'backup export --vault-dir DIR --password-file FILE --out FILE',
    options: { ...vaultDir, 'password-file': str, out: str },
    run: lazy(vault, 'backupExport'),
  },
  'backup import': {
    usage: 'backup import --in FILE --vault-dir DIR --password-file FILE   (a new vault, or the same Passport\'s)',
    options: { ...vaultDir, 'password-file': str, in: str },
    run: lazy(vault, 'backupImport'),
  },
  login: {
    usage: 'login --phone +CC... [--code C] [--password-file F] [--server HOST:PORT --server-key PEM]   (asks for what is missing on a terminal)',
    options: { ...serverOptions, phone: str, code: str, 'password-file': str },
    run: lazy(account, 'login'),
  },
  status: { usage: 'status [--server HOST:PORT --server-key PEM]   ({"signed_in", "user": {"id", "phone"}})', options: serverOptions, run: lazy(account, 'status') },
  logout: { usage: 'logout [--server HOST:PORT --server-key PEM]', options: serverOptions, run: lazy(account, 'logout') },
  authorize: {
    usage: 'authorize --link URL [--print-form] [--server HOST:PORT --server-key PEM]   (the parsed request; with --print-form the form Telegram returns)',
    options: { ...serverOptions, link: str, 'print-form': { type: 'boolean' } },
    run: lazy(() => import('./commands/authorize'), 'authorize'),
  },
  list: {
    usage: 'list --password-file F [--data-dir DIR] [--server HOST:PORT --server-key PEM]   (every value decrypted; files as size + SHA-256)',
    options: passportOptions,
    run: lazy(passport, 'passportList'),
  },
  set: {
    usage:
      'set TYPE --password-file F [--data JSON_FILE] [--plain PHONE_OR_EMAIL] [--front-side JPG] [--reverse-side JPG] [--selfie JPG] ' +
      '[--file JPG]... [--translation JPG]... [--data-dir DIR] [--server HOST:PORT --server-key PEM]',
    options: { ...passportOptions, data: str, plain: str, ...valueFileOptions },
    positionals: ['type'],
    run: lazy(passport, 'passportSet'),
  },
  sessions: {
    usage: 'sessions [--mark-seen] [--data-dir DIR] [--server HOST:PORT --server-key PEM]   (the account\'s active sessions; "new": not seen before)',
    options: sessionsListOptions,
    run: lazy(sessions, 'sessionsList'),
  },
  'sessions end': {
    usage: 'sessions end --hash=H | --all-others [--server HOST:PORT --server-key PEM]   (H as `sessions` lists it; one already gone: {"ended": false})',
    options: sessionsEndOptions,
    run: lazy(sessions, 'sessionsEnd'),
  },
  scan: {
    usage: 'scan FILE...   (each photo\'s or PDF\'s MRZ: {"results":[{file, status, kind, mrz, fields, confirm, values, corners, ms}]})',
    options: {},
    variadic: 'files',
    run: lazy(() => import('./commands/scan'), 'scan'),
  },
  'backup inspect': { usage: 'backup inspect --in FILE   (no password: created-at, types, dates, counts)', options: { in: str }, run: lazy(vault, 'backupInspect') },
};

export const USAGE = [
  'Usage: passport-vault COMMAND [OPTIONS]   (or --help, --version)',
  '',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  '',
  'Results: one JSON object on stdout. Errors: {"error":{"code","message"}} on stderr;',
  'exit 2 bad usage or input, 3 integrity failure, 4 wrong password, code or key, 1 anything else (e.g. OFFLINE).',
  'Base64 is standard with "=" padding. A password file may end with one newline.',
  'Files must be regular files within their limit (key 64 KiB, password 4 KiB, data JSON 1 MiB, scan 10 MiB, photo or PDF to scan 100 MiB, PassportData 32 MiB incl. stdin,',
  'document 2 GiB, backup ~5.5 GiB): else INPUT_NOT_A_FILE / INPUT_TOO_LARGE (exit 2). Output deeper than 64 levels: INPUT_TOO_DEEP.',
  '--salt is the whole stored salt (server part + 32 client bytes); it is used as given.',
  'secret_id / --secret-id: secure_secret_id as a signed decimal int64.',
  'login/status/logout/authorize/list/set/sessions talk to Telegram: --server/--server-key, or PASSPORT_VAULT_SERVER(_KEY), PASSPORT_VAULT_API_ID/_HASH.',
  'list/set work on the account `login` signed in, with its 2FA password; the first one creates the passport secret',
  '(created_secret: true). Their offline copy is <data dir>/telegram/<user id>; the data dir is --data-dir, or',
  'PASSPORT_VAULT_DATA_DIR, or the app\'s own folder. set: file options replace those scans (JPEG only), left-out ones are kept.',
  'scan: JPEG, PNG, WebP, AVIF or a PDF (its first page); one result per file, in order: status ok | confirm (fields listed in',
  '"confirm" must be checked by a person) | not_found | error (with "error": {"code","message"}); exit 0 unless the arguments are wrong.',
  '--keychain auto (default): keep the vault key in the OS keychain when one is reachable; none: keyless vault.',
  '',
].join('\n');

function parseCommand(command: Command, args: string[]): OptionValues {
  const names = command.positionals ?? [];
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: command.options, strict: true, allowPositionals: names.length > 0 || command.variadic !== undefined });
  } catch (e) {
    // parseArgs throws TypeErrors (unknown option, missing value…) whose messages are safe to show.
    throw usageError(`${e instanceof Error ? e.message : 'Invalid arguments'}. Usage: passport-vault ${command.usage}`);
  }
  if (command.variadic !== undefined) {
    if (parsed.positionals.length === 0) throw usageError(`Expected at least one ${command.variadic.replace(/s$/, '').toUpperCase()}. Usage: passport-vault ${command.usage}`);
    return { ...parsed.values, [command.variadic]: parsed.positionals };
  }
  if (parsed.positionals.length !== names.length) {
    throw usageError(`Expected ${names.length} argument${names.length === 1 ? '' : 's'} (${names.map((n) => n.toUpperCase()).join(' ')}), got ${parsed.positionals.length}. Usage: passport-vault ${command.usage}`);
  }
  const values: OptionValues = { ...parsed.values };
  names.forEach((name, i) => (values[name] = parsed.positionals[i]));
  return values;
}

export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  // Two-word commands ("backup export") first, then one-word ones.
  const twoWords = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : undefined;
  const [name, ...rest] = twoWords !== undefined && twoWords in COMMANDS ? [twoWords, ...argv.slice(2)] : argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    printResult(io, { version });
    return EXIT_OK;
  }
  try {
    const command = name === undefined ? undefined : COMMANDS[name];
    if (command === undefined) {
      throw new AppError('BAD_INPUT', name === undefined ? 'No command given. Try --help' : `Unknown command "${name}". Try --help`);
    }
    printResult(io, await command.run(parseCommand(command, rest), io));
    return EXIT_OK;
  } catch (e) {
    return reportError(io, e);
  }
}
