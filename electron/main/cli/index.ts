#!/usr/bin/env node
/**
 * Entry point of `passport-vault` (see main.ts). Sets the exit code and lets output flush. No top-level
 * await: the build makes this entry CommonJS, which starts faster (scripts/build-cli.mjs).
 */
import { run } from './main';

void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
