/** Runs the built passport-vault CLI (test/support/cli.ts) as a child process against a loopback server, with a throwaway keychain service. */
import { execFile } from 'node:child_process';
import { cliCommand, cliEnv } from '../../../support/cli';
import { REPO_ROOT } from '../../../support/paths';

export interface CliRun {
  readonly status: number | null;
  readonly out: Record<string, unknown> | null;
  readonly err: string;
}

/**
 * Asynchronous on purpose: the loopback server runs in the test's own process and must keep answering
 * while the child waits for it (spawnSync would block it and every call would time out as OFFLINE).
 */
export function cliRunner(target: () => { port: number; keyFile: string }, keychainService: string): (...args: string[]) => Promise<CliRun> {
  return (...args) =>
    new Promise((resolve) => {
      const { port, keyFile } = target();
      execFile(
        ...cliCommand([...args, '--server', `127.0.0.1:${port}`, '--server-key', keyFile]),
        { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: cliEnv({ PASSPORT_VAULT_KEYCHAIN_SERVICE: keychainService }) },
        (error, stdout, stderr) => {
          const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
          resolve({ status, out: stdout.trim() === '' ? null : (JSON.parse(stdout) as Record<string, unknown>), err: stderr });
        },
      );
    });
}
