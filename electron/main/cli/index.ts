#!/usr/bin/env node
/**
 * Entry point of `passport-vault` (see main.ts). Sets the exit code and lets output flush. No top-level
 * await: the build makes this entry CommonJS, which starts faster (scripts/build-cli.mjs).
 */
import { run } from './main';

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // When nothing is left to run (no open handle, pending request or timer, e.g. an unfinished write to a
  // pipe; no beforeExit listener), exit now instead of waiting for V8's background work to drain and
  // the heap to be torn down: ~5 ms of every short command (seal, --version), measured.
  if (process.getActiveResourcesInfo().length === 0 && process.listenerCount('beforeExit') === 0) process.exit(code);
  // Something still holds the event loop (a worker thread or socket a library left open): the command's
  // work is done and reported, so end once stdout and stderr are flushed instead of waiting, maybe for ever.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
