#!/usr/bin/env node
/** Entry point of `passport-vault` (see main.ts). Sets the exit code and lets output flush. */
import { run } from './main';

process.exitCode = await run(process.argv.slice(2));
