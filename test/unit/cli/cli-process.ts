/**
 * How the CLI tests run the `passport-vault` command: as a real process (`cli`, with stdin as text
 * or as a file opened on fd 0, peak RSS sampled from /proc) or through the same `run()` in this
 * process (`here`, for the many variants); and the two shapes of answer (`ok`, `fails`).
 * One place, so the command the tests spawn is chosen once for every CLI test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { Readable } from 'node:stream';
import { vmHwmKiB } from '../../../bench/peak-rss';
import { run } from '../../../electron/main/cli/main';
import { cliCommand, cliEnv } from '../../support/cli';
import { repoRoot } from '../passport/vectors';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's peak RSS (VmHWM), sampled every few ms while it ran; a lower bound. */
  peakRssKiB?: number;
  /** Killed after the timeout. */
  timedOut?: boolean;
  /** Killed for passing maxRssKiB. */
  rssExceeded?: boolean;
}

export interface SpawnOptions {
  /** Text written to stdin, or `{ file }`: that path opened as the child's fd 0 (e.g. /dev/zero). */
  stdin?: string | { file: string };
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Killed as soon as its sampled peak RSS passes this (so a reader that grows cannot take the machine). */
  maxRssKiB?: number;
}

export function spawnRun(cmd: string, args: string[], options: SpawnOptions | string = {}): Promise<Run> {
  const { stdin, env, timeoutMs, maxRssKiB } = typeof options === 'string' ? { stdin: options } : options;
  const stdinFd = typeof stdin === 'object' ? openSync(stdin.file, 'r') : undefined;
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repoRoot(), stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'], env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let timedOut = false;
    let rssExceeded = false;
    const sample = (): void => {
      if (child.pid !== undefined) peak = Math.max(peak, vmHwmKiB(child.pid) ?? 0);
      if (maxRssKiB !== undefined && peak > maxRssKiB && !rssExceeded) {
        rssExceeded = true;
        child.kill('SIGKILL');
      }
    };
    const sampler = setInterval(sample, 5);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), timeoutMs);
    const { stdout: out, stderr: err } = child;
    if (out === null || err === null) throw new Error('spawned without stdout/stderr pipes');
    out.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    err.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    out.once('end', sample); // the last look before it exits
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      clearTimeout(timer);
      resolve({ code, stdout, stderr, peakRssKiB: peak, ...(timedOut ? { timedOut } : {}), ...(rssExceeded ? { rssExceeded } : {}) });
    });
    if (child.stdin !== null) {
      // A command that does not read stdin may exit before this reaches it: the pipe is closed, not broken.
      child.stdin.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') reject(e);
      });
      child.stdin.end(typeof stdin === 'string' ? stdin : '');
    }
  }).finally(() => {
    if (stdinFd !== undefined) closeSync(stdinFd);
  });
}

/** The real thing: the built command (package.json `bin`) in a separate process. */
export const cli = (args: string[], options?: SpawnOptions | string): Promise<Run> => spawnRun(...cliCommand(args), options);

/** The same `run()` the process calls, in this process, for the many error variants. */
export async function here(args: string[], stdin: string | Buffer = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdin: Readable.from([stdin]),
  });
  return { code, stdout, stderr };
}

/** Success: exit 0, one JSON object on stdout, nothing on stderr. */
export function ok(r: Run): Record<string, unknown> {
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

/** Failure: the exit code, nothing on stdout, exactly `{"error":{"code","message"}}` on stderr. */
export function fails(r: Run, exitCode: number, code: string): void {
  assert.equal(r.code, exitCode, `stdout=${r.stdout.slice(0, 500)} stderr=${r.stderr.slice(0, 500)}`);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  const parsed = JSON.parse(lines[0] ?? '') as { error: Record<string, unknown> };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.deepEqual(Object.keys(parsed.error).sort(), ['code', 'message']);
  assert.equal(parsed.error.code, code);
  assert.equal(typeof parsed.error.message, 'string');
}
